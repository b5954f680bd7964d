"""A planted evaluation of the engine: missions each with one clearly best volunteer
among distractors that each miss one thing (the required skill, the distance, the
dates, a language, the level, the hours...). The best must come first, and no list may
hold a volunteer who covers none of the mission's required skills."""

import datetime as dt

import numpy as np
import pytest

from matching import engine as E
from taxonomy.reference_data import RELATED_SKILLS, SKILLS

TAX = E.Taxonomy.from_codes([(code, family) for code, family, *_ in SKILLS], RELATED_SKILLS)
TODAY = dt.date(2026, 3, 2)
N_MISSIONS = 80

# What each distractor lacks, against the mission's best volunteer.
MISSES = (
    "required_skill",  # only the nice-to-have skill
    "same_family_only",  # a skill of the required one's family, not related
    "distance",  # beyond the distance they travel
    "nearly_too_far",  # within reach, at the far end
    "dates",  # away for the whole mission
    "language",  # does not speak the language asked
    "level",  # the required skill at level 1, 4 asked
    "hours",  # a quarter of the hours asked
    "cause",  # another cause
    "seniority",  # junior for a senior profile
    "format",  # does not accept on-site missions
)


def _unrelated_same_family(skill: int) -> int | None:
    family = TAX.skill_family[skill]
    related = set(TAX.related[skill].indices.tolist())
    for other in np.flatnonzero(TAX.skill_family == family).tolist():
        if other != skill and other not in related:
            return int(other)
    return None


def _planted_world(seed: int = 3):
    rng = np.random.default_rng(seed)
    n_skills = TAX.n_skills
    missions, volunteers, best = [], [], []
    for j in range(N_MISSIONS):
        # Missions far apart (a grid of places 1.5° apart), so each has its own pool.
        lat, lon = 43.0 + 1.5 * (j % 6), -1.0 + 1.5 * (j // 6) * 0.5
        required = int(rng.integers(n_skills))
        while _unrelated_same_family(required) is None:
            required = int(rng.integers(n_skills))
        nice = int(rng.integers(n_skills))
        while nice == required or nice in TAX.related[required].indices:
            nice = int(rng.integers(n_skills))
        start = TODAY + dt.timedelta(days=int(rng.integers(10, 60)))
        missions.append(
            {
                "required": {required: 4},
                "nice": {nice: 2},
                "cause": j % 10,
                "location_mode": "on_site",
                "latitude": lat,
                "longitude": lon,
                "start_date": start,
                "end_date": start + dt.timedelta(days=60),
                "hours_per_week": 4,
                "languages": ["fr", "en"],
                "preferred_seniority": "senior",
            }
        )
        ideal = {
            "skills": {required: 4, nice: 3},
            "causes": [j % 10],
            "seniority": "senior",
            "languages": ["fr", "en"],
            "latitude": lat + 0.05,
            "longitude": lon,
            "max_distance_km": 40,
            "hours_per_month": 20,
        }
        best.append(len(volunteers))
        volunteers.append(ideal)
        for miss in MISSES:
            other = dict(ideal, skills=dict(ideal["skills"]))
            if miss == "required_skill":
                other["skills"] = {nice: 4}
            elif miss == "same_family_only":
                other["skills"] = {_unrelated_same_family(required): 4, nice: 3}
            elif miss == "distance":
                other["latitude"] = lat + 0.5  # 55 km, 40 km reach
            elif miss == "nearly_too_far":
                other["latitude"] = lat + 0.34  # 38 km, 40 km reach
            elif miss == "dates":
                other["available_from"] = start + dt.timedelta(days=90)
            elif miss == "language":
                other["languages"] = ["fr"]
            elif miss == "level":
                other["skills"][required] = 1
            elif miss == "hours":
                other["hours_per_month"] = 4
            elif miss == "cause":
                other["causes"] = [(j + 1) % 10]
            elif miss == "seniority":
                other["seniority"] = "junior"
            elif miss == "format":
                other["accepts_on_site"] = False
            volunteers.append(other)
    ix = E.build_index(
        E.VolunteerArrays.from_records(volunteers, TAX.n_skills),
        E.MissionArrays.from_records(missions, TAX.n_skills),
        TAX,
        today=TODAY,
    )
    return ix, volunteers, missions, best


def _covers_a_required_skill(volunteer: dict, mission: dict) -> bool:
    own = set(volunteer["skills"])
    related = {int(s) for skill in own for s in TAX.related[skill].indices}
    return bool(set(mission["required"]) & (own | related))


@pytest.fixture(scope="module")
def world():
    return _planted_world()


def test_the_planted_best_volunteer_comes_first(world):
    ix, _volunteers, _missions, best = world
    top = E.recompute_missions(ix, np.arange(N_MISSIONS), k=10)
    firsts = [items[0] if len(items) else -1 for _owner, items, _s, _f in top]
    recall_at_1 = np.mean(np.array(firsts) == np.array(best))
    assert recall_at_1 >= 0.95


def test_no_list_holds_a_volunteer_covering_no_required_skill(world):
    ix, volunteers, missions, _best = world
    by_mission = E.recompute_missions(ix, np.arange(N_MISSIONS), k=50)
    by_volunteer = E.recompute_volunteers(ix, np.arange(len(volunteers)), k=50)
    pairs = [(int(v), owner) for owner, items, _s, _f in by_mission for v in items.tolist()]
    pairs += [(owner, int(m)) for owner, items, _s, _f in by_volunteer for m in items.tolist()]
    assert pairs
    uncovered = [
        (v, m) for v, m in pairs if not _covers_a_required_skill(volunteers[v], missions[m])
    ]
    assert uncovered == []
    # and the distractors holding only the nice-to-have (or a same-family) skill are absent
    for m, items in enumerate(items for _owner, items, _s, _f in by_mission):
        first = m * (len(MISSES) + 1)
        assert first + 1 not in items.tolist()  # "required_skill"
        assert first + 2 not in items.tolist()  # "same_family_only"
