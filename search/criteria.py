"""What a mission search asks for, whoever asks (the search page, saved searches, the
API): the one input of :mod:`search.selectors`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taxonomy.geo import Location

DEFAULT_RADIUS_KM = 30

# Spans of each duration choice, in days between the start and the end (bounds included).
DURATION_DAYS: dict[str, tuple[int | None, int | None]] = {
    "week": (None, 7),
    "month": (8, 31),
    "quarter": (32, 92),
    "long": (93, None),
}


@dataclass(frozen=True)
class SearchCriteria:
    """Filters combine with AND; the values of one filter with OR (any of them).
    Remote missions, done from anywhere, pass the place filters (département, région,
    distance)."""

    q: str = ""
    skill_ids: tuple[int, ...] = ()
    cause_ids: tuple[int, ...] = ()
    departement_ids: tuple[int, ...] = ()
    region_ids: tuple[int, ...] = ()
    location: Location | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    remote_only: bool = False
    location_modes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    starts_after: datetime.date | None = None
    starts_before: datetime.date | None = None
    ends_before: datetime.date | None = None
    duration: str = ""
    max_hours_per_week: Decimal | None = None
