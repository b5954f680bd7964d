"""The prepared index: :class:`MatchingIndex`, :func:`build_index`, and the swap of one
side (:meth:`MatchingIndex.with_missions`, :meth:`MatchingIndex.with_volunteers`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from scipy import sparse

from ..weights import DEFAULT_PARAMS, FACTORS, ScoringParams, resolve_weights
from .arrays import MissionArrays, Taxonomy, VolunteerArrays
from .candidates import _N_FIXED_CTX, _find_cells, _mission_candidates, _volunteer_candidates
from .prepare import _MissionSide, _prepare_missions, _prepare_volunteers, _VolunteerSide


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
    m_no_skill: np.ndarray  # bool: lists no skill at all (skills factor 1)
    m_no_required: np.ndarray  # bool: requires no skill (open to every volunteer)
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
        excluded: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
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
        cells = cast(np.ndarray, self.cells)  # _prepared checked it
        cand_vol, cand_vol_t = self.cand_vol, self.cand_vol_t
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
        excluded: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
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
        cells = cast(np.ndarray, self.cells)  # _prepared checked it
        cand_vol = _volunteer_candidates(vside, cells, _N_FIXED_CTX + len(cells), n_s)
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
            cells,
            cand_vol,
            cand_vol.T.tocsr(),
            excluded,
            cand_mis=self.cand_mis,
            cand_mis_t=self.cand_mis_t,
        )

    def _prepared(self, name: str) -> Any:
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


def build_index(
    volunteers: VolunteerArrays,
    missions: MissionArrays,
    taxonomy: Taxonomy,
    *,
    excluded: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
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


def _exclusions(
    excluded: tuple[npt.ArrayLike, npt.ArrayLike] | None, n_v: int, n_m: int
) -> tuple[np.ndarray, sparse.csr_matrix, sparse.csr_matrix]:
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
    excluded: tuple[npt.ArrayLike, npt.ArrayLike] | None,
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
        cand_mis_t=cast(sparse.csr_matrix, cand_mis_t),  # given with cand_mis, or made above
        ex_keys=ex_keys,
        ex_by_mission=ex_by_mission,
        ex_by_volunteer=ex_by_volunteer,
        cells=cells,
        volunteer_side=vside,
        mission_side=mside,
        **vside.fields,
        **mside.fields,
    )


def _is_excluded(ix: MatchingIndex, v: np.ndarray, m: np.ndarray) -> np.ndarray:
    if not ix.ex_keys.size:
        return np.zeros(len(v), dtype=bool)
    keys = v * ix.n_missions + m
    at = np.minimum(np.searchsorted(ix.ex_keys, keys), ix.ex_keys.size - 1)
    excluded: np.ndarray = ix.ex_keys[at] == keys
    return excluded
