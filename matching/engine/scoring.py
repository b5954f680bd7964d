"""The vectorised kernel: a block of (volunteer, mission) pairs to their factors, score
and hard-filter bits, and the public entry points that score explicit pairs or one
owner against every candidate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from taxonomy.geo import EARTH_RADIUS_KM

from ..weights import ScoringParams
from .arrays import (
    _F,
    BLOCK_CLOSED,
    BLOCK_DISTANCE,
    BLOCK_EXCLUDED,
    BLOCK_FORMAT,
    BLOCK_INVISIBLE,
    BLOCK_NO_SKILL,
    BLOCK_PROGRAMME,
    N_FACTORS,
    ON_SITE,
    REMOTE,
    _ranks,
)
from .candidates import _candidate_pairs
from .index import MatchingIndex, _is_excluded

#: Pairs scored per block: the temporaries of a block stay in the CPU caches.
_BLOCK = 1 << 15


def _score(
    ix: MatchingIndex, v: np.ndarray, m: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    ix: MatchingIndex,
    v: np.ndarray,
    m: np.ndarray,
    *,
    trusted: bool = False,
    by_skill: bool = False,
    details: bool = False,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Score one block of pairs. Returns (kept, factors (F, n'), score, blocked, extra).

    ``trusted``: the pairs come from the candidate matrices, which already guarantee the
    skill-overlap, format, visibility and open-mission filters (the caller handles the
    exclusions); the distance and programme filters are applied and blocked pairs
    dropped: ``kept`` gives the positions of the pairs returned. Otherwise every pair is
    returned (``kept`` None) with its ``blocked`` bits. ``by_skill``: read skill codes
    column-major (faster when the block holds few missions, each with many volunteers).
    """
    n = len(v)
    blocked = np.zeros(n, dtype=np.uint8)

    # hard filters ---------------------------------------------------------------------
    if not trusted:
        _block_untrusted(ix, v, m, blocked)
    mode = ix.m_mode[m]
    located, dist = _located_distances(ix, v, m, mode, blocked)
    mgroup = ix.m_group[m]
    group = ix.v_group[v]
    if ix.any_programme_group and ix.params.programme_missions_reserved:
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

    # factors, one row each ------------------------------------------------------------
    factors = np.empty((N_FACTORS, n), dtype=np.float32)
    _fill_skills(ix, v, m, factors[_F["skills"]], by_skill=by_skill)
    if not trusted:
        _block_no_common_skill(ix, v, m, blocked)
    factors[_F["format"]] = (blocked & BLOCK_FORMAT) == 0  # 1 unless blocked
    _fill_place(ix, v, m, mode, located, dist, factors[_F["place"]])
    same_cause = _fill_cause(ix, v, m, factors[_F["cause"]])
    dates_fit, hours_fit = _fill_time(ix, v, m, factors[_F["time"]])
    missing_lang = ix.m_lang[m] & ~ix.v_lang[v]
    factors[_F["language"]] = missing_lang == 0
    _fill_seniority(ix, v, m, factors[_F["seniority"]])
    factors[_F["programme"]] = _programme_eligible(ix, m, mgroup, group)
    factors[_F["fairness"]] = ix.m_fair[m]

    score = ix.weight_vector @ factors
    np.clip(score, 0.0, 1.0, out=score)
    extra: dict[str, np.ndarray] = {}
    if details:
        distance = np.full(n, np.nan, dtype=np.float32)
        distance[located] = dist
        extra = {
            "distance_km": distance,
            "dates_fit": dates_fit,
            "hours_fit": hours_fit,
            "need_hours_month": ix.m_need[m],
            "same_cause": same_cause,
            "missing_languages": missing_lang,
        }
    return kept, factors, score, blocked, extra


# The steps of _score_block. Those named _block_* set bits of ``blocked`` in place; those
# named _fill_* write one factor row (a view into the block's factor matrix) in place.


def _block_untrusted(ix: MatchingIndex, v: np.ndarray, m: np.ndarray, blocked: np.ndarray) -> None:
    """The filters the candidate matrices guarantee, checked for pairs given by hand."""
    blocked[(ix.v_fmt[v] & ix.m_fbit[m]) == 0] |= BLOCK_FORMAT
    blocked[~ix.v_visible[v]] |= BLOCK_INVISIBLE
    blocked[~ix.m_open[m]] |= BLOCK_CLOSED
    blocked[_is_excluded(ix, v, m)] |= BLOCK_EXCLUDED


def _located_distances(
    ix: MatchingIndex, v: np.ndarray, m: np.ndarray, mode: np.ndarray, blocked: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(positions of the on-site and hybrid pairs, their distances in km); marks those
    beyond the volunteer's reach."""
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
        reach = np.where(mode[located] == ON_SITE, 1.0, ix.params.hybrid_zero_at) * ix.v_dmax[vl]
        too_far = dist > reach
        blocked[located[too_far]] |= BLOCK_DISTANCE
    return located, dist


def _fill_skills(
    ix: MatchingIndex, v: np.ndarray, m: np.ndarray, skills: np.ndarray, *, by_skill: bool
) -> None:
    """The skills factor (1 for a mission listing no skill).

    Slot j of mission m is its j-th skill (padded to pad_width with a zero-weight
    entry); weighted_credit[offset + code] = the entry's weight × its credit.
    """
    if by_skill:  # column-major codes: a mission's candidates read nearby bytes
        table, vbase, slot_skill = ix.v_code_by_skill, v, ix.pad_skill_col
    else:
        table, vbase, slot_skill = ix.v_code, v * ix.n_skills, ix.pad_skill_row
    wc, slot_off, width = ix.weighted_credit, ix.pad_offset, ix.pad_width
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
    skills[ix.m_no_skill[m]] = 1.0


def _block_no_common_skill(
    ix: MatchingIndex, v: np.ndarray, m: np.ndarray, blocked: np.ndarray
) -> None:
    """The skill-overlap filter: a *required* skill of the mission, directly or through a
    related one (a nice-to-have skill ranks, it never qualifies)."""
    n = len(v)
    lens = ix.ms_len[m]
    pair = np.repeat(np.arange(n, dtype=np.int64), lens)
    pos = np.repeat(ix.ms_indptr[m], lens) + _ranks(lens)
    code = ix.v_code[v[pair] * ix.n_skills + ix.ms_skill[pos]]
    covered = (code >= 5) & ix.ms_required[pos]
    has = np.bincount(pair, weights=covered, minlength=n) > 0
    blocked[~(has | ix.m_no_required[m])] |= BLOCK_NO_SKILL


def _fill_place(
    ix: MatchingIndex,
    v: np.ndarray,
    m: np.ndarray,
    mode: np.ndarray,
    located: np.ndarray,
    dist: np.ndarray,
    place: np.ndarray,
) -> None:
    """The place factor: 1 for remote missions, from the distance for the others, or
    from the département / région when either place is unknown."""
    p = ix.params
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


def _fill_cause(ix: MatchingIndex, v: np.ndarray, m: np.ndarray, cause: np.ndarray) -> np.ndarray:
    """The cause factor; returns which pairs share the mission's cause."""
    bit = ix.m_cause_bit[m]
    mine: np.ndarray = (ix.v_causes[v] & bit) != 0
    cause[:] = np.where(mine, np.float32(1), ix.v_cause_default[v])
    if ix.any_causeless:
        cause[bit == 0] = 1.0
    return mine


def _fill_time(
    ix: MatchingIndex, v: np.ndarray, m: np.ndarray, time: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The time factor (dates, then hours a month); returns (dates_fit, hours_fit)."""
    overlap = np.minimum(ix.v_end[v], ix.m_end[m]) - np.maximum(ix.v_start[v], ix.m_start[m])
    dates_fit = np.maximum(overlap + 1, 0).astype(np.float32) * ix.m_inv_days[m]
    inv_need = ix.m_inv_need[m]
    hours_fit = np.minimum(ix.v_hpm[v] * inv_need, np.float32(1))
    hours_fit[inv_need == 0] = 1.0
    hs = np.float32(ix.params.hours_share)
    time[:] = dates_fit * ((np.float32(1) - hs) + hs * hours_fit)
    return dates_fit, hours_fit


def _fill_seniority(ix: MatchingIndex, v: np.ndarray, m: np.ndarray, seniority: np.ndarray) -> None:
    seniority[:] = 1.0
    row = ix.m_sen_row[m]
    asks = np.flatnonzero(row > 0)
    if asks.size:
        seniority[asks] = ix.seniority_table[row[asks] + ix.v_sen_col[v[asks]]]


def _programme_eligible(
    ix: MatchingIndex, m: np.ndarray, mgroup: np.ndarray, group: np.ndarray
) -> np.ndarray:
    """The volunteer's employer sponsors the mission: its own programme's mission, or one
    that fits an active programme of the employer's group."""
    eligible: np.ndarray = (mgroup >= 0) & (mgroup == group)
    if ix.n_groups:
        sel = np.flatnonzero((group >= 0) & (group < ix.n_groups))
        if sel.size:
            eligible[sel] |= ix.pe_table[m[sel] * ix.n_groups + group[sel]]
    return eligible


def _place_factor(
    d: np.ndarray, dmax: np.ndarray, on_site: np.ndarray, p: ScoringParams
) -> np.ndarray:
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
        allowed: np.ndarray = self.blocked == 0
        return allowed


def _check_indices(
    ix: MatchingIndex, v: npt.ArrayLike, m: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    v = np.atleast_1d(np.asarray(v, dtype=np.int64))
    m = np.atleast_1d(np.asarray(m, dtype=np.int64))
    v, m = np.broadcast_arrays(v, m)
    if v.size and (v.min() < 0 or v.max() >= ix.n_volunteers):
        raise IndexError("volunteer index out of range")
    if m.size and (m.min() < 0 or m.max() >= ix.n_missions):
        raise IndexError("mission index out of range")
    return np.ascontiguousarray(v), np.ascontiguousarray(m)


def score_pairs(
    ix: MatchingIndex, volunteers: npt.ArrayLike, missions: npt.ArrayLike
) -> PairScores:
    """Score any pairs (arrays broadcast together), with every hard filter checked."""
    v, m = _check_indices(ix, volunteers, missions)
    factors, score, blocked = _score(ix, v, m)
    return PairScores(v, m, score, np.ascontiguousarray(factors.T), blocked)


def score_mission(ix: MatchingIndex, mission: int) -> PairScores:
    """Every allowed volunteer for one mission, scored (vectorised over volunteers)."""
    return _all_allowed(ix, [mission], "missions")


def score_volunteer(ix: MatchingIndex, volunteer: int) -> PairScores:
    """Every allowed mission for one volunteer, scored (vectorised over missions)."""
    return _all_allowed(ix, [volunteer], "volunteers")


def _all_allowed(ix: MatchingIndex, owners: npt.ArrayLike, direction: str) -> PairScores:
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
