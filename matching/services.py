"""The matching service: compute suggestions and store them; people's signals on them.

Suggestions are replaced atomically: each mission (volunteer) recomputed has its whole
top-k rewritten as one row (:class:`matching.models.SuggestionList`, unique per owner),
so a reader sees the old list or the new one, never a mix, and a pair is never stored
twice. Staff proposals live apart (:class:`matching.models.Proposal`) and so stay
across recomputations; :mod:`matching.selectors` reads both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import log_action
from core.permissions import Actor, require, require_staff_for
from missions.models import Application, Mission
from volunteers.models import VolunteerProfile

from . import engine, storage
from .adapter import (
    LoadedIndex,
    excluded_pairs,
    load_missions,
    load_volunteers,
    open_missions,
)
from .current import CurrentArrays, current_arrays, current_index, forget_index
from .models import HiddenSuggestion, Proposal, SuggestionList
from .selectors import stored_pair

__all__ = ["current_arrays", "current_index", "forget_index"]

Direction = SuggestionList.Direction


def _still_allowed(loaded: LoadedIndex, volunteers: np.ndarray, missions: np.ndarray) -> np.ndarray:
    """Mask of the pairs still allowed: drop those that changed since the arrays were
    loaded (an application or a hidden suggestion made meanwhile, a mission closed
    meanwhile). Hard filters hold even then."""
    v_pks = loaded.volunteer_ids[volunteers]
    m_pks = loaded.mission_ids[missions]
    # Many rows are read by primary-key range, not by a list of thousands of keys (whose
    # parsing costs more than reading a few extra rows); the masks below are exact.
    unique_m = np.unique(m_pks)
    if len(unique_m) > 1000:
        missions_read = {"pk__gte": int(unique_m[0]), "pk__lte": int(unique_m[-1])}
    else:
        missions_read = {"pk__in": unique_m.tolist()}
    open_pks = np.fromiter(
        open_missions().filter(**missions_read).values_list("pk", flat=True), dtype=np.int64
    )
    keep = np.isin(m_pks, open_pks)
    # Look the pairs up from the narrower side: a chunk of volunteers reaches most
    # missions, and every application to them is not worth reading.
    if v_pks.max() - v_pks.min() < m_pks.max() - m_pks.min():
        narrow = {"volunteer_id__gte": int(v_pks.min()), "volunteer_id__lte": int(v_pks.max())}
    else:
        narrow = {"mission_id__gte": int(m_pks.min()), "mission_id__lte": int(m_pks.max())}
    taken = [
        v << 32 | m
        for model in (Application, HiddenSuggestion)
        for v, m in model.objects.filter(**narrow).values_list("volunteer_id", "mission_id")
    ]
    if taken:
        keep &= ~np.isin(v_pks << 32 | m_pks, np.array(taken, dtype=np.int64))
    return keep


def _lists(
    loaded: LoadedIndex, topk: engine.TopK | None, direction: str
) -> list[tuple[int, int, bytes]]:
    """``(owner pk, size, items)`` of each owner of ``topk`` left with a suggestion."""
    if topk is None or not len(topk.items):
        return []
    owners, items = topk.pairs()
    if direction == Direction.FOR_MISSION:
        missions, volunteers = owners, items
    else:
        volunteers, missions = owners, items
    keep = _still_allowed(loaded, volunteers, missions)
    # Ranks stay those of the engine: a pair dropped here leaves a gap, filled next run.
    ranks = topk.ranks()[keep]
    missions, volunteers = missions[keep], volunteers[keep]
    mission_pks, volunteer_pks = loaded.mission_ids[missions], loaded.volunteer_ids[volunteers]
    owner_pks, other_pks = (
        (mission_pks, volunteer_pks)
        if direction == Direction.FOR_MISSION
        else (volunteer_pks, mission_pks)
    )
    details = engine.pair_details(loaded.index, volunteers, missions)
    return list(storage.encode(owner_pks, other_pks, ranks, details, loaded.skill_pks))


def _members(items: bytes) -> tuple[list[int], list[float], float]:
    """The other side's keys, their scores and the lowest score of a stored list."""
    stored = storage.decode(items)
    return stored.others, stored.scores, stored.floor


@transaction.atomic
def _replace(direction: str, owner_pks: Sequence[int], lists: list[tuple[int, int, bytes]]) -> int:
    """Store these owners' new lists; an owner left without any loses its list."""
    owner_field = "mission" if direction == Direction.FOR_MISSION else "volunteer"
    if len(owner_pks) > 100:
        _no_disk_wait()
    kept = {owner for owner, _size, _items in lists}
    SuggestionList.objects.filter(
        **{f"{owner_field}_id__in": [pk for pk in owner_pks if pk not in kept]}
    ).delete()
    _upsert(owner_field, lists)
    return sum(size for _owner, size, _items in lists)


def _upsert(owner_field: str, lists: list[tuple[int, int, bytes]]) -> None:
    """Insert or replace these lists. An upsert, not a delete and an insert: two runs
    replacing the same list at once (a refresh during the nightly recompute) must not
    collide on the owner's unique key."""
    now = timezone.now()
    rows = [(owner, size, items, *_members(items)) for owner, size, items in lists]
    if connection.vendor == "postgresql" and len(rows) > COPY_FROM:
        _upsert_copied(owner_field, rows, now)
        return
    SuggestionList.objects.bulk_create(
        [
            SuggestionList(
                **{f"{owner_field}_id": owner},
                size=size,
                items=items,
                others=others,
                scores=scores,
                floor=floor,
                engine_version=engine.ENGINE_VERSION,
                computed_at=now,
            )
            for owner, size, items, others, scores, floor in rows
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=[owner_field],
        update_fields=[
            "size",
            "items",
            "others",
            "scores",
            "floor",
            "engine_version",
            "computed_at",
        ],
    )


# From how many lists a replacement goes through COPY on PostgreSQL (a nightly chunk).
COPY_FROM = 100


def _upsert_copied(
    owner_field: str,
    rows: list[tuple[int, int, bytes, list[int], list[float], float]],
    now: dt.datetime,
) -> None:
    """The upsert of many lists on PostgreSQL: COPY them (binary) into a temporary
    table, then one INSERT ... ON CONFLICT from it, a third faster than a multi-row
    INSERT of thousands of parameters."""
    table = connection.ops.quote_name(SuggestionList._meta.db_table)
    owner = connection.ops.quote_name(f"{owner_field}_id")
    with connection.cursor() as cursor:
        # Dropped at commit; an earlier replacement in the same transaction left it.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.incoming_lists")
        cursor.execute(
            "CREATE TEMPORARY TABLE incoming_lists"
            " (owner bigint, size smallint, items bytea, others text, scores text,"
            " floor float8)"
            " ON COMMIT DROP"
        )
        # Uncompressed here, so that the table compresses them its own way (lz4): a
        # value compressed here would be stored as it is, with the slower default.
        cursor.execute("ALTER TABLE incoming_lists ALTER COLUMN items SET STORAGE EXTERNAL")
        with cursor.copy("COPY incoming_lists FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int2", "bytea", "text", "text", "float8"])
            for owner_pk, size, items, others, scores, floor in rows:
                copy.write_row(
                    (owner_pk, size, items, _json_list(others), _json_list(scores), floor)
                )
        cursor.execute(
            f"INSERT INTO {table} ({owner}, size, items, others, scores, floor,"
            " engine_version, computed_at)"
            " SELECT owner, size, items, others::jsonb, scores::jsonb, floor, %s, %s"
            " FROM incoming_lists"
            f" ON CONFLICT ({owner}) DO UPDATE SET size = EXCLUDED.size,"
            " items = EXCLUDED.items, others = EXCLUDED.others, scores = EXCLUDED.scores,"
            " floor = EXCLUDED.floor,"
            " engine_version = EXCLUDED.engine_version, computed_at = EXCLUDED.computed_at",
            [engine.ENGINE_VERSION, now],
        )


def _json_list(values: list[int] | list[float]) -> str:
    return "[" + ",".join(map(str, values)) + "]"


# Owners computed and stored this many at a time: a chunk of the national recompute
# (125,000 volunteers) would otherwise hold the details of its six million pairs at once.
OWNERS_AT_ONCE = 20_000


def _in_parts(pks: Sequence[int]) -> Iterator[Sequence[int]]:
    for at in range(0, len(pks), OWNERS_AT_ONCE):
        yield pks[at : at + OWNERS_AT_ONCE]


def suggestions_compute_missions(loaded: LoadedIndex, mission_pks: Sequence[int]) -> int:
    """Recompute and store the top volunteers of these missions; closed ones lose theirs."""
    return _compute(
        loaded, mission_pks, Direction.FOR_MISSION, loaded.mission_index, engine.recompute_missions
    )


def suggestions_compute_volunteers(loaded: LoadedIndex, volunteer_pks: Sequence[int]) -> int:
    """Recompute and store the top missions of these volunteers; hidden ones lose theirs."""
    return _compute(
        loaded,
        volunteer_pks,
        Direction.FOR_VOLUNTEER,
        loaded.volunteer_index,
        engine.recompute_volunteers,
    )


def _compute(
    loaded: LoadedIndex,
    owner_pks: Sequence[int],
    direction: str,
    position_of: Callable[[int], int | None],
    recompute: Callable[[engine.MatchingIndex, list[int], int], engine.TopK],
) -> int:
    """Score and store the lists of these owners, ``OWNERS_AT_ONCE`` at a time; an owner
    the arrays do not hold (closed, hidden) gets an empty list."""
    written = 0
    for part in _in_parts(owner_pks):
        known = [p for p in (position_of(pk) for pk in part) if p is not None]
        topk = recompute(loaded.index, known, settings.MATCHING_TOP_K) if known else None
        written += _replace(direction, part, _lists(loaded, topk, direction))
        _reclaim_replaced_lists(len(part))
    return written


# How many lists this process replaces between two VACUUMs of the table (each reads
# every index of the table, however few rows it frees): a part of a nightly chunk.
RECLAIM_EVERY = OWNERS_AT_ONCE
_replaced_since_vacuum = 0


def _reclaim_replaced_lists(replaced: int) -> None:
    """Make the room of the lists replaced so far reusable by the next ones (PostgreSQL),
    once ``RECLAIM_EVERY`` have been.

    A full recompute rewrites every list; each old version would otherwise keep its
    room until the recompute ends, and the table would settle at twice its live size.
    A plain VACUUM blocks no reader or writer; SKIP_LOCKED leaves the table to another
    worker's VACUUM already at it."""
    global _replaced_since_vacuum
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    _replaced_since_vacuum += replaced
    if _replaced_since_vacuum < RECLAIM_EVERY:
        return
    _replaced_since_vacuum = 0
    table = connection.ops.quote_name(SuggestionList._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (SKIP_LOCKED) {table}")


def suggestions_drop_out_of_scope() -> int:
    """Delete the lists of missions no longer open and of volunteers no longer visible.

    A refresh empties the list of the one mission (volunteer) it finds closed, and
    readers skip such lists anyway; this is the nightly sweep of the others, so that the
    table holds the lists of today's open missions and visible volunteers only."""
    # Anti-joins (NOT EXISTS), not NOT IN: PostgreSQL cannot hash a million keys of a
    # NOT IN subquery within its working memory, and would compare row by row.
    for_closed_missions = SuggestionList.objects.filter(mission__isnull=False).exclude(
        Exists(open_missions().filter(pk=OuterRef("mission_id")))
    )
    for_hidden_volunteers = SuggestionList.objects.filter(volunteer__isnull=False).exclude(
        Exists(VolunteerProfile.objects.visible().filter(pk=OuterRef("volunteer_id")))
    )
    return for_closed_missions.delete()[0] + for_hidden_volunteers.delete()[0]


# --- One mission or one volunteer changed: both directions, incrementally -----------------


@dataclasses.dataclass(eq=False)
class _Scored:
    """One mission (volunteer) scored against every allowed row of the other side: the
    base rows not changed since they were loaded, and the changed rows read fresh, each
    pair from the index it was scored in."""

    owner_is_mission: bool
    indexes: list[engine.MatchingIndex]
    origin: np.ndarray  # which of ``indexes`` each pair was scored in
    position: np.ndarray  # the other side's index there
    pks: np.ndarray  # the other side's primary key
    scores: np.ndarray

    def details(self, selected: np.ndarray) -> engine.PairDetails:
        """The explanation facts of the pairs at ``selected``, in that order."""
        parts, order = [], []
        for origin, index in enumerate(self.indexes):
            here = selected[self.origin[selected] == origin]
            if not len(here):
                continue
            zero = np.zeros(len(here), dtype=np.int64)
            position = self.position[here]
            volunteers, missions = (position, zero) if self.owner_is_mission else (zero, position)
            parts.append(engine.pair_details(index, volunteers, missions))
            order.append(np.flatnonzero(self.origin[selected] == origin))
        joined = _concat_details(parts)
        return _take_details(joined, np.argsort(np.concatenate(order), kind="stable"))


_PAIR_FIELDS = [
    f.name
    for f in dataclasses.fields(engine.PairDetails)
    if not f.name.startswith("entry_") and f.name != "weights"
]
_ENTRY_FIELDS = [
    f.name for f in dataclasses.fields(engine.PairDetails) if f.name.startswith("entry_")
]


def _concat_details(parts: list[engine.PairDetails]) -> engine.PairDetails:
    if len(parts) == 1:
        return parts[0]
    offsets = np.cumsum([0] + [len(part.scores) for part in parts[:-1]])
    values = {name: np.concatenate([getattr(p, name) for p in parts]) for name in _PAIR_FIELDS}
    for name in _ENTRY_FIELDS:
        values[name] = np.concatenate([getattr(p, name) for p in parts])
    values["entry_pair"] = np.concatenate(
        [p.entry_pair + offset for p, offset in zip(parts, offsets, strict=True)]
    )
    return engine.PairDetails(**values, weights=parts[0].weights)


def _take_details(details: engine.PairDetails, positions: np.ndarray) -> engine.PairDetails:
    """The pairs at ``positions`` (in that order), with their skill entries."""
    counts = np.bincount(details.entry_pair, minlength=len(details.scores))
    ends = np.cumsum(counts)
    starts = ends - counts
    entries = np.concatenate(
        [np.arange(starts[i], ends[i]) for i in positions.tolist()] or [np.zeros(0, np.int64)]
    ).astype(np.int64)
    values = {name: getattr(details, name)[positions] for name in _PAIR_FIELDS}
    for name in _ENTRY_FIELDS:
        values[name] = getattr(details, name)[entries]
    values["entry_pair"] = np.repeat(np.arange(len(positions), dtype=np.int64), counts[positions])
    return engine.PairDetails(**values, weights=details.weights)


def _score_mission(
    arrays: CurrentArrays, ids: np.ndarray, mission: engine.MissionArrays
) -> _Scored:
    base = arrays.base
    excluded = excluded_pairs(base.volunteer_ids, ids)
    stale = arrays.stale_volunteers()  # scored from their fresh rows below
    ex_v = np.concatenate([excluded[0] if excluded else np.zeros(0, np.int64), stale])
    ex_m = np.zeros(len(ex_v), dtype=np.int64)
    index = base.index.with_missions(mission, excluded=(ex_v, ex_m))
    parts = [(index, base.volunteer_ids)]
    if arrays.volunteers is not None and len(arrays.volunteer_ids):
        changed = index.with_volunteers(
            arrays.volunteers, excluded=excluded_pairs(arrays.volunteer_ids, ids)
        )
        parts.append((changed, arrays.volunteer_ids))
    return _scored(True, parts)


def _score_volunteer(
    arrays: CurrentArrays, ids: np.ndarray, volunteer: engine.VolunteerArrays
) -> _Scored:
    base = arrays.base
    excluded = excluded_pairs(ids, base.mission_ids)
    stale = arrays.stale_missions()
    ex_m = np.concatenate([excluded[1] if excluded else np.zeros(0, np.int64), stale])
    ex_v = np.zeros(len(ex_m), dtype=np.int64)
    index = base.index.with_volunteers(volunteer, excluded=(ex_v, ex_m))
    parts = [(index, base.mission_ids)]
    if arrays.missions is not None and len(arrays.mission_ids):
        changed = index.with_missions(
            arrays.missions, excluded=excluded_pairs(ids, arrays.mission_ids)
        )
        parts.append((changed, arrays.mission_ids))
    return _scored(False, parts)


def _scored(
    owner_is_mission: bool, parts: list[tuple[engine.MatchingIndex, np.ndarray]]
) -> _Scored:
    origin, position, pks, scores = [], [], [], []
    for i, (index, other_ids) in enumerate(parts):
        found = (
            engine.score_mission(index, 0) if owner_is_mission else engine.score_volunteer(index, 0)
        )
        at = found.volunteers if owner_is_mission else found.missions
        origin.append(np.full(len(at), i, dtype=np.int64))
        position.append(at)
        pks.append(other_ids[at])
        scores.append(found.scores)
    return _Scored(
        owner_is_mission,
        [index for index, _ids in parts],
        np.concatenate(origin),
        np.concatenate(position),
        np.concatenate(pks).astype(np.int64),
        np.concatenate(scores),
    )


def _own_list(
    owner_pk: int, scored: _Scored, skill_pks: np.ndarray
) -> list[tuple[int, int, bytes]]:
    """The refreshed owner's own list: its best k, best first."""
    if not len(scored.pks):
        return []
    ties = engine.tie_key(np.full(len(scored.pks), owner_pk), scored.pks)
    best = np.lexsort((ties, -scored.scores.astype(np.float64)))[: settings.MATCHING_TOP_K]
    details = scored.details(best)
    owners = np.full(len(best), owner_pk, dtype=np.int64)
    ranks = np.arange(1, len(best) + 1)
    return list(storage.encode(owners, scored.pks[best], ranks, details, skill_pks))


def _lists_holding(owner_field: str, pk: int) -> dict[int, float | None]:
    """The owners (of ``owner_field``'s side) whose stored list holds ``pk``, with the
    score it has there (None for a list stored without its scores)."""
    column = connection.ops.quote_name(f"{owner_field}_id")
    table = connection.ops.quote_name(SuggestionList._meta.db_table)
    if connection.vendor == "postgresql":  # one query, through the GIN index of ``others``
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column}, (scores ->> (member.at - 1)::int)::float8 FROM {table}"
                " CROSS JOIN LATERAL jsonb_array_elements(others) WITH ORDINALITY"
                " AS member(other, at)"
                f" WHERE {column} IS NOT NULL AND others @> %s::jsonb"
                " AND member.other = %s::jsonb",
                [f"[{pk}]", str(pk)],
            )
            return dict(cursor.fetchall())
    held: dict[int, float | None] = {}
    rows = SuggestionList.objects.filter(**{f"{owner_field}__isnull": False})
    for owner, others, scores in rows.values_list(f"{owner_field}_id", "others", "scores"):
        if pk in others:
            at = others.index(pk)
            held[owner] = scores[at] if at < len(scores) else None
    return held


def _floors(owner_field: str, pks: np.ndarray) -> dict[int, tuple[int, float]]:
    """``{owner: (size, lowest score)}`` of the stored lists of these owners."""
    column = connection.ops.quote_name(f"{owner_field}_id")
    table = connection.ops.quote_name(SuggestionList._meta.db_table)
    found: dict[int, tuple[int, float]] = {}
    if connection.vendor == "postgresql":  # one array parameter, not thousands
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column}, size, floor FROM {table} WHERE {column} = ANY(%s)",
                [pks.tolist()],
            )
            return {owner: (size, floor) for owner, size, floor in cursor.fetchall()}
    for a in range(0, len(pks), 500):
        rows = SuggestionList.objects.filter(**{f"{owner_field}_id__in": pks[a : a + 500].tolist()})
        for owner, size, floor in rows.values_list(f"{owner_field}_id", "size", "floor"):
            found[owner] = (size, floor)
    return found


Refill = Callable[[list[int]], None]


@transaction.atomic
def _merge_into_lists(
    owner_field: str,
    pk: int,
    scored: _Scored | None,
    skill_pks: np.ndarray,
    refill: Refill | None = None,
) -> int:
    """Enter ``pk`` (the refreshed mission or volunteer) into the other side's lists it
    now belongs to, and take it out of those it left: only the lists concerned are read,
    only those that change are written, each keeping its best k. ``scored`` None: it
    belongs to none. The owners whose list this shrinks below ``MATCHING_REFILL_BELOW``
    are given to ``refill`` (to compute theirs again). Returns the number of lists
    written."""
    k = settings.MATCHING_TOP_K
    holding = _lists_holding(owner_field, pk)
    now: dict[int, tuple[float, int]] = {}  # owner → (score, position in scored)
    if scored is not None and len(scored.pks):
        floors = _floors(owner_field, scored.pks)
        size_floor = np.array([floors.get(o, (0, 0.0)) for o in scored.pks.tolist()])
        beats = (size_floor[:, 0] < k) | (scored.scores > size_floor[:, 1])
        # A list holding it keeps it with its new score (it may now rank elsewhere).
        beats |= np.isin(scored.pks, np.fromiter(holding, dtype=np.int64, count=len(holding)))
        for i in np.flatnonzero(beats).tolist():
            now[int(scored.pks[i])] = (float(scored.scores[i]), i)
    # The lists holding it with the score it has now stay as they are.
    changed = sorted(
        [o for o, score in holding.items() if o not in now or not _same(score, now[o][0])]
        + [o for o in now if o not in holding]
    )
    if not changed:
        return 0
    new: dict[int, storage.StoredList] = {}
    entering = np.array([now[o][1] for o in changed if o in now], dtype=np.int64)
    if len(entering):
        assert scored is not None
        details = scored.details(entering)  # owners in increasing order, as encode wants
        for owner, _size, items in storage.encode(
            scored.pks[entering],
            np.full(len(entering), pk),
            np.zeros(len(entering)),
            details,
            skill_pks,
        ):
            new[owner] = storage.decode(items)
    rows = SuggestionList.objects.select_for_update().filter(**{f"{owner_field}_id__in": changed})
    current = {
        owner: storage.decode(items)
        for owner, items in rows.order_by("pk").values_list(f"{owner_field}_id", "items")
    }
    weights = next(iter(new.values())).weights if new else np.zeros(0, np.float32)
    lists, emptied, shrunk = [], [], []
    below = settings.MATCHING_REFILL_BELOW
    for owner in changed:
        before = current.get(owner)
        if before is None:
            before = storage.StoredList.empty(weights)
        after = before.merged(owner=owner, drop=pk, add=new.get(owner), k=k)
        if len(after) < below <= len(before):
            shrunk.append(owner)
        if len(after):
            lists.append((owner, len(after), after.tobytes()))
        elif owner in current:
            emptied.append(owner)
    SuggestionList.objects.filter(**{f"{owner_field}_id__in": emptied}).delete()
    _upsert(owner_field, lists)
    if shrunk and refill is not None:
        refill(shrunk)
    return len(lists) + len(emptied)


def _same(held: float | None, score: float) -> bool:
    return held is not None and abs(held - score) < storage.SCORE_TOLERANCE


def _until_settled(refresh: Callable[[CurrentArrays], int]) -> int:
    """Run ``refresh(arrays)`` again while changes were logged during it (at most
    twice more): a list written from arrays that missed a change that another refresh
    had just merged is then written again with it."""
    for _attempt in range(3):
        arrays = current_arrays()
        with transaction.atomic():
            _no_disk_wait()
            written = refresh(arrays)
        if not arrays.catch_up():
            break
    return written


def _no_disk_wait() -> None:
    """Suggestions are recomputed from the data: a crash may lose the last moments of a
    refresh, never anything else, so its commit need not wait for the disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def suggestion_refresh_mission(mission_pk: int, *, refill: Refill | None = None) -> int:
    """One mission against every volunteer, both ways, within milliseconds: its own
    list, and the volunteers' lists it enters or leaves (a mission closed or full leaves
    them all; ``refill`` gets the volunteers whose list it shrank). Returns the size of
    its own list."""

    def refresh(arrays: CurrentArrays) -> int:
        ids, mission = load_missions(arrays.base.positions, pks=[mission_pk])
        skill_pks = arrays.base.skill_pks
        if not len(ids):  # closed or full: no list of its own, in nobody's list
            written = _replace(Direction.FOR_MISSION, [mission_pk], [])
            _merge_into_lists("volunteer", mission_pk, None, skill_pks, refill)
            return written
        scored = _score_mission(arrays, ids, mission)
        written = _replace(
            Direction.FOR_MISSION, [mission_pk], _own_list(mission_pk, scored, skill_pks)
        )
        _merge_into_lists("volunteer", mission_pk, scored, skill_pks, refill)
        return written

    return _until_settled(refresh)


def suggestion_refresh_volunteer(volunteer_pk: int, *, refill: Refill | None = None) -> int:
    """One volunteer against every open mission, both ways: their own list, and the
    missions' lists they enter or leave (a hidden profile leaves them all; ``refill``
    gets the missions whose list it shrank)."""

    def refresh(arrays: CurrentArrays) -> int:
        ids, volunteer = load_volunteers(arrays.base.positions, pks=[volunteer_pk])
        skill_pks = arrays.base.skill_pks
        if not len(ids) or not volunteer.visible[0]:
            written = _replace(Direction.FOR_VOLUNTEER, [volunteer_pk], [])
            _merge_into_lists("mission", volunteer_pk, None, skill_pks, refill)
            return written
        scored = _score_volunteer(arrays, ids, volunteer)
        written = _replace(
            Direction.FOR_VOLUNTEER, [volunteer_pk], _own_list(volunteer_pk, scored, skill_pks)
        )
        _merge_into_lists("mission", volunteer_pk, scored, skill_pks, refill)
        return written

    return _until_settled(refresh)


# --- People in the loop -----------------------------------------------------------------


@transaction.atomic
def suggestion_hide(
    *, mission_id: int, volunteer_id: int, actor: Actor, reason: str, comment: str = ""
) -> HiddenSuggestion:
    """The association says a volunteer is not relevant: never suggested again for it.

    The stored lists keep the pair until their next computation; readers skip it."""
    mission = Mission.objects.select_related("association").get(pk=mission_id)
    require(
        mission.association.has_member(actor),
        _("Seuls les membres de l'association peuvent écarter une suggestion."),
    )
    if reason not in HiddenSuggestion.Reason.values:
        raise ValidationError({"reason": _("Choisissez un motif dans la liste.")})
    suggested = stored_pair(mission_id=mission_id, volunteer_id=volunteer_id)
    hidden, created = HiddenSuggestion.objects.get_or_create(
        mission_id=mission_id,
        volunteer_id=volunteer_id,
        defaults={
            "reason": reason,
            "comment": comment.strip(),
            "hidden_by": actor,
            "factors": suggested.factors if suggested else {},
        },
    )
    Proposal.objects.filter(mission_id=mission_id, volunteer_id=volunteer_id).delete()
    if created:
        log_action(hidden, "suggestion.hide", actor=actor, data={"reason": reason})
    return hidden


def suggestion_check_proposal(
    *, mission: Mission, volunteer: VolunteerProfile, actor: Actor | None, note: str
) -> None:
    """Refuse a proposal that cannot be made, with a message for the form."""
    require_staff_for(actor, mission.departement_id or mission.association.departement_id)
    if not (note or "").strip():
        raise ValidationError(
            {"note": _("Expliquez en une phrase pourquoi vous proposez ce bénévole.")}
        )
    if not mission.is_open_for_applications():
        raise ValidationError({"mission": _("Cette mission n'accepte plus de candidatures.")})
    if Application.objects.filter(mission=mission, volunteer=volunteer).exists():
        raise ValidationError({"volunteer": _("Ce bénévole a déjà candidaté à cette mission.")})
    if HiddenSuggestion.objects.filter(mission=mission, volunteer=volunteer).exists():
        raise ValidationError(
            {"volunteer": _("L'association a écarté ce bénévole pour cette mission.")}
        )


@transaction.atomic
def suggestion_propose(*, mission_id: int, volunteer_id: int, actor: Actor, note: str) -> Proposal:
    """Staff (or a referent of the mission's territory) propose a volunteer by hand; a
    second proposal of the same pair replaces the first one's note."""
    mission = Mission.objects.select_related("association").get(pk=mission_id)
    volunteer = VolunteerProfile.objects.get(pk=volunteer_id)
    suggestion_check_proposal(mission=mission, volunteer=volunteer, actor=actor, note=note)
    note = note.strip()
    proposal, _created = Proposal.objects.update_or_create(
        mission=mission, volunteer=volunteer, defaults={"note": note, "proposed_by": actor}
    )
    log_action(proposal, "suggestion.propose", actor=actor, data={"note": note})
    return proposal
