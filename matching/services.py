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
import time
from collections.abc import Sequence

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
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
    load_index,
    load_missions,
    load_volunteers,
    open_missions,
)
from .models import HiddenSuggestion, Proposal, SuggestionList
from .selectors import stored_pair

Direction = SuggestionList.Direction

# This process's copy of the engine's arrays and when it was loaded (monotonic clock).
_cache: dict[str, tuple[LoadedIndex, float]] = {}


def current_index(*, max_age: float | None = None) -> LoadedIndex:
    """The engine's arrays, reloaded from the database when older than ``max_age`` s.

    Each process (web server, Celery worker) keeps its own copy: loading 100,000
    volunteers takes seconds, scoring one mission against them milliseconds. The mission
    or volunteer being refreshed is always read fresh (``suggestion_refresh_mission``).
    """
    max_age = settings.MATCHING_INDEX_MAX_AGE if max_age is None else max_age
    cached = _cache.get("index")
    if cached is None or time.monotonic() - cached[1] > max_age:
        cached = (load_index(), time.monotonic())
        _cache["index"] = cached
    return cached[0]


def forget_index() -> None:
    _cache.clear()


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


@transaction.atomic
def _replace(direction: str, owner_pks: Sequence[int], lists: list[tuple[int, int, bytes]]) -> int:
    """Store these owners' new lists; an owner left without any loses its list."""
    owner_field = "mission" if direction == Direction.FOR_MISSION else "volunteer"
    if connection.vendor == "postgresql" and len(owner_pks) > 100:
        # Suggestions are recomputed from the data: a crash may lose the last moments of
        # a recompute, never anything else, so its commits need not wait for the disk.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    kept = {owner for owner, _size, _items in lists}
    SuggestionList.objects.filter(
        **{f"{owner_field}_id__in": [pk for pk in owner_pks if pk not in kept]}
    ).delete()
    now = timezone.now()
    # An upsert, not a delete and an insert: two runs replacing the same list at once
    # (a refresh during the nightly recompute) must not collide on the owner's unique key.
    if connection.vendor == "postgresql" and len(lists) > COPY_FROM:
        _upsert_copied(owner_field, lists, now)
    else:
        SuggestionList.objects.bulk_create(
            [
                SuggestionList(
                    **{f"{owner_field}_id": owner},
                    size=size,
                    items=items,
                    engine_version=engine.ENGINE_VERSION,
                    computed_at=now,
                )
                for owner, size, items in lists
            ],
            batch_size=500,
            update_conflicts=True,
            unique_fields=[owner_field],
            update_fields=["size", "items", "engine_version", "computed_at"],
        )
    return sum(size for _owner, size, _items in lists)


# From how many lists a replacement goes through COPY on PostgreSQL (a nightly chunk).
COPY_FROM = 100


def _upsert_copied(owner_field: str, lists: list[tuple[int, int, bytes]], now: dt.datetime) -> None:
    """The upsert of many lists on PostgreSQL: COPY them (binary) into a temporary
    table, then one INSERT ... ON CONFLICT from it, a third faster than a multi-row
    INSERT of thousands of parameters."""
    table = connection.ops.quote_name(SuggestionList._meta.db_table)
    owner = connection.ops.quote_name(f"{owner_field}_id")
    with connection.cursor() as cursor:
        # Dropped at commit; an earlier replacement in the same transaction left it.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.incoming_lists")
        cursor.execute(
            "CREATE TEMPORARY TABLE incoming_lists (owner bigint, size smallint, items bytea)"
            " ON COMMIT DROP"
        )
        # Uncompressed here, so that the table compresses them its own way (lz4): a
        # value compressed here would be stored as it is, with the slower default.
        cursor.execute("ALTER TABLE incoming_lists ALTER COLUMN items SET STORAGE EXTERNAL")
        with cursor.copy("COPY incoming_lists FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int2", "bytea"])
            for row in lists:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({owner}, size, items, engine_version, computed_at)"
            " SELECT owner, size, items, %s, %s FROM incoming_lists"
            f" ON CONFLICT ({owner}) DO UPDATE SET size = EXCLUDED.size,"
            " items = EXCLUDED.items, engine_version = EXCLUDED.engine_version,"
            " computed_at = EXCLUDED.computed_at",
            [engine.ENGINE_VERSION, now],
        )


def suggestions_compute_missions(loaded: LoadedIndex, mission_pks: Sequence[int]) -> int:
    """Recompute and store the top volunteers of these missions; closed ones lose theirs."""
    positions = [loaded.mission_index(pk) for pk in mission_pks]
    open_positions = [p for p in positions if p is not None]
    topk = (
        engine.recompute_missions(loaded.index, open_positions, settings.MATCHING_TOP_K)
        if open_positions
        else None
    )
    return _replace(Direction.FOR_MISSION, mission_pks, _lists(loaded, topk, Direction.FOR_MISSION))


def suggestions_compute_volunteers(loaded: LoadedIndex, volunteer_pks: Sequence[int]) -> int:
    positions = [loaded.volunteer_index(pk) for pk in volunteer_pks]
    known = [p for p in positions if p is not None]
    topk = (
        engine.recompute_volunteers(loaded.index, known, settings.MATCHING_TOP_K) if known else None
    )
    lists = _lists(loaded, topk, Direction.FOR_VOLUNTEER)
    return _replace(Direction.FOR_VOLUNTEER, volunteer_pks, lists)


def suggestions_drop_out_of_scope() -> int:
    """Delete the lists of missions no longer open and of volunteers no longer visible.

    A refresh empties the list of the one mission (volunteer) it finds closed, and
    readers skip such lists anyway; this is the nightly sweep of the others, so that the
    table holds the lists of today's open missions and visible volunteers only."""
    for_closed_missions = SuggestionList.objects.filter(mission__isnull=False).exclude(
        mission__in=open_missions().values("pk")
    )
    for_hidden_volunteers = SuggestionList.objects.filter(volunteer__isnull=False).exclude(
        volunteer__in=VolunteerProfile.objects.visible().values("pk")
    )
    return for_closed_missions.delete()[0] + for_hidden_volunteers.delete()[0]


def suggestion_refresh_mission(mission_pk: int) -> int:
    """One mission against every volunteer, within milliseconds.

    The volunteers' arrays of this process are reused (at most ``MATCHING_INDEX_MAX_AGE``
    old: a volunteer who joined since waits for the next reload); the mission and the
    pairs excluded for it are read fresh, so a just-published mission is found.
    """
    loaded = current_index()
    ids, arrays = load_missions(loaded.positions, pks=[mission_pk])
    if not len(ids):  # closed or full: it keeps no suggestion
        return _replace(Direction.FOR_MISSION, [mission_pk], [])
    index = loaded.index.with_missions(arrays, excluded=excluded_pairs(loaded.volunteer_ids, ids))
    view = dataclasses.replace(loaded, index=index, mission_ids=ids)
    topk = engine.recompute_missions(index, [0], settings.MATCHING_TOP_K)
    return _replace(Direction.FOR_MISSION, [mission_pk], _lists(view, topk, Direction.FOR_MISSION))


def suggestion_refresh_volunteer(volunteer_pk: int) -> int:
    """One volunteer against every open mission; the missions' arrays are reused."""
    loaded = current_index()
    ids, arrays = load_volunteers(loaded.positions, pks=[volunteer_pk])
    if not len(ids):
        return _replace(Direction.FOR_VOLUNTEER, [volunteer_pk], [])
    index = loaded.index.with_volunteers(arrays, excluded=excluded_pairs(ids, loaded.mission_ids))
    view = dataclasses.replace(loaded, index=index, volunteer_ids=ids)
    topk = engine.recompute_volunteers(index, [0], settings.MATCHING_TOP_K)
    lists = _lists(view, topk, Direction.FOR_VOLUNTEER)
    return _replace(Direction.FOR_VOLUNTEER, [volunteer_pk], lists)


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
