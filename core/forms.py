"""What every web form shares."""

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import BaseRenderer, get_default_renderer
from django.utils.safestring import SafeString, mark_safe


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form that called it: next to the field it names,
    or on top of the form, so that the page is shown again with what was typed."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class FrenchDecimalField(forms.DecimalField):
    """A decimal typed the French way ("3,5") or the English way ("3.5"), shown as the
    page's language writes it, in a text box that brings up a numeric keypad on phones
    (a number input would refuse the comma in most browsers)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        kwargs.pop("widget", None)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal"
        return attrs


class RenderedOnce(forms.Widget):
    """A widget of many choices (the 138 skills' checkboxes, the 101 départements) renders
    each option through a template: half of a search page's time. Its HTML depends on its
    context alone (name, value, attributes, choices and their labels in the current
    language), so each process keeps the last few hundred it rendered, by that context."""

    KEPT = 256
    _html: "OrderedDict[str, SafeString]" = OrderedDict()
    _lock = threading.Lock()

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        context = self.get_context(name, value, attrs)
        key = hashlib.blake2b(
            json.dumps([self.template_name, context], default=str, sort_keys=True).encode(),
            digest_size=20,
        ).hexdigest()
        with self._lock:
            html = self._html.get(key)
            if html is not None:
                self._html.move_to_end(key)
                return html
        html = mark_safe((renderer or get_default_renderer()).render(self.template_name, context))
        with self._lock:
            self._html[key] = html
            while len(self._html) > self.KEPT:
                self._html.popitem(last=False)
        return html


class ManyCheckboxes(RenderedOnce, forms.CheckboxSelectMultiple):
    pass


class LongSelect(RenderedOnce, forms.Select):
    pass
