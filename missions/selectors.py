"""Read-only queries of a volunteer's engagements and favourite missions, each scoped to
one volunteer and of a constant number of SQL queries whatever the number of rows."""

from dataclasses import dataclass

from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from volunteers.models import Favourite, VolunteerProfile

from .models import Application, Evaluation, HoursEntry, Mission, Testimonial


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


def _waitlist_position():
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


def engagements_for(profile: VolunteerProfile):
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


def favourites_for(profile: VolunteerProfile):
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


def mission_actions_for(user, mission: Mission) -> MissionActions:
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
