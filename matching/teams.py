"""Event teams: assign the volunteers of a Probono Marathon or Factory to mission teams.

Pure numpy/scipy, no Django: the adapter loads the event into a :class:`TeamProblem` and
stores the :class:`TeamResult` for staff to review and publish.

The problem. An event has M missions, each with a number of ``seats`` and a list of
skill needs (skill, minimum level, importance weight), and V registered volunteers, each
with skill levels (1-4) and a precomputed fit score per (volunteer, mission) in [0, 1]
(from the scoring engine; ``-inf`` or ``NaN`` means "not allowed"). Each volunteer joins
at most one team (volunteers may stay unassigned when seats run out), each team has at
most ``seats`` members, and we maximise::

    objective = sum of the members' fit + sum over missions of  λ_m · coverage(team)

where ``coverage(team)`` is the importance-weighted fraction of the mission's needs that
someone in the team covers: a member at or above the minimum level covers a need fully,
each missing level halves the credit, and (optionally) a skill of the same family gives
``related_credit`` of that. Only the best member counts for each need, so a second
specialist of the same skill adds nothing to coverage: teams that cover their mission
mix fields. ``λ_m`` (``coverage_weight``) is the value of a fully covered team in units
of one volunteer's fit.

The solver, not a greedy pass (:func:`optimise_teams`):

1. the exact fit optimum under the seat limits (``linear_sum_assignment`` on the
   volunteers × seats matrix), the starting point;
2. a local search on the full, non-linear objective: swaps between two teams, swaps with
   an unassigned volunteer, moves into a free seat. All candidate moves are scored at
   once with numpy (a volunteers × volunteers "replace this member by that volunteer"
   gain matrix, refreshed only for the teams that changed), and every round applies the
   best improving moves that touch disjoint teams, until no move improves or the time
   budget is spent;
3. the LP relaxation of an exact linear model of the objective (each need counts one
   "coverer" among the team's members), solved by column generation with HiGHS. Its
   prices give a proven upper bound (a Lagrangian bound, valid even when stopped early),
   so the result can say "within x% of the optimum"; its solution, nearly integral, is
   rounded and improved by the same local search, and the better assignment is kept.

Small events (few allowed pairs) are solved exactly as a MILP instead, and the result is
never worse than :func:`greedy_assignment`. The local search holds two V × V float64
matrices: 64 MB for 2,000 volunteers, 800 MB for 7,000; split larger events.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, linprog, milp

__all__ = [
    "SkillNeed",
    "TeamProblem",
    "TeamResult",
    "check_assignment",
    "evaluate",
    "fit_max_assignment",
    "greedy_assignment",
    "optimise_teams",
    "simple_upper_bound",
    "upper_bound",
]

#: Default value of a fully covered team, in units of one volunteer's fit.
DEFAULT_COVERAGE_WEIGHT = 2.0
_EPS = 1e-9


@dataclass(frozen=True)
class SkillNeed:
    """One skill a mission needs: ``weight`` is its importance (1 required, 0.5 nice)."""

    skill: int
    min_level: int = 2
    weight: float = 1.0


def level_credit(level: np.ndarray, min_level: np.ndarray) -> np.ndarray:
    """Credit of a skill level against a minimum: 1 at or above it, halved per level short.

    A level of 0 means "does not have the skill" and gives 0.
    """
    level = np.asarray(level, dtype=np.float64)
    short = np.maximum(np.asarray(min_level, dtype=np.float64) - level, 0.0)
    return np.where(level > 0, 0.5**short, 0.0)


@dataclass(frozen=True, eq=False)
class TeamProblem:
    """An event compiled to arrays. Build it with :meth:`TeamProblem.build`.

    ``credit[v, r]`` is volunteer v's credit in [0, 1] for need r; needs are numbered
    mission by mission (``req_start[m]:req_start[m + 1]`` are mission m's), and
    ``req_value[r]`` is what covering need r fully is worth in the objective
    (``λ_m`` × its share of the mission's importance).
    """

    fit: np.ndarray  # (V, M) float64, -inf where not allowed
    seats: np.ndarray  # (M,) int64
    credit: np.ndarray  # (V, R) float64
    req_mission: np.ndarray  # (R,) int64
    req_start: np.ndarray  # (M + 1,) int64
    req_share: np.ndarray  # (R,) float64, the need's share of its mission's importance
    req_value: np.ndarray  # (R,) float64
    coverage_weight: np.ndarray  # (M,) float64
    constant: float  # λ of the missions without needs (their coverage is always 1)
    credit_t: np.ndarray = field(repr=False)  # (R, V) contiguous copy of credit.T
    req_by_mission: sparse.csr_matrix = field(repr=False)  # (R, M) indicator

    @property
    def n_volunteers(self) -> int:
        n: int = self.fit.shape[0]
        return n

    @property
    def n_missions(self) -> int:
        n: int = self.fit.shape[1]
        return n

    @property
    def allowed(self) -> np.ndarray:
        finite: np.ndarray = np.isfinite(self.fit)
        return finite

    @classmethod
    def build(
        cls,
        fit: np.ndarray,
        seats: Sequence[int] | np.ndarray,
        needs: Sequence[Iterable[SkillNeed | tuple[int, int] | tuple[int, int, float]]],
        volunteer_skills: Sequence[Mapping[int, int]],
        *,
        coverage_weight: float | Sequence[float] | np.ndarray = DEFAULT_COVERAGE_WEIGHT,
        skill_family: Mapping[int, int] | None = None,
        related_credit: float = 0.0,
    ) -> TeamProblem:
        """Compile an event.

        ``fit``: (V, M) scores in [0, 1], ``-inf``/``NaN`` for a forbidden pair.
        ``seats``: team size limit per mission. ``needs``: per mission, its skill needs as
        :class:`SkillNeed` or ``(skill, min_level[, weight])`` tuples. ``volunteer_skills``:
        per volunteer, ``{skill: level}``. ``coverage_weight``: λ, one number or one per
        mission. ``skill_family`` and ``related_credit``: a volunteer with another skill of
        the need's family gets ``related_credit`` × its level credit.
        """
        fit = np.array(fit, dtype=np.float64)
        if fit.ndim != 2:
            raise ValueError("fit must be a (volunteers, missions) array")
        n_vol, n_mis = fit.shape
        fit[~np.isfinite(fit)] = -np.inf
        finite = fit[np.isfinite(fit)]
        if finite.size and finite.min() < 0:
            raise ValueError("allowed fit scores must be >= 0 (use -inf to forbid a pair)")
        seats = np.asarray(seats, dtype=np.int64)
        if seats.shape != (n_mis,) or (seats < 0).any():
            raise ValueError("seats must give a non-negative size for every mission")
        if len(needs) != n_mis or len(volunteer_skills) != n_vol:
            raise ValueError("needs and volunteer_skills must match the shape of fit")
        lam = np.broadcast_to(np.asarray(coverage_weight, dtype=np.float64), (n_mis,)).copy()
        if (lam < 0).any():
            raise ValueError("coverage_weight must be >= 0")

        rows: list[tuple[int, int, int, float]] = []  # (mission, skill, min level, weight)
        for m, mission_needs in enumerate(needs):
            merged: dict[int, tuple[int, float]] = {}
            for need in mission_needs:
                need = need if isinstance(need, SkillNeed) else SkillNeed(*need)
                if need.weight < 0:
                    raise ValueError("need weights must be >= 0")
                merged[need.skill] = (need.min_level, need.weight)
            rows.extend((m, s, lvl, w) for s, (lvl, w) in merged.items() if w > 0)
        req_mission = np.array([r[0] for r in rows], dtype=np.int64)
        req_skill = np.array([r[1] for r in rows], dtype=np.int64)
        req_min = np.array([r[2] for r in rows], dtype=np.int64)
        req_weight = np.array([r[3] for r in rows], dtype=np.float64)
        counts = np.bincount(req_mission, minlength=n_mis)
        req_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        mission_total = np.bincount(req_mission, weights=req_weight, minlength=n_mis)
        req_share = req_weight / mission_total[req_mission] if rows else np.zeros(0)
        req_value = lam[req_mission] * req_share

        # Dense levels over the skills that matter (those some mission needs).
        skill_ids = np.unique(req_skill)
        skill_index = {int(s): i for i, s in enumerate(skill_ids)}
        levels = np.zeros((n_vol, len(skill_ids)), dtype=np.int64)
        fam_of_need: np.ndarray | None = None
        fam_levels: np.ndarray | None = None
        if skill_family is not None and related_credit > 0:
            # Keyed by family, looked up with a skill's family or None (skill unknown).
            families: dict[int | None, int] = {
                f: i for i, f in enumerate(sorted(set(skill_family.values())))
            }
            fam_of_need = np.array([families.get(skill_family.get(int(s)), -1) for s in req_skill])
            fam_levels = np.zeros((n_vol, len(families) + 1), dtype=np.int64)  # last: none
        for v, skills in enumerate(volunteer_skills):
            for s, lvl in skills.items():
                i = skill_index.get(int(s))
                if i is not None:
                    levels[v, i] = max(levels[v, i], int(lvl))
                if fam_levels is not None:
                    family_of = cast("Mapping[int, int]", skill_family)  # with fam_levels
                    f = families.get(family_of.get(int(s)))
                    if f is not None:
                        fam_levels[v, f] = max(fam_levels[v, f], int(lvl))
        req_col = np.array([skill_index[int(s)] for s in req_skill], dtype=np.int64)
        credit = level_credit(levels[:, req_col], req_min[None, :])
        if fam_levels is not None:
            related = related_credit * level_credit(fam_levels[:, fam_of_need], req_min[None, :])
            credit = np.maximum(credit, related)
        indicator = sparse.csr_matrix(
            (np.ones(len(rows)), (np.arange(len(rows)), req_mission)), shape=(len(rows), n_mis)
        )
        return cls(
            fit=fit,
            seats=seats,
            credit=credit,
            req_mission=req_mission,
            req_start=req_start,
            req_share=req_share,
            req_value=req_value,
            coverage_weight=lam,
            constant=float(lam[counts == 0].sum()),
            credit_t=np.ascontiguousarray(credit.T),
            req_by_mission=indicator,
        )


@dataclass
class TeamResult:
    """An assignment and its figures.

    ``assignment[v]`` is volunteer v's mission index, or -1. ``coverage[m]`` is team m's
    coverage in [0, 1] (1 for a mission without needs). ``upper_bound`` is a proven bound
    on the best possible objective (NaN if not computed); ``gap`` is how far below it the
    objective is, as a fraction of it.
    """

    assignment: np.ndarray
    coverage: np.ndarray
    total_fit: float
    objective: float
    upper_bound: float = float("nan")
    fit_optimum: float = float("nan")
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        if not np.isfinite(self.upper_bound) or self.upper_bound <= 0:
            return float("nan")
        return max(0.0, (self.upper_bound - self.objective) / self.upper_bound)

    @property
    def mean_coverage(self) -> float:
        return float(self.coverage.mean()) if self.coverage.size else 1.0

    def teams(self) -> list[np.ndarray]:
        """The members of each mission's team (volunteer indices)."""
        order = np.argsort(self.assignment, kind="stable")
        sorted_a = self.assignment[order]
        n_mis = self.coverage.shape[0]
        bounds = np.searchsorted(sorted_a, np.arange(n_mis + 1))
        return [order[bounds[m] : bounds[m + 1]] for m in range(n_mis)]


# --------------------------------------------------------------------------- evaluation


def _ragged_arange(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + c)`` for each (s, c)."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(np.asarray(starts, dtype=np.int64) - (np.cumsum(counts) - counts), counts)
    return offsets + np.arange(total, dtype=np.int64)


def _member_needs(
    problem: TeamProblem, members: np.ndarray, missions: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(volunteer, need) pairs for each member and each need of its mission, by member."""
    counts = problem.req_start[missions + 1] - problem.req_start[missions]
    return np.repeat(members, counts), _ragged_arange(problem.req_start[missions], counts), counts


def _best_credits(
    problem: TeamProblem, assignment: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every need: best credit in its team, who holds it, and the second best."""
    n_req = problem.req_mission.shape[0]
    top1 = np.zeros(n_req)
    top2 = np.zeros(n_req)
    holder = np.full(n_req, -1, dtype=np.int64)
    members = np.flatnonzero(assignment >= 0)
    pv, pr, _ = _member_needs(problem, members, assignment[members])
    if pr.size:
        val = problem.credit[pv, pr]
        order = np.lexsort((-val, pr))
        pr, pv, val = pr[order], pv[order], val[order]
        first = np.ones(pr.size, dtype=bool)
        first[1:] = pr[1:] != pr[:-1]
        second = np.zeros(pr.size, dtype=bool)
        second[1:] = first[:-1] & ~first[1:]
        top1[pr[first]] = val[first]
        holder[pr[first]] = pv[first]
        top2[pr[second]] = val[second]
    return top1, holder, top2


def _coverage(problem: TeamProblem, top1: np.ndarray) -> np.ndarray:
    """Coverage of every team in [0, 1] from its best credit per need."""
    n_mis = problem.n_missions
    weight = problem.req_share
    has_needs = np.diff(problem.req_start) > 0
    covered = np.bincount(problem.req_mission, weights=weight * top1, minlength=n_mis)
    total = np.bincount(problem.req_mission, weights=weight, minlength=n_mis)
    return np.where(has_needs, np.divide(covered, np.maximum(total, _EPS)), 1.0)


def check_assignment(problem: TeamProblem, assignment: np.ndarray) -> np.ndarray:
    """Validate an assignment (shape, seats, allowed pairs); return it as an int array."""
    a = np.asarray(assignment, dtype=np.int64)
    if a.shape != (problem.n_volunteers,):
        raise ValueError("assignment must give one mission (or -1) per volunteer")
    if ((a < -1) | (a >= problem.n_missions)).any():
        raise ValueError("assignment refers to an unknown mission")
    members = np.flatnonzero(a >= 0)
    if not np.isfinite(problem.fit[members, a[members]]).all():
        raise ValueError("assignment uses a forbidden (volunteer, mission) pair")
    if (np.bincount(a[members], minlength=problem.n_missions) > problem.seats).any():
        raise ValueError("assignment exceeds a mission's seats")
    return a


def evaluate(problem: TeamProblem, assignment: np.ndarray) -> TeamResult:
    """Figures of any valid assignment: total fit, team coverage and the objective."""
    a = check_assignment(problem, assignment)
    members = np.flatnonzero(a >= 0)
    total_fit = float(problem.fit[members, a[members]].sum())
    top1, _, _ = _best_credits(problem, a)
    objective = total_fit + float(problem.req_value @ top1) + problem.constant
    return TeamResult(
        assignment=a.copy(),
        coverage=_coverage(problem, top1),
        total_fit=total_fit,
        objective=objective,
    )


# --------------------------------------------------------------------------- baselines


def greedy_assignment(problem: TeamProblem) -> np.ndarray:
    """The obvious first version: volunteers by best fit, each takes its best free mission."""
    fit = problem.fit
    free = problem.seats.copy()
    a = np.full(problem.n_volunteers, -1, dtype=np.int64)
    best = fit.max(axis=1, initial=-np.inf)
    for v in np.argsort(-best, kind="stable"):
        if not np.isfinite(best[v]):
            continue
        row = np.where(free > 0, fit[v], -np.inf)
        m = int(np.argmax(row))
        if np.isfinite(row[m]):
            a[v] = m
            free[m] -= 1
    return a


def fit_max_assignment(problem: TeamProblem) -> tuple[np.ndarray, float]:
    """The exact maximum of total fit under the seat limits, ignoring coverage.

    A rectangular assignment between volunteers and seats (each mission's column repeated
    ``seats`` times). A forbidden pair is worth 0 there, the same as staying unassigned,
    and is dropped afterwards, so the optimum is the constrained one.
    """
    n_vol = problem.n_volunteers
    a = np.full(n_vol, -1, dtype=np.int64)
    columns = np.repeat(np.arange(problem.n_missions), problem.seats)
    if n_vol == 0 or columns.size == 0:
        return a, 0.0
    value = np.where(np.isfinite(problem.fit), problem.fit, 0.0)[:, columns]
    rows, cols = linear_sum_assignment(value, maximize=True)
    missions = columns[cols]
    ok = np.isfinite(problem.fit[rows, missions]) & (problem.fit[rows, missions] > 0)
    a[rows[ok]] = missions[ok]
    return a, float(problem.fit[rows[ok], missions[ok]].sum())


# --------------------------------------------------------------------------- local search


class _LocalSearch:
    """Best-improvement local search with batched, non-conflicting moves.

    ``replace[v1, v2]`` is the change of the objective if volunteer v2 took assigned
    volunteer v1's place in v1's team (v2's own team left aside). It depends only on the
    composition of v1's team, so a round refreshes only the rows of teams that changed.
    A swap of v1 (team m1) and v2 (team m2 != m1) gains ``replace[v1, v2] + replace[v2,
    v1]``; v1 handing its place to an unassigned v2 gains ``replace[v1, v2]``; a move of v
    into a free seat of m gains ``add[v, m] + leave[v]``. Moves touching distinct teams do
    not interact, so each round applies every such improving move at once.
    """

    def __init__(self, problem: TeamProblem, assignment: np.ndarray):
        self.p = problem
        self.a = assignment.copy()
        n_vol, n_mis = problem.fit.shape
        self.load = np.bincount(self.a[self.a >= 0], minlength=n_mis)
        self.replace = np.zeros((n_vol, n_vol), dtype=np.float64)
        self.add = np.zeros((n_vol, n_mis), dtype=np.float64)
        self.leave = np.zeros(n_vol, dtype=np.float64)
        # swap[v1, v2]: gain of swapping two members of different teams, -inf otherwise.
        self.swap = np.full((n_vol, n_vol), -np.inf)
        self.rounds = 0
        self.moves = 0

    def _refresh(self, missions: np.ndarray, left: np.ndarray) -> None:
        """Bring the gains up to date after ``missions`` changed and ``left`` joined the pool."""
        p, a = self.p, self.a
        self.swap[left] = -np.inf
        self.swap[:, left] = -np.inf
        self.top1, self.holder, self.top2 = _best_credits(p, a)
        # Free-seat gains for the changed missions' columns.
        for m in missions:
            lo, hi = p.req_start[m], p.req_start[m + 1]
            gain = np.maximum(p.credit[:, lo:hi] - self.top1[lo:hi], 0.0) @ p.req_value[lo:hi]
            self.add[:, m] = p.fit[:, m] + gain
        members = np.flatnonzero(np.isin(a, missions))
        # Rows of the replacement matrix, by blocks to bound memory.
        block = max(1, 2_000_000 // max(p.n_volunteers * 4, 1))
        for start in range(0, members.size, block):
            self._refresh_rows(members[start : start + block])
        for start in range(0, members.size, block):
            self._refresh_swaps(members[start : start + block])

    def _refresh_swaps(self, members: np.ndarray) -> None:
        a = self.a
        gains = self.replace[members] + self.replace[:, members].T
        gains[(a[None, :] < 0) | (a[None, :] == a[members][:, None])] = -np.inf
        self.swap[members] = gains
        self.swap[:, members] = gains.T

    def _refresh_rows(self, members: np.ndarray) -> None:
        p, a = self.p, self.a
        missions = a[members]
        pv, pr, counts = _member_needs(p, members, missions)
        own_fit = p.fit[members, missions]
        rows = p.fit[:, missions].T - own_fit[:, None]
        if pr.size:
            without = np.where(self.holder[pr] == pv, self.top2[pr], self.top1[pr])
            lost = (self.top1[pr] - without) @ sparse.csr_matrix(
                (p.req_value[pr], (np.arange(pr.size), np.repeat(np.arange(members.size), counts))),
                shape=(pr.size, members.size),
            )
            self.leave[members] = -own_fit - lost
            gain = np.maximum(p.credit_t[pr], without[:, None])
            gain -= self.top1[pr][:, None]
            gain *= p.req_value[pr][:, None]
            has = counts > 0
            rows[has] += np.add.reduceat(gain, (np.cumsum(counts) - counts)[has], axis=0)
        else:
            self.leave[members] = -own_fit
        self.replace[members] = rows

    def _candidates(self) -> tuple[np.ndarray, ...]:
        """Best move per volunteer of each kind: (gain, kind, v1, v2 or mission)."""
        a, p = self.a, self.p
        members = np.flatnonzero(a >= 0)
        pool = np.flatnonzero(a < 0)
        out = []
        if members.size > 1:
            j = np.argmax(self.swap, axis=1)
            g = self.swap[np.arange(a.size), j]
            ok = g > _EPS
            out.append((g[ok], np.zeros(ok.sum(), int), np.flatnonzero(ok), j[ok]))
        if members.size and pool.size:
            sub = self.replace[np.ix_(members, pool)]
            j = np.argmax(sub, axis=1)
            g = sub[np.arange(members.size), j]
            ok = g > _EPS
            out.append((g[ok], np.ones(ok.sum(), int), members[ok], pool[j[ok]]))
        open_missions = np.flatnonzero(self.load < p.seats)
        if open_missions.size:
            leave = np.where(a >= 0, self.leave, 0.0)
            sub = self.add[:, open_missions] + leave[:, None]
            own = np.flatnonzero(np.isin(a, open_missions))
            sub[own, np.searchsorted(open_missions, a[own])] = -np.inf
            j = np.argmax(sub, axis=1)
            g = sub[np.arange(a.size), j]
            ok = g > _EPS
            vs = np.flatnonzero(ok)
            out.append((g[ok], np.full(ok.sum(), 2), vs, open_missions[j[ok]]))
        if not out:
            return np.zeros(0), np.zeros(0, int), np.zeros(0, int), np.zeros(0, int)
        return tuple(np.concatenate(parts) for parts in zip(*out, strict=True))

    def run(self, deadline: float, max_rounds: int = 10_000) -> None:
        p, a = self.p, self.a
        changed = np.arange(p.n_missions)
        left = np.zeros(0, dtype=np.int64)
        while self.rounds < max_rounds:
            self._refresh(changed, left)
            if time.perf_counter() > deadline:
                break
            gains, kinds, first, second = self._candidates()
            if gains.size == 0:
                break
            self.rounds += 1
            used_missions: set[int] = set()
            used_volunteers: set[int] = set()
            touched: list[int] = []
            unassigned: list[int] = []
            for k in np.argsort(-gains, kind="stable"):
                kind, v1, x = int(kinds[k]), int(first[k]), int(second[k])
                volunteers: tuple[int, ...]
                missions: tuple[int, ...]
                if kind == 2:
                    volunteers, missions = (v1,), (int(a[v1]), x)
                else:
                    volunteers, missions = (v1, x), (int(a[v1]), int(a[x]))
                missions = tuple(m for m in missions if m >= 0)
                if used_volunteers.intersection(volunteers) or used_missions.intersection(missions):
                    continue
                used_volunteers.update(volunteers)
                used_missions.update(missions)
                touched.extend(missions)
                if kind == 2:
                    if a[v1] >= 0:
                        self.load[a[v1]] -= 1
                    a[v1] = x
                    self.load[x] += 1
                else:
                    if kind == 1:
                        unassigned.append(v1)
                    a[v1], a[x] = a[x], a[v1]
                self.moves += 1
            changed = np.unique(np.array(touched, dtype=np.int64))
            left = np.array(unassigned, dtype=np.int64)


# --------------------------------------------------------------------------- linear model


def _linear_model(
    problem: TeamProblem, pv: np.ndarray, pm: np.ndarray, min_credit: float = 0.0
) -> tuple[np.ndarray, sparse.csr_matrix, np.ndarray]:
    """Exact linear model of the objective over the (volunteer, mission) pairs given.

    Columns: ``x[k]`` (pair k is used) then ``z[j]`` (the volunteer of pair k_j is the one
    counted for need r_j of that mission). Rows (all ``<=``): one mission per volunteer,
    seats per mission, one counted volunteer per need, and ``z[j] <= x[k_j]``. With ``x``
    integer it is the problem itself (the best member is counted for each need); with
    ``x`` in [0, 1] it is the LP relaxation. ``min_credit`` leaves out the weaker ``z``
    (a smaller, faster LP: the bound computed from its prices stays valid). Returns
    ``(c, A, b)`` for minimising ``c @ [x, z]`` subject to ``A @ [x, z] <= b``.
    """
    n_vol, n_mis = problem.fit.shape
    n_req = problem.req_mission.shape[0]
    n_pairs = pv.size
    counts = problem.req_start[pm + 1] - problem.req_start[pm]
    zk = np.repeat(np.arange(n_pairs), counts)
    zr = _ragged_arange(problem.req_start[pm], counts)
    zc = problem.credit[pv[zk], zr]
    keep = zc > min_credit
    zk, zr, zc = zk[keep], zr[keep], zc[keep]
    n_z = zk.size
    c = -np.concatenate([problem.fit[pv, pm], problem.req_value[zr] * zc])
    x_cols, z_cols = np.arange(n_pairs), n_pairs + np.arange(n_z)
    link = n_vol + n_mis + n_req + np.arange(n_z)
    rows = np.concatenate([pv, n_vol + pm, n_vol + n_mis + zr, link, link])
    cols = np.concatenate([x_cols, x_cols, z_cols, z_cols, zk])
    vals = np.concatenate([np.ones(2 * n_pairs + 2 * n_z), -np.ones(n_z)])
    shape = (n_vol + n_mis + n_req + n_z, n_pairs + n_z)
    a_ub = sparse.csr_matrix((vals, (rows, cols)), shape=shape)
    b_ub = np.concatenate(
        [np.ones(n_vol), problem.seats.astype(np.float64), np.ones(n_req), np.zeros(n_z)]
    )
    return c, a_ub, b_ub


def _lagrangian_bound(
    problem: TeamProblem, seat_price: np.ndarray, need_price: np.ndarray
) -> tuple[float, np.ndarray]:
    """A valid upper bound for any prices >= 0 on seats and on needs.

    Relaxing "at most ``seats`` members" and "one counted member per need" with these
    prices lets each volunteer pick, alone, the mission (or none) worth most to them:
    ``fit + sum over its needs of max(0, value × credit - need price) - seat price``.
    Returns the bound and that (V, M) value matrix (its excess over a volunteer's own
    price is the reduced cost used to price pairs into the LP).
    """
    gain = np.maximum(problem.credit * problem.req_value - need_price, 0.0)
    value = problem.fit + np.asarray(gain @ problem.req_by_mission) - seat_price
    best = np.maximum(value.max(axis=1, initial=-np.inf), 0.0)
    bound = need_price.sum() + problem.seats @ seat_price + best.sum() + problem.constant
    return float(bound), value


@dataclass
class _Relaxation:
    bound: float
    info: dict[str, Any]
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # (v, m, x) of the LP


def _relax(
    problem: TeamProblem,
    incumbent: np.ndarray | None,
    *,
    deadline: float,
    tolerance: float = 1e-4,
    start_pairs: int = 2,
    pairs_per_round: int = 3,
    min_credit: float = 0.4,
    max_rounds: int = 50,
) -> _Relaxation:
    """Column generation on the LP relaxation; see :func:`upper_bound`."""
    started = time.perf_counter()
    n_vol, n_mis = problem.fit.shape
    n_req = problem.req_mission.shape[0]
    allowed = problem.allowed
    best_bound, _ = _lagrangian_bound(problem, np.zeros(n_mis), np.zeros(n_req))
    info = {"rounds": 0, "lp_value": float("nan"), "converged": False, "pairs": 0}
    relaxation = _Relaxation(best_bound, info)
    if n_vol == 0 or n_mis == 0:
        info["converged"] = True
        return relaxation
    optimistic = problem.fit + np.asarray(
        (problem.credit * problem.req_value) @ problem.req_by_mission
    )
    rows = np.arange(n_vol)[:, None]
    in_model = np.zeros((n_vol, n_mis), dtype=bool)
    k = min(start_pairs, n_mis)
    in_model[rows, np.argpartition(-optimistic, k - 1, axis=1)[:, :k]] = True
    if incumbent is not None:
        members = np.flatnonzero(incumbent >= 0)
        in_model[members, incumbent[members]] = True
    in_model &= allowed
    for _ in range(max_rounds):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        pv, pm = np.nonzero(in_model)
        c, a_ub, b_ub = _linear_model(problem, pv, pm, min_credit)
        # scipy-stubs take a dense A_ub only; HiGHS takes this sparse one as it is.
        res = linprog(  # type: ignore[call-overload]
            c,
            A_ub=a_ub,
            b_ub=b_ub,
            bounds=(0, None),
            method="highs-ds",
            options={"presolve": False, "time_limit": remaining},
        )
        if res.status != 0:
            break
        info["rounds"] += 1
        info["pairs"] = int(pv.size)
        info["lp_value"] = float(-res.fun) + problem.constant
        relaxation.pairs = (pv, pm, res.x[: pv.size])
        prices = np.maximum(-res.ineqlin.marginals, 0.0)
        own = prices[:n_vol]
        bound, value = _lagrangian_bound(
            problem, prices[n_vol : n_vol + n_mis], prices[n_vol + n_mis : n_vol + n_mis + n_req]
        )
        best_bound = min(best_bound, bound)
        relaxation.bound = best_bound
        if best_bound - info["lp_value"] <= tolerance * abs(best_bound):
            info["converged"] = True
            break
        reduced = value - own[:, None]
        reduced[in_model | ~allowed] = -np.inf
        entering = reduced > 1e-7
        if not entering.any():
            info["converged"] = True
            break
        k = min(pairs_per_round, n_mis)
        top = np.argpartition(-reduced, k - 1, axis=1)[:, :k]
        in_model[rows, top] |= entering[rows, top]
    info["seconds"] = time.perf_counter() - started
    return relaxation


def upper_bound(
    problem: TeamProblem,
    incumbent: np.ndarray | None = None,
    *,
    time_limit: float = 30.0,
    tolerance: float = 1e-4,
) -> tuple[float, dict[str, Any]]:
    """A proven upper bound on the best objective, from the LP relaxation of the model.

    Column generation: the LP starts with each volunteer's two most promising missions
    (and the incumbent's pairs); pairs with a positive reduced cost are priced in until
    none is left, the time limit is reached, or the bound is within ``tolerance`` of the
    LP. The bound returned is the Lagrangian bound of the LP's prices
    (:func:`_lagrangian_bound`), valid whenever it stops, and equal to the LP optimum
    when it converges. Returns ``(bound, info)``.
    """
    relaxation = _relax(
        problem, incumbent, deadline=time.perf_counter() + time_limit, tolerance=tolerance
    )
    return relaxation.bound, relaxation.info


def simple_upper_bound(problem: TeamProblem, fit_optimum: float | None = None) -> float:
    """The obvious bound: the fit optimum plus λ × each team's best possible coverage.

    Each mission's best coverage is the one it would have with every allowed volunteer.
    Cheap, but loose as soon as covering the teams costs fit (see :func:`upper_bound`).
    """
    if fit_optimum is None:
        fit_optimum = fit_max_assignment(problem)[1]
    reachable = np.where(problem.allowed[:, problem.req_mission], problem.credit, 0.0)
    best = reachable.max(axis=0, initial=0.0)
    return float(fit_optimum + problem.req_value @ best + problem.constant)


def _round(problem: TeamProblem, pv: np.ndarray, pm: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A feasible assignment from an LP solution: pairs by decreasing x, while they fit."""
    a = np.full(problem.n_volunteers, -1, dtype=np.int64)
    free = problem.seats.copy()
    for k in np.argsort(-x, kind="stable"):
        if x[k] <= 1e-6:
            break
        v, m = pv[k], pm[k]
        if a[v] < 0 and free[m] > 0:
            a[v] = m
            free[m] -= 1
    return a


def solve_exact(problem: TeamProblem, *, time_limit: float = 10.0) -> tuple[np.ndarray, bool]:
    """The optimum of a small event, as a MILP. Returns ``(assignment, proven optimal)``."""
    pv, pm = np.nonzero(problem.allowed)
    a = np.full(problem.n_volunteers, -1, dtype=np.int64)
    if pv.size == 0:
        return a, True
    c, a_ub, b_ub = _linear_model(problem, pv, pm)
    integrality = np.zeros(c.size)
    integrality[: pv.size] = 1
    res = milp(
        c,
        constraints=LinearConstraint(a_ub, -np.inf, b_ub),
        # scipy-stubs want integers; milp reads this 0/1 float array the same.
        integrality=integrality,  # type: ignore[arg-type]
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit},
    )
    if res.x is None:
        return a, False
    chosen = res.x[: pv.size] > 0.5
    a[pv[chosen]] = pm[chosen]
    return a, res.status == 0


# --------------------------------------------------------------------------- entry point


def optimise_teams(
    problem: TeamProblem,
    *,
    time_budget: float = 10.0,
    relaxation: bool = True,
    exact_max_pairs: int = 1_500,
    start: np.ndarray | None = None,
) -> TeamResult:
    """Assign volunteers to mission teams, maximising fit plus λ × team coverage.

    1. the exact fit optimum under the seat limits (or ``start``, if given);
    2. local search on the full objective from there;
    3. with ``relaxation``: the LP relaxation by column generation, which proves the
       upper bound reported in the result; its (nearly integral) solution is rounded and
       improved by the same local search, and the better of the two assignments is kept.
    Events with at most ``exact_max_pairs`` allowed pairs are solved exactly as a MILP
    instead. Everything stops at ``time_budget`` seconds (the result is then the best
    found so far, and the bound the best proven so far).
    """
    started = time.perf_counter()
    deadline = started + time_budget
    stats: dict[str, Any] = {}
    a, fit_optimum = fit_max_assignment(problem)
    stats["fit_max_seconds"] = time.perf_counter() - started
    if start is not None:
        a = check_assignment(problem, start).copy()
    best = evaluate(problem, a)
    proven = False

    if int(problem.allowed.sum()) <= exact_max_pairs:
        exact, proven = solve_exact(problem, time_limit=max(0.1, deadline - time.perf_counter()))
        stats["exact"] = proven
        candidate = evaluate(problem, exact)
        if candidate.objective >= best.objective:
            best = candidate
        if proven:
            best.upper_bound = best.objective

    if not proven:
        t = time.perf_counter()
        search = _LocalSearch(problem, best.assignment)
        # Leave time for the relaxation and a second search.
        search.run(deadline - (0.6 * time_budget if relaxation else 0.0))
        best = evaluate(problem, search.a)
        stats.update(search_rounds=search.rounds, search_moves=search.moves)
        stats["search_seconds"] = time.perf_counter() - t

    if relaxation and not proven and time.perf_counter() < deadline:
        t = time.perf_counter()
        relaxed = _relax(problem, best.assignment, deadline=deadline - 0.15 * time_budget)
        stats["relaxation"] = relaxed.info
        stats["relaxation_seconds"] = time.perf_counter() - t
        if relaxed.pairs is not None:
            t = time.perf_counter()
            rounded = _LocalSearch(problem, _round(problem, *relaxed.pairs))
            rounded.run(deadline)
            candidate = evaluate(problem, rounded.a)
            stats.update(
                rounded_search_rounds=rounded.rounds,
                rounded_search_moves=rounded.moves,
                rounded_search_seconds=time.perf_counter() - t,
                rounded_objective=candidate.objective,
                first_search_objective=best.objective,
            )
            if candidate.objective > best.objective:
                best = candidate
        best.upper_bound = relaxed.bound

    # Never worse than the obvious first version, by construction.
    greedy = evaluate(problem, greedy_assignment(problem))
    stats["greedy_objective"] = greedy.objective
    stats["kept_greedy"] = bool(greedy.objective > best.objective)
    if stats["kept_greedy"]:
        greedy.upper_bound = best.upper_bound
        best = greedy
    best.fit_optimum = fit_optimum
    stats["seconds"] = time.perf_counter() - started
    best.stats = stats
    return best
