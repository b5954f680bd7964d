"""Read-only queries of what associations do with their missions (the association
space and the public profile), built to cost a fixed number of queries."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from associations.models import Association, AssociationMember

from .models import Application, HoursEntry, Mission, Testimonial

MIN_APPLICATIONS_FOR_RESPONSIVENESS = 3
RESPONSIVENESS_WINDOW = datetime.timedelta(days=365)
SLOW_ANSWER = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Responsiveness:
    received: int
    answered: int
    median_days: float | None

    @property
    def enough_data(self) -> bool:
        return self.received >= MIN_APPLICATIONS_FOR_RESPONSIVENESS

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.received) if self.received else 0


def responsiveness(association: Association, *, now=None) -> Responsiveness:
    """How the association answers applications received over the last 12 months.

    Answered means accepted or declined (``decided_at`` set); the median counts the
    days between the application and that answer. Two queries, whatever the volume.
    """
    now = now or timezone.now()
    received = Application.objects.filter(
        mission__association=association, created_at__gte=now - RESPONSIVENESS_WINDOW
    )
    counts = received.aggregate(
        received=Count("pk"), answered=Count("pk", filter=Q(decided_at__isnull=False))
    )
    median = None
    if counts["answered"]:
        delays = [
            (decided - created).total_seconds() / 86400
            for created, decided in received.filter(decided_at__isnull=False).values_list(
                "created_at", "decided_at"
            )
        ]
        median = statistics.median(delays)
    return Responsiveness(counts["received"], counts["answered"], median)


def published_testimonials(association: Association):
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
    missions: list
    counts: list
    waiting: list
    hours_to_validate: int


def dashboard(user, *, now=None) -> list[AssociationBoard]:
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
    boards = []
    for association in associations:
        own = [m for m in missions if m.association_id == association.pk]
        counts = {}
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
