"""The same scoring as a plain per-pair Python loop: the oracle of the tests and the
baseline of the kernel benchmark. No production module imports it."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from taxonomy.geo import haversine_km

from ..weights import FACTORS
from .arrays import (
    BLOCK_CLOSED,
    BLOCK_DISTANCE,
    BLOCK_EXCLUDED,
    BLOCK_FORMAT,
    BLOCK_INVISIBLE,
    BLOCK_NO_SKILL,
    BLOCK_PROGRAMME,
    DAYS_PER_MONTH,
    FRENCH,
    ON_SITE,
    OPEN_DATE,
    REMOTE,
)
from .index import MatchingIndex

if TYPE_CHECKING:
    from scipy import sparse
from .prepare import _credit


class ReferenceScorer:
    """The same score as a plain per-pair Python loop over Python objects.

    It reads the *raw* input dataclasses (converted once to lists, dicts and sets, as
    an ORM-based first version would hold them), not the prepared index, so it checks
    the vectorised kernel independently. ``score(v, m)`` returns (score, factors dict,
    blocked bitmask).
    """

    def __init__(self, ix: MatchingIndex) -> None:
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

        def rows(matrix: sparse.csr_matrix) -> list[list[tuple[int, int]]]:
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

    def _credit(self, levels: dict[int, int], skill: int, min_level: int) -> tuple[float, bool]:
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
            # Only a required skill qualifies (directly or through a related skill); a
            # mission requiring none is open to every volunteer.
            overlap = not required
            main_cov = 0.0
            for skill, lv in main:
                c, o = self._credit(levels, skill, lv)
                main_cov += c
                overlap = overlap or (o and bool(required))
            main_cov /= len(main)
            if extra:
                extra_cov = 0.0
                for skill, lv in extra:
                    c, _o = self._credit(levels, skill, lv)
                    extra_cov += c
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
