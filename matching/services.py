"""The matching service: compute suggestions and store them; people's signals on them.

Suggestions are replaced atomically: for each mission (volunteer) recomputed, its
engine suggestions are deleted and the new top-k inserted in one transaction, so a
reader sees the old list or the new one, never a mix, and a pair is never stored twice
(a unique constraint backs this). Staff proposals are kept across recomputations.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import log_action
from core.permissions import require, require_staff_for
from missions.models import Application, Mission
from volunteers.models import VolunteerProfile

from . import engine
from .adapter import (
    LoadedIndex,
    excluded_pairs,
    load_index,
    load_missions,
    load_volunteers,
    open_missions,
)
from .explain import explain_details
from .models import HiddenSuggestion, Suggestion
from .weights import FACTORS

Direction = Suggestion.Direction

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


def _still_allowed(loaded: LoadedIndex, volunteers, missions):
    """Drop pairs that changed since the arrays were loaded: an application or a hidden
    suggestion made meanwhile, a mission closed meanwhile. Hard filters hold even then."""
    mission_pks = set(loaded.mission_ids[missions].tolist())
    volunteer_pks = set(loaded.volunteer_ids[volunteers].tolist())
    open_pks = set(open_missions().filter(pk__in=mission_pks).values_list("pk", flat=True))
    # Look the pairs up from the narrower side: a chunk of volunteers reaches most
    # missions, and every application to them is not worth reading.
    if len(volunteer_pks) < len(mission_pks):
        narrow = {"volunteer_id__in": volunteer_pks}
    else:
        narrow = {"mission_id__in": mission_pks}
    taken = set()
    for model in (Application, HiddenSuggestion):
        taken.update(model.objects.filter(**narrow).values_list("volunteer_id", "mission_id"))
    keep = [
        i
        for i, (v, m) in enumerate(
            zip(
                loaded.volunteer_ids[volunteers].tolist(),
                loaded.mission_ids[missions].tolist(),
                strict=True,
            )
        )
        if m in open_pks and (v, m) not in taken
    ]
    return np.array(keep, dtype=np.int64)


# Columns written for each computed suggestion, in this order.
COLUMNS = (
    "direction",
    "mission_id",
    "volunteer_id",
    "source",
    "rank",
    "score",
    "factors",
    "explanation_fr",
    "explanation_en",
    "note",
    "engine_version",
    "computed_at",
)


# Suggestion.factors as JSON text, formatted directly: json.dumps costs more than the
# scoring for millions of rows. repr() of a float is its JSON form (values are finite).
_FACTORS_JSON = "{" + ", ".join(f'"{name}": %r' for name in FACTORS) + "}"


def _suggestion_rows(loaded: LoadedIndex, topk: engine.TopK, direction: str) -> list[tuple]:
    owners, items = topk.pairs()
    if direction == Direction.FOR_MISSION:
        missions, volunteers = owners, items
    else:
        volunteers, missions = owners, items
    if not len(owners):
        return []
    keep = _still_allowed(loaded, volunteers, missions)
    # Ranks stay those of the engine: a pair dropped here leaves a gap, filled next run.
    ranks = topk.ranks()[keep].tolist()
    missions, volunteers = missions[keep], volunteers[keep]
    scores = np.round(topk.scores[keep].astype(np.float64), 4).tolist()
    details = engine.pair_details(loaded.index, volunteers, missions)
    explanations = explain_details(details, loaded.skill_names)
    factor_values = np.round(np.nan_to_num(details.factors.astype(np.float64)), 3).tolist()
    mission_pks = loaded.mission_ids[missions].tolist()
    volunteer_pks = loaded.volunteer_ids[volunteers].tolist()
    now = timezone.now()
    return [
        (
            direction,
            mission_pks[i],
            volunteer_pks[i],
            Suggestion.Source.ENGINE.value,
            ranks[i],
            scores[i],
            _FACTORS_JSON % tuple(factor_values[i]),
            explanation.text_fr,
            explanation.text_en,
            "",
            engine.ENGINE_VERSION,
            now,
        )
        for i, explanation in enumerate(explanations)
    ]


def _insert(rows: list[tuple]) -> None:
    """Insert suggestion rows: COPY on PostgreSQL for large batches (millions a night),
    one multi-row INSERT otherwise (COPY's round trips cost more for 50 rows)."""
    if connection.vendor == "postgresql" and len(rows) > 1000:
        table = Suggestion._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    Suggestion.objects.bulk_create(
        [
            Suggestion(**dict(zip(COLUMNS, row, strict=True)) | {"factors": json.loads(row[6])})
            for row in rows
        ],
        batch_size=2000,
    )


@transaction.atomic
def _replace(direction: str, owner_field: str, owner_pks: Sequence[int], rows: list[tuple]):
    if connection.vendor == "postgresql" and len(rows) > 1000:
        # Suggestions are recomputed from the data: a crash may lose the last moments of
        # a recompute, never anything else, so its commits need not wait for the disk.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    Suggestion.objects.filter(
        direction=direction,
        source=Suggestion.Source.ENGINE,
        **{f"{owner_field}__in": list(owner_pks)},
    ).delete()
    # A staff proposal of the same pair stays: the engine's copy is dropped.
    proposed = set(
        Suggestion.objects.filter(
            direction=direction,
            source=Suggestion.Source.STAFF,
            **{f"{owner_field}__in": list(owner_pks)},
        ).values_list("mission_id", "volunteer_id")
    )
    if proposed:
        rows = [row for row in rows if (row[1], row[2]) not in proposed]
    _insert(rows)
    return len(rows)


def suggestions_compute_missions(loaded: LoadedIndex, mission_pks: Sequence[int]) -> int:
    """Recompute and store the top volunteers of these missions; closed ones lose theirs."""
    positions = [loaded.mission_index(pk) for pk in mission_pks]
    open_positions = [p for p in positions if p is not None]
    topk = (
        engine.recompute_missions(loaded.index, open_positions, settings.MATCHING_TOP_K)
        if open_positions
        else None
    )
    rows = _suggestion_rows(loaded, topk, Direction.FOR_MISSION) if topk is not None else []
    return _replace(Direction.FOR_MISSION, "mission_id", mission_pks, rows)


def suggestions_compute_volunteers(loaded: LoadedIndex, volunteer_pks: Sequence[int]) -> int:
    positions = [loaded.volunteer_index(pk) for pk in volunteer_pks]
    known = [p for p in positions if p is not None]
    topk = (
        engine.recompute_volunteers(loaded.index, known, settings.MATCHING_TOP_K) if known else None
    )
    rows = _suggestion_rows(loaded, topk, Direction.FOR_VOLUNTEER) if topk is not None else []
    return _replace(Direction.FOR_VOLUNTEER, "volunteer_id", volunteer_pks, rows)


def suggestion_refresh_mission(mission_pk: int) -> int:
    """One mission against every volunteer, within milliseconds.

    The volunteers' arrays of this process are reused (at most ``MATCHING_INDEX_MAX_AGE``
    old: a volunteer who joined since waits for the next reload); the mission and the
    pairs excluded for it are read fresh, so a just-published mission is found.
    """
    loaded = current_index()
    ids, arrays = load_missions(loaded.positions, pks=[mission_pk])
    if not len(ids):  # closed or full: it keeps no suggestion
        return _replace(Direction.FOR_MISSION, "mission_id", [mission_pk], [])
    index = loaded.index.with_missions(arrays, excluded=excluded_pairs(loaded.volunteer_ids, ids))
    view = dataclasses.replace(loaded, index=index, mission_ids=ids)
    topk = engine.recompute_missions(index, [0], settings.MATCHING_TOP_K)
    rows = _suggestion_rows(view, topk, Direction.FOR_MISSION)
    return _replace(Direction.FOR_MISSION, "mission_id", [mission_pk], rows)


def suggestion_refresh_volunteer(volunteer_pk: int) -> int:
    """One volunteer against every open mission; the missions' arrays are reused."""
    loaded = current_index()
    ids, arrays = load_volunteers(loaded.positions, pks=[volunteer_pk])
    if not len(ids):
        return _replace(Direction.FOR_VOLUNTEER, "volunteer_id", [volunteer_pk], [])
    index = loaded.index.with_volunteers(arrays, excluded=excluded_pairs(ids, loaded.mission_ids))
    view = dataclasses.replace(loaded, index=index, volunteer_ids=ids)
    topk = engine.recompute_volunteers(index, [0], settings.MATCHING_TOP_K)
    rows = _suggestion_rows(view, topk, Direction.FOR_VOLUNTEER)
    return _replace(Direction.FOR_VOLUNTEER, "volunteer_id", [volunteer_pk], rows)


# --- People in the loop -----------------------------------------------------------------


@transaction.atomic
def suggestion_hide(*, mission_id: int, volunteer_id: int, actor, reason: str, comment: str = ""):
    """The association says a volunteer is not relevant: never suggested again for it."""
    mission = Mission.objects.select_related("association").get(pk=mission_id)
    require(
        mission.association.has_member(actor),
        _("Seuls les membres de l'association peuvent écarter une suggestion."),
    )
    if reason not in HiddenSuggestion.Reason.values:
        raise ValidationError({"reason": _("Choisissez un motif dans la liste.")})
    suggestion = Suggestion.objects.filter(mission_id=mission_id, volunteer_id=volunteer_id).first()
    hidden, created = HiddenSuggestion.objects.get_or_create(
        mission_id=mission_id,
        volunteer_id=volunteer_id,
        defaults={
            "reason": reason,
            "comment": comment.strip(),
            "hidden_by": actor,
            "factors": suggestion.factors if suggestion else {},
        },
    )
    Suggestion.objects.filter(mission_id=mission_id, volunteer_id=volunteer_id).delete()
    if created:
        log_action(hidden, "suggestion.hide", actor=actor, data={"reason": reason})
    return hidden


def suggestion_check_proposal(*, mission: Mission, volunteer: VolunteerProfile, actor, note: str):
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
def suggestion_propose(*, mission_id: int, volunteer_id: int, actor, note: str) -> Suggestion:
    """Staff (or a referent of the mission's territory) propose a volunteer by hand."""
    mission = Mission.objects.select_related("association").get(pk=mission_id)
    volunteer = VolunteerProfile.objects.get(pk=volunteer_id)
    suggestion_check_proposal(mission=mission, volunteer=volunteer, actor=actor, note=note)
    note = note.strip()
    Suggestion.objects.filter(
        mission=mission, volunteer=volunteer, direction=Direction.FOR_MISSION
    ).delete()
    suggestion = Suggestion.objects.create(
        direction=Direction.FOR_MISSION,
        mission=mission,
        volunteer=volunteer,
        source=Suggestion.Source.STAFF,
        rank=0,
        score=0.0,
        note=note,
        proposed_by=actor,
        engine_version=engine.ENGINE_VERSION,
    )
    log_action(suggestion, "suggestion.propose", actor=actor, data={"note": note})
    return suggestion
