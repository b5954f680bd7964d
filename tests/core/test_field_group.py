"""The field group written in Python renders what Django's ``as_field_group`` does."""

import re

import pytest
from django import forms
from django.utils import translation

from core.templatetags.fields import field_group


class Sample(forms.Form):
    name = forms.CharField(label="Nom <b>complet</b>", help_text="Tel qu'<i>affiché</i>.")
    comment = forms.CharField(label="Un commentaire ?", required=False, widget=forms.Textarea)
    reason = forms.ChoiceField(label="Motif", choices=[("a", "A & B"), ("b", "C")])
    hours = forms.IntegerField(label="Heures", min_value=1, label_suffix=" →")
    unlabelled = forms.CharField(label="", required=False)
    kinds = forms.MultipleChoiceField(
        label="Types", choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )


class Styled(Sample):
    required_css_class = "required"


def same(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("form_class", [Sample, Styled])
@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "data, options",
    [
        (None, {}),
        ({"name": "", "hours": "0", "reason": "z", "comment": "<script>"}, {}),
        (None, {"prefix": "invite-12", "label_suffix": ""}),
        (None, {"auto_id": False}),
    ],
)
def test_each_field_renders_as_django_renders_it(form_class, language, data, options):
    with translation.override(language):
        form = form_class(data, **options)
        for field in form:
            assert same(field_group(field)) == same(field.as_field_group()), field.name
