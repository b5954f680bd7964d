"""Facet counts: how many missions each value of the cause, format, département and
location mode filters would find, that filter set aside and the others kept."""

import pytest
from django.urls import reverse

from missions.models import Mission
from search.criteria import SearchCriteria
from search.selectors import MissionSearch
from taxonomy.models import Cause, Departement
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return Departement.objects.get(code="69"), Departement.objects.get(code="75")


@pytest.fixture
def missions(association, places):
    rhone, paris = places
    culture, health = Cause.objects.get(code="culture"), Cause.objects.get(code="health")
    rows = [
        ("Site du théâtre", culture, "mission", "on_site", rhone),
        ("Site de la chorale", culture, "workshop", "hybrid", paris),
        ("Site du centre de santé", health, "mission", "remote", None),
        ("Site de la maison médicale", health, "mission", "on_site", rhone),
        ("Comptabilité du théâtre", culture, "mission", "remote", None),
    ]
    return [
        factories.MissionFactory(
            association=association,
            title=title,
            summary="Un besoin bien délimité.",
            cause=cause,
            format=fmt,
            location_mode=mode,
            departement=departement,
            city="Lyon" if departement == rhone else ("Paris" if departement else ""),
        )
        for title, cause, fmt, mode, departement in rows
    ]


def test_each_facet_counts_with_the_other_filters_but_its_own(missions, places):
    rhone, paris = places
    culture = Cause.objects.get(code="culture")
    criteria = SearchCriteria(q="site", cause_ids=(culture.pk,), formats=("mission",))

    facets = MissionSearch(criteria).facets()

    health = Cause.objects.get(code="health")
    # Causes: "site" and format "mission", whatever the cause.
    assert facets["cause"] == {str(culture.pk): 1, str(health.pk): 2}
    # Formats: "site" and culture, whatever the format.
    assert facets["format"] == {"mission": 1, "workshop": 1}
    # Départements: located missions only (a remote one passes every département).
    assert facets["departement"] == {str(rhone.pk): 1}
    assert facets["location_mode"] == {"on_site": 1}


def test_a_facets_own_filter_is_set_aside(missions, places):
    rhone, _paris = places
    facets = MissionSearch(
        SearchCriteria(q="site", departement_ids=(rhone.pk,), location_modes=("on_site",))
    ).facets()
    # Every mode, within the Rhône (and the remote ones, done from anywhere).
    assert facets["location_mode"] == {"on_site": 2, "remote": 1}
    # Every département, on site.
    assert facets["departement"] == {str(rhone.pk): 2}


def test_the_search_page_shows_the_counts_beside_the_options(client, missions):
    culture = Cause.objects.get(code="culture")
    content = client.get(reverse("missions:list"), {"q": "site"}).content.decode()

    assert f'<option value="{culture.code}">Culture et patrimoine (2)</option>' in content
    assert "Atelier (1)" in content and "Mission pro bono (3)" in content
    assert "À distance (1)" in content
    assert "69 – Rhône (2)" in content and "75 – Paris (1)" in content


def test_the_page_with_facets_stays_within_its_query_budget(
    client, missions, volunteer, django_assert_max_num_queries
):
    client.force_login(volunteer.user)
    # A typo: the words find nothing, titles close to them are looked for too.
    params = {"q": "sitte", "cause": "culture", "format": ["mission"], "near": "Lyon"}
    client.get(reverse("missions:list"), params)  # warm the caches (city, reference lists)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("missions:list"), params)
    assert response.status_code == 200


def test_the_api_gives_the_counts_with_codes_and_names(missions, places):
    answer = client_for().get("/api/v1/missions/facets/", {"q": "site", "cause": "culture"})

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert body["cause"] == [  # most first, then by name
        {"value": "culture", "name": "Culture et patrimoine", "count": 2},
        {"value": "health", "name": "Santé", "count": 2},
    ]
    assert body["format"] == [
        {"value": "workshop", "name": "Atelier", "count": 1},
        {"value": "mission", "name": "Mission pro bono", "count": 1},
    ]
    assert body["departement"] == [
        {"value": "75", "name": "Paris", "count": 1},
        {"value": "69", "name": "Rhône", "count": 1},
    ]
    english = client_for().get("/api/v1/missions/facets/", {"q": "site"}, HTTP_ACCEPT_LANGUAGE="en")
    assert {"value": "remote", "name": "Remote", "count": 1} in english.json()["location_mode"]


def test_the_api_counts_only_what_the_requester_may_see(association, missions, owner):
    from api.models import ApiKey

    _key, owner_key = ApiKey.issue(
        organisation=association, name="CRM", scope=ApiKey.Scope.READ, created_by=owner
    )
    factories.MissionFactory(association=association, title="Site brouillon", state="draft")
    other = factories.MissionFactory(title="Site d'un autre", state=Mission.State.DRAFT)
    assert other.association != association

    assert client_for().get("/api/v1/missions/facets/", {"q": "site"}).json()["count"] == 4
    mine = client_for(secret=owner_key).get("/api/v1/missions/facets/", {"q": "site"})
    assert mine.json()["count"] == 5


def test_the_api_refuses_bad_filters_field_by_field(missions):
    answer = client_for().get("/api/v1/missions/facets/", {"near": "Atlantide", "cause": "x"})
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"near", "cause"}
