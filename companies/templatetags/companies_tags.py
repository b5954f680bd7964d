from django import template

from companies.selectors import allowance_for as _allowance_for

register = template.Library()


@register.simple_tag
def allowance_for(user):
    """The person's yearly work-time allowance, or None if they are not an employee."""
    return _allowance_for(user)
