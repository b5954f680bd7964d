from decimal import Decimal

from django import template
from django.utils import formats

from volunteers import exposure

register = template.Library()


@register.filter
def hours(value) -> str:
    """Hours without trailing zeros, in the active locale: 3.50 → « 3,5 », 10.00 → « 10 »."""
    if value in (None, ""):
        return ""
    plain = format(Decimal(value).quantize(Decimal("0.01")).normalize(), "f")
    return formats.localize(Decimal(plain))


@register.filter
def shown_name(user, audience: str) -> str:
    """The person's name as ``audience`` may read it (``volunteers.exposure``):
    ``{{ volunteer.user|shown_name:"association" }}``."""
    return exposure.name_for(user, exposure.Audience(audience))
