"""This process's copy of the engine's arrays, kept current by the changes themselves.

Loading 100,000 volunteers takes seconds, scoring one mission against them milliseconds,
so each process (web server, Celery worker) keeps the arrays it loaded: the *base*. What
changed since is read from the audit log, which the services write in the same
transaction as the change: before each use, the actions logged since the last look
(a profile saved, a mission published, changed or closed, a seat taken or freed) name
the volunteers and missions to read again. Those rows are read fresh and scored apart
(the *overlay*), and their stale base rows are excluded: no reader scores a row older
than the last change it could see. When the overlay grows past
``MATCHING_OVERLAY_MAX_ROWS``, or the day changes, or the taxonomy changed (skills and
their relations, causes, départements: every row may score differently), the base is
loaded again.

A transaction's log entry carries the time it was written, not the time it committed:
each look reads back ``CHANGE_MARGIN`` before the previous one, so that a change whose
transaction took less than that to commit is never missed (entries already applied are
skipped by their id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils import timezone

from core.models import ActionLog
from missions.models import Application

from . import engine
from .adapter import LoadedIndex, load_index, load_missions, load_volunteers

CHANGE_MARGIN = dt.timedelta(minutes=5)

#: Actions after which a volunteer's row must be read again.
VOLUNTEER_CHANGES = ("volunteerprofile.save", "volunteerprofile.change")
#: Actions after which a mission's row must be read again (opened, changed, closed).
MISSION_CHANGES = (
    "mission.publish",
    "mission.change",
    "mission.start",
    "mission.complete",
    "mission.cancel",
    "mission.expire",
    "mission.submit_to_programme",  # reserved from then on to the programme's company
)
#: Application actions that take or free a seat, or end "nobody applied yet": the
#: mission's row changes (a full mission is no longer open to suggestions).
SEAT_CHANGES = (
    "application.create",
    "application.accept",
    "application.decline",
    "application.withdraw",
    "application.abandon",
    "application.promote",
    "application.refuse",
)
#: Actions after which every row may score differently (a skill related to another, a
#: cause or a département added or removed): the base is loaded again.
RELOADING_CHANGES = ("taxonomy.change",)
CHANGES = VOLUNTEER_CHANGES + MISSION_CHANGES + SEAT_CHANGES + RELOADING_CHANGES


@dataclass(eq=False)
class CurrentArrays:
    """The base arrays and the rows changed since they were loaded."""

    base: LoadedIndex
    since: dt.datetime  # the next look reads the changes logged from then on
    seen: set[int] = field(default_factory=set)  # entries of the last look's window
    volunteer_pks: set[int] = field(default_factory=set)  # changed since the base
    mission_pks: set[int] = field(default_factory=set)
    # Fresh rows of the changed volunteers (missions still open with a free seat).
    volunteer_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    volunteers: engine.VolunteerArrays | None = None
    mission_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    missions: engine.MissionArrays | None = None
    outdated: bool = False  # a change since the base concerns every row

    def stale_volunteers(self) -> np.ndarray:
        """Base indices of the volunteers changed since (their base rows are stale)."""
        return _present(self.base.volunteer_ids, self.volunteer_pks)

    def stale_missions(self) -> np.ndarray:
        return _present(self.base.mission_ids, self.mission_pks)

    def catch_up(self) -> bool:
        """Read the changes logged since the last look; True if there were new ones."""
        looked_at = timezone.now()
        entries = list(
            ActionLog.objects.filter(created_at__gte=self.since, action__in=CHANGES).values_list(
                "pk", "action", "object_id"
            )
        )
        new = [entry for entry in entries if entry[0] not in self.seen]
        # The next look starts within this one's window: what it finds again was seen here.
        self.since = looked_at - CHANGE_MARGIN
        self.seen = {entry[0] for entry in entries}
        if not new:
            return False
        if any(action in RELOADING_CHANGES for _id, action, _pk in new):
            self.outdated = True
        volunteers = {pk for _id, action, pk in new if action in VOLUNTEER_CHANGES}
        missions = {pk for _id, action, pk in new if action in MISSION_CHANGES}
        applications = [pk for _id, action, pk in new if action in SEAT_CHANGES]
        if applications:
            missions.update(
                Application.objects.filter(pk__in=applications).values_list("mission_id", flat=True)
            )
        # Each changed row is read again, even one read before: it may have changed since.
        if volunteers:
            self.volunteer_pks |= volunteers
            self.volunteer_ids, self.volunteers = load_volunteers(
                self.base.positions, pks=sorted(self.volunteer_pks)
            )
        if missions:
            self.mission_pks |= missions
            self.mission_ids, self.missions = load_missions(
                self.base.positions, pks=sorted(self.mission_pks)
            )
        return True

    @property
    def overlay_rows(self) -> int:
        return len(self.volunteer_pks) + len(self.mission_pks)


def _present(sorted_ids: np.ndarray, pks: set[int]) -> np.ndarray:
    if not pks or not len(sorted_ids):
        return np.zeros(0, dtype=np.int64)
    wanted = np.fromiter(pks, dtype=np.int64, count=len(pks))
    at = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
    found: np.ndarray = at[sorted_ids[at] == wanted].astype(np.int64)
    return found


_cache: dict[str, CurrentArrays] = {}


def _load() -> CurrentArrays:
    started = timezone.now()
    arrays = CurrentArrays(base=load_index(), since=started - CHANGE_MARGIN)
    # What changed within the margin before the load may predate it: read it again.
    arrays.catch_up()
    arrays.outdated = False  # the taxonomy was read after any change found there
    return arrays


def current_arrays() -> CurrentArrays:
    """This process's arrays, with every change logged so far applied."""
    arrays = _cache.get("arrays")
    if arrays is None or arrays.base.index.today != timezone.localdate().toordinal():
        arrays = _load()
    else:
        try:
            arrays.catch_up()
        except KeyError:  # a skill or cause the base does not know: load everything
            arrays = _load()
        if arrays.outdated or arrays.overlay_rows > settings.MATCHING_OVERLAY_MAX_ROWS:
            arrays = _load()
    _cache["arrays"] = arrays
    return arrays


def current_index() -> LoadedIndex:
    """The base arrays of this process (loaded when none are; see :func:`current_arrays`
    for the changes since)."""
    return current_arrays().base


def forget_index() -> None:
    _cache.clear()
