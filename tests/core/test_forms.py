"""Decimals typed the French way are accepted and shown back the page's way; widgets of
many choices give Django's own HTML, rendered once per context."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _lazy

from core.forms import LongSelect, ManyCheckboxes
from missions.volunteer_forms import HoursForm


@pytest.mark.parametrize(("typed", "value"), [("3,5", "3.5"), ("3.5", "3.5"), ("2", "2")])
def test_hours_are_read_with_a_comma_or_a_point(typed, value):
    with translation.override("fr"):
        form = HoursForm(data={"date": "2026-01-05", "hours": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal(value)


def test_a_decimal_is_shown_in_the_page_language_with_a_numeric_keypad():
    with translation.override("fr"):
        html = str(HoursForm(initial={"hours": Decimal("3.5")})["hours"])
    assert 'value="3,5"' in html and 'inputmode="decimal"' in html and 'type="text"' in html
    with translation.override("en"):
        html = str(HoursForm(initial={"hours": Decimal("3.5")})["hours"])
    assert 'value="3.5"' in html


def test_a_wrong_number_says_so_in_french():
    with translation.override("fr"):
        form = HoursForm(data={"date": "2026-01-05", "hours": "trois"})
        assert not form.is_valid()
        assert "nombre" in form.errors["hours"][0]


# --- widgets rendered once per context ---------------------------------------------------


CHOICES = [("a", "Aïe <b>"), ("b", _lazy("Bénévole")), ("c", "Cinq")]


@pytest.mark.parametrize(
    ("cached", "plain"),
    [(ManyCheckboxes, forms.CheckboxSelectMultiple), (LongSelect, forms.Select)],
    ids=["checkboxes", "select"],
)
@pytest.mark.parametrize("value", [None, "b", ["a", "c"], ["<script>"]], ids=str)
def test_a_widget_rendered_once_gives_the_html_django_gives(cached, plain, value):
    attrs = {"id": "id_x", "aria-describedby": "id_x_helptext"}
    expected = plain(choices=CHOICES).render("x", value, attrs)

    assert cached(choices=CHOICES).render("x", value, attrs) == expected
    assert cached(choices=CHOICES).render("x", value, attrs) == expected  # from memory


def test_what_changes_the_html_changes_what_is_kept():
    widget = LongSelect(choices=CHOICES)
    french = widget.render("x", "a")
    with translation.override("en"):
        english = widget.render("x", "a")

    assert "Bénévole" in french and "Volunteer" in english
    assert widget.render("x", "b") != french
    assert LongSelect(choices=[*CHOICES, ("d", "Dix")]).render("x", "a") != french
