"""One set of search parameters for the page and the API; the older names still work on
both, as aliases."""

import pytest
from django.urls import reverse

from search.forms import MissionSearchForm
from search.params import canonical_params
from taxonomy.models import Cause, Departement, Skill
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

LYON = {"latitude": 45.7667, "longitude": 4.8803}  # Villeurbanne, 4 km from Lyon


@pytest.fixture
def missions(association):
    web, payroll = Skill.objects.get(code="web_development"), Skill.objects.get(code="payroll")
    near = factories.MissionFactory(
        association=association,
        title="Atelier près de Lyon",
        location_mode="on_site",
        format="workshop",
        **LYON,
    )
    factories.MissionSkillFactory(mission=near, skill=web)
    far = factories.MissionFactory(
        association=association,
        title="Mission à Paris",
        location_mode="on_site",
        latitude=48.8534,
        longitude=2.3488,
    )
    factories.MissionSkillFactory(mission=far, skill=payroll)
    return near, far


def test_older_names_are_read_as_the_current_ones():
    params = canonical_params(
        {"city": "Lyon", "radius": "20", "skills": ["a", "b,c"], "formats": "x", "q": "site"}
    )
    assert list(params.lists()) == [
        ("near", ["Lyon"]),
        ("within_km", ["20"]),
        ("skill", ["a", "b", "c"]),
        ("format", ["x"]),
        ("q", ["site"]),
    ]
    # The current name wins over its alias.
    assert canonical_params({"city": "Paris", "near": "Lyon"}).getlist("near") == ["Lyon"]


def page_titles(client, params) -> list[str]:
    response = client.get(reverse("missions:list"), params)
    assert response.status_code == 200
    return sorted(mission.title for mission in response.context["page"].object_list)


def api_titles(params) -> list[str]:
    answer = client_for().get("/api/v1/missions/", {**params, "ordering": "title"})
    assert answer.status_code == 200, answer.json()
    return [mission["title"] for mission in answer.json()["results"]]


@pytest.mark.parametrize(
    "params",
    [
        {"near": "Lyon", "within_km": "10"},
        {"city": "Lyon", "radius": "10"},
        {"near": "69001", "radius": "10"},
    ],
)
def test_the_place_under_either_name_on_the_page_and_in_the_api(client, missions, params):
    assert page_titles(client, params) == ["Atelier près de Lyon"]
    assert api_titles(params) == ["Atelier près de Lyon"]


def test_skills_formats_and_location_modes_under_either_name(client, missions):
    near, _far = missions
    for params in (
        {"skill": "web_development"},
        {"skills": "web_development"},
        {"skill": ["web_development", "accounting"]},
        {"skill": "web_development,accounting"},
        {"format": "workshop"},
        {"formats": "workshop"},
        {"format": "workshop,marathon"},
        {"location_mode": "on_site", "q": "atelier"},
        {"location_modes": ["on_site"], "q": "atelier"},
    ):
        assert page_titles(client, params) == [near.title], params
        assert api_titles(params) == [near.title], params


def test_the_page_still_reads_its_older_links_with_ids(client, missions):
    near, _far = missions
    web = Skill.objects.get(code="web_development")
    cause = Cause.objects.get(pk=near.cause_id)

    assert page_titles(client, {"skills": str(web.pk), "cause": str(cause.pk)}) == [near.title]
    form = MissionSearchForm(
        {"skills": [str(web.pk)], "cause": str(cause.pk), "city": "Lyon", "radius": "5"}
    )
    assert form.is_valid(), form.errors
    # Saved or shown again under the current names, with codes.
    assert form.params() == {
        "skill": [web.code],
        "cause": [cause.code],
        "near": ["Lyon"],
        "within_km": ["5"],
    }


def test_the_page_offers_codes_and_the_current_names(client, missions):
    content = client.get(reverse("missions:list")).content.decode()
    assert 'name="near"' in content and 'name="within_km"' in content
    assert 'name="skill" value="web_development"' in content
    rhone = Departement.objects.get(code="69")
    assert f'<option value="{rhone.code}">' in content


def test_unknown_codes_are_field_errors_in_the_api(missions):
    answer = client_for().get("/api/v1/missions/", {"skill": "web_development,astrologie"})
    assert answer.status_code == 400
    assert answer.json()["errors"]["skill"] == ["Compétence inconnue : astrologie."]
    answer = client_for().get("/api/v1/missions/", {"departement": "99", "cause": "nope"})
    assert set(answer.json()["errors"]) == {"departement", "cause"}
    answer = client_for().get("/api/v1/missions/", {"format": "party"})
    assert answer.status_code == 400 and "format" in answer.json()["errors"]


def test_a_null_character_is_a_field_error_not_a_crash(client, missions):
    answer = client_for().get("/api/v1/missions/", {"q": "site\x00web"})
    assert answer.status_code == 400 and "q" in answer.json()["errors"]
    content = client.get(reverse("missions:list"), {"q": "site\x00web"}).content.decode()
    assert 'id="id_q_error"' in content
