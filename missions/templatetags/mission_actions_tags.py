from django import template

from missions.selectors import MissionActions, mission_actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def mission_actions(context, mission):
    """What the signed-in person may do on ``mission`` (one query; none when anonymous)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None:
        return MissionActions()
    return mission_actions_for(user, mission)
