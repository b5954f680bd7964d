"""The scoring core of the matching engine: plain numpy/scipy over arrays, no Django.

An adapter (elsewhere) loads volunteers, open missions and the skill taxonomy from the
database into the dataclasses below (:class:`VolunteerArrays`, :class:`MissionArrays`,
:class:`Taxonomy`), and :func:`build_index` prepares them once into a
:class:`MatchingIndex`. Everything else works on indices into those arrays (volunteer
``v`` in ``0..n_volunteers-1``, mission ``m`` in ``0..n_missions-1``); the adapter maps
them back to primary keys.

Entry points:

- :func:`score_pairs` — any list of (volunteer, mission) pairs, with the hard-filter
  reasons (for a staff member proposing someone by hand, and for tests);
- :func:`top_volunteers` / :func:`top_missions` — one mission against every volunteer,
  one volunteer against every mission (the "profile changed" / "mission published" paths);
- :func:`recompute_missions` / :func:`recompute_volunteers` — a *chunk* of missions
  (volunteers) to their top-k volunteers (missions), for the nightly full recompute
  split across Celery workers (use :func:`chunks` to split the indices);
- :func:`pair_details` — what an explanation needs (matching/explain.py);
- :meth:`MatchingIndex.with_missions` / :meth:`MatchingIndex.with_volunteers` — a new
  index over other missions (a just-published one) or other volunteers (a changed
  profile), reusing the other half of an existing index as is (≈ 5 ms at 100k × 10k
  instead of a full :func:`build_index`);
- :class:`ReferenceScorer` — the same scoring as a plain per-pair Python loop: the
  oracle of the tests and the baseline of the benchmark.

How a full recompute avoids the 10⁹ pairs. A pair can only be suggested if the volunteer
has at least one of the mission's skills, directly or through a *related* skill (a skill
of the same family alone is not enough to be suggested, it only adds partial credit to
a pair that qualifies); missions that list no skill are open to every volunteer. This is
a rule of the score (:data:`BLOCK_NO_SKILL`), so the candidate generation below is exact,
not an approximation: candidates are the non-zeros of the sparse product of
``missions × keys`` by ``keys × volunteers``, where a key is a (context, skill) pair:
the volunteer's skills expanded with their related skills (plus an "any" skill for
skill-less missions), in each context they accept — remote, hybrid, and for on-site
missions the 0.5° grid cells within reach of their maximum distance (a conservative
bounding box). So pairs in a refused format are never generated, nor on-site pairs far
beyond reach. Candidates are then scored in cache-sized blocks (gathers into
per-volunteer and per-mission arrays; the remaining hard filters drop pairs), and the
top-k per owner is selected with a per-owner score histogram (linear time) followed by an
exact sort of the few survivors. Excluded pairs (applications, hidden suggestions) are
few: each owner keeps k + its number of exclusions, and the excluded ones are removed
from that short list.

Scores are weighted means of factors in [0, 1] (see matching/weights.py), in float32.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .weights import DEFAULT_PARAMS, FACTORS, ScoringParams, resolve_weights

#: Stored with every suggestion; bump when the scoring changes meaning.
ENGINE_VERSION = "1.0"

#: Sentinel of an open date (no start / no end) in the day-ordinal arrays.
OPEN_DATE = -1

#: Codes of ``VolunteerArrays.seniority`` / ``MissionArrays.preferred_seniority``
#: (index in this tuple; -1 = unknown / no preference).
SENIORITY_CODES: tuple[str, ...] = ("junior", "experienced", "senior", "retiree")
#: Codes of ``MissionArrays.location_mode``.
LOCATION_MODES: tuple[str, ...] = ("remote", "on_site", "hybrid")
REMOTE, ON_SITE, HYBRID = 0, 1, 2
#: Bits of ``VolunteerArrays.formats`` (bit i = accepts ``LOCATION_MODES[i]``).
FORMAT_REMOTE, FORMAT_ON_SITE, FORMAT_HYBRID = 1, 2, 4
#: Bits of the language masks (bit i = ``LANGUAGE_CODES[i]``), as taxonomy.choices.Language.
LANGUAGE_CODES: tuple[str, ...] = (
    "fr",
    "en",
    "es",
    "de",
    "it",
    "pt",
    "ar",
    "zh",
    "ru",
    "uk",
    "tr",
    "fsl",
)
FRENCH = 1

EARTH_RADIUS_KM = 6371.0088
DAYS_PER_MONTH = 30.44
_FAR_PAST = -1_000_000_000
_FAR_FUTURE = 1_000_000_000

#: Why a pair is not allowed: bits of the ``blocked`` arrays (0 = allowed).
BLOCK_INVISIBLE = 1  # the volunteer's profile is not visible
BLOCK_CLOSED = 2  # the mission is not open (mask in MissionArrays.is_open)
BLOCK_EXCLUDED = 4  # already applied / withdrew / declined / hidden by the association
BLOCK_FORMAT = 8  # the volunteer does not accept the mission's location mode
BLOCK_DISTANCE = 16  # on-site beyond the maximum distance; hybrid beyond hybrid_zero_at × it
BLOCK_PROGRAMME = 32  # mission reserved to another company's programme
BLOCK_NO_SKILL = 64  # none of the mission's skills, directly or through a related one
BLOCK_REASONS: dict[int, str] = {
    BLOCK_INVISIBLE: "invisible_volunteer",
    BLOCK_CLOSED: "mission_closed",
    BLOCK_EXCLUDED: "already_applied_or_hidden",
    BLOCK_FORMAT: "format_not_accepted",
    BLOCK_DISTANCE: "too_far",
    BLOCK_PROGRAMME: "reserved_programme",
    BLOCK_NO_SKILL: "no_common_skill",
}

#: Status of one of a mission's skills for one volunteer (see :func:`pair_details`).
SKILL_MET = 1  # has the skill at or above the minimum level
SKILL_BELOW = 2  # has the skill, below the minimum level (proportional credit)
SKILL_RELATED = 3  # has a related skill (related_skill_credit × level fit)
SKILL_FAMILY = 4  # has a skill of the same family only (family_skill_credit × level fit)
SKILL_MISSING = 5  # nothing

_F = {name: i for i, name in enumerate(FACTORS)}
N_FACTORS = len(FACTORS)


# ------------------------------------------------------------------------------------
# Small helpers for adapters
# ------------------------------------------------------------------------------------


def day(value: dt.date | None) -> int:
    """A date as a day ordinal (``date.toordinal()``), ``None`` as :data:`OPEN_DATE`."""
    return OPEN_DATE if value is None else value.toordinal()


def language_mask(codes: Iterable[str]) -> int:
    """Bitmask of language codes (``["fr", "en"]`` → 3). Unknown codes raise."""
    mask = 0
    for code in codes:
        mask |= 1 << LANGUAGE_CODES.index(code)
    return mask


def format_mask(remote: bool, on_site: bool, hybrid: bool) -> int:
    return (
        (FORMAT_REMOTE if remote else 0)
        | (FORMAT_ON_SITE if on_site else 0)
        | (FORMAT_HYBRID if hybrid else 0)
    )


def cause_mask(causes: Iterable[int]) -> int:
    """Bitmask of cause indices (at most 64 causes)."""
    mask = 0
    for cause in causes:
        if not 0 <= cause < 64:
            raise ValueError(f"cause index out of range [0, 64): {cause}")
        mask |= 1 << int(cause)
    return mask


def chunks(indices: int | Sequence[int] | np.ndarray, n_chunks: int) -> list[np.ndarray]:
    """Split ``range(indices)`` (or an index array) into ``n_chunks`` contiguous parts.

    For a Celery chord: one task per part, each calling :func:`recompute_missions` or
    :func:`recompute_volunteers`; parts are independent and can run in any order.
    """
    arr = np.arange(indices) if isinstance(indices, int) else np.asarray(indices, np.int64)
    n_chunks = max(1, min(int(n_chunks), max(len(arr), 1)))
    return list(np.array_split(arr, n_chunks))


def _as(name, value, dtype, n, default=None):
    if value is None:
        if default is None:
            raise ValueError(f"{name} is required")
        return np.full(n, default, dtype=dtype)
    arr = np.asarray(value)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    if np.issubdtype(dtype, np.integer) and arr.dtype.kind == "f":
        raise ValueError(f"{name} must be integers")
    return np.ascontiguousarray(arr, dtype=dtype)


def _level_matrix(name, matrix, n_rows, n_skills=None) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(matrix, dtype=np.int8)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    if matrix.shape[0] != n_rows and n_rows is not None:
        raise ValueError(f"{name} must have {n_rows} rows")
    if n_skills is not None and matrix.shape[1] != n_skills:
        raise ValueError(f"{name} must have {n_skills} columns (skills)")
    if matrix.nnz and (matrix.data.min() < 1 or matrix.data.max() > 4):
        raise ValueError(f"{name} levels must lie in 1..4")
    return matrix


# ------------------------------------------------------------------------------------
# Inputs
# ------------------------------------------------------------------------------------


@dataclass(eq=False)
class Taxonomy:
    """The skill taxonomy.

    - ``skill_family``: int32 (n_skills,), the family index of each skill (0..n_families-1);
    - ``related``: bool sparse (n_skills, n_skills), symmetric, "related" skill pairs (the
      diagonal is ignored);
    - ``skill_codes``: optional codes (for adapters and explanations).
    """

    skill_family: np.ndarray
    related: sparse.csr_matrix
    skill_codes: tuple[str, ...] | None = None

    def __post_init__(self):
        self.skill_family = np.ascontiguousarray(self.skill_family, dtype=np.int32)
        n = len(self.skill_family)
        if n and self.skill_family.min() < 0:
            raise ValueError("skill_family must be >= 0")
        related = sparse.csr_matrix(self.related, dtype=bool)
        if related.shape != (n, n):
            raise ValueError(f"related must be ({n}, {n})")
        related = related.maximum(related.T).tolil()
        related.setdiag(False)
        self.related = related.tocsr()
        self.related.eliminate_zeros()
        if self.skill_codes is not None:
            self.skill_codes = tuple(self.skill_codes)
            if len(self.skill_codes) != n:
                raise ValueError("skill_codes must have one code per skill")

    @property
    def n_skills(self) -> int:
        return len(self.skill_family)

    @property
    def n_families(self) -> int:
        return int(self.skill_family.max()) + 1 if self.n_skills else 0

    @classmethod
    def from_codes(
        cls,
        skills: Sequence[tuple[str, str]],
        related_pairs: Iterable[tuple[str, str]] = (),
    ) -> Taxonomy:
        """From ``[(skill_code, family_code), ...]`` and ``[(code, code), ...]`` pairs.

        Skill indices follow the order of ``skills``; families are numbered in order of
        first appearance. ``taxonomy.reference_data`` fits directly:
        ``Taxonomy.from_codes([(c, f) for c, f, *_ in SKILLS], RELATED_SKILLS)``.
        """
        index = {code: i for i, (code, _family) in enumerate(skills)}
        families: dict[str, int] = {}
        family = [families.setdefault(f, len(families)) for _code, f in skills]
        rows, cols = [], []
        for a, b in related_pairs:
            rows.append(index[a])
            cols.append(index[b])
        n = len(skills)
        related = sparse.csr_matrix(
            (np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n, n), dtype=bool
        )
        return cls(np.array(family), related, tuple(code for code, _f in skills))


@dataclass(eq=False)
class VolunteerArrays:
    """Volunteers as arrays (n = number of volunteers, row i = volunteer index i).

    - ``skills``: sparse (n, n_skills), value = level 1 (notions) .. 4 (expert), no entry =
      does not have the skill;
    - ``causes``: uint64 bitmask of cause indices (bit c = cares about cause c), 0 = none
      stated (open to any cause: ``no_cause_stated``);
    - ``seniority``: int8 index in :data:`SENIORITY_CODES`, -1 unknown;
    - ``languages``: uint32 bitmask over :data:`LANGUAGE_CODES`, 0 = none stated → French;
    - ``formats``: uint8 bitmask :data:`FORMAT_REMOTE` | :data:`FORMAT_ON_SITE` |
      :data:`FORMAT_HYBRID` of the formats accepted;
    - ``latitude`` / ``longitude``: float64 degrees, NaN unknown;
    - ``max_distance_km``: float32 km the volunteer is ready to travel (on-site, hybrid);
    - ``available_from`` / ``available_until``: int32 day ordinals (``date.toordinal()``),
      inclusive, :data:`OPEN_DATE` (-1) = open;
    - ``hours_per_month``: float32 hours a month the volunteer can give;
    - ``departement`` / ``region``: int32 indices (any numbering shared with missions), -1
      unknown; used only when coordinates are missing on either side;
    - ``company_group``: int32 the employer's company group (a company and its foundation
      share one group id), -1 none — see :class:`MissionArrays` for programmes;
    - ``visible``: bool, False = never suggested (profile hidden or inactive account).
    """

    skills: sparse.csr_matrix
    causes: np.ndarray | None = None
    seniority: np.ndarray | None = None
    languages: np.ndarray | None = None
    formats: np.ndarray | None = None
    latitude: np.ndarray | None = None
    longitude: np.ndarray | None = None
    max_distance_km: np.ndarray | None = None
    available_from: np.ndarray | None = None
    available_until: np.ndarray | None = None
    hours_per_month: np.ndarray | None = None
    departement: np.ndarray | None = None
    region: np.ndarray | None = None
    company_group: np.ndarray | None = None
    visible: np.ndarray | None = None

    def __post_init__(self):
        self.skills = _level_matrix("skills", self.skills, None)
        n = self.skills.shape[0]
        self.causes = _as("causes", self.causes, np.uint64, n, 0)
        self.seniority = _as("seniority", self.seniority, np.int8, n, -1)
        self.languages = _as("languages", self.languages, np.uint32, n, 0)
        self.formats = _as("formats", self.formats, np.uint8, n, 7)
        self.latitude = _as("latitude", self.latitude, np.float64, n, np.nan)
        self.longitude = _as("longitude", self.longitude, np.float64, n, np.nan)
        self.max_distance_km = _as("max_distance_km", self.max_distance_km, np.float32, n, 30)
        self.available_from = _as("available_from", self.available_from, np.int32, n, -1)
        self.available_until = _as("available_until", self.available_until, np.int32, n, -1)
        self.hours_per_month = _as("hours_per_month", self.hours_per_month, np.float32, n, 4)
        self.departement = _as("departement", self.departement, np.int32, n, -1)
        self.region = _as("region", self.region, np.int32, n, -1)
        self.company_group = _as("company_group", self.company_group, np.int32, n, -1)
        self.visible = _as("visible", self.visible, bool, n, True)
        if np.any(self.seniority > 3) or np.any(self.seniority < -1):
            raise ValueError("seniority must be -1..3")
        if np.any(self.max_distance_km < 0) or np.any(self.hours_per_month < 0):
            raise ValueError("max_distance_km and hours_per_month must be >= 0")

    def __len__(self) -> int:
        return self.skills.shape[0]

    @classmethod
    def from_records(cls, records: Sequence[Mapping], n_skills: int) -> VolunteerArrays:
        """From dicts (handy for tests and small adapters). Keys, all optional but skills:
        ``skills`` {skill index: level}, ``causes`` [cause index], ``seniority`` code,
        ``languages`` [code], ``accepts_remote`` / ``accepts_on_site`` / ``accepts_hybrid``,
        ``latitude``, ``longitude``, ``max_distance_km``, ``available_from`` /
        ``available_until`` (date or None), ``hours_per_month``, ``departement``,
        ``region``, ``company_group`` (None = no employer), ``visible``."""
        rows, cols, vals = [], [], []
        for i, rec in enumerate(records):
            for skill, level in rec.get("skills", {}).items():
                rows.append(i)
                cols.append(skill)
                vals.append(level)
        n = len(records)

        def col(key, default, convert=lambda x: x):
            return [convert(r.get(key, default)) for r in records]

        def opt(value, default):
            return default if value is None else value

        return cls(
            skills=sparse.csr_matrix((vals, (rows, cols)), shape=(n, n_skills), dtype=np.int8),
            causes=np.array(col("causes", (), cause_mask), dtype=np.uint64),
            seniority=col("seniority", None, _seniority_code),
            languages=np.array(col("languages", (), language_mask), dtype=np.uint32),
            formats=[
                format_mask(
                    r.get("accepts_remote", True),
                    r.get("accepts_on_site", True),
                    r.get("accepts_hybrid", True),
                )
                for r in records
            ],
            latitude=col("latitude", None, lambda x: opt(x, np.nan)),
            longitude=col("longitude", None, lambda x: opt(x, np.nan)),
            max_distance_km=col("max_distance_km", 30),
            available_from=col("available_from", None, day),
            available_until=col("available_until", None, day),
            hours_per_month=col("hours_per_month", 4),
            departement=col("departement", None, lambda x: opt(x, -1)),
            region=col("region", None, lambda x: opt(x, -1)),
            company_group=col("company_group", None, lambda x: opt(x, -1)),
            visible=col("visible", True),
        )


def _seniority_code(value: str | None) -> int:
    return -1 if not value else SENIORITY_CODES.index(value)


@dataclass(eq=False)
class MissionArrays:
    """Missions as arrays (n = number of missions, row j = mission index j).

    - ``required`` / ``nice``: sparse (n, n_skills), value = minimum level 1..4 of each
      *required* / *nice-to-have* skill (MissionSkill.importance);
    - ``cause``: int16 cause index, -1 none (cause factor neutral 1);
    - ``location_mode``: int8 index in :data:`LOCATION_MODES` (0 remote, 1 on-site,
      2 hybrid);
    - ``latitude`` / ``longitude`` (float64, NaN unknown), ``departement`` / ``region``
      (int32, -1 unknown): as for volunteers; ignored for remote missions;
    - ``start_date`` / ``end_date``: int32 day ordinals, :data:`OPEN_DATE` (-1) = open
      (an open start means "as soon as possible", i.e. ``today``; an open end means
      ``default_mission_days`` after the start);
    - ``effort_hours``: float32 total hours (0 or NaN unknown);
    - ``hours_per_week``: float32, NaN unknown (then effort spread over the period);
    - ``languages``: uint32 bitmask of the languages required, 0 → French;
    - ``preferred_seniority``: int8 index in :data:`SENIORITY_CODES`, -1 no preference;
    - ``programme_group``: int32, the company group of the programme the mission belongs
      to, -1 none. With ``programme_missions_reserved`` (default), only that group's
      employees may be suggested (hard filter) and they get programme factor 1;
    - ``programme_eligible``: optional bool sparse (n, n_groups): mission j fits an active
      programme of company group g (its eligible causes, départements and invited
      associations, precomputed by the adapter), so an employee of g gets programme
      factor 1 (the company sponsors the hours). Our choice: eligibility is a property of
      (mission, company group) pairs, far fewer than (mission, volunteer) pairs;
    - ``no_applicant``: bool, nobody applied yet; ``small_association``: bool
      (Association.is_small) — the fairness factor is the mean of the two;
    - ``is_open``: bool, False = never suggested (closed, full, past deadline...).
    """

    required: sparse.csr_matrix
    nice: sparse.csr_matrix | None = None
    cause: np.ndarray | None = None
    location_mode: np.ndarray | None = None
    latitude: np.ndarray | None = None
    longitude: np.ndarray | None = None
    departement: np.ndarray | None = None
    region: np.ndarray | None = None
    start_date: np.ndarray | None = None
    end_date: np.ndarray | None = None
    effort_hours: np.ndarray | None = None
    hours_per_week: np.ndarray | None = None
    languages: np.ndarray | None = None
    preferred_seniority: np.ndarray | None = None
    programme_group: np.ndarray | None = None
    programme_eligible: sparse.csr_matrix | None = None
    no_applicant: np.ndarray | None = None
    small_association: np.ndarray | None = None
    is_open: np.ndarray | None = None

    def __post_init__(self):
        self.required = _level_matrix("required", self.required, None)
        n, n_skills = self.required.shape
        if self.nice is None:
            self.nice = sparse.csr_matrix((n, n_skills), dtype=np.int8)
        self.nice = _level_matrix("nice", self.nice, n, n_skills)
        self.cause = _as("cause", self.cause, np.int16, n, -1)
        self.location_mode = _as("location_mode", self.location_mode, np.int8, n, REMOTE)
        self.latitude = _as("latitude", self.latitude, np.float64, n, np.nan)
        self.longitude = _as("longitude", self.longitude, np.float64, n, np.nan)
        self.departement = _as("departement", self.departement, np.int32, n, -1)
        self.region = _as("region", self.region, np.int32, n, -1)
        self.start_date = _as("start_date", self.start_date, np.int32, n, -1)
        self.end_date = _as("end_date", self.end_date, np.int32, n, -1)
        self.effort_hours = _as("effort_hours", self.effort_hours, np.float32, n, np.nan)
        self.hours_per_week = _as("hours_per_week", self.hours_per_week, np.float32, n, np.nan)
        self.languages = _as("languages", self.languages, np.uint32, n, 0)
        self.preferred_seniority = _as(
            "preferred_seniority", self.preferred_seniority, np.int8, n, -1
        )
        self.programme_group = _as("programme_group", self.programme_group, np.int32, n, -1)
        if self.programme_eligible is not None:
            self.programme_eligible = sparse.csr_matrix(self.programme_eligible, dtype=bool)
            if self.programme_eligible.shape[0] != n:
                raise ValueError(f"programme_eligible must have {n} rows")
        self.no_applicant = _as("no_applicant", self.no_applicant, bool, n, False)
        self.small_association = _as("small_association", self.small_association, bool, n, 0)
        self.is_open = _as("is_open", self.is_open, bool, n, True)
        if np.any(self.cause >= 64):
            raise ValueError("cause index must be < 64")
        if np.any((self.location_mode < 0) | (self.location_mode > 2)):
            raise ValueError("location_mode must be 0, 1 or 2")
        if np.any(self.preferred_seniority > 3) or np.any(self.preferred_seniority < -1):
            raise ValueError("preferred_seniority must be -1..3")

    def __len__(self) -> int:
        return self.required.shape[0]

    @classmethod
    def from_records(cls, records: Sequence[Mapping], n_skills: int) -> MissionArrays:
        """From dicts. Keys, all optional: ``required`` / ``nice`` {skill index: min level},
        ``cause`` (index or None), ``location_mode`` code, ``latitude``, ``longitude``,
        ``departement``, ``region``, ``start_date`` / ``end_date`` (date or None),
        ``effort_hours``, ``hours_per_week`` (None unknown), ``languages`` [code],
        ``preferred_seniority`` code or None, ``programme_group`` (None),
        ``programme_eligible_groups`` [group], ``no_applicant``, ``small_association``,
        ``is_open``."""
        n = len(records)

        def skill_matrix(key):
            rows, cols, vals = [], [], []
            for i, rec in enumerate(records):
                for skill, level in rec.get(key, {}).items():
                    rows.append(i)
                    cols.append(skill)
                    vals.append(level)
            return sparse.csr_matrix((vals, (rows, cols)), shape=(n, n_skills), dtype=np.int8)

        def col(key, default, convert=lambda x: x):
            return [convert(r.get(key, default)) for r in records]

        def opt(default):
            return lambda x: default if x is None else x

        elig = [
            (i, g) for i, r in enumerate(records) for g in r.get("programme_eligible_groups", ())
        ]
        eligible = None
        if elig:
            rows, groups = zip(*elig, strict=True)
            eligible = sparse.csr_matrix(
                (np.ones(len(rows), bool), (rows, groups)), shape=(n, max(groups) + 1)
            )
        return cls(
            required=skill_matrix("required"),
            nice=skill_matrix("nice"),
            cause=col("cause", None, opt(-1)),
            location_mode=col("location_mode", "remote", LOCATION_MODES.index),
            latitude=col("latitude", None, opt(np.nan)),
            longitude=col("longitude", None, opt(np.nan)),
            departement=col("departement", None, opt(-1)),
            region=col("region", None, opt(-1)),
            start_date=col("start_date", None, day),
            end_date=col("end_date", None, day),
            effort_hours=col("effort_hours", None, opt(np.nan)),
            hours_per_week=col("hours_per_week", None, opt(np.nan)),
            languages=np.array(col("languages", (), language_mask), dtype=np.uint32),
            preferred_seniority=col("preferred_seniority", None, _seniority_code),
            programme_group=col("programme_group", None, opt(-1)),
            programme_eligible=eligible,
            no_applicant=col("no_applicant", False),
            small_association=col("small_association", False),
            is_open=col("is_open", True),
        )


# ------------------------------------------------------------------------------------
# The prepared index
# ------------------------------------------------------------------------------------


@dataclass(eq=False)
class MatchingIndex:
    """Volunteers, missions, taxonomy, weights and parameters prepared for scoring.

    Build it with :func:`build_index`; it is read-only afterwards (safe to share between
    threads, or between forked worker processes). Attributes starting with ``v_`` are
    per volunteer, ``m_`` per mission, ``ms_`` per (mission, skill) entry.
    """

    volunteers: VolunteerArrays
    missions: MissionArrays
    taxonomy: Taxonomy
    weights: dict[str, float]
    params: ScoringParams
    today: int
    weight_vector: np.ndarray  # (F,) float32, normalised to sum 1
    # skills
    v_code: np.ndarray  # (n_v * n_skills,) uint8: direct*25 + related*5 + family level
    credit_table: np.ndarray  # (5 * 125,) float32: credit[min_level * 125 + code]
    weighted_credit: np.ndarray  # float32 weight × credit, per (weight class, level, code)
    v_code_by_skill: np.ndarray  # (n_skills * n_v,) uint8: v_code column-major
    pad_width: int  # skills per mission in the padded slot arrays (at most 4)
    pad_skill_row: np.ndarray  # (n_m * pad_width,) int64 skill (row-major code offset)
    pad_skill_col: np.ndarray  # (n_m * pad_width,) int64 skill * n_v (column-major)
    pad_offset: np.ndarray  # (n_m * pad_width,) int64 weighted_credit offset (0 = pad)
    any_long_mission: bool  # some mission lists more than pad_width skills
    ms_indptr: np.ndarray  # (n_m + 1,) int64: mission j's skills are ms_*[indptr[j]:...]
    ms_len: np.ndarray  # (n_m,) int64
    ms_skill: np.ndarray  # int64 skill index
    ms_level_base: np.ndarray  # int64 min_level * 125
    ms_offset: np.ndarray  # int64 offset of the entry's (weight, level) in weighted_credit
    ms_required: np.ndarray  # bool
    m_no_skill: np.ndarray  # bool
    # candidates
    cand_vol: sparse.csr_matrix  # (n_v, n_keys) bool, see _volunteer_candidates
    cand_vol_t: sparse.csr_matrix  # transpose, CSR
    cand_mis: sparse.csr_matrix  # (n_m, n_keys) bool
    cand_mis_t: sparse.csr_matrix
    # exclusions
    ex_keys: np.ndarray  # sorted int64 v * n_m + m
    ex_by_mission: sparse.csr_matrix  # (n_m, n_v) bool
    ex_by_volunteer: sparse.csr_matrix  # (n_v, n_m) bool
    # per-volunteer scalars
    v_x: np.ndarray  # float64 unit vector of the place (x, y, z), NaN unknown
    v_y: np.ndarray
    v_z: np.ndarray
    v_dmax: np.ndarray  # float32
    v_causes: np.ndarray  # uint64
    v_cause_default: np.ndarray  # float32 cause factor when the mission's is not theirs
    v_lang: np.ndarray  # uint32 (0 → French applied)
    v_fmt: np.ndarray  # uint8
    v_sen_col: np.ndarray  # int64 seniority + 1
    v_start: np.ndarray  # int32 (open → far past)
    v_end: np.ndarray  # int32 (open → far future)
    v_hpm: np.ndarray  # float32
    v_group: np.ndarray  # int32
    v_dept: np.ndarray  # int32
    v_region: np.ndarray  # int32
    v_visible: np.ndarray  # bool
    # per-mission scalars
    m_x: np.ndarray
    m_y: np.ndarray
    m_z: np.ndarray
    m_mode: np.ndarray  # int8
    m_fbit: np.ndarray  # uint8 format bit required
    m_cause_bit: np.ndarray  # uint64, 0 = no cause
    m_lang: np.ndarray  # uint32 (0 → French applied)
    m_sen_row: np.ndarray  # int64 (preferred + 1) * 5
    seniority_table: np.ndarray  # (25,) float32
    m_start: np.ndarray  # int32 effective start
    m_end: np.ndarray  # int32 effective end (inclusive)
    m_inv_days: np.ndarray  # float32 1 / effective length in days (>= 1)
    m_need: np.ndarray  # float32 hours a month asked (0 = unknown)
    m_inv_need: np.ndarray  # float32 1 / m_need (0 when unknown)
    m_group: np.ndarray  # int32 programme group
    m_fair: np.ndarray  # float32 fairness factor
    m_dept: np.ndarray
    m_region: np.ndarray
    m_open: np.ndarray  # bool
    pe_table: np.ndarray  # bool (n_m * n_groups,): mission m eligible for group g's programme
    n_groups: int
    any_programme_group: bool  # some mission is reserved to a programme
    any_causeless: bool  # some mission has no cause
    # how it was made (for with_missions / with_volunteers)
    cells: np.ndarray | None = None  # int64 key of grid cell i = context _N_FIXED_CTX + i
    volunteer_side: _VolunteerSide | None = field(default=None, repr=False)
    mission_side: _MissionSide | None = field(default=None, repr=False)

    def with_missions(
        self,
        missions: MissionArrays,
        *,
        excluded: tuple[Sequence[int], Sequence[int]] | None = None,
    ) -> MatchingIndex:
        """The same index with its missions replaced by ``missions`` (typically a few).

        Equivalent to ``build_index(self.volunteers, missions, ...)`` with this index's
        taxonomy, weights, params and today, but the volunteer half is reused as is (skill
        codes, per-volunteer arrays, candidate matrices: no copy): for the "mission
        published" path. ``excluded`` = (volunteer indices, indices into ``missions``).
        A mission in a grid cell this index has no context for adds that cell's keys
        to the volunteer candidate matrices (one pass over them). ``self`` is unchanged.
        """
        vside = self._prepared("volunteer_side")
        n_s = self.taxonomy.n_skills
        mside = _prepare_missions(missions, self.taxonomy, self.params, self.today)
        cells, cand_vol, cand_vol_t = self.cells, self.cand_vol, self.cand_vol_t
        found, _at = _find_cells(cells, mside.cell_keys)
        if not found.all():
            extra = np.unique(mside.cell_keys[~found])
            more = _volunteer_candidates(vside, extra, len(extra), n_s, fixed=False)
            cand_vol = sparse.hstack([cand_vol, more], format="csr", dtype=bool)
            more_t = more.T.tocsr()
            cand_vol_t = sparse.vstack([cand_vol_t, more_t], format="csr", dtype=bool)
            cells = np.concatenate([cells, extra])
        return _assemble(
            self.volunteers,
            missions,
            self.taxonomy,
            self.weights,
            self.params,
            self.today,
            self.weight_vector,
            vside,
            mside,
            cells,
            cand_vol,
            cand_vol_t,
            excluded,
        )

    def with_volunteers(
        self,
        volunteers: VolunteerArrays,
        *,
        excluded: tuple[Sequence[int], Sequence[int]] | None = None,
    ) -> MatchingIndex:
        """The same index with its volunteers replaced by ``volunteers`` (typically one).

        Equivalent to ``build_index(volunteers, self.missions, ...)`` with this index's
        taxonomy, weights, params and today, but the mission half is reused as is: for
        the "profile changed" path. ``excluded`` = (indices into ``volunteers``, mission
        indices). ``self`` is unchanged.
        """
        mside = self._prepared("mission_side")
        n_s = self.taxonomy.n_skills
        vside = _prepare_volunteers(volunteers, self.taxonomy, self.params)
        cand_vol = _volunteer_candidates(vside, self.cells, _N_FIXED_CTX + len(self.cells), n_s)
        return _assemble(
            volunteers,
            self.missions,
            self.taxonomy,
            self.weights,
            self.params,
            self.today,
            self.weight_vector,
            vside,
            mside,
            self.cells,
            cand_vol,
            cand_vol.T.tocsr(),
            excluded,
            cand_mis=self.cand_mis,
            cand_mis_t=self.cand_mis_t,
        )

    def _prepared(self, name: str):
        side = getattr(self, name)
        if side is None or self.cells is None:
            raise ValueError("this index was not made by build_index")
        return side

    @property
    def n_volunteers(self) -> int:
        return len(self.volunteers)

    @property
    def n_missions(self) -> int:
        return len(self.missions)

    @property
    def n_skills(self) -> int:
        return self.taxonomy.n_skills


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, ...]:
    la, lo = np.radians(lat), np.radians(lon)
    return np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)


def _credit_table(params: ScoringParams) -> np.ndarray:
    table = np.zeros(5 * 125, dtype=np.float32)
    for level in range(1, 5):
        for d in range(5):
            for r in range(5):
                for f in range(5):
                    table[level * 125 + d * 25 + r * 5 + f] = _credit(level, d, r, f, params)
    return table


def _credit(min_level: int, direct: int, related: int, family: int, params) -> float:
    """Credit of one mission skill: the best of direct, related and same-family levels."""
    return max(
        min(direct, min_level) / min_level,
        params.related_skill_credit * min(related, min_level) / min_level,
        params.family_skill_credit * min(family, min_level) / min_level,
    )


def build_index(
    volunteers: VolunteerArrays,
    missions: MissionArrays,
    taxonomy: Taxonomy,
    *,
    excluded: tuple[Sequence[int], Sequence[int]] | None = None,
    weights: Mapping[str, float] | None = None,
    params: ScoringParams | None = None,
    today: int | dt.date | None = None,
) -> MatchingIndex:
    """Prepare everything once (2 × n_volunteers × n_skills bytes; ≈ 1 s at 100k × 10k).

    ``excluded`` = (volunteer indices, mission indices) of pairs never to suggest: the
    volunteer applied (any state: applied, waitlisted, accepted, withdrew, declined...) or
    the association hid the suggestion. ``weights`` are validated by
    :func:`matching.weights.resolve_weights`; ``today`` (date or day ordinal, default the
    local date) anchors missions without a start date.

    The preparation splits into a volunteer half (:func:`_prepare_volunteers`, the
    expensive one) and a mission half (:func:`_prepare_missions`):
    :meth:`MatchingIndex.with_missions` and :meth:`MatchingIndex.with_volunteers` reuse
    one half of an existing index.
    """
    params = params or DEFAULT_PARAMS
    weights = resolve_weights(weights)
    if today is None:
        today = dt.date.today()
    if isinstance(today, dt.date):
        today = today.toordinal()
    today = int(today)
    n_s = taxonomy.n_skills
    if volunteers.skills.shape[1] != n_s or missions.required.shape[1] != n_s:
        raise ValueError(f"skill matrices must have {n_s} columns (taxonomy.n_skills)")
    w = np.array([weights[f] for f in FACTORS], dtype=np.float64)
    weight_vector = (w / w.sum()).astype(np.float32)
    vside = _prepare_volunteers(volunteers, taxonomy, params)
    mside = _prepare_missions(missions, taxonomy, params, today)
    cells = np.unique(mside.cell_keys)
    cand_vol = _volunteer_candidates(vside, cells, _N_FIXED_CTX + len(cells), n_s)
    return _assemble(
        volunteers,
        missions,
        taxonomy,
        weights,
        params,
        today,
        weight_vector,
        vside,
        mside,
        cells,
        cand_vol,
        cand_vol.T.tocsr(),
        excluded,
    )


@dataclass(eq=False)
class _VolunteerSide:
    """What :func:`build_index` derives from the volunteers alone (reused as is by
    :meth:`MatchingIndex.with_missions`)."""

    fields: dict  # MatchingIndex fields: v_code, v_code_by_skill and the v_* scalars
    keys: sparse.csr_matrix  # (n_v, n_skills + 1) bool: expanded skills + "any" (visible)
    ctx_rows: np.ndarray  # fixed contexts (remote, hybrid, on-site anywhere, everywhere)
    ctx_ids: np.ndarray
    grid_rows: np.ndarray  # gridded on-site volunteers: their cell box (0.5° indices)
    grid_lat0: np.ndarray
    grid_lon0: np.ndarray
    grid_count: np.ndarray  # int64 cells in the box
    grid_n_lon: np.ndarray  # int64 columns of the box


@dataclass(eq=False)
class _MissionSide:
    """What :func:`build_index` derives from the missions alone (reused as is by
    :meth:`MatchingIndex.with_volunteers`)."""

    fields: dict  # MatchingIndex fields: ms_*, pad_* (but pad_skill_col), m_* scalars...
    pad_skill: np.ndarray  # (n_m, pad_width) int64
    keys: sparse.csr_matrix  # (n_m, n_skills + 1) bool: skills + "any" (open missions)
    ctx_rows: np.ndarray  # fixed contexts
    ctx_ids: np.ndarray
    cell_rows: np.ndarray  # located on-site missions and the key of their 0.5° cell
    cell_keys: np.ndarray


def _prepare_volunteers(
    volunteers: VolunteerArrays, taxonomy: Taxonomy, params: ScoringParams
) -> _VolunteerSide:
    n_v, n_s = len(volunteers), taxonomy.n_skills
    if volunteers.skills.shape[1] != n_s:
        raise ValueError(f"skill matrices must have {n_s} columns (taxonomy.n_skills)")

    # --- volunteer skill codes: direct, best related, best same-family level -----------
    direct = np.asfortranarray(volunteers.skills.toarray().astype(np.uint8))
    related_level = np.zeros_like(direct)
    rel = taxonomy.related
    for s in range(n_s):
        cols = rel.indices[rel.indptr[s] : rel.indptr[s + 1]]
        if len(cols):
            related_level[:, s] = direct[:, cols].max(axis=1)
    n_f = taxonomy.n_families
    family_level = np.zeros((n_v, max(n_f, 1)), dtype=np.uint8)
    for f in range(n_f):
        cols = np.flatnonzero(taxonomy.skill_family == f)
        family_level[:, f] = direct[:, cols].max(axis=1)
    code = direct * np.uint8(25) + related_level * np.uint8(5)
    code += family_level[:, taxonomy.skill_family]
    v_code = np.ascontiguousarray(code).ravel()
    v_code_by_skill = np.asfortranarray(code).ravel(order="F")
    del direct, related_level, code

    # --- per volunteer -----------------------------------------------------------------
    v_lang = volunteers.languages.copy()
    v_lang[v_lang == 0] = FRENCH
    v_start = np.where(volunteers.available_from == OPEN_DATE, _FAR_PAST, volunteers.available_from)
    v_end = np.where(
        volunteers.available_until == OPEN_DATE, _FAR_FUTURE, volunteers.available_until
    )
    v_cause_default = np.where(
        volunteers.causes == 0, params.no_cause_stated, params.other_cause
    ).astype(np.float32)
    v_x, v_y, v_z = _unit_vectors(volunteers.latitude, volunteers.longitude)
    fields = {
        "v_code": v_code,
        "v_code_by_skill": v_code_by_skill,
        "v_x": v_x,
        "v_y": v_y,
        "v_z": v_z,
        "v_dmax": volunteers.max_distance_km,
        "v_causes": volunteers.causes,
        "v_cause_default": v_cause_default,
        "v_lang": v_lang,
        "v_fmt": volunteers.formats,
        "v_sen_col": volunteers.seniority.astype(np.int64) + 1,
        "v_start": v_start.astype(np.int32),
        "v_end": v_end.astype(np.int32),
        "v_hpm": volunteers.hours_per_month,
        "v_group": volunteers.company_group,
        "v_dept": volunteers.departement,
        "v_region": volunteers.region,
        "v_visible": volunteers.visible,
    }

    # --- candidate keys and contexts (see _volunteer_candidates) ---------------------------
    v_bin = sparse.csr_matrix(volunteers.skills, dtype=bool)
    expanded = (v_bin + v_bin @ taxonomy.related).astype(bool)
    v_sk = sparse.hstack([expanded, np.ones((n_v, 1), dtype=bool)], format="csr", dtype=bool)
    v_sk = sparse.diags(volunteers.visible, dtype=bool, format="csr") @ v_sk
    v_sk.eliminate_zeros()
    fmt = volunteers.formats
    rows = [np.flatnonzero(fmt & FORMAT_REMOTE), np.flatnonzero(fmt & FORMAT_HYBRID)]
    ctxs = [np.full(len(rows[0]), _CTX_REMOTE), np.full(len(rows[1]), _CTX_HYBRID)]
    on = np.flatnonzero(fmt & FORMAT_ON_SITE)
    rows.append(on)
    ctxs.append(np.full(len(on), _CTX_ON_SITE_ANY))
    vlat, vlon = volunteers.latitude[on], volunteers.longitude[on]
    dmax = volunteers.max_distance_km[on]
    dlat = dmax / _KM_PER_DEG * 1.02 + 0.01
    with np.errstate(invalid="ignore"):
        top = np.abs(vlat) + dlat
        dlon = dmax / (_KM_PER_DEG * np.cos(np.radians(np.minimum(top, 89.0)))) * 1.02 + 0.01
        lat0 = np.floor((vlat - dlat) / _CELL_DEG)
        lat1 = np.floor((vlat + dlat) / _CELL_DEG)
        lon0 = np.floor((vlon - dlon) / _CELL_DEG)
        lon1 = np.floor((vlon + dlon) / _CELL_DEG)
        n_lon = lon1 - lon0 + 1
        count = (lat1 - lat0 + 1) * n_lon
        gridded = (
            np.isfinite(vlat)
            & np.isfinite(vlon)
            & (dmax <= _CELL_MAX_KM)
            & (top < 89.0)
            & (np.abs(vlon) + dlon < 180.0)
            & (count <= 2_000)
        )
    everywhere = on[~gridded]
    rows.append(everywhere)
    ctxs.append(np.full(len(everywhere), _CTX_EVERYWHERE))
    g = np.flatnonzero(gridded)
    return _VolunteerSide(
        fields=fields,
        keys=v_sk,
        ctx_rows=np.concatenate(rows),
        ctx_ids=np.concatenate(ctxs),
        grid_rows=on[g],
        grid_lat0=lat0[g],
        grid_lon0=lon0[g],
        grid_count=count[g].astype(np.int64),
        grid_n_lon=n_lon[g].astype(np.int64),
    )


def _prepare_missions(
    missions: MissionArrays, taxonomy: Taxonomy, params: ScoringParams, today: int
) -> _MissionSide:
    n_m, n_s = len(missions), taxonomy.n_skills
    if missions.required.shape[1] != n_s:
        raise ValueError(f"skill matrices must have {n_s} columns (taxonomy.n_skills)")

    # --- mission skill entries ---------------------------------------------------------
    req, nice = missions.required, missions.nice
    n_req = np.diff(req.indptr)
    n_nice = np.diff(nice.indptr)
    beta = params.nice_to_have_share
    req_w = np.where(n_nice > 0, 1.0 - beta, 1.0) / np.maximum(n_req, 1)
    nice_w = np.where(n_req > 0, beta, 1.0) / np.maximum(n_nice, 1)
    ms_len = (n_req + n_nice).astype(np.int64)
    ms_indptr = np.zeros(n_m + 1, dtype=np.int64)
    np.cumsum(ms_len, out=ms_indptr[1:])
    total = int(ms_indptr[-1])
    ms_skill = np.empty(total, dtype=np.int64)
    ms_level = np.empty(total, dtype=np.int64)
    ms_weight = np.empty(total, dtype=np.float32)
    ms_required = np.zeros(total, dtype=bool)
    # required entries first, then nice-to-have, per mission
    req_pos = np.repeat(ms_indptr[:-1], n_req) + _ranks(n_req)
    nice_pos = np.repeat(ms_indptr[:-1] + n_req, n_nice) + _ranks(n_nice)
    ms_skill[req_pos], ms_skill[nice_pos] = req.indices, nice.indices
    ms_level[req_pos], ms_level[nice_pos] = req.data, nice.data
    ms_weight[req_pos] = np.repeat(req_w, n_req)
    ms_weight[nice_pos] = np.repeat(nice_w, n_nice)
    ms_required[req_pos] = True
    m_no_skill = ms_len == 0
    # weighted credit tables: class 0 is the zero weight of padding slots
    classes, ms_class = np.unique(np.r_[0.0, ms_weight], return_inverse=True)
    ms_class = ms_class[1:]
    credit_table = _credit_table(params)
    weighted_credit = (classes.astype(np.float32)[:, None] * credit_table[None, :]).ravel()
    ms_offset = ms_class.astype(np.int64) * credit_table.size + ms_level * 125
    pad_width = int(min(ms_len.max(initial=0), 4))
    pad_skill = np.zeros((n_m, pad_width), dtype=np.int64)
    pad_offset = np.zeros((n_m, pad_width), dtype=np.int64)
    short = np.minimum(ms_len, pad_width)
    rows = np.repeat(np.arange(n_m), short)
    slot = _ranks(short)
    entry = ms_indptr[:-1][rows] + slot
    pad_skill[rows, slot] = ms_skill[entry]
    pad_offset[rows, slot] = ms_offset[entry]

    # --- per mission -------------------------------------------------------------------
    m_lang = missions.languages.copy()
    m_lang[m_lang == 0] = FRENCH
    m_start, m_end, m_days, m_need = _mission_time(missions, today, params)
    cause = missions.cause.astype(np.int64)
    m_cause_bit = np.where(
        cause >= 0, np.left_shift(np.uint64(1), np.maximum(cause, 0).astype(np.uint64)), 0
    ).astype(np.uint64)
    seniority_table = np.ones((5, 5), dtype=np.float32)
    seniority_table[1:, 0] = params.unknown_seniority
    seniority_table[1:, 1:] = np.array(params.seniority_fit, dtype=np.float32)
    m_fair = (
        0.5 * missions.no_applicant.astype(np.float32)
        + 0.5 * missions.small_association.astype(np.float32)
    ).astype(np.float32)
    n_groups = 0
    pe_table = np.zeros(0, dtype=bool)
    if missions.programme_eligible is not None and missions.programme_eligible.nnz:
        pe = missions.programme_eligible.tocoo()
        n_groups = int(pe.shape[1])
        pe_table = np.zeros(n_m * n_groups, dtype=bool)
        pe_table[pe.row.astype(np.int64) * n_groups + pe.col] = True
    m_x, m_y, m_z = _unit_vectors(missions.latitude, missions.longitude)
    with np.errstate(divide="ignore"):
        m_inv_need = np.where(m_need > 0, 1.0 / m_need, 0.0).astype(np.float32)
    fields = {
        "credit_table": credit_table,
        "weighted_credit": weighted_credit,
        "pad_width": pad_width,
        "pad_skill_row": pad_skill.ravel(),
        "pad_offset": pad_offset.ravel(),
        "any_long_mission": bool((ms_len > pad_width).any()),
        "ms_indptr": ms_indptr,
        "ms_len": ms_len,
        "ms_skill": ms_skill,
        "ms_level_base": ms_level * 125,
        "ms_offset": ms_offset,
        "ms_required": ms_required,
        "m_no_skill": m_no_skill,
        "m_x": m_x,
        "m_y": m_y,
        "m_z": m_z,
        "m_mode": missions.location_mode,
        "m_fbit": np.left_shift(1, missions.location_mode.astype(np.int64)).astype(np.uint8),
        "m_cause_bit": m_cause_bit,
        "m_lang": m_lang,
        "m_sen_row": (missions.preferred_seniority.astype(np.int64) + 1) * 5,
        "seniority_table": seniority_table.ravel(),
        "m_start": m_start,
        "m_end": m_end,
        "m_inv_days": (1.0 / m_days).astype(np.float32),
        "m_need": m_need,
        "m_inv_need": m_inv_need,
        "m_group": missions.programme_group,
        "m_fair": m_fair,
        "m_dept": missions.departement,
        "m_region": missions.region,
        "m_open": missions.is_open,
        "pe_table": pe_table,
        "n_groups": n_groups,
        "any_programme_group": bool((missions.programme_group >= 0).any()),
        "any_causeless": bool((missions.cause < 0).any()),
    }

    # --- candidate keys and contexts (see _volunteer_candidates) ---------------------------
    m_sk = sparse.hstack(
        [
            sparse.csr_matrix(missions.required, dtype=bool)
            + sparse.csr_matrix(missions.nice, dtype=bool),
            m_no_skill.reshape(-1, 1),
        ],
        format="csr",
        dtype=bool,
    )
    m_sk = sparse.diags(missions.is_open, dtype=bool, format="csr") @ m_sk
    m_sk.eliminate_zeros()
    mode = missions.location_mode
    lat, lon = missions.latitude, missions.longitude
    on_site = mode == ON_SITE
    located = on_site & np.isfinite(lat) & np.isfinite(lon)
    loc = np.flatnonzero(located)
    rows = [np.flatnonzero(mode == REMOTE), np.flatnonzero(mode == HYBRID)]
    rows += [np.flatnonzero(on_site & ~located), loc]
    ctxs = [_CTX_REMOTE, _CTX_HYBRID, _CTX_ON_SITE_ANY, _CTX_EVERYWHERE]
    return _MissionSide(
        fields=fields,
        pad_skill=pad_skill,
        keys=m_sk,
        ctx_rows=np.concatenate(rows),
        ctx_ids=np.repeat(ctxs, [len(r) for r in rows]),
        cell_rows=loc,
        cell_keys=_cell_key(np.floor(lat[loc] / _CELL_DEG), np.floor(lon[loc] / _CELL_DEG)),
    )


def _exclusions(excluded, n_v: int, n_m: int):
    """(ex_keys, ex_by_mission, ex_by_volunteer) of the excluded pairs."""
    if excluded is None:
        ex_v = ex_m = np.zeros(0, dtype=np.int64)
    else:
        ex_v = np.asarray(excluded[0], dtype=np.int64)
        ex_m = np.asarray(excluded[1], dtype=np.int64)
        if ex_v.shape != ex_m.shape:
            raise ValueError("excluded volunteer and mission index arrays differ in length")
        if ex_v.size and (
            ex_v.min() < 0 or ex_v.max() >= n_v or ex_m.min() < 0 or ex_m.max() >= n_m
        ):
            raise ValueError("excluded pair index out of range")
    ones = np.ones(len(ex_v), dtype=bool)
    ex_by_volunteer = sparse.csr_matrix((ones, (ex_v, ex_m)), shape=(n_v, n_m), dtype=bool)
    ex_by_mission = sparse.csr_matrix((ones, (ex_m, ex_v)), shape=(n_m, n_v), dtype=bool)
    for matrix in (ex_by_volunteer, ex_by_mission):
        matrix.sum_duplicates()
    return np.unique(ex_v * n_m + ex_m), ex_by_mission, ex_by_volunteer


def _assemble(
    volunteers: VolunteerArrays,
    missions: MissionArrays,
    taxonomy: Taxonomy,
    weights: dict[str, float],
    params: ScoringParams,
    today: int,
    weight_vector: np.ndarray,
    vside: _VolunteerSide,
    mside: _MissionSide,
    cells: np.ndarray,
    cand_vol: sparse.csr_matrix,
    cand_vol_t: sparse.csr_matrix,
    excluded,
    cand_mis: sparse.csr_matrix | None = None,
    cand_mis_t: sparse.csr_matrix | None = None,
) -> MatchingIndex:
    """The index of two prepared halves; the few arrays that depend on both are made
    here: the mission candidate matrices (unless given), exclusions, ``pad_skill_col``."""
    n_v, n_m = len(volunteers), len(missions)
    if cand_mis is None:
        cand_mis = _mission_candidates(mside, cells, taxonomy.n_skills)
        cand_mis_t = cand_mis.T.tocsr()
    ex_keys, ex_by_mission, ex_by_volunteer = _exclusions(excluded, n_v, n_m)
    return MatchingIndex(
        volunteers=volunteers,
        missions=missions,
        taxonomy=taxonomy,
        weights=weights,
        params=params,
        today=today,
        weight_vector=weight_vector,
        pad_skill_col=(mside.pad_skill * n_v).ravel(),
        cand_vol=cand_vol,
        cand_vol_t=cand_vol_t,
        cand_mis=cand_mis,
        cand_mis_t=cand_mis_t,
        ex_keys=ex_keys,
        ex_by_mission=ex_by_mission,
        ex_by_volunteer=ex_by_volunteer,
        cells=cells,
        volunteer_side=vside,
        mission_side=mside,
        **vside.fields,
        **mside.fields,
    )


#: Candidate contexts: a pair is generated only when the volunteer and the mission share a
#: skill (directly or through a related one) *in a context*: the mission's location mode
#: if the volunteer accepts it, and for located on-site missions a 0.5° grid cell within
#: the volunteer's reach (a conservative bounding box of their maximum distance).
_CTX_REMOTE, _CTX_HYBRID, _CTX_ON_SITE_ANY, _CTX_EVERYWHERE = 0, 1, 2, 3
_N_FIXED_CTX = 4
_CELL_DEG = 0.5
_CELL_MAX_KM = 250.0  # beyond, a volunteer is matched with on-site missions anywhere
_KM_PER_DEG = 111.19


def _cell_key(lat_i: np.ndarray, lon_i: np.ndarray) -> np.ndarray:
    return (lat_i.astype(np.int64) + 1000) * 10_000 + (lon_i.astype(np.int64) + 1000)


def _find_cells(cells: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found, position in ``cells``) of each key; ``cells`` distinct, in any order."""
    if not len(cells):
        return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
    order = np.argsort(cells, kind="stable")
    at = np.minimum(np.searchsorted(cells[order], keys), len(cells) - 1)
    pos = order[at]
    return cells[pos] == keys, pos


#: Candidate keys: (volunteers × keys, missions × keys) bool CSR matrices, key = context ×
#: (n_skills + 1) + skill. Column ``n_skills`` of the skill part is "any": every visible
#: volunteer has it, and so do missions listing no skill (open to everyone). The product
#: of the two matrices holds exactly the pairs that pass the skill-overlap and format
#: filters, and every on-site pair within distance (plus some beyond it, filtered when
#: scored). Contexts ``_N_FIXED_CTX + i`` are the grid cells ``MatchingIndex.cells[i]``:
#: those of the located on-site missions (:func:`build_index`; after
#: :meth:`MatchingIndex.with_missions`, possibly some more no mission uses).


def _volunteer_candidates(
    vside: _VolunteerSide,
    cells: np.ndarray,
    n_ctx: int,
    n_skills: int,
    *,
    fixed: bool = True,
) -> sparse.csr_matrix:
    """(volunteers × keys) over ``n_ctx`` contexts: the fixed ones and ``cells[i]`` as
    context ``_N_FIXED_CTX + i``; with ``fixed=False``, only the cells, as contexts
    ``0..`` (the extra keys :meth:`MatchingIndex.with_missions` appends)."""
    n_v = vside.keys.shape[0]
    first = _N_FIXED_CTX if fixed else 0
    rows, ctxs = ([vside.ctx_rows], [vside.ctx_ids]) if fixed else ([], [])
    if len(cells):
        count_g = vside.grid_count
        rank = _ranks(count_g)
        src = np.repeat(np.arange(len(count_g)), count_g)
        n_lon_g = vside.grid_n_lon[src]
        key = _cell_key(
            vside.grid_lat0[src] + rank // n_lon_g, vside.grid_lon0[src] + rank % n_lon_g
        )
        hit, at = _find_cells(cells, key)
        rows.append(vside.grid_rows[src[hit]])
        ctxs.append(first + at[hit])
    if not rows:
        rows, ctxs = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    v_ctx = _csr_from_pairs(np.concatenate(rows), np.concatenate(ctxs), n_v, n_ctx)
    return _row_product(vside.keys, v_ctx, n_skills + 1)


def _mission_candidates(mside: _MissionSide, cells: np.ndarray, n_skills: int) -> sparse.csr_matrix:
    """(missions × keys); every mission cell must be in ``cells`` (any order)."""
    n_m = mside.keys.shape[0]
    found, at = _find_cells(cells, mside.cell_keys)
    if not found.all():
        raise ValueError("a mission's grid cell is missing from the key space")
    m_ctx = _csr_from_pairs(
        np.concatenate([mside.ctx_rows, mside.cell_rows]),
        np.concatenate([mside.ctx_ids, _N_FIXED_CTX + at]),
        n_m,
        _N_FIXED_CTX + len(cells),
    )
    return _row_product(mside.keys, m_ctx, n_skills + 1)


def _csr_from_pairs(rows, cols, n_rows, n_cols) -> sparse.csr_matrix:
    rows = np.asarray(rows, dtype=np.int64)
    return sparse.csr_matrix(
        (np.ones(len(rows), dtype=bool), (rows, np.asarray(cols, dtype=np.int64))),
        shape=(n_rows, n_cols),
    )


def _row_product(a: sparse.csr_matrix, b: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    """Row-wise Cartesian product: entry (i, c * width + s) for s in a[i], c in b[i]."""
    a.eliminate_zeros()
    b.eliminate_zeros()
    n = a.shape[0]
    a_len, b_len = np.diff(a.indptr), np.diff(b.indptr)
    a_rows = np.repeat(np.arange(n), a_len)
    rep = b_len[a_rows]
    skill = np.repeat(a.indices.astype(np.int64), rep)
    ctx = b.indices[np.repeat(b.indptr[:-1][a_rows], rep) + _ranks(rep)].astype(np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(a_len * b_len, out=indptr[1:])
    n_cols = b.shape[1] * width
    index_dtype = np.int32 if n_cols < 2**31 and len(skill) < 2**31 else np.int64
    return sparse.csr_matrix(
        (
            np.ones(len(skill), dtype=bool),
            (ctx * width + skill).astype(index_dtype),
            indptr.astype(index_dtype),
        ),
        shape=(n, n_cols),
    )


def _ranks(lengths: np.ndarray) -> np.ndarray:
    """[0..l0-1, 0..l1-1, ...] for segment lengths."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    starts = np.cumsum(lengths) - lengths
    return np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)


def _mission_time(missions: MissionArrays, today: int, params: ScoringParams):
    """Effective period (inclusive day ordinals), its length and the hours a month asked."""
    start = missions.start_date.astype(np.int64)
    end = missions.end_date.astype(np.int64)
    start = np.where(start == OPEN_DATE, today, np.maximum(start, today))
    end = np.where(end == OPEN_DATE, start + params.default_mission_days - 1, end)
    start = np.minimum(start, end)
    days = (end - start + 1).astype(np.float32)
    hpw = missions.hours_per_week
    effort = missions.effort_hours
    months = np.maximum(days / DAYS_PER_MONTH, 1.0)
    with np.errstate(invalid="ignore"):
        need = np.where(
            np.isfinite(hpw) & (hpw > 0),
            hpw * params.weeks_per_month,
            np.where(np.isfinite(effort) & (effort > 0), effort / months, 0.0),
        )
    return start.astype(np.int32), end.astype(np.int32), days, need.astype(np.float32)


# ------------------------------------------------------------------------------------
# The vectorised kernel
# ------------------------------------------------------------------------------------


#: Pairs scored per block: the temporaries of a block stay in the CPU caches.
_BLOCK = 1 << 15


def _score(ix: MatchingIndex, v: np.ndarray, m: np.ndarray):
    """Score explicit pairs, all hard filters checked: (factors (F, n), score, blocked)."""
    n = len(v)
    factors = np.empty((N_FACTORS, n), dtype=np.float32)
    score = np.empty(n, dtype=np.float32)
    blocked = np.empty(n, dtype=np.uint8)
    for a in range(0, n, _BLOCK):
        b = min(a + _BLOCK, n)
        _kept, factors[:, a:b], score[a:b], blocked[a:b], _x = _score_block(ix, v[a:b], m[a:b])
    return factors, score, blocked


def _score_block(
    ix: MatchingIndex, v, m, *, trusted: bool = False, by_skill: bool = False, details=False
):
    """Score one block of pairs. Returns (kept, factors (F, n'), score, blocked, extra).

    ``trusted``: the pairs come from the candidate matrices, which already guarantee the
    skill-overlap, format, visibility and open-mission filters (the caller handles the
    exclusions); the distance and programme filters are applied and blocked pairs
    dropped: ``kept`` gives the positions of the pairs returned. Otherwise every pair is
    returned (``kept`` None) with its ``blocked`` bits. ``by_skill``: read skill codes
    column-major (faster when the block holds few missions, each with many volunteers).
    """
    p = ix.params
    n = len(v)
    blocked = np.zeros(n, dtype=np.uint8)

    # hard filters ---------------------------------------------------------------------
    if not trusted:
        blocked[(ix.v_fmt[v] & ix.m_fbit[m]) == 0] |= BLOCK_FORMAT
        blocked[~ix.v_visible[v]] |= BLOCK_INVISIBLE
        blocked[~ix.m_open[m]] |= BLOCK_CLOSED
        blocked[_is_excluded(ix, v, m)] |= BLOCK_EXCLUDED
    mode = ix.m_mode[m]
    located = np.flatnonzero(mode != REMOTE)
    dist = np.zeros(0)
    if located.size:
        vl, ml = v[located], m[located]
        dx = ix.v_x[vl] - ix.m_x[ml]
        dy = ix.v_y[vl] - ix.m_y[ml]
        dz = ix.v_z[vl] - ix.m_z[ml]
        chord = np.sqrt(dx * dx + dy * dy + dz * dz)
        dist = (2.0 * EARTH_RADIUS_KM) * np.arcsin(np.minimum(chord * 0.5, 1.0))
        # NaN distances (unknown places) are kept. A hybrid mission still needs visits:
        # beyond the distance where its place factor reaches 0, it is out of reach too.
        reach = np.where(mode[located] == ON_SITE, 1.0, p.hybrid_zero_at) * ix.v_dmax[vl]
        too_far = dist > reach
        blocked[located[too_far]] |= BLOCK_DISTANCE
    mgroup = ix.m_group[m]
    group = ix.v_group[v]
    if ix.any_programme_group and p.programme_missions_reserved:
        blocked[(mgroup >= 0) & (mgroup != group)] |= BLOCK_PROGRAMME

    kept = None
    if trusted:
        kept = np.flatnonzero(blocked == 0)
        if len(kept) < n:
            keep_mask = blocked == 0
            v, m, mode, mgroup, group = v[kept], m[kept], mode[kept], mgroup[kept], group[kept]
            if located.size:
                dist = dist[keep_mask[located]]
                located = np.flatnonzero(mode != REMOTE)
            blocked = blocked[kept]
            n = len(kept)

    factors = np.empty((N_FACTORS, n), dtype=np.float32)

    # skills (and, for untrusted pairs, the skill-overlap filter) -----------------------
    # Slot j of mission m is its j-th skill (padded to pad_width with a zero-weight
    # entry); weighted_credit[offset + code] = the entry's weight × its credit.
    if by_skill:  # column-major codes: a mission's candidates read nearby bytes
        table, vbase, slot_skill = ix.v_code_by_skill, v, ix.pad_skill_col
    else:
        table, vbase, slot_skill = ix.v_code, v * ix.n_skills, ix.pad_skill_row
    wc, slot_off, width = ix.weighted_credit, ix.pad_offset, ix.pad_width
    skills = factors[_F["skills"]]
    if width:
        mk = m * width
        skills[:] = wc[slot_off[mk] + table[vbase + slot_skill[mk]]]
        for j in range(1, width):
            pos = mk + j
            skills += wc[slot_off[pos] + table[vbase + slot_skill[pos]]]
    else:
        skills[:] = 0.0
    if ix.any_long_mission:  # skills beyond the padding
        lens = ix.ms_len[m]
        long = np.flatnonzero(lens > width)
        for j in range(width, int(lens[long].max()) if long.size else 0):
            at = long[lens[long] > j]
            pos = ix.ms_indptr[m[at]] + j
            skill = ix.ms_skill[pos]
            code = table[vbase[at] + (skill * ix.n_volunteers if by_skill else skill)]
            skills[at] += wc[ix.ms_offset[pos] + code]
    no_skill = ix.m_no_skill[m]
    skills[no_skill] = 1.0
    if not trusted:
        lens = ix.ms_len[m]
        pair = np.repeat(np.arange(n, dtype=np.int64), lens)
        pos = np.repeat(ix.ms_indptr[m], lens) + _ranks(lens)
        code = ix.v_code[v[pair] * ix.n_skills + ix.ms_skill[pos]]
        has = np.bincount(pair, weights=code >= 5, minlength=n) > 0
        blocked[~(has | no_skill)] |= BLOCK_NO_SKILL

    # format (1 unless blocked) and place ----------------------------------------------
    factors[_F["format"]] = (blocked & BLOCK_FORMAT) == 0
    place = factors[_F["place"]]
    place[:] = 1.0
    if located.size:
        vl, ml = v[located], m[located]
        f = _place_factor(dist, ix.v_dmax[vl], mode[located] == ON_SITE, p)
        unknown = np.flatnonzero(np.isnan(dist))
        if unknown.size:
            vu, mu = vl[unknown], ml[unknown]
            same_dept = (ix.v_dept[vu] >= 0) & (ix.v_dept[vu] == ix.m_dept[mu])
            same_reg = (ix.v_region[vu] >= 0) & (ix.v_region[vu] == ix.m_region[mu])
            f[unknown] = np.where(
                same_dept, p.same_departement, np.where(same_reg, p.same_region, p.unknown_place)
            )
        place[located] = f

    # cause ----------------------------------------------------------------------------
    bit = ix.m_cause_bit[m]
    mine = (ix.v_causes[v] & bit) != 0
    cause = factors[_F["cause"]]
    cause[:] = np.where(mine, np.float32(1), ix.v_cause_default[v])
    if ix.any_causeless:
        cause[bit == 0] = 1.0

    # time -----------------------------------------------------------------------------
    overlap = np.minimum(ix.v_end[v], ix.m_end[m]) - np.maximum(ix.v_start[v], ix.m_start[m])
    dates_fit = np.maximum(overlap + 1, 0).astype(np.float32) * ix.m_inv_days[m]
    inv_need = ix.m_inv_need[m]
    hours_fit = np.minimum(ix.v_hpm[v] * inv_need, np.float32(1))
    hours_fit[inv_need == 0] = 1.0
    hs = np.float32(p.hours_share)
    factors[_F["time"]] = dates_fit * ((np.float32(1) - hs) + hs * hours_fit)

    # language, seniority --------------------------------------------------------------
    missing_lang = ix.m_lang[m] & ~ix.v_lang[v]
    factors[_F["language"]] = missing_lang == 0
    seniority = factors[_F["seniority"]]
    seniority[:] = 1.0
    row = ix.m_sen_row[m]
    asks = np.flatnonzero(row > 0)
    if asks.size:
        seniority[asks] = ix.seniority_table[row[asks] + ix.v_sen_col[v[asks]]]

    # programme, fairness --------------------------------------------------------------
    eligible = (mgroup >= 0) & (mgroup == group)
    if ix.n_groups:
        sel = np.flatnonzero((group >= 0) & (group < ix.n_groups))
        if sel.size:
            eligible[sel] |= ix.pe_table[m[sel] * ix.n_groups + group[sel]]
    factors[_F["programme"]] = eligible
    factors[_F["fairness"]] = ix.m_fair[m]

    score = ix.weight_vector @ factors
    np.clip(score, 0.0, 1.0, out=score)
    extra: dict = {}
    if details:
        distance = np.full(n, np.nan, dtype=np.float32)
        distance[located] = dist
        extra = {
            "distance_km": distance,
            "dates_fit": dates_fit,
            "hours_fit": hours_fit,
            "need_hours_month": ix.m_need[m],
            "same_cause": mine,
            "missing_languages": missing_lang,
        }
    return kept, factors, score, blocked, extra


def _place_factor(d, dmax, on_site, p: ScoringParams):
    """Place factor from distances (NaN where the distance is NaN)."""
    dmax = dmax.astype(np.float64)
    half = dmax * 0.5
    f = np.ones(len(d), dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        beyond = ~(d <= half)  # includes NaN
        on = np.flatnonzero(beyond & on_site)
        if on.size:
            f[on] = np.clip((dmax[on] - d[on]) / np.maximum(dmax[on] - half[on], 1e-9), 0, 1)
        hy = np.flatnonzero(beyond & ~on_site)
        if hy.size:
            dh, mh, hh = d[hy], dmax[hy], half[hy]
            inner = 1.0 - (1.0 - p.hybrid_at_max) * (dh - hh) / np.maximum(hh, 1e-9)
            z = p.hybrid_zero_at
            outer = p.hybrid_at_max * np.clip(
                (z * mh - dh) / np.maximum((z - 1.0) * mh, 1e-9), 0.0, 1.0
            )
            f[hy] = np.where(dh <= mh, inner, outer)
    f[np.isnan(d)] = np.nan
    return np.clip(f, 0.0, 1.0).astype(np.float32)


# ------------------------------------------------------------------------------------
# Public scoring API
# ------------------------------------------------------------------------------------


@dataclass(eq=False)
class PairScores:
    """Scores of explicit pairs: ``blocked`` is a bitmask of ``BLOCK_*`` (0 = allowed)."""

    volunteers: np.ndarray  # int64
    missions: np.ndarray  # int64
    scores: np.ndarray  # float32 in [0, 1] (computed even for blocked pairs)
    factors: np.ndarray  # (n, F) float32, columns in FACTORS order
    blocked: np.ndarray  # uint8

    @property
    def allowed(self) -> np.ndarray:
        return self.blocked == 0


def _check_indices(ix, v, m):
    v = np.atleast_1d(np.asarray(v, dtype=np.int64))
    m = np.atleast_1d(np.asarray(m, dtype=np.int64))
    v, m = np.broadcast_arrays(v, m)
    if v.size and (v.min() < 0 or v.max() >= ix.n_volunteers):
        raise IndexError("volunteer index out of range")
    if m.size and (m.min() < 0 or m.max() >= ix.n_missions):
        raise IndexError("mission index out of range")
    return np.ascontiguousarray(v), np.ascontiguousarray(m)


def score_pairs(ix: MatchingIndex, volunteers, missions) -> PairScores:
    """Score any pairs (arrays broadcast together), with every hard filter checked."""
    v, m = _check_indices(ix, volunteers, missions)
    factors, score, blocked = _score(ix, v, m)
    return PairScores(v, m, score, np.ascontiguousarray(factors.T), blocked)


@dataclass(eq=False)
class TopK:
    """Top-k results for a list of owners (missions, or volunteers), in CSR layout.

    Row ``i`` is ``owners[i]``; its matches are ``items[indptr[i]:indptr[i+1]]`` (volunteer
    indices for missions, mission indices for volunteers), best first (ties: tie_key),
    with their ``scores`` and ``factors`` (rows in FACTORS order). ``candidates`` counts the
    pairs generated, ``allowed`` those that passed the hard filters (exclusions are only
    looked up in the short lists, so ``allowed`` may count a few excluded pairs).
    """

    owners: np.ndarray  # int64
    indptr: np.ndarray  # int64 (len(owners) + 1,)
    items: np.ndarray  # int64
    scores: np.ndarray  # float32
    factors: np.ndarray  # (nnz, F) float32
    candidates: int = 0
    allowed: int = 0

    def __len__(self) -> int:
        return len(self.owners)

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b = self.indptr[i], self.indptr[i + 1]
        return self.items[a:b], self.scores[a:b], self.factors[a:b]

    def __iter__(self) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        for i, owner in enumerate(self.owners):
            yield (int(owner), *self.row(i))

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(owner, item) index arrays of every row (for bulk writes)."""
        return np.repeat(self.owners, np.diff(self.indptr)), self.items

    def ranks(self) -> np.ndarray:
        """1-based rank of each item in its row."""
        return _ranks(np.diff(self.indptr)) + 1


def top_volunteers(ix: MatchingIndex, mission: int, k: int = 50) -> TopK:
    """The best ``k`` allowed volunteers for one mission (all volunteers considered)."""
    return recompute_missions(ix, [mission], k)


def top_missions(ix: MatchingIndex, volunteer: int, k: int = 50) -> TopK:
    """The best ``k`` allowed missions for one volunteer (all open missions considered)."""
    return recompute_volunteers(ix, [volunteer], k)


def score_mission(ix: MatchingIndex, mission: int) -> PairScores:
    """Every allowed volunteer for one mission, scored (vectorised over volunteers)."""
    return _all_allowed(ix, [mission], "missions")


def score_volunteer(ix: MatchingIndex, volunteer: int) -> PairScores:
    """Every allowed mission for one volunteer, scored (vectorised over missions)."""
    return _all_allowed(ix, [volunteer], "volunteers")


def _all_allowed(ix, owners, direction) -> PairScores:
    owners = np.asarray(owners, dtype=np.int64)
    limit = ix.n_missions if direction == "missions" else ix.n_volunteers
    if owners.min() < 0 or owners.max() >= limit:
        raise IndexError(f"{direction[:-1]} index out of range")
    vs, ms, scores, factors = [], [], [], []
    by_skill = direction == "missions"
    for _seg, v, m, _n in _candidate_pairs(ix, owners, direction, max_pairs=1 << 62):
        for a in range(0, len(v), _BLOCK):
            kept, f, s, _b, _x = _score_block(
                ix, v[a : a + _BLOCK], m[a : a + _BLOCK], trusted=True, by_skill=by_skill
            )
            vb, mb = v[a : a + _BLOCK][kept], m[a : a + _BLOCK][kept]
            ok = ~_is_excluded(ix, vb, mb)
            vs.append(vb[ok])
            ms.append(mb[ok])
            scores.append(s[ok])
            factors.append(f[:, ok].T)
    if not vs:
        e = np.zeros(0, dtype=np.int64)
        return PairScores(
            e, e, e.astype(np.float32), np.zeros((0, N_FACTORS), np.float32), e.astype(np.uint8)
        )
    v = np.concatenate(vs)
    return PairScores(
        v,
        np.concatenate(ms),
        np.concatenate(scores),
        np.ascontiguousarray(np.concatenate(factors)),
        np.zeros(len(v), dtype=np.uint8),
    )


def recompute_missions(
    ix: MatchingIndex,
    missions: Sequence[int] | np.ndarray,
    k: int = 50,
    *,
    max_pairs: int = 4_000_000,
) -> TopK:
    """Top-k volunteers of each mission in ``missions`` (a chunk of mission indices).

    Memory is bounded by ``max_pairs`` candidate pairs in flight (≈ 40 bytes each).
    """
    return _recompute(ix, missions, "missions", k, max_pairs)


def recompute_volunteers(
    ix: MatchingIndex,
    volunteers: Sequence[int] | np.ndarray,
    k: int = 50,
    *,
    max_pairs: int = 4_000_000,
) -> TopK:
    """Top-k missions of each volunteer in ``volunteers`` (a chunk of volunteer indices)."""
    return _recompute(ix, volunteers, "volunteers", k, max_pairs)


def _recompute(ix, owners, direction, k, max_pairs) -> TopK:
    if k < 1:
        raise ValueError("k must be >= 1")
    owners = np.atleast_1d(np.asarray(owners, dtype=np.int64))
    by_mission = direction == "missions"
    limit = ix.n_missions if by_mission else ix.n_volunteers
    if owners.size and (owners.min() < 0 or owners.max() >= limit):
        raise IndexError(f"{direction[:-1]} index out of range")
    # Excluded pairs are few: rather than testing every candidate, keep k + (the owner's
    # number of exclusions) per owner, then drop the excluded ones from that short list.
    excl = ix.ex_by_mission if by_mission else ix.ex_by_volunteer
    k_ex = k + np.diff(excl.indptr)[owners]
    out_seg, out_item, out_score, out_factors = [], [], [], []
    candidates = allowed = 0
    for seg, v, m, n_cand in _candidate_pairs(ix, owners, direction, max_pairs):
        candidates += n_cand
        item = v if by_mission else m
        # score block by block, keeping each block's top-k per owner (the top-k of a
        # union is the top-k of the union of the parts' top-k)
        for a in range(0, len(v), _BLOCK):
            b = a + _BLOCK
            kept, factors, score, _blocked, _x = _score_block(
                ix, v[a:b], m[a:b], trusted=True, by_skill=by_mission
            )
            allowed += len(kept)
            seg_b, item_b = seg[a:b][kept], item[a:b][kept]
            sel = _segment_topk(seg_b, score, item_b, k_ex, owners, exact=False)
            out_seg.append(seg_b[sel])
            out_item.append(item_b[sel])
            out_score.append(score[sel])
            out_factors.append(factors[:, sel])
    if out_seg:
        seg = np.concatenate(out_seg)
        items = np.concatenate(out_item)
        scores = np.concatenate(out_score)
        factors = np.concatenate(out_factors, axis=1)
        sel = _segment_topk(seg, scores, items, k_ex, owners)
        if ix.ex_keys.size:
            v, m = (items[sel], owners[seg[sel]]) if by_mission else (owners[seg[sel]], items[sel])
            excluded = _is_excluded(ix, v, m)
            sel = sel[~excluded]
            allowed -= int(excluded.sum())  # at least these were excluded
            s = seg[sel]
            sel = sel[np.arange(len(sel)) - np.searchsorted(s, s, side="left") < k]
        seg, items, scores = seg[sel], items[sel], scores[sel]
        factors = np.ascontiguousarray(factors[:, sel].T)
        counts = np.bincount(seg, minlength=len(owners)).astype(np.int64)
    else:
        items = np.zeros(0, dtype=np.int64)
        scores = np.zeros(0, dtype=np.float32)
        factors = np.zeros((0, N_FACTORS), dtype=np.float32)
        counts = np.zeros(len(owners), dtype=np.int64)
    indptr = np.zeros(len(owners) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return TopK(owners, indptr, items.astype(np.int64), scores, factors, candidates, allowed)


def _is_excluded(ix: MatchingIndex, v: np.ndarray, m: np.ndarray) -> np.ndarray:
    if not ix.ex_keys.size:
        return np.zeros(len(v), dtype=bool)
    keys = v * ix.n_missions + m
    at = np.minimum(np.searchsorted(ix.ex_keys, keys), ix.ex_keys.size - 1)
    return ix.ex_keys[at] == keys


def _candidate_pairs(ix, owners, direction, max_pairs):
    """Yield (segment, v, m, n_candidates) for batches of owners' candidate pairs.

    ``segment`` is the position of the owner in ``owners`` (nondecreasing). The pairs
    share a skill (or related skill) and a context with their owner; the distance and
    programme filters remain to apply (``trusted`` scoring), and the exclusions.
    """
    if direction == "missions":
        rows, cols_t = ix.cand_mis, ix.cand_vol_t
    else:
        rows, cols_t = ix.cand_vol, ix.cand_mis_t
    n_cols = cols_t.shape[1]
    # Split owners so that each sparse product stays within max_pairs (estimated from
    # the posting lists: the product's size is at most the sum of their lengths).
    posting = np.diff(cols_t.indptr)
    sub = rows[owners]
    if not sub.nnz:
        return
    cum = np.concatenate([[0], np.cumsum(posting[sub.indices])])
    est = np.minimum(cum[sub.indptr[1:]] - cum[sub.indptr[:-1]], n_cols)
    bounds = _batch_bounds(est, max_pairs)
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        cand = sub[a:b] @ cols_t  # (b - a, n_cols) bool: the candidates
        if not cand.nnz:
            continue
        n_cand = cand.nnz
        seg = np.repeat(np.arange(a, b, dtype=np.int64), np.diff(cand.indptr))
        col = cand.indices.astype(np.int64)
        del cand
        owner = owners[seg]
        v, m = (col, owner) if direction == "missions" else (owner, col)
        yield seg, v, m, n_cand


def _batch_bounds(est: np.ndarray, max_pairs: int) -> list[int]:
    bounds = [0]
    csum = np.cumsum(est)
    n = len(est)
    while bounds[-1] < n:
        start = bounds[-1]
        base = csum[start - 1] if start else 0
        end = int(np.searchsorted(csum, base + max_pairs, side="right"))
        end = max(end, start + 1)
        bounds.append(min(end, n))
    return bounds


def tie_key(owners, items) -> np.ndarray:
    """The tie-break of equal scores (lower first): a hash of (owner, item), int64.

    Deterministic (the same run twice gives the same suggestions) but unrelated to the
    database order, so that among equally good matches no volunteer or mission is always
    preferred for having a lower primary key. ``owners`` are the missions of a mission's
    list (volunteers of a volunteer's list), ``items`` what is ranked.
    """
    owners = np.asarray(owners, dtype=np.int64).astype(np.uint64)
    items = np.asarray(items, dtype=np.int64)
    x = owners * np.uint64(0x9E3779B97F4A7C15) ^ items.astype(np.uint64) * np.uint64(
        0xC2B2AE3D27D4EB4F
    )
    x ^= x >> np.uint64(29)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(32)
    return ((x & np.uint64(0xFFFFFFFF)) << np.uint64(31)).astype(np.int64) | items


def _segment_topk(
    seg: np.ndarray,
    score: np.ndarray,
    item: np.ndarray,
    k: np.ndarray,
    owners: np.ndarray,
    *,
    exact: bool = True,
    n_bins: int = 1024,
) -> np.ndarray:
    """Positions of the top-k[s] (score desc, then :func:`tie_key`) of each segment s,
    sorted by s.

    ``seg`` is nondecreasing, ``score`` float32 in [0, 1], ``k`` and ``owners`` indexed
    by segment.
    Linear time: a per-segment histogram of scores finds, for segments with more than k
    entries, a score bin that keeps at least k of them; only those survivors are sorted.
    With ``exact=False``, the survivors are returned unsorted (a superset of the top-k,
    in position order): enough for a first pass before a final exact one.
    """
    n = len(seg)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    first_seg, n_seg = int(seg[0]), int(seg[-1]) + 1
    local = seg - first_seg
    kk = k[first_seg:n_seg]
    big = np.bincount(local, minlength=n_seg - first_seg) > kk
    if big.any():
        width = n_bins + 1  # score 1.0 gets its own bin
        bins = (score * n_bins).astype(np.int64)
        if big.all():
            flat = local * width + bins
            n_big = len(big)
        else:
            in_big = big[local]
            flat = (np.cumsum(big) - 1)[local[in_big]] * width + bins[in_big]
            n_big = int(big.sum())
        hist = np.bincount(flat, minlength=n_big * width).reshape(n_big, width)
        reached = np.cumsum(hist[:, ::-1], axis=1) >= kk[big][:, None]
        thr = np.full(len(big), -1, dtype=np.int64)
        thr[big] = n_bins - np.argmax(reached, axis=1)
        sel = np.flatnonzero(bins >= thr[local])
    else:
        sel = np.arange(n, dtype=np.int64)
    if not exact:
        return sel
    # sort the survivors by (segment, score desc, tie key): two stable integer sorts
    sel = sel[np.argsort(tie_key(owners[seg[sel]], item[sel]), kind="stable")]
    bits = (score[sel] + np.float32(0)).view(np.uint32).astype(np.int64)  # monotone, >= 0
    key = (local[sel] << 32) | (0x3F800000 - bits)
    sel = sel[np.argsort(key, kind="stable")]
    s = seg[sel]
    rank = np.arange(len(sel)) - np.searchsorted(s, s, side="left")
    return sel[rank < k[s]]


# ------------------------------------------------------------------------------------
# Details for explanations
# ------------------------------------------------------------------------------------


@dataclass(eq=False)
class PairDetails:
    """What an explanation needs, for pairs ``(volunteers[i], missions[i])``.

    Skill entries (one per skill the mission lists, required first) are flat arrays with
    ``entry_pair`` giving the pair they belong to.
    """

    volunteers: np.ndarray
    missions: np.ndarray
    scores: np.ndarray
    factors: np.ndarray  # (n, F)
    blocked: np.ndarray
    distance_km: np.ndarray  # float32, NaN for remote missions or unknown places
    location_mode: np.ndarray  # int8
    same_departement: np.ndarray  # bool
    same_region: np.ndarray  # bool
    same_cause: np.ndarray  # bool
    cause_stated: np.ndarray  # bool, the volunteer lists at least one cause
    dates_fit: np.ndarray  # float32 share of the mission's period the volunteer covers
    mission_has_dates: np.ndarray  # bool, the mission states a start or an end
    hours_fit: np.ndarray  # float32
    need_hours_month: np.ndarray  # float32 hours a month asked (0 unknown)
    hours_per_month: np.ndarray  # float32 the volunteer's
    missing_languages: np.ndarray  # uint32 mask of required languages not spoken
    mission_languages: np.ndarray  # uint32 mask of the languages required (French default)
    preferred_seniority: np.ndarray  # int8
    seniority: np.ndarray  # int8
    programme_eligible: np.ndarray  # bool
    no_applicant: np.ndarray  # bool
    small_association: np.ndarray  # bool
    entry_pair: np.ndarray  # int64
    entry_skill: np.ndarray  # int64
    entry_required: np.ndarray  # bool
    entry_min_level: np.ndarray  # int64
    entry_level: np.ndarray  # int64 the volunteer's own level (0 = none)
    entry_status: np.ndarray  # int8 SKILL_*
    entry_credit: np.ndarray  # float32
    weights: np.ndarray  # (F,) float32 normalised weights the scores were computed with


def pair_details(ix: MatchingIndex, volunteers, missions) -> PairDetails:
    """Factor values and the facts behind them, vectorised (for the top-k pairs)."""
    v, m = _check_indices(ix, volunteers, missions)
    _kept, factors, score, blocked, x = _score_block(ix, v, m, details=True)
    # one entry per (pair, mission skill), required skills first
    n = len(v)
    lens = ix.ms_len[m]
    pair = np.repeat(np.arange(n, dtype=np.int64), lens)
    pos = np.repeat(ix.ms_indptr[m], lens) + _ranks(lens)
    code = ix.v_code[v[pair] * ix.n_skills + ix.ms_skill[pos]].astype(np.int64)
    credit = ix.credit_table[ix.ms_level_base[pos] + code]
    d, r, f = code // 25, (code // 5) % 5, code % 5
    min_level = ix.ms_level_base[pos] // 125
    status = np.select(
        [d >= min_level, d > 0, r > 0, f > 0],
        [SKILL_MET, SKILL_BELOW, SKILL_RELATED, SKILL_FAMILY],
        SKILL_MISSING,
    ).astype(np.int8)
    mis, vol = ix.missions, ix.volunteers
    return PairDetails(
        volunteers=v,
        missions=m,
        scores=score,
        factors=np.ascontiguousarray(factors.T),
        blocked=blocked,
        distance_km=x["distance_km"],
        location_mode=mis.location_mode[m],
        same_departement=(ix.v_dept[v] >= 0) & (ix.v_dept[v] == ix.m_dept[m]),
        same_region=(ix.v_region[v] >= 0) & (ix.v_region[v] == ix.m_region[m]),
        same_cause=x["same_cause"],
        cause_stated=ix.v_causes[v] != 0,
        dates_fit=x["dates_fit"],
        mission_has_dates=(mis.start_date[m] != OPEN_DATE) | (mis.end_date[m] != OPEN_DATE),
        hours_fit=x["hours_fit"],
        need_hours_month=x["need_hours_month"],
        hours_per_month=vol.hours_per_month[v],
        missing_languages=x["missing_languages"],
        mission_languages=ix.m_lang[m],
        preferred_seniority=mis.preferred_seniority[m],
        seniority=vol.seniority[v],
        programme_eligible=factors[_F["programme"]] > 0,
        no_applicant=mis.no_applicant[m],
        small_association=mis.small_association[m],
        entry_pair=pair,
        entry_skill=ix.ms_skill[pos],
        entry_required=ix.ms_required[pos],
        entry_min_level=min_level,
        entry_level=d,
        entry_status=status,
        entry_credit=credit,
        weights=ix.weight_vector.copy(),
    )


# ------------------------------------------------------------------------------------
# The plain Python reference (oracle and benchmark baseline)
# ------------------------------------------------------------------------------------


class ReferenceScorer:
    """The same score as a plain per-pair Python loop over Python objects.

    It reads the *raw* input dataclasses (converted once to lists, dicts and sets, as
    an ORM-based first version would hold them), not the prepared index, so it checks
    the vectorised kernel independently. ``score(v, m)`` returns (score, factors dict,
    blocked bitmask).
    """

    def __init__(self, ix: MatchingIndex):
        self.ix = ix
        vol, mis, tax = ix.volunteers, ix.missions, ix.taxonomy
        self.p = ix.params
        self.weights = ix.weights
        self.total_weight = sum(ix.weights.values())
        self.today = ix.today
        sk = vol.skills
        self.v_skills = [
            dict(
                zip(
                    sk.indices[sk.indptr[i] : sk.indptr[i + 1]].tolist(),
                    sk.data[sk.indptr[i] : sk.indptr[i + 1]].tolist(),
                    strict=True,
                )
            )
            for i in range(len(vol))
        ]
        self.v = {
            name: getattr(vol, name).tolist()
            for name in (
                "causes",
                "seniority",
                "languages",
                "formats",
                "latitude",
                "longitude",
                "max_distance_km",
                "available_from",
                "available_until",
                "hours_per_month",
                "departement",
                "region",
                "company_group",
                "visible",
            )
        }
        self.m = {
            name: getattr(mis, name).tolist()
            for name in (
                "cause",
                "location_mode",
                "latitude",
                "longitude",
                "departement",
                "region",
                "start_date",
                "end_date",
                "effort_hours",
                "hours_per_week",
                "languages",
                "preferred_seniority",
                "programme_group",
                "no_applicant",
                "small_association",
                "is_open",
            )
        }

        def rows(matrix):
            return [
                list(
                    zip(
                        matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]].tolist(),
                        matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]].tolist(),
                        strict=True,
                    )
                )
                for i in range(matrix.shape[0])
            ]

        self.m_required = rows(mis.required)
        self.m_nice = rows(mis.nice)
        self.family = tax.skill_family.tolist()
        rel = tax.related
        self.related = [
            set(rel.indices[rel.indptr[s] : rel.indptr[s + 1]].tolist())
            for s in range(tax.n_skills)
        ]
        self.eligible = set()
        if mis.programme_eligible is not None:
            coo = mis.programme_eligible.tocoo()
            self.eligible = set(zip(coo.row.tolist(), coo.col.tolist(), strict=True))
        self.excluded = set()
        coo = ix.ex_by_volunteer.tocoo()
        self.excluded = set(zip(coo.row.tolist(), coo.col.tolist(), strict=True))

    def _credit(self, levels: dict, skill: int, min_level: int) -> tuple[float, bool]:
        direct = levels.get(skill, 0)
        related = max((lv for s, lv in levels.items() if s in self.related[skill]), default=0)
        family = max(
            (lv for s, lv in levels.items() if self.family[s] == self.family[skill]), default=0
        )
        return _credit(min_level, direct, related, family, self.p), direct > 0 or related > 0

    def score(self, v: int, m: int) -> tuple[float, dict[str, float], int]:
        p, V, M = self.p, self.v, self.m
        levels = self.v_skills[v]
        blocked = 0
        f: dict[str, float] = {}
        # skills
        required, nice = self.m_required[m], self.m_nice[m]
        overlap = False
        if not required and not nice:
            f["skills"] = 1.0
            overlap = True
        else:
            main, extra = (required, nice) if required else (nice, [])
            main_cov = 0.0
            for skill, lv in main:
                c, o = self._credit(levels, skill, lv)
                main_cov += c
                overlap = overlap or o
            main_cov /= len(main)
            if extra:
                extra_cov = 0.0
                for skill, lv in extra:
                    c, o = self._credit(levels, skill, lv)
                    extra_cov += c
                    overlap = overlap or o
                extra_cov /= len(extra)
                beta = p.nice_to_have_share
                f["skills"] = (1 - beta) * main_cov + beta * extra_cov
            else:
                f["skills"] = main_cov
        if not overlap:
            blocked |= BLOCK_NO_SKILL
        # cause
        cause = M["cause"][m]
        causes = V["causes"][v]
        if cause < 0 or (causes >> cause) & 1:
            f["cause"] = 1.0
        else:
            f["cause"] = p.no_cause_stated if causes == 0 else p.other_cause
        # format and place
        mode = M["location_mode"][m]
        accepts = bool(V["formats"][v] & (1 << mode))
        f["format"] = 1.0 if accepts else 0.0
        if not accepts:
            blocked |= BLOCK_FORMAT
        if mode == REMOTE:
            f["place"] = 1.0
        else:
            d = haversine_km(
                V["latitude"][v], V["longitude"][v], M["latitude"][m], M["longitude"][m]
            )
            dmax = V["max_distance_km"][v]
            if math.isnan(d):
                if V["departement"][v] >= 0 and V["departement"][v] == M["departement"][m]:
                    f["place"] = p.same_departement
                elif V["region"][v] >= 0 and V["region"][v] == M["region"][m]:
                    f["place"] = p.same_region
                else:
                    f["place"] = p.unknown_place
            elif d <= dmax / 2:
                f["place"] = 1.0
            elif mode == ON_SITE:
                if d > dmax:
                    blocked |= BLOCK_DISTANCE
                    f["place"] = 0.0
                else:
                    f["place"] = (dmax - d) / (dmax - dmax / 2)
            elif d <= dmax:
                f["place"] = 1 - (1 - p.hybrid_at_max) * (d - dmax / 2) / (dmax / 2)
            else:
                z = p.hybrid_zero_at
                if d > z * dmax:
                    blocked |= BLOCK_DISTANCE
                f["place"] = (
                    max(0.0, p.hybrid_at_max * (z * dmax - d) / ((z - 1) * dmax))
                    if z > 1 and dmax > 0
                    else 0.0
                )
        # time
        start, end = M["start_date"][m], M["end_date"][m]
        today = self.today
        start = today if start == OPEN_DATE else max(start, today)
        end = start + p.default_mission_days - 1 if end == OPEN_DATE else end
        start = min(start, end)
        days = end - start + 1
        v_from, v_until = V["available_from"][v], V["available_until"][v]
        v_from = -math.inf if v_from == OPEN_DATE else v_from
        v_until = math.inf if v_until == OPEN_DATE else v_until
        overlap_days = max(0, min(v_until, end) - max(v_from, start) + 1)
        dates_fit = overlap_days / days
        hpw, effort = M["hours_per_week"][m], M["effort_hours"][m]
        if hpw == hpw and hpw > 0:
            need = hpw * p.weeks_per_month
        elif effort == effort and effort > 0:
            need = effort / max(days / DAYS_PER_MONTH, 1.0)
        else:
            need = 0.0
        hours_fit = min(V["hours_per_month"][v] / need, 1.0) if need > 0 else 1.0
        f["time"] = dates_fit * (1 - p.hours_share + p.hours_share * hours_fit)
        # language
        m_lang = M["languages"][m] or FRENCH
        v_lang = V["languages"][v] or FRENCH
        f["language"] = 1.0 if m_lang & ~v_lang == 0 else 0.0
        # seniority
        wanted, mine = M["preferred_seniority"][m], V["seniority"][v]
        if wanted < 0:
            f["seniority"] = 1.0
        elif mine < 0:
            f["seniority"] = p.unknown_seniority
        else:
            f["seniority"] = p.seniority_fit[wanted][mine]
        # programme
        group, mgroup = V["company_group"][v], M["programme_group"][m]
        eligible = (mgroup >= 0 and mgroup == group) or (group >= 0 and (m, group) in self.eligible)
        f["programme"] = 1.0 if eligible else 0.0
        if p.programme_missions_reserved and mgroup >= 0 and mgroup != group:
            blocked |= BLOCK_PROGRAMME
        # fairness
        f["fairness"] = 0.5 * M["no_applicant"][m] + 0.5 * M["small_association"][m]
        # filters
        if not V["visible"][v]:
            blocked |= BLOCK_INVISIBLE
        if not M["is_open"][m]:
            blocked |= BLOCK_CLOSED
        if (v, m) in self.excluded:
            blocked |= BLOCK_EXCLUDED
        score = sum(self.weights[name] * f[name] for name in FACTORS) / self.total_weight
        return min(max(score, 0.0), 1.0), {name: f[name] for name in FACTORS}, blocked


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (NaN if any coordinate is NaN)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    if h != h:
        return math.nan
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
