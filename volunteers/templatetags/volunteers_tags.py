from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def hours(value) -> str:
    """Hours without trailing zeros, in the active locale: 3.50 → « 3,5 », 10.00 → « 10 »."""
    if value in (None, ""):
        return ""
    plain = format(Decimal(value).quantize(Decimal("0.01")).normalize(), "f")
    return formats.localize(Decimal(plain))
