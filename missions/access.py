"""Who may see and who may change a mission and what hangs on it (applications, hours,
evaluations, testimonials). Pages, services, the API and exports ask here rather than
writing the rule again.

- Anyone sees a public mission (``Mission.objects.public()``).
- The members of its association manage it; platform staff moderate it within their
  territory (every territory for platform staff, their départements for referents).
- A volunteer sees their own applications.
"""

from django.db.models import QuerySet

from core.permissions import Actor

from .models import Mission


def is_member(user: "Actor | None", mission: Mission) -> bool:
    """``user`` belongs to the association that posts ``mission``."""
    return mission.association.has_member(user)


def can_moderate(user: "Actor | None", mission: Mission) -> bool:
    """``user`` is platform staff for the territory of ``mission``."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.can_moderate_departement(mission.departement_id)
    )


def can_manage(user: "Actor | None", mission: Mission) -> bool:
    """Its association's members, and staff for its territory."""
    return is_member(user, mission) or can_moderate(user, mission)


def manageable_by(user: "Actor") -> QuerySet[Mission]:
    """The missions of ``user``'s associations (the association space lists these)."""
    if not user.is_authenticated:
        return Mission.objects.none()
    return Mission.objects.filter(association__members__user=user)
