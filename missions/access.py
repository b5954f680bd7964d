"""Who may see and who may change a mission and what hangs on it (applications, hours,
evaluations, testimonials). Pages, services, the API and exports ask here rather than
writing the rule again.

- Anyone sees a public mission (``Mission.objects.public()``).
- The members of its association manage it; platform staff moderate it within their
  territory (every territory for platform staff, their départements for referents).
- A volunteer sees their own applications.
- The members of a verified association read the full profile of a candidate of one of
  its missions: someone who applied to it, or whom the platform suggests (or the
  association invited) for it. Contact details only once the application is accepted.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from associations import access as association_access
from associations.models import Association, AssociationMember
from core.permissions import Actor
from volunteers.models import VolunteerProfile

from . import suggestions
from .models import Application, Invitation, Mission

# Engaged with the association: it may reach the person directly.
CONTACT_STATES = (
    Application.State.ACCEPTED,
    Application.State.ACTIVE,
    Application.State.COMPLETED,
)


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


@dataclass(frozen=True)
class Candidacy:
    """Why an association may read a volunteer's profile: its ``mission``, and the
    volunteer's ``application`` to it, or None for a suggestion or an invitation."""

    mission: Mission
    volunteer: VolunteerProfile
    application: Application | None

    @property
    def shows_contact(self) -> bool:
        """E-mail and phone, once the association has accepted the person."""
        return self.application is not None and self.application.state in CONTACT_STATES

    @property
    def name(self) -> str:
        """The full name for an applicant (who chose to work with the association), the
        public one for someone who has only been suggested."""
        user = self.volunteer.user
        return user.full_name if self.application is not None else user.public_name


def candidacy_for(user: "Actor", *, mission_id: int, volunteer_id: int) -> Candidacy | None:
    """The candidacy that lets ``user`` read volunteer ``volunteer_id``'s profile for
    mission ``mission_id``, or None: the mission must be one of ``user``'s verified
    associations', and the volunteer an applicant, a suggestion or an invitee for it."""
    mission = (
        manageable_by(user)
        .filter(association__verification_state=Association.State.VERIFIED)
        .select_related("association")
        .filter(pk=mission_id)
        .first()
    )
    if mission is None:
        return None
    profiles = VolunteerProfile.objects.select_related("user", "departement")
    application = (
        Application.objects.select_related("volunteer__user", "volunteer__departement")
        .filter(mission=mission, volunteer_id=volunteer_id)
        .first()
    )
    if application is not None:
        return Candidacy(mission=mission, volunteer=application.volunteer, application=application)
    visible = profiles.visible().filter(pk=volunteer_id)
    if Invitation.objects.filter(mission=mission, volunteer__in=visible).exists() or any(
        pair.volunteer_id == volunteer_id for pair in suggestions.for_mission(mission, visible)
    ):
        volunteer = visible.first()
        if volunteer is not None:
            return Candidacy(mission=mission, volunteer=volunteer, application=None)
    return None
