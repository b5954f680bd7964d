"""Who may see and who may change a mission and what hangs on it (applications, hours,
evaluations, testimonials). Pages, services, the API and exports ask here rather than
writing the rule again.

- Anyone sees a public mission (``Mission.objects.public()``).
- The members of its association manage it; platform staff moderate it within their
  territory (every territory for platform staff, their départements for referents).
- A volunteer sees their own applications.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from associations import access as association_access
from associations.models import AssociationMember
from core.permissions import Actor

from .models import Application, Mission


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
    return Mission.objects.filter(association__in=association_access.managed_by(user))


def applications_visible_to(user: "Actor") -> QuerySet[Application]:
    """The applications ``user`` may read (and their message threads): their own, those
    to their associations' missions, and for staff those of their territory (a mission's
    département, else its association's)."""
    applications = Application.objects.all()
    if not user.is_authenticated:
        return applications.none()
    member = AssociationMember.objects.filter(
        association=OuterRef("mission__association"), user=user
    )
    visible = Q(volunteer__user=user) | Q(Exists(member))
    scope = user.staff_departement_ids()
    if scope is None:
        return applications
    if scope:
        visible |= Q(mission__departement_id__in=scope) | Q(
            mission__departement__isnull=True, mission__association__departement_id__in=scope
        )
    return applications.filter(visible)
