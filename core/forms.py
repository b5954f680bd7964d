"""What every web form shares."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


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
