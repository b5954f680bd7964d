"""Decimals typed the French way are accepted and shown back the page's way."""

from decimal import Decimal

import pytest
from django.utils import translation

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
