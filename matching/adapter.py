"""Load the matching engine's arrays from the database, in bulk.

One pass of ``values_list`` queries per table (no per-row queries): volunteers and
their skills and causes, the open missions with a free seat and their skills, and the
pairs never to suggest (any application, any suggestion an association hid). Indices
of the engine's arrays follow primary keys in ascending order; ``LoadedIndex`` maps
them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.utils import timezone
from scipy import sparse

from associations.models import Association
from missions.models import Application, Mission, MissionQuerySet, MissionSkill
from taxonomy.models import Cause, Departement, Skill
from volunteers.models import VolunteerProfile, VolunteerSkill

from . import engine
from .models import HiddenSuggestion
from .weights import resolve_params


@dataclass(eq=False)
class LoadedIndex:
    index: engine.MatchingIndex
    volunteer_ids: np.ndarray  # int64, sorted: engine index → VolunteerProfile pk
    mission_ids: np.ndarray  # int64, sorted: engine index → Mission pk
    skill_names: dict[str, list[str]]  # language → skill name by engine skill index
    loaded_at: dt.datetime
    positions: Positions

    def volunteer_index(self, pk: int) -> int | None:
        return _position(self.volunteer_ids, pk)

    def mission_index(self, pk: int) -> int | None:
        return _position(self.mission_ids, pk)

    @property
    def skill_pks(self) -> np.ndarray:
        """Skill primary key by engine skill index."""
        pks = np.zeros(len(self.positions.skills), dtype=np.int64)
        for pk, i in self.positions.skills.items():
            pks[i] = pk
        return pks


SENIORITY_INDEX = {code: i for i, code in enumerate(engine.SENIORITY_CODES)}
LANGUAGE_BIT = {code: 1 << i for i, code in enumerate(engine.LANGUAGE_CODES)}


def _language_mask(codes: Iterable[str] | None) -> int:
    """Unlike engine.language_mask, ignore an unknown code: one bad row must not stop a run."""
    return sum(LANGUAGE_BIT.get(code, 0) for code in set(codes or ()))


def _position(sorted_ids: np.ndarray, pk: int) -> int | None:
    i = int(np.searchsorted(sorted_ids, pk))
    return i if i < len(sorted_ids) and sorted_ids[i] == pk else None


def _positions(sorted_ids: np.ndarray, pks: np.ndarray) -> np.ndarray:
    """Engine indices of ``pks`` (which must all be in ``sorted_ids``)."""
    return np.searchsorted(sorted_ids, np.asarray(pks, dtype=np.int64))


# Rows are turned into arrays this many at a time: a million volunteers (and several
# million of their skills) never sit in memory as Python tuples all at once.
BATCH_ROWS = 100_000


def _batches(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_ROWS)):
        yield batch


def _rows(queryset: QuerySet[Any], *fields: str) -> list[np.ndarray]:
    """The columns of ``fields``, as arrays."""
    parts: list[list[np.ndarray]] = [[] for _ in fields]
    for batch in _batches(queryset.values_list(*fields).iterator(chunk_size=BATCH_ROWS)):
        for part, column in zip(parts, zip(*batch, strict=True), strict=True):
            part.append(np.array(column))
    return [np.concatenate(part) if part else np.array([]) for part in parts]


def load_taxonomy() -> tuple[engine.Taxonomy, dict[int, int], dict[str, list[str]]]:
    skills = list(
        Skill.objects.order_by("pk").values_list("pk", "code", "family__code", "name_fr", "name_en")
    )
    position = {pk: i for i, (pk, *_rest) in enumerate(skills)}
    related = Skill.related.through.objects.values_list("from_skill_id", "to_skill_id")
    codes = {pk: code for pk, code, *_rest in skills}
    taxonomy = engine.Taxonomy.from_codes(
        [(code, family) for _pk, code, family, _fr, _en in skills],
        [(codes[a], codes[b]) for a, b in related],
    )
    names = {
        "fr": [fr for *_rest, fr, _en in skills],
        "en": [en for *_rest, en in skills],
    }
    return taxonomy, position, names


def _company_group(company_id: int | None, parent_id: int | None) -> int:
    """A company and its foundation form one group (the id of the founding company);
    -1 for none."""
    if company_id is None:
        return -1
    return parent_id or company_id


@dataclass(frozen=True)
class Positions:
    """How database rows map to the engine's indices of skills, causes and régions."""

    skills: dict[int, int]
    causes: dict[int, int]
    region_of: dict[int, int]

    @classmethod
    def load(cls, skill_position: dict[int, int]) -> Positions:
        causes = Cause.objects.order_by("pk").values_list("pk", flat=True)
        return cls(
            skills=skill_position,
            causes={pk: i for i, pk in enumerate(causes)},
            region_of=dict(Departement.objects.values_list("pk", "region_id")),
        )


def _volunteer_columns(
    rows: list[tuple[Any, ...]], region_of: dict[int, int]
) -> dict[str, np.ndarray]:
    """The per-volunteer arrays of these rows (the fields of ``load_volunteers``)."""

    def column(
        i: int, convert: Callable[[Any], Any] | None = None, dtype: npt.DTypeLike | None = None
    ) -> np.ndarray:
        values = [row[i] for row in rows]
        return np.array([convert(v) for v in values] if convert else values, dtype=dtype)

    departement = column(12, lambda d: -1 if d is None else d, np.int32)
    return {
        "ids": column(0, None, np.int64),
        "seniority": column(1, lambda s: SENIORITY_INDEX.get(s, -1), np.int8),
        "languages": column(2, _language_mask, np.uint32),
        "formats": np.array(
            [engine.format_mask(row[3], row[4], row[5]) for row in rows], dtype=np.uint8
        ),
        "latitude": column(6, lambda x: np.nan if x is None else x, np.float64),
        "longitude": column(7, lambda x: np.nan if x is None else x, np.float64),
        "max_distance_km": column(8, None, np.float32),
        "available_from": column(9, engine.day, np.int32),
        "available_until": column(10, engine.day, np.int32),
        "hours_per_month": column(11, None, np.float32),
        "departement": departement,
        "region": np.array([region_of.get(d, -1) for d in departement], dtype=np.int32),
        "company_group": np.array(
            [_company_group(row[13], row[16]) for row in rows], dtype=np.int32
        ),
        "visible": np.array([row[14] and row[15] for row in rows], dtype=bool),
    }


def load_volunteers(
    positions: Positions, pks: list[int] | None = None
) -> tuple[np.ndarray, engine.VolunteerArrays]:
    """Every volunteer (or those of ``pks``), ordered by primary key."""
    skill_position, cause_position, region_of = (
        positions.skills,
        positions.causes,
        positions.region_of,
    )
    fields = (
        "pk",
        "seniority",
        "languages",
        "accepts_remote",
        "accepts_on_site",
        "accepts_hybrid",
        "latitude",
        "longitude",
        "max_distance_km",
        "available_from",
        "available_until",
        "hours_per_month",
        "departement_id",
        "employer_id",
        "is_visible",
        "user__is_active",
        "employer__parent_id",
    )
    profiles = VolunteerProfile.objects.order_by("pk")
    if pks is not None:
        profiles = profiles.filter(pk__in=pks)
    batches = [
        _volunteer_columns(rows, region_of)
        for rows in _batches(profiles.values_list(*fields).iterator(chunk_size=BATCH_ROWS))
    ] or [_volunteer_columns([], region_of)]
    columns = {key: np.concatenate([batch[key] for batch in batches]) for key in batches[0]}
    ids = columns.pop("ids")
    n = len(ids)

    profile_ix, skill_pk, level = _rows(
        VolunteerSkill.objects.filter(profile_id__in=pks)
        if pks is not None
        else VolunteerSkill.objects.all(),
        "profile_id",
        "skill_id",
        "level",
    )
    skill_rows = _positions(ids, profile_ix) if n else np.array([], dtype=np.int64)
    skill_cols = np.array([skill_position[s] for s in skill_pk], dtype=np.int64)
    skills = sparse.csr_matrix(
        (level.astype(np.int8), (skill_rows, skill_cols)),
        shape=(n, len(skill_position)),
        dtype=np.int8,
    )
    causes = np.zeros(n, dtype=np.uint64)
    through = VolunteerProfile.causes.through.objects
    links = through.filter(volunteerprofile_id__in=pks) if pks is not None else through.all()
    cause_profile, cause_pk = _rows(links, "volunteerprofile_id", "cause_id")
    if len(cause_profile):
        bits = np.array([1 << cause_position[c] for c in cause_pk], dtype=np.uint64)
        np.bitwise_or.at(causes, _positions(ids, cause_profile), bits)
    arrays = engine.VolunteerArrays(skills=skills, causes=causes, **columns)
    return ids, arrays


def open_missions() -> MissionQuerySet:
    """Missions that can take a volunteer: published, deadline open, a seat free."""
    return (
        Mission.objects.open_for_applications()
        .with_taken_seats()
        # The plugin loses annotate()'s fields through a queryset method returning Self.
        .filter(taken_seats__lt=F("seats"))  # type: ignore[misc]
    )


def load_missions(
    positions: Positions, pks: list[int] | None = None
) -> tuple[np.ndarray, engine.MissionArrays]:
    """Every open mission with a free seat (or those of ``pks`` that are), by primary key."""
    skill_position, cause_position, region_of = (
        positions.skills,
        positions.causes,
        positions.region_of,
    )
    missions = open_missions() if pks is None else open_missions().filter(pk__in=pks)
    rows = list(
        missions.annotate(applicants=Count("applications", distinct=True))
        .order_by("pk")
        .values_list(
            "pk",
            "cause_id",
            "location_mode",
            "latitude",
            "longitude",
            "departement_id",
            "start_date",
            "end_date",
            "effort_hours",
            "hours_per_week",
            "languages",
            "preferred_seniority",
            "programme__company_id",
            "applicants",
            "association__size_band",
            "association__departement_id",
            "programme__company__parent_id",
        )
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    n = len(ids)
    mode = {code: i for i, code in enumerate(engine.LOCATION_MODES)}
    small = {str(band) for band in Association.SMALL_SIZE_BANDS}

    mission_pk, skill_pk, min_level, importance = _rows(
        MissionSkill.objects.filter(mission_id__in=ids.tolist())
        if n
        else MissionSkill.objects.none(),
        "mission_id",
        "skill_id",
        "min_level",
        "importance",
    )
    rows_ix = _positions(ids, mission_pk) if len(mission_pk) else np.array([], dtype=np.int64)
    cols = np.array([skill_position[s] for s in skill_pk], dtype=np.int64)
    required_mask = importance == MissionSkill.Importance.REQUIRED

    def skill_matrix(mask: np.ndarray) -> sparse.csr_matrix:
        return sparse.csr_matrix(
            (min_level[mask].astype(np.int8), (rows_ix[mask], cols[mask])),
            shape=(n, len(skill_position)),
            dtype=np.int8,
        )

    def dep(row: tuple[Any, ...]) -> int | None:
        departement_id: int | None = row[5] if row[5] is not None else row[15]
        return departement_id

    departements = np.array([-1 if dep(r) is None else dep(r) for r in rows], dtype=np.int32)
    arrays = engine.MissionArrays(
        required=skill_matrix(required_mask)
        if len(mission_pk)
        # scipy-stubs take a shape with a float64 dtype only; scipy takes any dtype.
        else sparse.csr_matrix((n, len(skill_position)), dtype=np.int8),  # type: ignore[arg-type]
        nice=skill_matrix(~required_mask) if len(mission_pk) else None,
        cause=np.array([cause_position.get(r[1], -1) for r in rows], dtype=np.int16),
        location_mode=np.array([mode[r[2]] for r in rows], dtype=np.int8),
        latitude=np.array([np.nan if r[3] is None else r[3] for r in rows], dtype=np.float64),
        longitude=np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=np.float64),
        departement=departements,
        region=np.array([region_of.get(d, -1) for d in departements], dtype=np.int32),
        start_date=np.array([engine.day(r[6]) for r in rows], dtype=np.int32),
        end_date=np.array([engine.day(r[7]) for r in rows], dtype=np.int32),
        effort_hours=np.array([r[8] or np.nan for r in rows], dtype=np.float32),
        hours_per_week=np.array(
            [np.nan if r[9] is None else float(r[9]) for r in rows], dtype=np.float32
        ),
        languages=np.array([_language_mask(r[10]) for r in rows], dtype=np.uint32),
        preferred_seniority=np.array([SENIORITY_INDEX.get(r[11], -1) for r in rows], dtype=np.int8),
        programme_group=np.array([_company_group(r[12], r[16]) for r in rows], dtype=np.int32),
        no_applicant=np.array([r[13] == 0 for r in rows], dtype=bool),
        small_association=np.array([r[14] in small for r in rows], dtype=bool),
    )
    return ids, arrays


def excluded_pairs(
    volunteer_ids: np.ndarray, mission_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """(volunteer indices, mission indices) of pairs never to suggest: any application,
    any suggestion an association hid."""
    excluded_v: list[np.ndarray] = []
    excluded_m: list[np.ndarray] = []
    for model in (Application, HiddenSuggestion):
        # Filter on the smaller side: one volunteer's rows, or the open missions' rows.
        if len(volunteer_ids) < len(mission_ids):
            pairs = model.objects.filter(volunteer_id__in=volunteer_ids.tolist())
        else:
            pairs = model.objects.filter(mission_id__in=mission_ids.tolist())
        v, m = _rows(pairs, "volunteer_id", "mission_id")
        if len(v):
            known = np.isin(v, volunteer_ids) & np.isin(m, mission_ids)
            excluded_v.append(_positions(volunteer_ids, v[known]))
            excluded_m.append(_positions(mission_ids, m[known]))
    if not excluded_v:
        return None
    return np.concatenate(excluded_v), np.concatenate(excluded_m)


def load_index(*, today: dt.date | None = None) -> LoadedIndex:
    """Everything the engine needs, read from the database in a handful of queries."""
    taxonomy, skill_position, skill_names = load_taxonomy()
    positions = Positions.load(skill_position)
    volunteer_ids, volunteers = load_volunteers(positions)
    mission_ids, missions = load_missions(positions)
    index = engine.build_index(
        volunteers,
        missions,
        taxonomy,
        excluded=excluded_pairs(volunteer_ids, mission_ids),
        weights=getattr(settings, "MATCHING_WEIGHTS", None),
        params=resolve_params(getattr(settings, "MATCHING_PARAMS", None)),
        today=today or timezone.localdate(),
    )
    return LoadedIndex(index, volunteer_ids, mission_ids, skill_names, timezone.now(), positions)
