"""The figures about missions shown to people, each defined here once and used by every
page, report and export that shows it. Each is written so it can be recomputed by hand,
and none can be impossible: a duration that is not positive (an answer stamped before
its application, a candidate before the publication) is a fault in the data, left out
rather than averaged in.

- responsiveness of an association: over the applications it received in the last 12
  months, the share answered (accepted or declined), and the median of the positive
  durations between an application and its answer, shown only once at least
  ``settings.RESPONSIVENESS_MIN_ANSWERED`` answers have such a duration;
- time to first candidate: among missions published at least 14 days ago, the share
  whose first application came within 14 days of publication, and the median days to
  that first application (only applications made after the publication count);
- an engagement's record: the first and last days of its validated hours and their
  sum, which the attestation certifies (not the mission's planned dates).
"""

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from associations.models import Association

from .models import Application, HoursEntry, Mission

RESPONSIVENESS_WINDOW = datetime.timedelta(days=365)
FIRST_CANDIDATE_WINDOW = datetime.timedelta(days=14)
DAY_SECONDS = 86400


def positive_days(start: datetime.datetime, end: datetime.datetime | None) -> float | None:
    """Days from ``start`` to ``end``, or None when there is no ``end`` or it does not
    come strictly after ``start``."""
    if end is None or end <= start:
        return None
    return (end - start).total_seconds() / DAY_SECONDS


def median_positive_days(
    pairs: Iterable[tuple[datetime.datetime, datetime.datetime | None]],
) -> tuple[float | None, int]:
    """The median of the positive durations of ``(start, end)`` pairs, and how many
    there were. ``(None, 0)`` when none is positive."""
    durations = [d for start, end in pairs if (d := positive_days(start, end)) is not None]
    return (statistics.median(durations) if durations else None), len(durations)


@dataclass(frozen=True)
class Responsiveness:
    received: int  # applications received in the window
    answered: int  # of which accepted or declined
    timed: int  # of which the answer came after the application: what the median is over
    median_days: float | None
    minimum: int  # timed answers needed before the figures are shown

    @property
    def enough_data(self) -> bool:
        return self.timed >= self.minimum

    @property
    def answered_percent(self) -> int:
        return round(100 * self.answered / self.received) if self.received else 0


def responsiveness_minimum() -> int:
    return max(1, settings.RESPONSIVENESS_MIN_ANSWERED)


def association_responsiveness(
    association: Association, *, now: datetime.datetime | None = None
) -> Responsiveness:
    """How ``association`` answered the applications it received over the last 12
    months. Two queries, whatever the volume."""
    now = now or timezone.now()
    received = Application.objects.filter(
        mission__association=association, created_at__gte=now - RESPONSIVENESS_WINDOW
    )
    counts = received.aggregate(
        received=Count("pk"), answered=Count("pk", filter=Q(decided_at__isnull=False))
    )
    median, timed = median_positive_days(
        received.filter(decided_at__isnull=False).values_list("created_at", "decided_at")
    )
    return Responsiveness(
        received=counts["received"],
        answered=counts["answered"],
        timed=timed,
        median_days=median,
        minimum=responsiveness_minimum(),
    )


@dataclass(frozen=True)
class FirstCandidate:
    published: int  # missions published at least the window ago
    within_window: int  # of which the first application came within the window
    with_candidate: int  # of which any application came after publication
    median_days: Decimal | None  # to the first application, one decimal

    @property
    def share_within_window(self) -> Decimal | None:
        if not self.published:
            return None
        return (Decimal(self.within_window) / self.published).quantize(Decimal("0.0001"))


def time_to_first_candidate(*, today: datetime.date) -> FirstCandidate:
    """Time from publication to a mission's first application, over the missions
    published at least 14 days before ``today``. One query."""
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - FIRST_CANDIDATE_WINDOW, datetime.time.max)
    )
    firsts = list(
        Mission.objects.filter(published_at__isnull=False, published_at__lte=cutoff)
        .annotate(
            first=Min(
                "applications__created_at",
                filter=Q(applications__created_at__gt=F("published_at")),
            )
        )
        .order_by()
        .values_list("published_at", "first")
    )
    delays = [
        d
        for start, first in firsts
        if start is not None and (d := positive_days(start, first)) is not None
    ]
    window_days = FIRST_CANDIDATE_WINDOW.total_seconds() / DAY_SECONDS
    return FirstCandidate(
        published=len(firsts),
        within_window=sum(1 for d in delays if d <= window_days),
        with_candidate=len(delays),
        median_days=(
            Decimal(str(statistics.median(delays))).quantize(Decimal("0.1")) if delays else None
        ),
    )


@dataclass(frozen=True)
class EngagementRecord:
    """What an engagement actually gave: its validated hours and the days they span."""

    first_day: datetime.date | None
    last_day: datetime.date | None
    hours: Decimal
    days: int  # distinct days with validated hours


def engagement_record(application: Application) -> EngagementRecord:
    """The validated hours of ``application``: their first and last days and their sum.
    One query."""
    rows = list(
        HoursEntry.objects.filter(
            application=application, state=HoursEntry.State.VALIDATED
        ).values_list("date", "hours")
    )
    dates = sorted({day for day, _hours in rows})
    return EngagementRecord(
        first_day=dates[0] if dates else None,
        last_day=dates[-1] if dates else None,
        hours=sum((hours for _day, hours in rows), Decimal(0)),
        days=len(dates),
    )
