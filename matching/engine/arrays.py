"""The engine's inputs and vocabulary: codes, bitmasks, block reasons, and the
dataclasses an adapter fills (:class:`Taxonomy`, :class:`VolunteerArrays`,
:class:`MissionArrays`), validated and converted to their dtypes on construction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from ..weights import FACTORS

#: Stored with every suggestion; bump when the scoring changes meaning.
ENGINE_VERSION = "1.1"

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
BLOCK_NO_SKILL = 64  # none of the mission's required skills, directly or through a related one
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

#: Default of an optional input field: ``__post_init__`` replaces it with an array of the
#: field's default, so readers always find an array (and the checker types it as one).
FILLED_IN: Any = None

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


def _as(
    name: str, value: npt.ArrayLike | None, dtype: npt.DTypeLike, n: int, default: Any = None
) -> np.ndarray:
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


def _level_matrix(
    name: str,
    matrix: sparse.csr_matrix,
    n_rows: int | None,
    n_skills: int | None = None,
) -> sparse.csr_matrix:
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

    def __post_init__(self) -> None:
        self.skill_family = np.ascontiguousarray(self.skill_family, dtype=np.int32)
        n = len(self.skill_family)
        if n and self.skill_family.min() < 0:
            raise ValueError("skill_family must be >= 0")
        related: sparse.csr_matrix | sparse.lil_matrix = sparse.csr_matrix(self.related, dtype=bool)
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
    causes: np.ndarray = FILLED_IN
    seniority: np.ndarray = FILLED_IN
    languages: np.ndarray = FILLED_IN
    formats: np.ndarray = FILLED_IN
    latitude: np.ndarray = FILLED_IN
    longitude: np.ndarray = FILLED_IN
    max_distance_km: np.ndarray = FILLED_IN
    available_from: np.ndarray = FILLED_IN
    available_until: np.ndarray = FILLED_IN
    hours_per_month: np.ndarray = FILLED_IN
    departement: np.ndarray = FILLED_IN
    region: np.ndarray = FILLED_IN
    company_group: np.ndarray = FILLED_IN
    visible: np.ndarray = FILLED_IN

    if TYPE_CHECKING:
        # The constructor takes array-likes (lists too) or None for a default;
        # __post_init__ turns each into an array of its dtype.
        def __init__(
            self,
            skills: sparse.csr_matrix,
            causes: npt.ArrayLike | None = None,
            seniority: npt.ArrayLike | None = None,
            languages: npt.ArrayLike | None = None,
            formats: npt.ArrayLike | None = None,
            latitude: npt.ArrayLike | None = None,
            longitude: npt.ArrayLike | None = None,
            max_distance_km: npt.ArrayLike | None = None,
            available_from: npt.ArrayLike | None = None,
            available_until: npt.ArrayLike | None = None,
            hours_per_month: npt.ArrayLike | None = None,
            departement: npt.ArrayLike | None = None,
            region: npt.ArrayLike | None = None,
            company_group: npt.ArrayLike | None = None,
            visible: npt.ArrayLike | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
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
    def from_records(cls, records: Sequence[Mapping[str, Any]], n_skills: int) -> VolunteerArrays:
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

        def col(key: str, default: Any, convert: Callable[[Any], Any] = lambda x: x) -> list[Any]:
            return [convert(r.get(key, default)) for r in records]

        def opt(value: Any, default: Any) -> Any:
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
    nice: sparse.csr_matrix = FILLED_IN
    cause: np.ndarray = FILLED_IN
    location_mode: np.ndarray = FILLED_IN
    latitude: np.ndarray = FILLED_IN
    longitude: np.ndarray = FILLED_IN
    departement: np.ndarray = FILLED_IN
    region: np.ndarray = FILLED_IN
    start_date: np.ndarray = FILLED_IN
    end_date: np.ndarray = FILLED_IN
    effort_hours: np.ndarray = FILLED_IN
    hours_per_week: np.ndarray = FILLED_IN
    languages: np.ndarray = FILLED_IN
    preferred_seniority: np.ndarray = FILLED_IN
    programme_group: np.ndarray = FILLED_IN
    programme_eligible: sparse.csr_matrix | None = None
    no_applicant: np.ndarray = FILLED_IN
    small_association: np.ndarray = FILLED_IN
    is_open: np.ndarray = FILLED_IN

    if TYPE_CHECKING:
        # The constructor takes array-likes (lists too) or None for a default;
        # __post_init__ turns each into an array of its dtype.
        def __init__(
            self,
            required: sparse.csr_matrix,
            nice: sparse.csr_matrix | None = None,
            cause: npt.ArrayLike | None = None,
            location_mode: npt.ArrayLike | None = None,
            latitude: npt.ArrayLike | None = None,
            longitude: npt.ArrayLike | None = None,
            departement: npt.ArrayLike | None = None,
            region: npt.ArrayLike | None = None,
            start_date: npt.ArrayLike | None = None,
            end_date: npt.ArrayLike | None = None,
            effort_hours: npt.ArrayLike | None = None,
            hours_per_week: npt.ArrayLike | None = None,
            languages: npt.ArrayLike | None = None,
            preferred_seniority: npt.ArrayLike | None = None,
            programme_group: npt.ArrayLike | None = None,
            programme_eligible: sparse.csr_matrix | None = None,
            no_applicant: npt.ArrayLike | None = None,
            small_association: npt.ArrayLike | None = None,
            is_open: npt.ArrayLike | None = None,
        ) -> None: ...

    def __post_init__(self) -> None:
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
    def from_records(cls, records: Sequence[Mapping[str, Any]], n_skills: int) -> MissionArrays:
        """From dicts. Keys, all optional: ``required`` / ``nice`` {skill index: min level},
        ``cause`` (index or None), ``location_mode`` code, ``latitude``, ``longitude``,
        ``departement``, ``region``, ``start_date`` / ``end_date`` (date or None),
        ``effort_hours``, ``hours_per_week`` (None unknown), ``languages`` [code],
        ``preferred_seniority`` code or None, ``programme_group`` (None),
        ``programme_eligible_groups`` [group], ``no_applicant``, ``small_association``,
        ``is_open``."""
        n = len(records)

        def skill_matrix(key: str) -> sparse.csr_matrix:
            rows, cols, vals = [], [], []
            for i, rec in enumerate(records):
                for skill, level in rec.get(key, {}).items():
                    rows.append(i)
                    cols.append(skill)
                    vals.append(level)
            return sparse.csr_matrix((vals, (rows, cols)), shape=(n, n_skills), dtype=np.int8)

        def col(key: str, default: Any, convert: Callable[[Any], Any] = lambda x: x) -> list[Any]:
            return [convert(r.get(key, default)) for r in records]

        def opt(default: Any) -> Callable[[Any], Any]:
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
# Shared array helper
# ------------------------------------------------------------------------------------


def _ranks(lengths: np.ndarray) -> np.ndarray:
    """[0..l0-1, 0..l1-1, ...] for segment lengths."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    starts = np.cumsum(lengths) - lengths
    ranks: np.ndarray = np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)
    return ranks
