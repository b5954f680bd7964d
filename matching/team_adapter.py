"""Database adapter of the event-team optimiser (``matching/teams.py``).

Loads an event programme's registered volunteers and its missions, scores every pair
with the matching engine (hard filters included: a forbidden pair stays forbidden),
compiles the :class:`~matching.teams.TeamProblem` (seats, required and nice-to-have
skills with their minimum levels, volunteers' skill levels, skill families) and
returns the optimised assignment as (volunteer pk, mission pk) pairs. Storing it is
the companies app's business (``companies.programmes``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils import timezone

from missions.models import Mission, MissionSkill
from taxonomy.models import Skill
from volunteers.models import VolunteerSkill

from . import engine, teams
from .adapter import Positions, load_missions, load_taxonomy, load_volunteers
from .weights import resolve_params

NICE_TO_HAVE_WEIGHT = 0.5
RELATED_CREDIT = 0.5


@dataclass
class EventTeams:
    pairs: list[tuple[int, int]]  # (volunteer pk, mission pk)
    unassigned: list[int]  # volunteer pks left without a team
    missions_left_out: list[int]  # mission pks the engine cannot staff (closed, full)
    coverage: dict[int, float]  # mission pk → share of its skill needs the team covers
    gap: float  # distance to the proven upper bound (NaN if not computed)


def propose_teams(
    *, volunteer_ids: list[int], mission_ids: list[int], time_budget: float = 5.0
) -> EventTeams:
    """The optimised teams for these volunteers and missions."""
    taxonomy, skill_position, _names = load_taxonomy()
    positions = Positions.load(skill_position)
    v_ids, volunteers = load_volunteers(positions, sorted(volunteer_ids))
    m_ids, missions = load_missions(positions, sorted(mission_ids))
    left_out = sorted(set(mission_ids) - set(m_ids.tolist()))
    if not len(v_ids) or not len(m_ids):
        return EventTeams([], sorted(volunteer_ids), left_out, {}, float("nan"))
    index = engine.build_index(
        volunteers,
        missions,
        taxonomy,
        weights=getattr(settings, "MATCHING_WEIGHTS", None),
        params=resolve_params(getattr(settings, "MATCHING_PARAMS", None)),
        today=timezone.localdate(),
    )
    n_v, n_m = len(v_ids), len(m_ids)
    grid_v, grid_m = np.meshgrid(np.arange(n_v), np.arange(n_m), indexing="ij")
    scores = engine.score_pairs(index, grid_v.ravel(), grid_m.ravel())
    fit = np.where(scores.allowed, scores.scores.astype(np.float64), -np.inf).reshape(n_v, n_m)

    mission_pos = {int(pk): i for i, pk in enumerate(m_ids)}
    needs: list[list[teams.SkillNeed]] = [[] for _ in range(n_m)]
    for mission_id, skill_id, min_level, importance in MissionSkill.objects.filter(
        mission_id__in=m_ids.tolist()
    ).values_list("mission_id", "skill_id", "min_level", "importance"):
        weight = 1.0 if importance == MissionSkill.Importance.REQUIRED else NICE_TO_HAVE_WEIGHT
        needs[mission_pos[mission_id]].append(teams.SkillNeed(skill_id, min_level, weight))
    volunteer_pos = {int(pk): i for i, pk in enumerate(v_ids)}
    skills: list[dict[int, int]] = [{} for _ in range(n_v)]
    for profile_id, skill_id, level in VolunteerSkill.objects.filter(
        profile_id__in=v_ids.tolist()
    ).values_list("profile_id", "skill_id", "level"):
        skills[volunteer_pos[profile_id]][skill_id] = level
    seats = missions_seats(m_ids.tolist())
    problem = teams.TeamProblem.build(
        fit,
        [seats[int(pk)] for pk in m_ids],
        needs,
        skills,
        skill_family=dict(Skill.objects.values_list("pk", "family_id")),
        related_credit=RELATED_CREDIT,
    )
    result = teams.optimise_teams(problem, time_budget=time_budget)
    pairs = [
        (int(v_ids[v]), int(m_ids[m])) for v, m in enumerate(result.assignment.tolist()) if m >= 0
    ]
    assigned = {v for v, _m in pairs}
    return EventTeams(
        pairs=pairs,
        unassigned=sorted(set(volunteer_ids) - assigned),
        missions_left_out=left_out,
        coverage={int(m_ids[m]): float(c) for m, c in enumerate(result.coverage)},
        gap=result.gap,
    )


def missions_seats(mission_ids: list[int]) -> dict[int, int]:
    return dict(Mission.objects.filter(pk__in=mission_ids).values_list("pk", "seats"))
