from django import template

register = template.Library()


@register.filter
def selected_count(options) -> int:
    """How many of a group of checkboxes (a widget's options) are ticked."""
    return sum(1 for option in options if option.get("selected"))
