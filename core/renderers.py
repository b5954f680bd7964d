"""The form renderer: Django's, through the project's templates, with the commonest
widgets written in Python.

A page with a form on each row (an association's pipeline: an invitation and a dismissal
for each of twenty suggested volunteers, a decision for each applicant) renders a few
hundred widget templates: a select is one template for itself, two for each option
(the option and its attributes), a text box three. The functions below write the same
HTML as Django's own templates for inputs, text areas and selects
(``django/forms/widgets/``); a widget with a template of its own, or a select whose
options have one, still goes through the templates."""

from collections.abc import Callable
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"


def _text(value: Any) -> Any:
    """``{{ value|stringformat:'s' }}``: the value as text, kept safe when it was."""
    return value if isinstance(value, SafeData) else str(value)


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, _text(value))
        for name, value in attrs.items()
        if value is not False
    )


def _shown(value: Any) -> str:
    """``{{ value }}``: localized and escaped."""
    return conditional_escape(localize(value))


def _input(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    return mark_safe(
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        + (format_html(' value="{}"', _text(value)) if value is not None else "")
        + _attrs(widget["attrs"])
        + ">"
    )


def _textarea(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    return mark_safe(
        format_html('<textarea name="{}"', widget["name"])
        + _attrs(widget["attrs"])
        + ">\n"
        + (_shown(value) if value else "")
        + "</textarea>"
    )


def _select(widget: dict[str, Any]) -> SafeString | None:
    html = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(format_html('\n  <optgroup label="{}">', _shown(group_name)))
        for option in options:
            if option["template_name"] != OPTION:
                return None  # an option of its own: the templates
            html.append(
                format_html('\n  <option value="{}"', _text(option["value"]))
                + _attrs(option["attrs"])
                + format_html(">{}</option>\n", _shown(option["label"]))
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return mark_safe("".join(html))


WRITTEN: dict[str, Callable[[dict[str, Any]], SafeString | None]] = {
    **{
        f"{WIDGETS}{name}.html": _input
        for name in [
            *("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden"),
            *("number", "password", "search", "tel", "text", "time", "url"),
        ]
    },
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class FormRenderer(TemplatesSetting):
    """``TemplatesSetting`` (forms render through the project's templates, so that
    ``templates/`` may hold widget templates of its own), writing Django's commonest
    widgets in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = WRITTEN.get(template_name)
        if write is not None:
            html = write(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
