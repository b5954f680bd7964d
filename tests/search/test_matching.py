"""What the search finds, case by case: written once, run on SQLite (here) and on
PostgreSQL (CI), which must find the same missions."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.criteria import SearchCriteria
from search.selectors import MissionSearch

pytestmark = pytest.mark.django_db

ACCOUNTING = {
    "compta_asso",
    "compta_courante",
    "compta_analytique",
    "bilan_annuel",
    "binome_tresorier",
    # The "Finance et comptabilité" family of their skills.
    "tresorerie",
    "subventions",
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Accents and case fold away.
        ("comptabilité", ACCOUNTING),
        ("comptabilite", ACCOUNTING),
        ("COMPTABILITÉ", ACCOUNTING),
        ("ENTREPÔT", {"entrepot"}),
        # French stems: plurals, feminine, verb forms.
        ("comptabilités", ACCOUNTING),
        (
            "bénévoles",
            {"benevoles_animation", "cadre_benevoles", "demenagement", "marathon"}
            | {"compta_asso"},
        ),
        ("statut", {"statuts"}),
        (
            "sites",
            {"site_vitrine", "refonte_wp", "dev_plateforme", "accessibilite"}
            | {"outils_collaboratifs"},
        ),
        # Skill synonyms, from the skills' reference data.
        # « compta » shares its stem with « comptes » (PostgreSQL's stemmer, and SQLite's).
        ("compta", ACCOUNTING | {"reseaux_sociaux"}),
        ("comptable", ACCOUNTING),
        ("RH", {"politique_rh", "paie", "recrutement", "benevoles_animation"}),
        ("site web", {"site_vitrine", "refonte_wp", "dev_plateforme", "outils_collaboratifs"}),
        ("FLE", {"fle"}),
        ("aide aux devoirs", {"soutien_scolaire"}),
        # Typos: titles and skills close to the words, when the words find little.
        ("comptabilte", ACCOUNTING),
        ("recrutment", {"recrutement"}),
        ("juridque", {"cadre_benevoles", "statuts", "rgpd", "bail", "paie"}),
        # Phrases and exclusions.
        ('"plan de communication"', {"plan_com"}),
        ("comptabilité -analytique", ACCOUNTING - {"compta_analytique"}),
        ("web -wordpress", {"dev_plateforme", "outils_collaboratifs"}),
        # Association, city.
        ("terre d'accueil", {"fle", "video", "traduction"}),
        ("grenoble", {"entrepot", "tournees", "benevoles_animation", "boutique"}),
        # Nothing close.
        ("zzyzx", set()),
    ],
)
def test_the_same_words_find_the_same_missions_on_every_database(corpus, query, expected):
    keys = {mission.pk: key for key, mission in corpus.items()}
    found = {keys[mission.pk] for mission in MissionSearch(SearchCriteria(q=query)).missions()}
    assert found == expected


def test_words_combine_with_the_filters(corpus):
    keys = {mission.pk: key for key, mission in corpus.items()}
    lyon_accounting = SearchCriteria(q="comptabilité", location_modes=("on_site", "hybrid"))
    found = {keys[m.pk] for m in MissionSearch(lyon_accounting).missions()}
    assert found == {"compta_asso", "compta_courante", "bilan_annuel"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.text(max_size=200))
def test_whatever_is_typed_the_search_answers(words):
    search = MissionSearch(SearchCriteria(q=words))
    assert search.count() >= 0
    assert isinstance(search.results()[:20], list)
    assert set(search.facets()) == {"cause", "format", "departement", "location_mode"}
