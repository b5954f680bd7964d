"""A form field's group (label, help, errors, widget), as Django's ``as_field_group``
renders it, without its templates."""

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

# Django's own message (translated in its catalogue, not in ours): a label ending with
# one of these takes no suffix.
PUNCTUATION = ":?.!"


@register.simple_tag
def field_group(field: BoundField) -> SafeString:
    """The HTML of ``field.as_field_group()`` (Django's ``field.html``) for a field
    without a fieldset, written here: Django renders it through five templates (the
    group, its label and the label's attributes, the error list twice), and a page with a
    form on each row (an association's pipeline) renders dozens of them. Fields in a
    fieldset (radio buttons, checkbox lists) keep Django's templates."""
    if field.use_fieldset:
        return field.as_field_group()
    parts: list[str] = []
    if field.label:
        parts.append(label_tag(field))
    if field.help_text:
        parts.append(
            format_html(
                '<div class="helptext"{}>{}</div>',
                format_html(' id="{}_helptext"', field.auto_id) if field.auto_id else "",
                mark_safe(field.help_text),  # as field.html's ``|safe``
            )
        )
    if field.errors:
        parts.append(str(field.errors))
    parts.append(str(field))
    return mark_safe("\n".join(parts))


def label_tag(field: BoundField) -> SafeString:
    """``field.label_tag()``: the label with the form's suffix (unless it ends with
    punctuation), for the widget's id."""
    contents = conditional_escape(field.label)
    suffix = field.field.label_suffix
    if suffix is None:
        suffix = field.form.label_suffix
    if suffix and contents and contents[-1] not in gettext(PUNCTUATION):
        contents = format_html("{}{}", contents, suffix)
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    if not id_:
        return mark_safe(contents)
    attrs = {}
    id_for_label = field.field.widget.id_for_label(id_)
    if id_for_label:
        attrs["for"] = id_for_label
    if field.field.required and hasattr(field.form, "required_css_class"):
        attrs["class"] = field.form.required_css_class
    return format_html(
        "<label{}>{}</label>", format_html_join("", ' {}="{}"', attrs.items()), contents
    )
