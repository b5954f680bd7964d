"""Explanations a person would write (matching.explain): each reason names its facts,
worded for who reads it, and each factor's share of the score. No database."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching import engine as E
from matching import explain as X
from matching import storage
from matching.weights import DEFAULT_WEIGHTS, FACTORS

from .test_engine import NAMES, S, build, km_north, mission, random_index, volunteer


def explained(v: dict, m: dict, audience: str = X.VOLUNTEER) -> X.Explanation:
    return X.explain_pair(build([v], [m]), 0, 0, NAMES, audience=audience)


def parts(text: str) -> list[str]:
    return text.split(X.SEPARATOR)


# --- skills ------------------------------------------------------------------------------


def test_a_related_skill_names_the_skill_held_and_the_one_it_stands_for():
    explanation = explained(volunteer(skills={S["wordpress"]: 3}), mission(required={S["web"]: 2}))
    assert parts(explanation.text_fr)[0] == (
        "Couvre en partie la compétence requise : WordPress, proche de Développement web demandée"
    )
    assert parts(explanation.text_en)[0] == (
        "Partly covers the required skill: WordPress, related to Web development (asked)"
    )


def test_a_related_skill_below_the_level_asked_gives_both_levels():
    explanation = explained(volunteer(skills={S["wordpress"]: 1}), mission(required={S["web"]: 3}))
    assert "WordPress, proche de Développement web demandée (niveau 1, 3 demandé)" in (
        explanation.text_fr
    )
    assert "(level 1, 3 asked)" in explanation.text_en


def test_levels_are_given_for_skills_held_and_below_the_level_asked():
    explanation = explained(
        volunteer(skills={S["web"]: 4, S["accounting"]: 3}),
        mission(required={S["web"]: 2, S["accounting"]: 4}),
    )
    assert parts(explanation.text_fr)[0] == (
        "Couvre 1 des 2 compétences requises : Développement web niveau 4 ;"
        " Comptabilité : niveau 3, 4 demandé"
    )
    assert parts(explanation.text_en)[0] == (
        "Covers 1 of the 2 required skills: Web development level 4; Accounting: level 3, 4 asked"
    )


def test_a_missing_skill_names_the_same_family_skill_held_instead():
    explanation = explained(
        volunteer(skills={S["web"]: 3, S["payroll"]: 2}),
        mission(required={S["web"]: 2, S["accounting"]: 2}),
    )
    assert "manque : Comptabilité (seulement Paie, de la même famille)" in explanation.text_fr
    assert "missing: Accounting (only Payroll, same family)" in explanation.text_en


def test_nice_to_have_skills_held_and_missing_are_named():
    m = mission(required={S["web"]: 2}, nice={S["grants"]: 1, S["payroll"]: 1})
    some = explained(volunteer(skills={S["web"]: 3, S["grants"]: 2}), m)
    assert "compétences souhaitées : Subventions niveau 2 (manque : Paie)" in parts(some.text_fr)
    assert "nice-to-have skills: Grants level 2 (missing: Payroll)" in parts(some.text_en)
    none = explained(volunteer(skills={S["web"]: 3}), m)
    assert "aucune des compétences souhaitées : Paie, Subventions" in parts(none.text_fr)
    assert "none of the nice-to-have skills: Payroll, Grants" in parts(none.text_en)


# --- place -------------------------------------------------------------------------------


def test_distance_is_set_against_the_volunteers_own_limit_for_each_reader():
    lat, lon = km_north(52)
    v = volunteer(latitude=lat, longitude=lon, max_distance_km=30)
    m = mission(location_mode="hybrid")
    assert "hybride, 52 km : au-delà de vos 30 km" in parts(explained(v, m).text_fr)
    assert "hybrid, 52 km: beyond your 30 km" in parts(explained(v, m).text_en)
    for audience in (X.ASSOCIATION, X.STAFF):
        explanation = explained(v, m, audience)
        assert "hybride, à 52 km, au-delà des 30 km du bénévole" in parts(explanation.text_fr)
        assert "hybrid, 52 km away, beyond the volunteer's 30 km" in parts(explanation.text_en)


def test_a_distance_within_the_limit_says_so():
    lat, lon = km_north(12)
    v = volunteer(latitude=lat, longitude=lon, max_distance_km=30)
    m = mission(location_mode="on_site")
    assert "sur place, 12 km : dans vos 30 km" in parts(explained(v, m).text_fr)
    association = explained(v, m, X.ASSOCIATION)
    assert "sur place, à 12 km, dans les 30 km du bénévole" in parts(association.text_fr)
    assert "on-site, 12 km away, within the volunteer's 30 km" in parts(association.text_en)


# --- dates and hours ---------------------------------------------------------------------


def test_dates_name_the_missions_period_and_the_volunteers_availability():
    start = dt.date(2026, 4, 1)
    m = mission(start_date=start, end_date=dt.date(2026, 4, 30), effort_hours=20)
    whole = explained(volunteer(hours_per_month=30), m)
    assert "disponible du 1er avril au 30 avril 2026" in parts(whole.text_fr)
    assert "available from 1 April to 30 April 2026" in parts(whole.text_en)
    assert "vos 30 h/mois pour environ 20 h/mois demandées" in parts(whole.text_fr)
    part = explained(volunteer(available_from=dt.date(2026, 4, 16), hours_per_month=5), m)
    assert "disponible à partir du 16 avril 2026 : 50 % de la période du 1er avril" in (
        part.text_fr
    )
    assert "available from 16 April 2026: 50% of the period from 1 April" in part.text_en
    assert "vos 5 h/mois, moins que les 20 h/mois demandées environ" in parts(part.text_fr)
    association = explained(volunteer(hours_per_month=5), m, X.ASSOCIATION)
    assert "5 h/mois du bénévole, moins que les 20 h/mois demandées environ" in parts(
        association.text_fr
    )
    assert "the volunteer's 5 h a month, less than the about 20 h a month asked" in parts(
        association.text_en
    )


def test_a_volunteer_away_for_the_whole_mission_is_told_when_they_are_available():
    m = mission(start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 4, 30))
    away = explained(volunteer(available_from=dt.date(2026, 6, 1)), m)
    assert (
        "pas disponible sur la période du 1er avril au 30 avril 2026"
        " (disponible à partir du 1er juin 2026)"
    ) in parts(away.text_fr)


# --- about the mission, seniority, programme ---------------------------------------------


def test_reasons_about_the_mission_are_for_volunteers_only():
    m = mission(small_association=True, no_applicant=True)
    for audience in (X.VOLUNTEER, X.STAFF):
        explanation = explained(volunteer(), m, audience)
        assert "petite association" in parts(explanation.text_fr)
        assert "aucun candidat pour l'instant" in parts(explanation.text_fr)
        assert "no applicant yet" in parts(explanation.text_en)
    own = explained(volunteer(), m, X.ASSOCIATION)
    for text in (own.text_fr, own.text_en):
        assert "petite association" not in text and "aucun candidat" not in text
        assert "small association" not in text and "no applicant" not in text
    # its fairness factor reads the same whatever the mission
    fairness = own.factors[FACTORS.index("fairness")]
    assert (
        fairness.text_fr
        == X.explain_pair(
            build([volunteer()], [mission()]), 0, 0, NAMES, audience=X.ASSOCIATION
        ).texts_fr[FACTORS.index("fairness")]
    )


def test_a_seniority_asked_for_reads_as_a_match_when_it_is_one():
    m = mission(preferred_seniority="senior")
    match = explained(volunteer(seniority="senior"), m)
    assert "votre profil senior, comme souhaité" in parts(match.text_fr)
    assert "your senior profile, as wanted" in parts(match.text_en)
    assert "recherché" not in match.text_fr
    other = explained(volunteer(seniority="junior"), m, X.ASSOCIATION)
    assert "profil junior, senior souhaité" in parts(other.text_fr)
    assert "junior profile, senior wanted" in parts(other.text_en)


def test_programme_and_languages_speak_to_the_reader():
    m = mission(programme_eligible_groups=[1], languages=["fr", "en"])
    v = volunteer(company_group=1, languages=["fr"])
    mine = explained(v, m)
    assert "éligible au programme de votre entreprise" in parts(mine.text_fr)
    assert "langue demandée que vous ne parlez pas : anglais" in parts(mine.text_fr)
    theirs = explained(v, m, X.ASSOCIATION)
    assert "éligible au programme de son entreprise" in parts(theirs.text_fr)
    assert "does not speak: English" in parts(theirs.text_en)


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        explained(volunteer(), mission(), "everyone")


# --- shares of the score -----------------------------------------------------------------


def test_each_factors_share_of_the_score_adds_up_to_100():
    ix = random_index(11)
    explanations = X.explain_pairs(ix, np.arange(20) % ix.n_volunteers, np.arange(20) % 7, NAMES)
    for explanation in explanations:
        if explanation.score > 0:
            assert sum(explanation.shares) == 100
            assert all(share >= 0 for share in explanation.shares)


def test_shares_follow_weight_times_value():
    values = [1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
    weights = [DEFAULT_WEIGHTS[f] for f in FACTORS]
    shares = dict(zip(FACTORS, X.factor_shares(values, weights), strict=True))
    total = sum(w * v for w, v in zip(weights, values, strict=True))
    assert shares["skills"] == round(100 * 0.36 / total)
    assert shares["cause"] == shares["programme"] == shares["fairness"] == 0
    assert sum(shares.values()) == 100
    assert X.factor_shares([0.0] * 9, weights) == (0,) * 9


@given(
    st.lists(st.floats(0, 1), min_size=9, max_size=9),
    st.lists(st.floats(0, 1), min_size=9, max_size=9),
)
def test_shares_always_add_up_to_100_within_rounding(values, weights):
    shares = X.factor_shares(values, weights)
    parts = [w * v for w, v in zip(weights, values, strict=True)]
    total = sum(parts)
    if total > 0:
        assert abs(sum(shares) - 100) <= 1
        for share, part in zip(shares, parts, strict=True):
            assert abs(share - 100 * part / total) < 1 + 1e-6
    else:
        assert shares == (0,) * len(FACTORS)


# --- stored lists keep the facts --------------------------------------------------------


def test_a_stored_list_keeps_the_skill_behind_a_related_credit_and_the_limits():
    lat, lon = km_north(52)
    ix = build(
        [volunteer(skills={S["wordpress"]: 3}, latitude=lat, longitude=lon, max_distance_km=30)],
        [mission(required={S["web"]: 2}, location_mode="hybrid")],
    )
    details = E.pair_details(ix, [0], [0])
    skill_pks = np.arange(len(NAMES.codes), dtype=np.int64) * 10 + 101
    ((_owner, _size, items),) = storage.encode(
        np.array([1]), np.array([2]), np.array([1]), details, skill_pks
    )
    decoded = storage.decode(items).details(owner=1, owner_is_mission=True)
    assert decoded.entry_via.tolist() == [skill_pks[S["wordpress"]]]
    decoded.entry_skill = np.searchsorted(skill_pks, decoded.entry_skill)
    decoded.entry_via = np.searchsorted(skill_pks, decoded.entry_via)
    (again,) = X.explain_details(decoded, NAMES, audience=X.VOLUNTEER)
    assert "WordPress, proche de Développement web demandée" in again.text_fr
    assert "hybride, 52 km : au-delà de vos 30 km" in parts(again.text_fr)


def test_a_list_stored_in_the_first_format_is_still_read():
    ix = build([volunteer(skills={S["web"]: 3})], [mission(required={S["web"]: 2})])
    details = E.pair_details(ix, [0], [0])
    ((_owner, _size, items),) = storage.encode(
        np.array([1]), np.array([2]), np.array([1]), details, np.arange(7, dtype=np.int64)
    )
    current = storage.decode(items)
    older_pair = np.dtype([(name, current.pairs.dtype.fields[name][0]) for name in _V1_PAIR])
    older_entry = np.dtype([(name, current.entries.dtype.fields[name][0]) for name in _V1_ENTRY])
    header = np.frombuffer(items, storage.HEADER, count=1).copy()
    header["format"] = 1
    pairs = np.zeros(len(current.pairs), older_pair)
    entries = np.zeros(len(current.entries), older_entry)
    for name in _V1_PAIR:
        pairs[name] = current.pairs[name]
    for name in _V1_ENTRY:
        entries[name] = current.entries[name]
    old = storage.decode(header.tobytes() + pairs.tobytes() + entries.tobytes())
    assert old.others == current.others
    decoded = old.details(owner=1, owner_is_mission=True)
    assert np.isnan(decoded.max_distance_km).all()
    assert decoded.entry_via.tolist() == [-1]
    (explanation,) = X.explain_details(decoded, NAMES, audience=X.ASSOCIATION)
    assert explanation.text_fr.startswith(
        "Couvre la compétence requise : Développement web niveau 3"
    )


_V1_PAIR = (
    "other",
    "rank",
    "score",
    "factors",
    "distance_km",
    "dates_fit",
    "hours_fit",
    "need_hours_month",
    "hours_per_month",
    "missing_languages",
    "mission_languages",
    "location_mode",
    "preferred_seniority",
    "seniority",
    "flags",
    "entries",
)
_V1_ENTRY = ("skill", "credit", "required", "status", "min_level", "level")
