"""What an explanation needs for a few pairs (matching/explain.py words it): the
factors and the facts behind them, one skill entry per skill the mission lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .arrays import (
    _F,
    OPEN_DATE,
    SKILL_BELOW,
    SKILL_FAMILY,
    SKILL_MET,
    SKILL_MISSING,
    SKILL_RELATED,
    _ranks,
)
from .index import MatchingIndex
from .scoring import _check_indices, _score_block


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
    max_distance_km: np.ndarray  # float32 the volunteer's own limit
    location_mode: np.ndarray  # int8
    same_departement: np.ndarray  # bool
    same_region: np.ndarray  # bool
    same_cause: np.ndarray  # bool
    cause_stated: np.ndarray  # bool, the volunteer lists at least one cause
    dates_fit: np.ndarray  # float32 share of the mission's period the volunteer covers
    mission_has_dates: np.ndarray  # bool, the mission states a start or an end
    mission_start: np.ndarray  # int32 day ordinal as stated, OPEN_DATE when none
    mission_end: np.ndarray  # int32
    available_from: np.ndarray  # int32 the volunteer's, OPEN_DATE when open
    available_until: np.ndarray  # int32
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
    # the volunteer's skill behind a related (or same-family) credit, -1 none; its level
    entry_via: np.ndarray  # int64
    entry_via_level: np.ndarray  # int64
    weights: np.ndarray  # (F,) float32 normalised weights the scores were computed with


def pair_details(
    ix: MatchingIndex, volunteers: npt.ArrayLike, missions: npt.ArrayLike
) -> PairDetails:
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
    via, via_level = _via_skills(ix, v[pair], ix.ms_skill[pos], status, code)
    return PairDetails(
        volunteers=v,
        missions=m,
        scores=score,
        factors=np.ascontiguousarray(factors.T),
        blocked=blocked,
        distance_km=x["distance_km"],
        max_distance_km=vol.max_distance_km[v],
        location_mode=mis.location_mode[m],
        same_departement=(ix.v_dept[v] >= 0) & (ix.v_dept[v] == ix.m_dept[m]),
        same_region=(ix.v_region[v] >= 0) & (ix.v_region[v] == ix.m_region[m]),
        same_cause=x["same_cause"],
        cause_stated=ix.v_causes[v] != 0,
        dates_fit=x["dates_fit"],
        mission_has_dates=(mis.start_date[m] != OPEN_DATE) | (mis.end_date[m] != OPEN_DATE),
        mission_start=mis.start_date[m],
        mission_end=mis.end_date[m],
        available_from=vol.available_from[v],
        available_until=vol.available_until[v],
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
        entry_via=via,
        entry_via_level=via_level,
        weights=ix.weight_vector.copy(),
    )


def _via_skills(
    ix: MatchingIndex,
    volunteer: np.ndarray,
    skill: np.ndarray,
    status: np.ndarray,
    code: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per skill entry, the volunteer's skill that earned a related or same-family
    credit (the first of the best level), -1 elsewhere; and that skill's level.

    Only those entries are expanded, over the volunteer's own few skills, so the cost
    follows the partial matches."""
    via = np.full(len(skill), -1, dtype=np.int64)
    via_level = np.zeros(len(skill), dtype=np.int64)
    entries = np.flatnonzero((status == SKILL_RELATED) | (status == SKILL_FAMILY))
    if not len(entries):
        return via, via_level
    taxonomy, held = ix.taxonomy, ix.volunteers.skills
    n_skills = np.int64(ix.n_skills)
    rows = volunteer[entries]
    starts = held.indptr[rows].astype(np.int64)
    lens = held.indptr[rows + 1].astype(np.int64) - starts
    entry = np.repeat(entries, lens)
    at = np.repeat(starts, lens) + _ranks(lens)
    other = held.indices[at].astype(np.int64)
    level = held.data[at].astype(np.int64)
    wanted = skill[entry]
    related = taxonomy.related.tocoo()
    related_keys = np.sort(related.row.astype(np.int64) * n_skills + related.col)
    keys = wanted * n_skills + other
    found = np.searchsorted(related_keys, keys)
    is_related = related_keys[np.minimum(found, len(related_keys) - 1)] == keys
    if not len(related_keys):
        is_related[:] = False
    by_related = status[entry] == SKILL_RELATED
    family = taxonomy.skill_family
    fits = np.where(
        by_related,
        is_related & (level == (code[entry] // 5) % 5),
        (family[other] == family[wanted]) & (other != wanted) & (level == code[entry] % 5),
    )
    first_entries, first = np.unique(entry[fits], return_index=True)
    via[first_entries] = other[fits][first]
    via_level[first_entries] = level[fits][first]
    return via, via_level


# ------------------------------------------------------------------------------------
# The plain Python reference (oracle and benchmark baseline)
# ------------------------------------------------------------------------------------
