"""The two halves of an index, each prepared from one side's inputs alone.

:func:`_prepare_volunteers` turns the volunteers into skill codes (direct, best related,
best same-family level of every skill), per-volunteer scalars and candidate keys;
:func:`_prepare_missions` turns the missions into skill entries with their weighted
credit tables, per-mission scalars and candidate keys. :mod:`.index` joins two halves;
keeping them apart lets an index swap one side and reuse the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from ..weights import ScoringParams
from .arrays import (
    _FAR_FUTURE,
    _FAR_PAST,
    DAYS_PER_MONTH,
    FORMAT_HYBRID,
    FORMAT_ON_SITE,
    FORMAT_REMOTE,
    FRENCH,
    HYBRID,
    ON_SITE,
    OPEN_DATE,
    REMOTE,
    MissionArrays,
    Taxonomy,
    VolunteerArrays,
    _ranks,
)
from .candidates import (
    _CELL_DEG,
    _CELL_MAX_KM,
    _CTX_EVERYWHERE,
    _CTX_HYBRID,
    _CTX_ON_SITE_ANY,
    _CTX_REMOTE,
    _KM_PER_DEG,
    _cell_key,
)


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


def _credit(min_level: int, direct: int, related: int, family: int, params: ScoringParams) -> float:
    """Credit of one mission skill: the best of direct, related and same-family levels."""
    return max(
        min(direct, min_level) / min_level,
        params.related_skill_credit * min(related, min_level) / min_level,
        params.family_skill_credit * min(family, min_level) / min_level,
    )


@dataclass(eq=False)
class _VolunteerSide:
    """What :func:`build_index` derives from the volunteers alone (reused as is by
    :meth:`MatchingIndex.with_missions`)."""

    fields: dict[str, Any]  # MatchingIndex fields: v_code, v_code_by_skill and the v_* scalars
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

    fields: dict[str, Any]  # MatchingIndex fields: ms_*, pad_* (but pad_skill_col), m_* scalars...
    pad_skill: np.ndarray  # (n_m, pad_width) int64
    keys: sparse.csr_matrix  # (n_m, n_skills + 1) bool: required skills + "any" (open missions)
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
        cols: np.ndarray = rel.indices[rel.indptr[s] : rel.indptr[s + 1]]
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
    # scipy-stubs take sparse blocks only; scipy converts a dense block like this one.
    v_sk = sparse.hstack([expanded, np.ones((n_v, 1), dtype=bool)], format="csr", dtype=bool)  # type: ignore[call-overload]
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
    # Only a required skill qualifies a volunteer; a mission requiring none is open to all.
    m_no_required = n_req == 0
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
    rows: np.ndarray | list[np.ndarray] = np.repeat(np.arange(n_m), short)
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
        "m_no_required": m_no_required,
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
        [sparse.csr_matrix(missions.required, dtype=bool), m_no_required.reshape(-1, 1)],
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


def _mission_time(
    missions: MissionArrays, today: int, params: ScoringParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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
