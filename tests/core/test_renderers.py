"""The widgets written in Python render what Django's templates render."""

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.renderers import WRITTEN, FormRenderer

CHOICES = [("a", "A & B"), ("", "— aucun —"), (3, gettext_lazy("Oui"))]
GROUPED = [("Groupe <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]


class Custom(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


WIDGETS = [
    (forms.TextInput(attrs={"placeholder": 'Un "mot"', "required": True}), "<b>é</b>"),
    (forms.TextInput(attrs={"disabled": False, "data-x": mark_safe("<ok>")}), None),
    (forms.EmailInput(), "a@b.fr"),
    (forms.NumberInput(attrs={"min": 1, "step": 0.5}), 1234),
    (forms.NumberInput(), 3.5),
    (forms.HiddenInput(), "secret"),
    (forms.PasswordInput(), "pw"),
    (forms.PasswordInput(render_value=True), "pw"),
    (forms.DateInput(format="%Y-%m-%d"), datetime.date(2026, 12, 4)),
    (forms.DateInput(), datetime.date(2026, 12, 4)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 2}), "Ligne 1\n<script>alert(1)</script>"),
    (forms.Textarea(), ""),
    (forms.Textarea(), 12),
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=GROUPED, attrs={"aria-invalid": "true"}), "y"),
    (forms.SelectMultiple(choices=GROUPED), ["x", "z"]),
    (forms.NullBooleanSelect(), None),
    (Custom(choices=CHOICES), "a"),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("widget, value", WIDGETS)
def test_each_widget_renders_as_django_renders_it(language, widget, value):
    with translation.override(language):
        django_html = widget.render("field", value, {"id": "id_field"}, TemplatesSetting())
        ours = widget.render("field", value, {"id": "id_field"}, FormRenderer())
    assert ours == django_html
    assert "<script>" not in ours


def test_the_written_templates_are_django_s_own():
    for name in WRITTEN:
        assert name.startswith("django/forms/widgets/")
