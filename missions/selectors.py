"""Read-only queries about missions, each of a constant number of SQL queries whatever
the number of rows: what associations do with their missions (their board, the public
profile's testimonials) and a volunteer's engagements and favourites. The figures shown
to people (responsiveness, time to first candidate, an engagement's record) are defined
in ``figures.py``."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from associations.models import Association, AssociationMember
from core.permissions import Actor
from taxonomy.choices import Language, LocationMode
from volunteers.models import Favourite, TimeSlot, VolunteerProfile

from .models import Application, Evaluation, HoursEntry, Mission, Testimonial

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

SLOW_ANSWER = datetime.timedelta(days=7)


def published_testimonials(association: Association) -> QuerySet[Testimonial]:
    return (
        Testimonial.objects.filter(
            application__mission__association=association, published_at__isnull=False
        )
        .select_related("application__mission", "application__volunteer__user")
        .order_by("-published_at")
    )


@dataclass
class AssociationBoard:
    association: Association
    missions: list[Mission]
    counts: list[tuple["StrOrPromise", int]]
    waiting: list[Application]
    hours_to_validate: int

    def first_in(self, state: str) -> Mission | None:
        return next((mission for mission in self.missions if mission.state == state), None)

    @property
    def published_mission(self) -> Mission | None:
        """Where to find volunteers next: the suggestions of a published mission."""
        return self.first_in(Mission.State.PUBLISHED)

    @property
    def draft_mission(self) -> Mission | None:
        return self.first_in(Mission.State.DRAFT)


def dashboard(user: "User", *, now: datetime.datetime | None = None) -> list[AssociationBoard]:
    """Each association of ``user`` with its missions by state, the applications waiting
    for an answer (those older than 7 days flagged) and the hours to validate."""
    now = now or timezone.now()
    memberships = list(
        AssociationMember.objects.filter(user=user)
        .select_related("association")
        .order_by("association__name")
    )
    associations = []
    for membership in memberships:
        membership.association.is_admin = membership.role == AssociationMember.Role.ADMIN
        associations.append(membership.association)
    ids = [association.pk for association in associations]
    missions = list(
        Mission.objects.filter(association_id__in=ids)
        .exclude(state__in=(Mission.State.CANCELLED,))
        .select_related("cause")
        .order_by("state", "-updated_at")
    )
    waiting = list(
        Application.objects.filter(mission__association_id__in=ids, state=Application.State.APPLIED)
        .select_related("mission", "volunteer__user")
        .order_by("created_at")
    )
    for application in waiting:
        application.is_slow = now - application.created_at > SLOW_ANSWER
    hours = dict(
        HoursEntry.objects.filter(
            application__mission__association_id__in=ids, state=HoursEntry.State.SUBMITTED
        )
        .values_list("application__mission__association_id")
        .annotate(n=Count("pk"))
        .values_list("application__mission__association_id", "n")
    )
    boards: list[AssociationBoard] = []
    for association in associations:
        own = [m for m in missions if m.association_id == association.pk]
        counts: dict[str, int] = {}
        for mission in own:
            counts[mission.state] = counts.get(mission.state, 0) + 1
        boards.append(
            AssociationBoard(
                association=association,
                missions=own,
                counts=[
                    (label, counts[value])
                    for value, label in Mission.State.choices
                    if value in counts
                ],
                waiting=[a for a in waiting if a.mission.association_id == association.pk],
                hours_to_validate=hours.get(association.pk, 0),
            )
        )
    return boards


# --- A volunteer's engagements and favourites ---------------------------------------------


def with_taken_seats(missions: list[Mission]) -> list[Mission]:
    """Count the seats taken on each mission in one query (the cards show free seats)."""
    counts = dict(
        Application.objects.filter(
            mission__in=[m.pk for m in missions], state__in=Application.SEAT_STATES
        )
        .order_by()
        .values("mission")
        .annotate(n=Count("pk"))
        .values_list("mission", "n")
    )
    for mission in missions:
        mission.taken_seats = counts.get(mission.pk, 0)
    return missions


def _waitlist_position() -> Subquery:
    """1 for the longest-waiting volunteer of the mission, and so on."""
    earlier = (
        Application.objects.filter(
            mission=OuterRef("mission"),
            state=Application.State.WAITLISTED,
            created_at__lte=OuterRef("created_at"),
        )
        .order_by()
        .values("mission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(earlier)


def engagements_for(profile: VolunteerProfile) -> QuerySet[Application]:
    """Every application of ``profile`` with what its row needs: mission, hours,
    the volunteer's own evaluation and the waiting-list position."""
    validated = Coalesce(
        Sum("hours__hours", filter=Q(hours__state=HoursEntry.State.VALIDATED)),
        0,
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )
    return (
        Application.objects.filter(volunteer=profile)
        .select_related("mission__association", "mission__cause")
        .annotate(
            validated_hours=validated,
            waitlist_position=_waitlist_position(),
            has_testimonial=Exists(Testimonial.objects.filter(application=OuterRef("pk"))),
            has_evaluated=Exists(
                Evaluation.objects.filter(
                    application=OuterRef("pk"), side=Evaluation.Side.VOLUNTEER
                )
            ),
        )
        .prefetch_related(
            Prefetch("hours", queryset=HoursEntry.objects.order_by("-date", "-pk")),
        )
        .order_by("-created_at", "-pk")
    )


def favourites_for(profile: VolunteerProfile) -> QuerySet[Favourite]:
    return (
        Favourite.objects.filter(volunteer=profile)
        .select_related("mission__association", "mission__cause", "mission__departement")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class MissionActions:
    """What the signed-in person may do on a mission page, read in one query."""

    has_profile: bool = False
    application_pk: int | None = None
    application_state: str = ""
    application_state_label: str = ""
    is_favourite: bool = False


def mission_actions_for(user: "Actor", mission: Mission) -> MissionActions:
    if not user.is_authenticated:
        return MissionActions()
    applications = Application.objects.filter(mission=mission, volunteer=OuterRef("pk"))
    row = (
        VolunteerProfile.objects.filter(user=user)
        .annotate(
            application_pk=Subquery(applications.values("pk")[:1]),
            application_state=Subquery(applications.values("state")[:1]),
            is_favourite=Exists(
                Favourite.objects.filter(volunteer=OuterRef("pk"), mission=mission)
            ),
        )
        .values("application_pk", "application_state", "is_favourite")
        .first()
    )
    if row is None:
        return MissionActions()
    state = row["application_state"] or ""
    return MissionActions(
        has_profile=True,
        application_pk=row["application_pk"],
        application_state=state,
        application_state_label=str(Application.State(state).label) if state else "",
        is_favourite=row["is_favourite"],
    )


@dataclass(frozen=True)
class CandidateSkill:
    name: str
    family: str
    level: int
    level_label: "StrOrPromise"
    # What the mission asks of this skill, if it does: "required" or "nice_to_have".
    importance: str
    min_level: int | None

    @property
    def below_asked(self) -> bool:
        return self.min_level is not None and self.level < self.min_level


@dataclass(frozen=True)
class CandidateProfile:
    """What an association reads of a candidate before deciding (``access.Candidacy``
    says whether it may): skills with levels against the mission's, experience, languages,
    availability, causes, place, and the engagements they carried through."""

    skills: list[CandidateSkill]
    causes: list[str]
    languages: list["StrOrPromise"]
    time_slots: list["StrOrPromise"]
    formats: list["StrOrPromise"]
    completed: int
    evaluations: list[Evaluation]

    @property
    def average_rating(self) -> float | None:
        if not self.evaluations:
            return None
        return round(sum(e.rating for e in self.evaluations) / len(self.evaluations), 1)


def candidate_profile(volunteer: VolunteerProfile, mission: Mission) -> CandidateProfile:
    """``volunteer``'s profile as ``mission``'s association reads it (a few queries)."""
    asked = {row.skill_id: row for row in mission.skills.all()}
    rows = volunteer.skills.select_related("skill__family").order_by(
        "skill__family__name_fr", "skill__name_fr"
    )
    skills = sorted(
        (
            CandidateSkill(
                name=row.skill.name,
                family=row.skill.family.name,
                level=row.level,
                level_label=row.get_level_display(),
                importance=asked[row.skill_id].importance if row.skill_id in asked else "",
                min_level=asked[row.skill_id].min_level if row.skill_id in asked else None,
            )
            for row in rows
        ),
        # The mission's skills first, required ones before the others.
        key=lambda s: {"required": 0, "nice_to_have": 1}.get(s.importance, 2),
    )
    languages = dict(Language.choices)
    slots = dict(TimeSlot.choices)
    formats: list[StrOrPromise] = [
        label for mode, label in LocationMode.choices if volunteer.accepts(mode)
    ]
    completed = Application.objects.filter(volunteer=volunteer, state=Application.State.COMPLETED)
    evaluations = list(
        Evaluation.objects.filter(application__in=completed, side=Evaluation.Side.ASSOCIATION)
        .select_related("application__mission__association")
        .order_by("-created_at")
    )
    return CandidateProfile(
        skills=skills,
        causes=[cause.name for cause in volunteer.causes.order_by("name_fr")],
        languages=[languages.get(code, code) for code in volunteer.languages],
        time_slots=[slots.get(code, code) for code in volunteer.time_slots],
        formats=formats,
        completed=completed.count(),
        evaluations=evaluations,
    )
