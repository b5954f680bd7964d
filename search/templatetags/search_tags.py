from django import template

register = template.Library()


@register.filter
def selected_count(checkboxes) -> int:
    """How many of a group of checkbox subwidgets are ticked."""
    return sum(1 for checkbox in checkboxes if checkbox.data.get("selected"))
