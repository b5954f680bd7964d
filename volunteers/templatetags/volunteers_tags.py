from decimal import Decimal

from django import template
from django.utils import formats

from volunteers.selectors import mission_actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def mission_actions(context, mission):
    """What the signed-in person may do on ``mission`` (one query; none when anonymous)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None:
        from volunteers.selectors import MissionActions

        return MissionActions()
    return mission_actions_for(user, mission)


@register.filter
def hours(value) -> str:
    """Hours without trailing zeros, in the active locale: 3.50 → « 3,5 », 10.00 → « 10 »."""
    if value in (None, ""):
        return ""
    plain = format(Decimal(value).quantize(Decimal("0.01")).normalize(), "f")
    return formats.localize(Decimal(plain))
