"""The matching engine's pure core (matching.engine, .weights, .explain): no database."""

import datetime as dt
import math

import numpy as np
import pytest
from scipy import sparse

from matching import engine as E
from matching import explain as X
from matching.engine.reference import ReferenceScorer
from matching.weights import (
    DEFAULT_WEIGHTS,
    FACTORS,
    ScoringParams,
    resolve_params,
    resolve_weights,
)

SKILLS = [
    ("web", "digital", "Développement web", "Web development"),
    ("wordpress", "digital", "WordPress", "WordPress"),
    ("seo", "digital", "Référencement", "SEO"),
    ("cyber", "digital", "Cybersécurité", "Cybersecurity"),
    ("accounting", "finance", "Comptabilité", "Accounting"),
    ("payroll", "finance", "Paie", "Payroll"),
    ("grants", "fundraising", "Subventions", "Grants"),
]
TAX = E.Taxonomy.from_codes(
    [(code, family) for code, family, *_ in SKILLS], [("web", "wordpress"), ("web", "seo")]
)
NAMES = X.SkillNames.from_reference(SKILLS)
S = {code: i for i, (code, *_rest) in enumerate(SKILLS)}
TODAY = dt.date(2026, 3, 2)
PARIS = (48.8566, 2.3522)


def km_north(km: float, origin=PARIS) -> tuple[float, float]:
    return origin[0] + km / 111.195, origin[1]


def volunteer(**over) -> dict:
    rec = {"skills": {S["web"]: 3}, "causes": [0], "latitude": PARIS[0], "longitude": PARIS[1]}
    rec.update(over)
    return rec


def mission(**over) -> dict:
    rec = {"required": {S["web"]: 2}, "cause": 0, "latitude": PARIS[0], "longitude": PARIS[1]}
    rec.update(over)
    return rec


def build(volunteers, missions, **kw) -> E.MatchingIndex:
    return E.build_index(
        E.VolunteerArrays.from_records(volunteers, TAX.n_skills),
        E.MissionArrays.from_records(missions, TAX.n_skills),
        TAX,
        today=TODAY,
        **kw,
    )


def one(v: dict, m: dict, **kw):
    """(score, {factor: value}, blocked) of a single pair, checked against the reference."""
    ix = build([v], [m], **kw)
    result = E.score_pairs(ix, [0], [0])
    factors = dict(zip(FACTORS, result.factors[0].tolist(), strict=True))
    ref_score, ref_factors, ref_blocked = ReferenceScorer(ix).score(0, 0)
    assert result.scores[0] == pytest.approx(ref_score, abs=1e-5)
    for name in FACTORS:
        assert factors[name] == pytest.approx(ref_factors[name], abs=1e-5), name
    assert int(result.blocked[0]) == ref_blocked
    return float(result.scores[0]), factors, int(result.blocked[0])


# --- skills ------------------------------------------------------------------------------


def test_skill_at_or_above_the_minimum_level_is_fully_covered():
    _, f, blocked = one(volunteer(skills={S["web"]: 4}), mission(required={S["web"]: 2}))
    assert f["skills"] == 1.0
    assert blocked == 0


@pytest.mark.parametrize(("level", "minimum", "credit"), [(1, 2, 0.5), (3, 4, 0.75), (1, 4, 0.25)])
def test_skill_below_the_minimum_level_gets_proportional_credit(level, minimum, credit):
    _, f, blocked = one(volunteer(skills={S["web"]: level}), mission(required={S["web"]: minimum}))
    assert f["skills"] == pytest.approx(credit)
    assert blocked == 0


def test_related_skill_gets_half_credit_and_qualifies():
    _, f, blocked = one(volunteer(skills={S["wordpress"]: 3}), mission(required={S["web"]: 2}))
    assert f["skills"] == pytest.approx(0.5)
    assert blocked == 0


def test_same_family_skill_gets_a_quarter_but_alone_does_not_qualify():
    _, f, blocked = one(volunteer(skills={S["cyber"]: 4}), mission(required={S["web"]: 2}))
    assert f["skills"] == pytest.approx(0.25)
    assert blocked == E.BLOCK_NO_SKILL
    _, f, blocked = one(
        volunteer(skills={S["cyber"]: 4, S["accounting"]: 2}),
        mission(required={S["web"]: 2, S["accounting"]: 2}),
    )
    assert f["skills"] == pytest.approx((0.25 + 1.0) / 2)
    assert blocked == 0


def test_a_nice_to_have_skill_alone_never_qualifies():
    m = mission(required={S["web"]: 2}, nice={S["grants"]: 1})
    score, f, blocked = one(volunteer(skills={S["grants"]: 4}), m)
    assert blocked == E.BLOCK_NO_SKILL
    assert f["skills"] > 0  # it still ranks: the share of the nice-to-have skill
    ix = build([volunteer(skills={S["grants"]: 4})], [m])
    assert len(E.top_volunteers(ix, 0).items) == 0
    assert len(E.top_missions(ix, 0).items) == 0


def test_a_related_required_skill_qualifies_and_the_nice_to_have_one_ranks():
    m = mission(required={S["web"]: 2}, nice={S["grants"]: 1})
    related_only, f_related, blocked = one(volunteer(skills={S["seo"]: 3}), m)
    assert blocked == 0
    with_nice, f_nice, blocked = one(volunteer(skills={S["seo"]: 3, S["grants"]: 2}), m)
    assert blocked == 0
    assert with_nice > related_only and f_nice["skills"] > f_related["skills"]


def test_a_mission_requiring_no_skill_is_open_to_everyone_and_ranks_by_nice_to_have():
    m = mission(required={}, nice={S["grants"]: 2})
    _, without, blocked = one(volunteer(skills={S["payroll"]: 2}), m)
    assert blocked == 0
    _, holder, blocked = one(volunteer(skills={S["grants"]: 2}), m)
    assert blocked == 0
    assert holder["skills"] == 1.0 and without["skills"] == 0.0
    ix = build([volunteer(skills={S["payroll"]: 2}), volunteer(skills={S["grants"]: 2})], [m])
    assert E.top_volunteers(ix, 0).items.tolist() == [1, 0]


def test_nice_to_have_skills_add_a_bonus_share():
    m = mission(required={S["web"]: 2}, nice={S["grants"]: 1})
    _, without, _ = one(volunteer(skills={S["web"]: 3}), m)
    _, with_it, _ = one(volunteer(skills={S["web"]: 3, S["grants"]: 1}), m)
    assert without["skills"] == pytest.approx(0.8)
    assert with_it["skills"] == pytest.approx(1.0)


def test_mission_with_only_nice_to_have_skills_is_scored_on_them():
    m = mission(required={}, nice={S["grants"]: 1, S["payroll"]: 1})
    _, f, blocked = one(volunteer(skills={S["grants"]: 2}), m)
    assert f["skills"] == pytest.approx(0.5)  # grants covered, payroll (finance) not at all
    assert blocked == 0


def test_mission_without_skills_is_open_to_everyone():
    _, f, blocked = one(volunteer(skills={}), mission(required={}))
    assert f["skills"] == 1.0
    assert blocked == 0


def test_missing_required_skills_are_reported():
    ix = build(
        [volunteer(skills={S["web"]: 3, S["accounting"]: 1, S["wordpress"]: 2})],
        [mission(required={S["web"]: 2, S["accounting"]: 2, S["seo"]: 1, S["grants"]: 1})],
    )
    details = E.pair_details(ix, [0], [0])
    status = dict(zip(details.entry_skill.tolist(), details.entry_status.tolist(), strict=True))
    assert status == {
        S["web"]: E.SKILL_MET,
        S["accounting"]: E.SKILL_BELOW,
        S["seo"]: E.SKILL_RELATED,  # via web
        S["grants"]: E.SKILL_MISSING,
    }


# --- cause, seniority, language ------------------------------------------------------------


@pytest.mark.parametrize(
    ("causes", "mission_cause", "expected"),
    [([0, 3], 3, 1.0), ([1], 3, 0.0), ([], 3, 0.5), ([1], None, 1.0)],
)
def test_cause_affinity(causes, mission_cause, expected):
    _, f, _ = one(volunteer(causes=causes), mission(cause=mission_cause))
    assert f["cause"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("own", "wanted", "expected"),
    [
        ("junior", None, 1.0),
        ("senior", "senior", 1.0),
        ("retiree", "senior", 0.9),
        ("junior", "retiree", 0.0),
        (None, "senior", 0.5),
    ],
)
def test_seniority_counts_only_where_the_mission_asks(own, wanted, expected):
    _, f, _ = one(volunteer(seniority=own), mission(preferred_seniority=wanted))
    assert f["seniority"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("spoken", "required", "expected"),
    [([], [], 1.0), (["fr", "en"], ["fr", "en"], 1.0), (["fr"], ["en"], 0.0), (["en"], [], 0.0)],
)
def test_language_all_required_spoken_french_by_default(spoken, required, expected):
    _, f, _ = one(volunteer(languages=spoken), mission(languages=required))
    assert f["language"] == expected


# --- place and format ----------------------------------------------------------------------


def test_remote_mission_ignores_distance():
    far = volunteer(latitude=43.3, longitude=5.4, max_distance_km=5)  # Marseille
    _, f, blocked = one(far, mission(location_mode="remote"))
    assert f["place"] == 1.0
    assert blocked == 0


@pytest.mark.parametrize(("km", "expected"), [(0, 1.0), (10, 1.0), (15, 1.0), (22.5, 0.5)])
def test_on_site_place_is_full_within_half_the_maximum_then_decreases(km, expected):
    lat, lon = km_north(km)
    v = volunteer(latitude=lat, longitude=lon, max_distance_km=30)
    _, f, blocked = one(v, mission(location_mode="on_site"))
    assert f["place"] == pytest.approx(expected, abs=1e-3)
    assert blocked == 0


def test_on_site_beyond_the_maximum_distance_is_filtered_out():
    lat, lon = km_north(31)
    _, f, blocked = one(
        volunteer(latitude=lat, longitude=lon, max_distance_km=30), mission(location_mode="on_site")
    )
    assert blocked == E.BLOCK_DISTANCE
    assert f["place"] == 0.0


@pytest.mark.parametrize(("km", "expected"), [(30, 0.5), (45, 0.25), (59, 0.017)])
def test_hybrid_is_softer_within_twice_the_maximum_distance(km, expected):
    lat, lon = km_north(km)
    _, f, blocked = one(
        volunteer(latitude=lat, longitude=lon, max_distance_km=30), mission(location_mode="hybrid")
    )
    assert f["place"] == pytest.approx(expected, abs=1e-3)
    assert blocked == 0


def test_hybrid_beyond_twice_the_maximum_distance_is_filtered_out():
    lat, lon = km_north(61)
    _, f, blocked = one(
        volunteer(latitude=lat, longitude=lon, max_distance_km=30), mission(location_mode="hybrid")
    )
    assert blocked == E.BLOCK_DISTANCE
    assert f["place"] == 0.0


@pytest.mark.parametrize(
    ("v_place", "expected"),
    [
        ({"departement": 75, "region": 11}, 0.75),
        ({"departement": 92, "region": 11}, 0.4),
        ({}, 0.2),
    ],
)
def test_unknown_coordinates_fall_back_on_departement_and_region(v_place, expected):
    v = volunteer(latitude=None, longitude=None, **v_place)
    m = mission(location_mode="on_site", departement=75, region=11)
    _, f, blocked = one(v, m)
    assert f["place"] == pytest.approx(expected)
    assert blocked == 0  # unknown distance: not filtered


@pytest.mark.parametrize(
    ("mode", "accepts"),
    [("remote", "accepts_remote"), ("on_site", "accepts_on_site"), ("hybrid", "accepts_hybrid")],
)
def test_format_not_accepted_is_filtered_out(mode, accepts):
    _, f, blocked = one(volunteer(**{accepts: False}), mission(location_mode=mode))
    assert blocked & E.BLOCK_FORMAT
    assert f["format"] == 0.0
    _, f, blocked = one(volunteer(), mission(location_mode=mode))
    assert blocked == 0
    assert f["format"] == 1.0


# --- time ----------------------------------------------------------------------------------


def test_time_open_on_both_sides_fits():
    _, f, _ = one(volunteer(hours_per_month=8), mission(effort_hours=10))
    assert f["time"] == 1.0  # 10 h over the default 90 days: 3.4 h a month


def test_time_dates_overlap_share():
    start = TODAY + dt.timedelta(days=10)
    m = mission(start_date=start, end_date=start + dt.timedelta(days=99))
    v = volunteer(available_until=start + dt.timedelta(days=49), hours_per_month=40)
    _, f, _ = one(v, m)
    assert f["time"] == pytest.approx(0.5)
    v = volunteer(available_until=start - dt.timedelta(days=1))
    _, f, blocked = one(v, m)
    assert f["time"] == 0.0
    assert blocked == 0  # a low factor, not a hard filter


def test_time_hours_per_month_against_hours_per_week():
    _, f, _ = one(volunteer(hours_per_month=4), mission(hours_per_week=2))
    hours_fit = 4 / (2 * 4.33)
    assert f["time"] == pytest.approx(0.5 + 0.5 * hours_fit, abs=1e-5)


# --- programme, fairness -------------------------------------------------------------------


def test_programme_mission_is_reserved_to_its_company():
    m = mission(programme_group=7)
    _, f, blocked = one(volunteer(company_group=7), m)
    assert (f["programme"], blocked) == (1.0, 0)
    _, f, blocked = one(volunteer(company_group=3), m)
    assert blocked == E.BLOCK_PROGRAMME
    _, f, blocked = one(volunteer(), m)
    assert blocked == E.BLOCK_PROGRAMME
    _, f, blocked = one(volunteer(), m, params=ScoringParams(programme_missions_reserved=False))
    assert (f["programme"], blocked) == (0.0, 0)


def test_programme_eligibility_is_a_bonus_for_the_company_employees():
    m = mission(programme_eligible_groups=[2, 5])
    assert one(volunteer(company_group=5), m)[1]["programme"] == 1.0
    assert one(volunteer(company_group=4), m)[1]["programme"] == 0.0
    assert one(volunteer(), m)[1]["programme"] == 0.0


@pytest.mark.parametrize(
    ("no_applicant", "small", "expected"), [(False, False, 0), (True, False, 0.5), (True, True, 1)]
)
def test_fairness_boost(no_applicant, small, expected):
    m = mission(no_applicant=no_applicant, small_association=small)
    assert one(volunteer(), m)[1]["fairness"] == expected


# --- hard filters --------------------------------------------------------------------------


def test_invisible_volunteers_closed_missions_and_excluded_pairs_are_filtered_out():
    ix = build(
        [volunteer(), volunteer(visible=False), volunteer()],
        [mission(), mission(is_open=False)],
        excluded=([2], [0]),
    )
    result = E.score_pairs(ix, [0, 1, 2, 0], [0, 0, 0, 1])
    assert result.blocked.tolist() == [0, E.BLOCK_INVISIBLE, E.BLOCK_EXCLUDED, E.BLOCK_CLOSED]
    top = E.top_volunteers(ix, 0, k=10)
    assert top.items.tolist() == [0]
    assert E.top_volunteers(ix, 1, k=10).items.tolist() == []
    assert E.top_missions(ix, 1, k=10).items.tolist() == []
    assert E.top_missions(ix, 2, k=10).items.tolist() == []


def test_score_is_the_weighted_mean_of_the_factors():
    score, f, _ = one(volunteer(causes=[1]), mission(hours_per_week=4, small_association=True))
    weights = resolve_weights()
    expected = sum(weights[k] * f[k] for k in FACTORS) / sum(weights.values())
    assert score == pytest.approx(expected, abs=1e-6)
    heavy = dict.fromkeys(FACTORS, 0.0) | {"cause": 1.0}
    assert one(volunteer(causes=[1]), mission(), weights=heavy)[0] == 0.0


# --- weights and parameters ------------------------------------------------------------------


def test_resolve_weights_defaults_and_overrides():
    assert resolve_weights(None) == DEFAULT_WEIGHTS
    assert list(resolve_weights()) == list(FACTORS)
    assert resolve_weights({"skills": 0.5})["skills"] == 0.5
    assert resolve_weights({"skills": 1})["skills"] == 1.0


@pytest.mark.parametrize(
    "bad",
    [
        {"skill": 0.3},
        {"skills": -0.1},
        {"skills": math.nan},
        {"skills": "0.3"},
        {"skills": True},
        dict.fromkeys(FACTORS, 0.0),
    ],
)
def test_resolve_weights_rejects_invalid_settings(bad):
    with pytest.raises(ValueError):
        resolve_weights(bad)


def test_resolve_params():
    assert resolve_params(None) == ScoringParams()
    assert resolve_params({"related_skill_credit": 0.6}).related_skill_credit == 0.6
    with pytest.raises(ValueError):
        resolve_params({"related_credit": 0.6})
    with pytest.raises(ValueError):
        resolve_params({"family_skill_credit": 1.5})
    with pytest.raises(ValueError):
        resolve_params({"seniority_fit": [[1, 0], [0, 1]]})


# --- vectorised paths against the per-pair reference ---------------------------------------


def random_index(seed: int, n_v: int = 150, n_m: int = 40) -> E.MatchingIndex:
    rng = np.random.default_rng(seed)
    n_s = TAX.n_skills

    def skill_matrix(n, most, low):
        dense = (rng.random((n, n_s)) < most / n_s) * rng.integers(low, 5, (n, n_s))
        return sparse.csr_matrix(dense)

    today = TODAY.toordinal()
    vol = E.VolunteerArrays(
        skills=skill_matrix(n_v, 2.5, 1),
        causes=rng.integers(0, 16, n_v).astype(np.uint64),
        seniority=rng.integers(-1, 4, n_v),
        languages=rng.integers(0, 4, n_v),
        formats=rng.integers(1, 8, n_v),
        latitude=np.where(rng.random(n_v) < 0.9, rng.uniform(48.5, 49.2, n_v), np.nan),
        longitude=rng.uniform(2.0, 2.8, n_v),
        max_distance_km=rng.choice([0, 5, 20, 50], n_v),
        available_from=np.where(rng.random(n_v) < 0.5, -1, today + rng.integers(-30, 90, n_v)),
        available_until=np.where(rng.random(n_v) < 0.5, -1, today + rng.integers(90, 200, n_v)),
        hours_per_month=rng.choice([0, 2, 8, 20], n_v),
        departement=rng.integers(-1, 3, n_v),
        region=rng.integers(-1, 2, n_v),
        company_group=rng.integers(-1, 3, n_v),
        visible=rng.random(n_v) < 0.9,
    )
    mis = E.MissionArrays(
        required=skill_matrix(n_m, 1.5, 1),
        nice=skill_matrix(n_m, 0.7, 1),
        cause=rng.integers(-1, 4, n_m),
        location_mode=rng.integers(0, 3, n_m),
        latitude=np.where(rng.random(n_m) < 0.9, rng.uniform(48.5, 49.2, n_m), np.nan),
        longitude=rng.uniform(2.0, 2.8, n_m),
        departement=rng.integers(-1, 3, n_m),
        region=rng.integers(-1, 2, n_m),
        start_date=np.where(rng.random(n_m) < 0.5, -1, today + rng.integers(-20, 60, n_m)),
        end_date=np.where(rng.random(n_m) < 0.5, -1, today + rng.integers(60, 200, n_m)),
        effort_hours=rng.choice([np.nan, 10, 40], n_m),
        hours_per_week=rng.choice([np.nan, 2, 5], n_m),
        languages=rng.integers(0, 4, n_m),
        preferred_seniority=rng.integers(-1, 4, n_m),
        programme_group=np.where(rng.random(n_m) < 0.15, rng.integers(0, 3, n_m), -1),
        programme_eligible=sparse.csr_matrix(rng.random((n_m, 3)) < 0.2),
        no_applicant=rng.random(n_m) < 0.5,
        small_association=rng.random(n_m) < 0.5,
        is_open=rng.random(n_m) < 0.9,
    )
    excluded = (rng.integers(0, n_v, n_v // 3), rng.integers(0, n_m, n_v // 3))
    return E.build_index(vol, mis, TAX, excluded=excluded, today=TODAY)


def all_pairs(ix):
    v, m = np.meshgrid(np.arange(ix.n_volunteers), np.arange(ix.n_missions), indexing="ij")
    return E.score_pairs(ix, v.ravel(), m.ravel())


def test_vectorised_scores_match_the_plain_python_loop():
    ix = random_index(1)
    result = all_pairs(ix)
    ref = ReferenceScorer(ix)
    for i in range(len(result.scores)):
        score, factors, blocked = ref.score(int(result.volunteers[i]), int(result.missions[i]))
        assert result.scores[i] == pytest.approx(score, abs=1e-5)
        assert result.factors[i] == pytest.approx([factors[f] for f in FACTORS], abs=1e-5)
        assert result.blocked[i] == blocked
    assert 0 < result.allowed.sum() < len(result.scores)


def brute_top(ix, result, owner_is_mission: bool, owner: int, k: int):
    own = result.missions if owner_is_mission else result.volunteers
    item = result.volunteers if owner_is_mission else result.missions
    sel = np.flatnonzero((own == owner) & result.allowed)
    ties = E.tie_key(np.full(len(item), owner), item)
    order = sorted(sel.tolist(), key=lambda i: (-float(result.scores[i]), int(ties[i])))[:k]
    return [int(item[i]) for i in order]


@pytest.mark.parametrize("max_pairs", [50, 4_000_000])
def test_recompute_both_ways_equals_brute_force(max_pairs):
    ix = random_index(2)
    result = all_pairs(ix)
    k = 5
    top = E.recompute_missions(ix, np.arange(ix.n_missions), k, max_pairs=max_pairs)
    for mission_index, items, scores, factors in top:
        assert items.tolist() == brute_top(ix, result, True, mission_index, k)
        expected = E.score_pairs(ix, items, mission_index)
        assert scores == pytest.approx(expected.scores, abs=1e-6)
        assert factors == pytest.approx(expected.factors, abs=1e-6)
    top = E.recompute_volunteers(ix, np.arange(ix.n_volunteers), k, max_pairs=max_pairs)
    for volunteer_index, items, _scores, _factors in top:
        assert items.tolist() == brute_top(ix, result, False, volunteer_index, k)


def test_chunks_cover_everything_once_and_give_the_same_results():
    ix = random_index(3)
    whole = E.recompute_missions(ix, np.arange(ix.n_missions), 7)
    parts = [E.recompute_missions(ix, part, 7) for part in E.chunks(ix.n_missions, 3)]
    assert np.concatenate([p.owners for p in parts]).tolist() == list(range(ix.n_missions))
    assert np.concatenate([p.items for p in parts]).tolist() == whole.items.tolist()
    one_mission = E.top_volunteers(ix, 5, 7)
    assert one_mission.items.tolist() == whole.row(5)[0].tolist()


def test_ties_are_broken_by_a_hash_not_by_index():
    ix = build([volunteer() for _ in range(60)], [mission()])
    top = E.top_volunteers(ix, 0, k=10)
    assert np.all(top.scores == top.scores[0])  # 60 identical volunteers
    assert top.items.tolist() != list(range(10))
    assert top.items.tolist() == E.top_volunteers(ix, 0, k=10).items.tolist()
    keys = E.tie_key(np.zeros(60, dtype=np.int64), np.arange(60))
    assert top.items.tolist() == np.argsort(keys)[:10].tolist()
    assert len(set(keys.tolist())) == 60


def test_topk_layout_helpers():
    ix = random_index(4)
    top = E.recompute_volunteers(ix, [3, 1, 4], 4)
    owners, items = top.pairs()
    assert len(owners) == len(items) == len(top.scores) == top.factors.shape[0]
    assert top.factors.shape[1] == len(FACTORS)
    for i, owner in enumerate([3, 1, 4]):
        a, b = top.indptr[i], top.indptr[i + 1]
        assert (owners[a:b] == owner).all()
        assert top.ranks()[a:b].tolist() == list(range(1, b - a + 1))
        assert (np.diff(top.scores[a:b]) <= 0).all()
    assert top.allowed <= top.candidates


def test_score_mission_and_volunteer_give_every_allowed_pair():
    ix = random_index(5)
    result = all_pairs(ix)
    for m in range(ix.n_missions):
        got = E.score_mission(ix, m)
        expected = result.volunteers[(result.missions == m) & result.allowed]
        assert sorted(got.volunteers.tolist()) == sorted(expected.tolist())
    got = E.score_volunteer(ix, 0)
    expected = result.missions[(result.volunteers == 0) & result.allowed]
    assert sorted(got.missions.tolist()) == sorted(expected.tolist())


def test_index_validation():
    with pytest.raises(ValueError):
        E.VolunteerArrays(skills=sparse.csr_matrix([[5]]))
    with pytest.raises(ValueError):
        E.MissionArrays(required=sparse.csr_matrix([[1]]), location_mode=[3])
    with pytest.raises(ValueError):
        E.VolunteerArrays(skills=sparse.csr_matrix([[1]]), latitude=[1.0, 2.0])
    ix = build([volunteer()], [mission()])
    with pytest.raises(IndexError):
        E.score_pairs(ix, [1], [0])
    with pytest.raises(IndexError):
        E.top_volunteers(ix, 3)


# --- explanations ----------------------------------------------------------------------------


def test_explanation_sentence_in_french_and_english():
    start = TODAY + dt.timedelta(days=7)
    lat, lon = km_north(12)
    ix = build(
        [
            volunteer(
                skills={S["web"]: 3, S["accounting"]: 2, S["grants"]: 4},
                causes=[4],
                latitude=lat,
                longitude=lon,
                max_distance_km=30,
                hours_per_month=20,
            )
        ],
        [
            mission(
                required={S["web"]: 2, S["accounting"]: 2, S["grants"]: 1, S["cyber"]: 2},
                cause=4,
                location_mode="on_site",
                start_date=start,
                end_date=start + dt.timedelta(days=30),
                effort_hours=10,
            )
        ],
    )
    explanation = X.explain_pair(ix, 0, 0, NAMES)
    assert explanation.text_fr == (
        "Couvre 3 des 4 compétences requises : Développement web niveau 3, Comptabilité"
        " niveau 2, Subventions niveau 4 ; manque : Cybersécurité (seulement Développement"
        " web, de la même famille) · sur place, à 12 km, dans les 30 km du bénévole"
        " · même cause · disponible du 9 mars au 8 avril 2026"
        " · 20 h/mois du bénévole pour environ 10 h/mois demandées"
    )
    assert explanation.text_en == (
        "Covers 3 of the 4 required skills: Web development level 3, Accounting level 2,"
        " Grants level 4; missing: Cybersecurity (only Web development, same family)"
        " · on-site, 12 km away, within the volunteer's 30 km · same cause"
        " · available from 9 March to 8 April 2026"
        " · the volunteer's 20 h a month for about 10 h a month asked"
    )
    assert [f.code for f in explanation.factors] == list(FACTORS)
    as_json = explanation.as_json()
    assert as_json[0]["code"] == "skills"
    assert as_json[0]["value"] == pytest.approx((3 + 0.25) / 4, abs=1e-4)  # cyber: family
    assert sum(f["weight"] for f in as_json) == pytest.approx(1.0, abs=1e-3)
    assert all(f["text_fr"] and f["text_en"] for f in as_json)
    assert explanation.score == pytest.approx(float(E.score_pairs(ix, 0, 0).scores[0]))


def test_explanation_notable_factors_and_names_mapping():
    ix = build(
        [
            volunteer(
                skills={S["wordpress"]: 1},
                languages=["fr"],
                seniority="junior",
                hours_per_month=2,
                company_group=1,
            )
        ],
        [
            mission(
                required={S["web"]: 2},
                nice={S["seo"]: 1},
                languages=["fr", "en"],
                preferred_seniority="senior",
                location_mode="remote",
                hours_per_week=3,
                programme_eligible_groups=[1],
                small_association=True,
                no_applicant=True,
            )
        ],
    )
    names = {"fr": list(NAMES.names_fr), "en": list(NAMES.names_en)}
    (explanation,) = X.explain_details(E.pair_details(ix, [0], [0]), names)
    fr = explanation.text_fr
    assert fr.startswith(
        "Couvre en partie la compétence requise : WordPress, proche de Développement web"
        " demandée (niveau 1, 2 demandé)"
    )
    for part in (
        "à distance",
        "même cause",
        "2 h/mois du bénévole, moins que les 13 h/mois demandées environ",
        "ne parle pas : anglais",
        "profil junior, senior souhaité",
        "éligible au programme de son entreprise",
        "petite association",
        "aucun candidat pour l'instant",
    ):
        assert part in fr.split(" · "), part
    assert "does not speak: English" in explanation.text_en


def test_explanation_of_a_blocked_pair_says_why():
    lat, lon = km_north(80)
    ix = build([volunteer(latitude=lat, longitude=lon)], [mission(location_mode="on_site")])
    explanation = X.explain_pair(ix, 0, 0, NAMES)
    assert explanation.blocked == E.BLOCK_DISTANCE
    assert explanation.text_fr.startswith("Hors critères : trop loin · ")
    assert explanation.text_en.startswith("Not eligible: too far · ")


def test_explain_top_follows_the_topk_rows():
    ix = random_index(6)
    top = E.recompute_missions(ix, [0, 1, 2], 3)
    rows = X.explain_top(ix, top, NAMES, direction="missions")
    assert [len(r) for r in rows] == np.diff(top.indptr).tolist()
    for i, row in enumerate(rows):
        assert [e.score for e in row] == pytest.approx(top.row(i)[1].tolist(), abs=1e-6)
        assert all(e.blocked == 0 for e in row)
