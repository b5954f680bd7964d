"""Event teams (matching.teams): invariants, optimality on small events, quality vs greedy."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.teams import (
    SkillNeed,
    TeamProblem,
    check_assignment,
    evaluate,
    fit_max_assignment,
    greedy_assignment,
    level_credit,
    optimise_teams,
    upper_bound,
)

fast = settings(
    max_examples=25,
    derandomize=True,  # the same examples on every run: tests stay deterministic
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def random_event(
    seed: int,
    n_volunteers: int,
    n_missions: int,
    *,
    n_skills: int = 6,
    forbidden: float = 0.2,
    max_seats: int = 3,
    coverage_weight: float = 1.0,
) -> tuple[TeamProblem, dict]:
    rng = np.random.default_rng(seed)
    fit = rng.random((n_volunteers, n_missions))
    fit[rng.random(fit.shape) < forbidden] = -np.inf
    fit[rng.random(fit.shape) < forbidden / 4] = np.nan
    seats = rng.integers(0, max_seats + 1, n_missions)
    needs = [
        [
            SkillNeed(int(s), int(rng.integers(1, 4)), float(rng.choice([1.0, 0.5])))
            for s in rng.choice(n_skills, int(rng.integers(0, 4)), replace=False)
        ]
        for _ in range(n_missions)
    ]
    skills = [
        {int(s): int(rng.integers(1, 5)) for s in rng.choice(n_skills, int(rng.integers(0, 4)))}
        for _ in range(n_volunteers)
    ]
    raw = {"fit": fit, "seats": seats, "needs": needs, "skills": skills, "lam": coverage_weight}
    problem = TeamProblem.build(fit, seats, needs, skills, coverage_weight=coverage_weight)
    return problem, raw


def reference_objective(raw: dict, assignment) -> float | None:
    """The objective written out plainly, or None if the assignment is not allowed."""
    fit, seats, needs, skills = raw["fit"], raw["seats"], raw["needs"], raw["skills"]
    total = 0.0
    for v, m in enumerate(assignment):
        if m >= 0:
            if not np.isfinite(fit[v, m]):
                return None
            total += fit[v, m]
    for m, mission_needs in enumerate(needs):
        team = [v for v, mv in enumerate(assignment) if mv == m]
        if len(team) > seats[m]:
            return None
        if not mission_needs:
            total += raw["lam"]
            continue
        covered = 0.0
        for need in mission_needs:
            best = 0.0
            for v in team:
                level = skills[v].get(need.skill, 0)
                if level:
                    best = max(best, 0.5 ** max(need.min_level - level, 0))
            covered += need.weight * best
        total += raw["lam"] * covered / sum(n.weight for n in mission_needs)
    return total


def brute_force(raw: dict) -> float:
    n_volunteers, n_missions = raw["fit"].shape
    options = range(-1, n_missions)
    values = (reference_objective(raw, a) for a in itertools.product(options, repeat=n_volunteers))
    return max(v for v in values if v is not None)


def assert_valid(problem: TeamProblem, raw: dict, assignment: np.ndarray) -> None:
    check_assignment(problem, assignment)
    assert assignment.shape == (problem.n_volunteers,)  # one mission (or -1) per volunteer
    members = assignment >= 0
    used = raw["fit"][members, assignment[members]]
    assert np.isfinite(used).all(), "a forbidden pair was used"
    loads = np.bincount(assignment[members], minlength=problem.n_missions)
    assert (loads <= raw["seats"]).all(), "a team has more members than seats"


def test_level_credit_is_full_at_the_minimum_and_halves_per_missing_level():
    credit = level_credit(np.array([0, 1, 2, 3, 4]), 3)
    assert credit.tolist() == [0.0, 0.25, 0.5, 1.0, 1.0]


def test_a_related_skill_of_the_same_family_gives_partial_credit():
    problem = TeamProblem.build(
        np.ones((2, 1)),
        [2],
        [[SkillNeed(10, min_level=2)]],
        [{11: 4}, {20: 4}],
        skill_family={10: 1, 11: 1, 20: 2},
        related_credit=0.3,
    )
    assert problem.credit[:, 0].tolist() == pytest.approx([0.3, 0.0])


def test_build_rejects_negative_fit_and_mismatched_inputs():
    with pytest.raises(ValueError):
        TeamProblem.build(np.array([[-0.5]]), [1], [[]], [{}])
    with pytest.raises(ValueError):
        TeamProblem.build(np.ones((2, 1)), [1], [[]], [{}])


@fast
@given(seed=st.integers(0, 10_000), n_vol=st.integers(0, 7), n_mis=st.integers(0, 4))
def test_evaluate_matches_the_plain_definition(seed, n_vol, n_mis):
    problem, raw = random_event(seed, n_vol, n_mis)
    assignment = greedy_assignment(problem)
    assert evaluate(problem, assignment).objective == pytest.approx(
        reference_objective(raw, assignment)
    )


@fast
@given(
    seed=st.integers(0, 10_000),
    n_vol=st.integers(0, 40),
    n_mis=st.integers(0, 8),
    forbidden=st.sampled_from([0.0, 0.3, 0.9]),
    relaxation=st.booleans(),
)
def test_assignments_respect_seats_one_mission_and_forbidden_pairs(
    seed, n_vol, n_mis, forbidden, relaxation
):
    problem, raw = random_event(seed, n_vol, n_mis, forbidden=forbidden)
    for assignment in (
        optimise_teams(problem, exact_max_pairs=0, relaxation=relaxation).assignment,
        optimise_teams(problem).assignment,
        greedy_assignment(problem),
        fit_max_assignment(problem)[0],
    ):
        assert_valid(problem, raw, assignment)


def test_a_volunteer_with_every_pair_forbidden_stays_unassigned():
    fit = np.array([[0.9, 0.8], [-np.inf, np.nan], [0.1, 0.2]])
    problem = TeamProblem.build(fit, [5, 5], [[], []], [{}, {}, {}])
    for kwargs in ({}, {"exact_max_pairs": 0}):
        result = optimise_teams(problem, **kwargs)
        assert result.assignment[1] == -1
        assert result.assignment[0] >= 0 and result.assignment[2] >= 0


def test_volunteers_stay_unassigned_when_seats_run_out():
    problem, raw = random_event(3, 30, 3, max_seats=2, forbidden=0.0)
    result = optimise_teams(problem, exact_max_pairs=0)
    assert_valid(problem, raw, result.assignment)
    assert (result.assignment >= 0).sum() == problem.seats.sum()


@pytest.mark.parametrize("seed", range(8))
def test_small_events_reach_the_brute_force_optimum(seed):
    problem, raw = random_event(seed, 6, 3, coverage_weight=1.5)
    optimum = brute_force(raw)
    result = optimise_teams(problem)
    assert result.objective == pytest.approx(optimum)
    assert reference_objective(raw, result.assignment) == pytest.approx(optimum)
    assert result.upper_bound >= optimum - 1e-6
    assert result.gap == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_without_the_milp_search_finds_the_optimum_and_the_bound_stays_above_it(seed):
    problem, raw = random_event(100 + seed, 6, 3, coverage_weight=1.5)
    optimum = brute_force(raw)
    result = optimise_teams(problem, exact_max_pairs=0)
    assert result.objective == pytest.approx(optimum)
    bound, _ = upper_bound(problem)
    assert bound >= optimum - 1e-6
    assert result.upper_bound >= optimum - 1e-6


@fast
@given(seed=st.integers(0, 10_000), lam=st.sampled_from([0.0, 0.5, 2.0, 5.0]))
def test_the_optimiser_is_never_worse_than_greedy(seed, lam):
    problem, _ = random_event(seed, 60, 10, n_skills=12, max_seats=7, coverage_weight=lam)
    result = optimise_teams(problem, exact_max_pairs=0)
    greedy = evaluate(problem, greedy_assignment(problem))
    assert result.objective >= greedy.objective - 1e-9
    assert result.upper_bound >= result.objective - 1e-6


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("relaxation", [False, True])
def test_the_search_itself_beats_greedy(seed, relaxation):
    """Not just the final guard: fit optimum + local search (+ LP rounding) >= greedy."""
    problem, _ = random_event(seed, 60, 10, n_skills=12, max_seats=7, coverage_weight=2.0)
    result = optimise_teams(problem, exact_max_pairs=0, relaxation=relaxation)
    assert not result.stats["kept_greedy"]
    assert result.objective >= result.stats["greedy_objective"]


def test_without_coverage_weight_the_result_is_the_fit_optimum():
    problem, _ = random_event(11, 80, 12, max_seats=8, coverage_weight=0.0)
    result = optimise_teams(problem, exact_max_pairs=0)
    assert result.total_fit == pytest.approx(fit_max_assignment(problem)[1])
    assert result.gap < 1e-6


def test_two_specialists_of_one_skill_are_split_across_teams():
    """Both lawyers fit mission 0 best and both web developers mission 1: fit alone
    builds two one-field teams; the optimiser mixes them so that each team covers law
    and web."""
    law, web = 1, 2
    fit = np.array(
        [
            [0.9, 0.7],  # lawyer A
            [0.9, 0.7],  # lawyer B
            [0.7, 0.9],  # web developer A
            [0.7, 0.9],  # web developer B
        ]
    )
    needs = [[SkillNeed(law), SkillNeed(web)], [SkillNeed(law), SkillNeed(web)]]
    skills = [{law: 3}, {law: 4}, {web: 3}, {web: 4}]

    fit_only = evaluate(
        TeamProblem.build(fit, [2, 2], needs, skills, coverage_weight=1.0),
        fit_max_assignment(TeamProblem.build(fit, [2, 2], needs, skills))[0],
    )
    assert fit_only.coverage.tolist() == [0.5, 0.5]

    for kwargs in ({}, {"exact_max_pairs": 0}):
        problem = TeamProblem.build(fit, [2, 2], needs, skills, coverage_weight=1.0)
        result = optimise_teams(problem, **kwargs)
        assert result.coverage.tolist() == [1.0, 1.0]
        assert result.objective > fit_only.objective
        for team in result.teams():
            assert {next(iter(skills[v])) for v in team} == {law, web}


def test_result_reports_teams_coverage_and_bound():
    problem, raw = random_event(5, 50, 8, n_skills=10, max_seats=7)
    result = optimise_teams(problem, exact_max_pairs=0)
    teams = result.teams()
    assert sorted(np.concatenate(teams).tolist()) == np.flatnonzero(result.assignment >= 0).tolist()
    assert all((result.assignment[team] == m).all() for m, team in enumerate(teams))
    assert ((result.coverage >= 0) & (result.coverage <= 1)).all()
    assert result.objective == pytest.approx(reference_objective(raw, result.assignment))
    assert result.upper_bound >= result.objective - 1e-6
    assert 0 <= result.gap < 1
