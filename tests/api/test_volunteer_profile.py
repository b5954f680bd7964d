"""PATCH /api/v1/volunteers/me/: a volunteer edits their own profile, through the service."""

import pytest

from taxonomy.models import Cause, Skill
from tests import factories
from volunteers.models import VolunteerProfile

from .conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/volunteers/me/"


@pytest.fixture
def profile(volunteer):
    factories.VolunteerSkillFactory(profile=volunteer, level=2)
    volunteer.causes.set([Cause.objects.order_by("pk").first()])
    return volunteer


def test_a_volunteer_changes_only_the_fields_sent(profile):
    skill = profile.skills.get()
    answer = client_for(profile.user).patch(URL, {"headline": "Juriste", "hours_per_month": 12})
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["headline"] == "Juriste" and body["hours_per_month"] == 12
    profile.refresh_from_db()
    assert profile.headline == "Juriste"
    assert profile.hours_per_month == 12
    # What was not sent is kept: place, skills, causes, languages.
    assert (profile.city, profile.postcode, profile.departement.code) == ("Lyon", "69007", "69")
    assert list(profile.skills.values_list("skill_id", "level")) == [(skill.skill_id, 2)]
    assert profile.causes.count() == 1
    assert profile.languages == ["fr"]


def test_skills_and_causes_sent_replace_the_lists(profile):
    first, second = Skill.objects.order_by("pk")[:2]
    causes = list(Cause.objects.order_by("pk")[1:3])
    answer = client_for(profile.user).patch(
        URL,
        {
            "skills": [{"skill": second.code, "level": 4}],
            "causes": [cause.code for cause in causes],
            "time_slots": ["weekend"],
        },
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["skills"] == [{"skill": second.code, "level": 4}]
    assert dict(profile.skills.values_list("skill__code", "level")) == {second.code: 4}
    assert set(profile.causes.all()) == set(causes)
    profile.refresh_from_db()
    assert profile.time_slots == ["weekend"]


def test_a_new_place_is_located_again(profile):
    client = client_for(profile.user)
    moved = client.patch(URL, {"city": "Paris", "postcode": "75011"})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["departement"] == "75"
    cleared = client.patch(URL, {"city": "", "postcode": ""})
    assert cleared.status_code == 200, cleared.json()
    profile.refresh_from_db()
    assert profile.departement is None and not profile.has_coordinates


def test_invalid_fields_answer_400_field_by_field(profile):
    client = client_for(profile.user)
    answer = client.patch(
        URL,
        {"hours_per_month": 0, "skills": [{"skill": "inconnue", "level": 9}], "time_slots": ["x"]},
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"hours_per_month", "skills", "time_slots"}
    profile.refresh_from_db()
    assert profile.hours_per_month == 4


def test_the_services_rules_answer_400_in_the_requesters_language(profile):
    client = client_for(profile.user)
    dates = {"available_from": "2026-06-01", "available_until": "2026-05-01"}
    french = client.patch(URL, dates)
    english = client.patch(URL, dates, HTTP_ACCEPT_LANGUAGE="en")
    assert french.status_code == english.status_code == 400
    assert french.json()["errors"]["available_until"] == [
        "La fin de disponibilité précède son début."
    ]
    assert english.json()["errors"]["available_until"] == [
        "The end of availability is before its start."
    ]
    no_format = client.patch(
        URL, {"accepts_remote": False, "accepts_on_site": False, "accepts_hybrid": False}
    )
    assert no_format.status_code == 400
    assert list(no_format.json()["errors"]) == ["non_field_errors"]
    profile.refresh_from_db()
    assert profile.available_from is None and profile.accepts_remote


def test_the_same_skill_twice_is_refused(profile):
    code = Skill.objects.order_by("pk").first().code
    answer = client_for(profile.user).patch(
        URL, {"skills": [{"skill": code, "level": 1}, {"skill": code, "level": 3}]}
    )
    assert answer.status_code == 400
    assert "skills" in answer.json()["errors"]


def test_only_a_volunteer_edits_their_own_profile(profile, outsider, owner_key):
    assert client_for().patch(URL, {"headline": "x"}).status_code == 401
    assert client_for(outsider).patch(URL, {"headline": "x"}).status_code == 404
    assert not VolunteerProfile.objects.filter(user=outsider).exists()
    # A key acts for its organisation, never in a person's name.
    assert client_for(secret=owner_key).patch(URL, {"headline": "x"}).status_code == 403
    profile.refresh_from_db()
    assert profile.headline == "Contrôleuse de gestion"


def test_experience_link_and_phone_are_edited_and_an_http_link_refused(profile):
    client = client_for(profile.user)

    answer = client.patch(
        URL,
        {
            "experience": "Dix ans de contrôle de gestion.",
            "profile_url": "https://www.linkedin.com/in/x",
            "phone": "06 12 34 56 78",
        },
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["profile_url"] == "https://www.linkedin.com/in/x"

    refused = client.patch(URL, {"profile_url": "http://www.linkedin.com/in/x", "phone": "12"})
    assert refused.status_code == 400
    body = str(refused.json())
    assert "https://" in body and "profile_url" in body and "phone" in body
    profile.refresh_from_db()
    assert profile.profile_url == "https://www.linkedin.com/in/x"
    assert profile.phone == "06 12 34 56 78"
