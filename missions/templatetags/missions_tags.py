from django import template

from missions.models import MissionSkill
from taxonomy.choices import Language

register = template.Library()


@register.filter
def language_labels(codes) -> list[str]:
    """Turn a mission's language codes into their translated names, keeping unknown codes."""
    labels = dict(Language.choices)
    return [str(labels.get(code, code)) for code in codes or []]


@register.filter
def required_skills(skills) -> list[MissionSkill]:
    return [skill for skill in skills if skill.importance == MissionSkill.Importance.REQUIRED]


@register.filter
def nice_to_have_skills(skills) -> list[MissionSkill]:
    return [skill for skill in skills if skill.importance == MissionSkill.Importance.NICE_TO_HAVE]
