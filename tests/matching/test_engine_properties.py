"""Invariants of the matching engine, on small random worlds (hypothesis)."""

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from matching import engine as E
from matching.engine.reference import ReferenceScorer
from matching.weights import DEFAULT_PARAMS, FACTORS
from taxonomy.geo import haversine_km

SKILLS = [
    ("web", "digital"),
    ("wordpress", "digital"),
    ("seo", "digital"),
    ("cyber", "digital"),
    ("accounting", "finance"),
    ("payroll", "finance"),
    ("grants", "fundraising"),
]
TAX = E.Taxonomy.from_codes(SKILLS, [("web", "wordpress"), ("web", "seo"), ("cyber", "web")])
N_S = TAX.n_skills
TODAY = dt.date(2026, 3, 2)
FAST = settings(
    max_examples=60,
    derandomize=True,  # the same examples on every run: tests stay deterministic
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

dates = st.one_of(
    st.none(), st.dates(TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=300))
)
skill_levels = st.dictionaries(st.integers(0, N_S - 1), st.integers(1, 4), max_size=4)
place = {
    "latitude": st.one_of(st.none(), st.floats(48.3, 49.3)),
    "longitude": st.floats(1.8, 2.9),
    "departement": st.integers(-1, 2),
    "region": st.integers(-1, 1),
}
volunteers = st.fixed_dictionaries(
    {
        "skills": skill_levels,
        "causes": st.lists(st.integers(0, 4), max_size=3, unique=True),
        "seniority": st.sampled_from([None, *E.SENIORITY_CODES]),
        "languages": st.lists(st.sampled_from(["fr", "en", "es"]), max_size=2, unique=True),
        "accepts_remote": st.booleans(),
        "accepts_on_site": st.booleans(),
        "accepts_hybrid": st.booleans(),
        "max_distance_km": st.sampled_from([0, 5, 20, 60, 300]),
        "available_from": dates,
        "available_until": dates,
        "hours_per_month": st.sampled_from([0, 2, 8, 40]),
        "company_group": st.one_of(st.none(), st.integers(0, 2)),
        "visible": st.booleans(),
        **place,
    }
)
missions = st.fixed_dictionaries(
    {
        "required": skill_levels,
        "nice": st.dictionaries(st.integers(0, N_S - 1), st.integers(1, 4), max_size=2),
        "cause": st.one_of(st.none(), st.integers(0, 4)),
        "location_mode": st.sampled_from(E.LOCATION_MODES),
        "start_date": dates,
        "end_date": dates,
        "effort_hours": st.one_of(st.none(), st.sampled_from([4, 20, 80])),
        "hours_per_week": st.one_of(st.none(), st.sampled_from([1, 4])),
        "languages": st.lists(st.sampled_from(["fr", "en", "es"]), max_size=2, unique=True),
        "preferred_seniority": st.sampled_from([None, *E.SENIORITY_CODES]),
        "programme_group": st.one_of(st.none(), st.integers(0, 2)),
        "programme_eligible_groups": st.lists(st.integers(0, 2), max_size=2, unique=True),
        "no_applicant": st.booleans(),
        "small_association": st.booleans(),
        "is_open": st.booleans(),
        **place,
    }
).map(lambda m: {**m, "nice": {s: lv for s, lv in m["nice"].items() if s not in m["required"]}})


@st.composite
def worlds(draw, max_volunteers=6, max_missions=4):
    vols = draw(st.lists(volunteers, min_size=1, max_size=max_volunteers))
    miss = draw(st.lists(missions, min_size=1, max_size=max_missions))
    pairs = [(v, m) for v in range(len(vols)) for m in range(len(miss))]
    excluded = draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True))
    return vols, miss, excluded


def build(vols, miss, excluded=(), weights=None) -> E.MatchingIndex:
    ex = ([v for v, _m in excluded], [m for _v, m in excluded]) if excluded else None
    return E.build_index(
        E.VolunteerArrays.from_records(vols, N_S),
        E.MissionArrays.from_records(miss, N_S),
        TAX,
        excluded=ex,
        weights=weights,
        today=TODAY,
    )


def all_pairs(ix):
    v, m = np.meshgrid(np.arange(ix.n_volunteers), np.arange(ix.n_missions), indexing="ij")
    return E.score_pairs(ix, v.ravel(), m.ravel())


weight_overrides = st.dictionaries(
    st.sampled_from(FACTORS), st.floats(0, 5, allow_nan=False), max_size=len(FACTORS)
).filter(lambda w: sum({**dict.fromkeys(FACTORS, 1.0), **w}.values()) > 0)


@FAST
@given(worlds(), weight_overrides)
def test_scores_lie_in_the_unit_interval_and_match_the_python_loop(world, weights):
    ix = build(*world, weights=weights)
    result = all_pairs(ix)
    assert np.all((result.scores >= 0) & (result.scores <= 1))
    assert np.all((result.factors >= 0) & (result.factors <= 1))
    ref = ReferenceScorer(ix)
    for i in range(len(result.scores)):
        score, factors, blocked = ref.score(int(result.volunteers[i]), int(result.missions[i]))
        assert abs(result.scores[i] - score) < 1e-5
        assert np.allclose(result.factors[i], [factors[f] for f in FACTORS], atol=1e-5)
        assert result.blocked[i] == blocked


@FAST
@given(worlds(max_volunteers=3, max_missions=3), st.data())
def test_adding_a_required_skill_never_lowers_the_score(world, data):
    vols, miss, excluded = world
    m = data.draw(st.integers(0, len(miss) - 1))
    assume(miss[m]["required"])
    v = data.draw(st.integers(0, len(vols) - 1))
    skill = data.draw(st.sampled_from(sorted(miss[m]["required"])))
    level = data.draw(st.integers(1, 4))
    before = E.score_pairs(build(vols, miss, excluded), v, m)
    better = dict(vols[v], skills=dict(vols[v]["skills"]))
    better["skills"][skill] = max(level, better["skills"].get(skill, 0))
    after = E.score_pairs(build([*vols[:v], better, *vols[v + 1 :]], miss, excluded), v, m)
    assert after.scores[0] >= before.scores[0] - 1e-6
    assert after.factors[0][0] >= before.factors[0][0] - 1e-6
    # and it can only lift the "no common skill" filter, never add one
    assert int(after.blocked[0]) == int(before.blocked[0]) & ~E.BLOCK_NO_SKILL


@FAST
@given(worlds(max_volunteers=1, max_missions=1), st.fixed_dictionaries(place), st.data())
def test_a_remote_mission_score_does_not_depend_on_distance(world, elsewhere, data):
    vols, miss, excluded = world
    miss = [dict(miss[0], location_mode="remote")]
    moved = dict(vols[0], **elsewhere, max_distance_km=data.draw(st.sampled_from([0, 5, 1000])))
    here = E.score_pairs(build(vols, miss, excluded), 0, 0)
    there = E.score_pairs(build([moved], miss, excluded), 0, 0)
    assert here.scores[0] == there.scores[0]
    assert here.blocked[0] == there.blocked[0]
    assert np.array_equal(here.factors, there.factors)


def _allowed_by_the_records(vols, miss, excluded, v, m) -> bool:
    """The hard filters, restated from the raw records (not the engine)."""
    vol, mis = vols[v], miss[m]
    if not vol["visible"] or not mis["is_open"] or (v, m) in excluded:
        return False
    if not vol[f"accepts_{mis['location_mode']}"]:
        return False
    if mis["programme_group"] is not None and mis["programme_group"] != vol["company_group"]:
        return False
    if mis["location_mode"] != "remote" and None not in (vol["latitude"], mis["latitude"]):
        distance = haversine_km(
            vol["latitude"], vol["longitude"], mis["latitude"], mis["longitude"]
        )
        # Hybrid missions still need visits: out of reach beyond hybrid_zero_at × the max.
        reach = 1.0 if mis["location_mode"] == "on_site" else DEFAULT_PARAMS.hybrid_zero_at
        if distance > vol["max_distance_km"] * reach + 1e-6:
            return False
    # Only a required skill qualifies (directly or through a related one); a nice-to-have
    # skill never does, and a mission requiring none is open to everyone.
    required = set(mis["required"])
    if required:
        own = set(vol["skills"])
        related = {int(s) for o in own for s in TAX.related[o].indices}
        if not required & (own | related):
            return False
    return True


@FAST
@given(worlds(), st.integers(1, 4))
def test_hard_filters_are_never_violated_and_topk_is_sorted_and_bounded(world, k):
    vols, miss, excluded = world
    ix = build(vols, miss, excluded)
    result = all_pairs(ix)
    for v, m, allowed in zip(result.volunteers, result.missions, result.allowed, strict=True):
        assert allowed == _allowed_by_the_records(vols, miss, set(excluded), int(v), int(m))
    by_mission = E.recompute_missions(ix, np.arange(len(miss)), k, max_pairs=7)
    by_volunteer = E.recompute_volunteers(ix, np.arange(len(vols)), k, max_pairs=7)
    for top, owner_is_mission in ((by_mission, True), (by_volunteer, False)):
        for owner, items, scores, _factors in top:
            assert len(items) <= k
            assert np.all(np.diff(scores) <= 0)
            for item in items.tolist():
                v, m = (item, owner) if owner_is_mission else (owner, item)
                assert _allowed_by_the_records(vols, miss, set(excluded), v, m)
            # exactly the k best allowed pairs
            own = result.missions if owner_is_mission else result.volunteers
            other = result.volunteers if owner_is_mission else result.missions
            sel = np.flatnonzero((own == owner) & result.allowed)
            ties = E.tie_key(np.full(len(other), owner), other)
            best = sorted(sel.tolist(), key=lambda i: (-float(result.scores[i]), int(ties[i])))
            assert items.tolist() == [int(other[i]) for i in best[:k]]
