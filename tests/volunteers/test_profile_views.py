import pytest
from django.urls import reverse

from taxonomy.models import Cause, Skill
from tests import factories
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

URL = "/benevole/profil/"


def valid_post(**overrides):
    skill = Skill.objects.order_by("pk").first()
    data = {
        "headline": "Développeuse web",
        "occupation": "Cheffe de projet",
        "bio": "",
        "seniority": "experienced",
        "hours_per_month": "6",
        "available_from": "",
        "available_until": "",
        "time_slots": ["weekday_evening"],
        "city": "Lyon",
        "postcode": "69003",
        "max_distance_km": "20",
        "accepts_remote": "on",
        "accepts_hybrid": "on",
        "languages": ["fr", "en"],
        "is_visible": "on",
        "causes": [Cause.objects.order_by("pk").first().pk],
        f"skill_{skill.pk}": "3",
    }
    data.update(overrides)
    return data


def test_the_url_name_is_the_profile_editor():
    assert reverse("volunteers:profile") == URL


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_signed_in_person_without_profile_is_onboarded(client, outsider):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Devenir bénévole" in content
    # Every skill has its own labelled level select, grouped by family.
    skill = Skill.objects.select_related("family").first()
    assert f'<label for="id_skill_{skill.pk}">' in content
    assert skill.family.name_fr in content


def test_creating_the_profile_then_goes_to_suggestions(
    client, outsider, django_capture_on_commit_callbacks
):
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:suggestions")
    profile = VolunteerProfile.objects.get(user=outsider)
    assert profile.headline == "Développeuse web"
    assert profile.languages == ["fr", "en"]
    assert profile.time_slots == ["weekday_evening"]
    assert profile.accepts_remote and profile.accepts_hybrid and not profile.accepts_on_site
    assert profile.departement.code == "69"
    assert profile.skills.get().level == 3


def test_creating_the_profile_returns_to_the_mission_it_came_from(client, outsider, mission):
    client.force_login(outsider)
    response = client.post(URL, valid_post(next=mission.get_absolute_url()))
    assert response["Location"] == mission.get_absolute_url()


def test_an_external_next_is_ignored(client, outsider):
    client.force_login(outsider)
    response = client.post(URL, valid_post(next="https://evil.example.com/"))
    assert response["Location"] == reverse("volunteers:suggestions")


def test_errors_are_summarised_and_next_to_their_field_and_input_is_kept(client, outsider):
    client.force_login(outsider)
    data = valid_post(headline="Juriste bénévole")
    del data["accepts_remote"]
    del data["accepts_hybrid"]
    data["postcode"] = "ABCDE"
    response = client.post(URL, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "Choisissez au moins un format" in content
    assert "n&#x27;est pas valide" in content
    assert 'aria-describedby="id_postcode_helptext id_postcode_error"' in content
    assert 'aria-describedby="id_accepts_remote_error"' in content
    assert 'value="Juriste bénévole"' in content
    assert not VolunteerProfile.objects.filter(user=outsider).exists()


def test_an_unknown_city_is_refused_in_french(client, outsider):
    client.force_login(outsider)
    response = client.post(URL, valid_post(city="Zzyzxville", postcode=""))
    assert "Nous ne trouvons pas cette ville" in response.content.decode()


def test_an_on_site_only_volunteer_must_say_where(client, outsider):
    client.force_login(outsider)
    data = valid_post(city="", postcode="", accepts_on_site="on")
    del data["accepts_remote"]
    response = client.post(URL, data)
    assert "Indiquez où vous pouvez vous rendre" in response.content.decode()


def test_an_existing_profile_is_edited_with_its_levels_selected(client, volunteer):
    skill = Skill.objects.order_by("pk").first()
    factories.VolunteerSkillFactory(profile=volunteer, skill=skill, level=4)
    client.force_login(volunteer.user)

    content = client.get(URL).content.decode()

    assert "Mon profil de bénévole" in content
    assert '<option value="4" selected>Expert</option>' in content

    response = client.post(URL, valid_post(**{f"skill_{skill.pk}": ""}))
    assert response["Location"] == URL
    assert not volunteer.skills.exists()


def test_the_profile_editor_stays_within_the_query_budget(
    client, volunteer, django_assert_max_num_queries
):
    for skill in Skill.objects.order_by("pk")[:5]:
        factories.VolunteerSkillFactory(profile=volunteer, skill=skill)
    volunteer.causes.set(Cause.objects.all()[:3])
    client.force_login(volunteer.user)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200


def test_the_navigation_offers_the_volunteer_space(client, volunteer, outsider):
    client.force_login(volunteer.user)
    content = client.get("/").content.decode()
    for label in ("Missions pour vous", "Mes engagements", "Favoris", "Mon profil"):
        assert label in content
    client.force_login(outsider)
    content = client.get("/").content.decode()
    assert "Devenir bénévole" in content
    assert "Mes engagements" not in content
