import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from taxonomy.models import Cause, Skill
from tests import factories
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

URL = "/benevole/profil/"


def valid_post(**overrides):
    skill = Skill.objects.order_by("pk").first()
    data = {
        "first_name": "Camille",
        "last_name": "Martin",
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


# --- Name, photo, experience, link and phone -------------------------------------------


def png_upload(name="moi.png", size=(64, 64)):
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def test_the_profile_renames_the_person_and_keeps_what_they_present(client, volunteer):
    client.force_login(volunteer.user)
    content = client.get(URL).content.decode()
    assert f'value="{volunteer.user.first_name}"' in content

    response = client.post(
        URL,
        valid_post(
            first_name=" Inès ",
            last_name="Garcia",
            experience="Vingt ans de comptabilité associative.",
            profile_url="https://www.linkedin.com/in/ines-garcia",
            phone="+33 6 12 34 56 78",
        ),
    )

    assert response["Location"] == URL
    volunteer.refresh_from_db()
    volunteer.user.refresh_from_db()
    assert volunteer.user.full_name == "Inès Garcia"
    assert volunteer.experience == "Vingt ans de comptabilité associative."
    assert volunteer.profile_url == "https://www.linkedin.com/in/ines-garcia"
    assert volunteer.phone == "+33 6 12 34 56 78"


def test_the_profile_requires_a_name(client, volunteer):
    client.force_login(volunteer.user)

    response = client.post(URL, valid_post(first_name="", last_name=""))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Indiquez votre prénom." in content and "Indiquez votre nom." in content


@pytest.mark.parametrize(
    "link",
    ["http://www.linkedin.com/in/x", "javascript:alert(1)", "ftp://cv.example.org/cv.pdf"],
)
def test_the_link_must_be_https(client, volunteer, link):
    client.force_login(volunteer.user)

    response = client.post(URL, valid_post(profile_url=link))

    assert response.status_code == 200
    assert "commençant par https://" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.profile_url == ""


def test_a_link_without_a_scheme_becomes_https(client, volunteer):
    client.force_login(volunteer.user)

    client.post(URL, valid_post(profile_url="www.linkedin.com/in/x"))

    volunteer.refresh_from_db()
    assert volunteer.profile_url == "https://www.linkedin.com/in/x"


@pytest.mark.parametrize("phone", ["12", "appelez-moi", "06 12 34 56 78 90 12 34"])
def test_a_wrong_phone_is_refused(client, volunteer, phone):
    client.force_login(volunteer.user)

    response = client.post(URL, valid_post(phone=phone))

    assert response.status_code == 200
    assert "n&#x27;est pas valide" in response.content.decode()


def test_a_photo_is_uploaded_shown_to_its_owner_and_removed(
    client, volunteer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(volunteer.user)

    response = client.post(URL, valid_post(photo=png_upload()))

    assert response["Location"] == URL
    volunteer.refresh_from_db()
    stored = volunteer.photo.name
    assert stored.startswith("volunteers/photos/") and "moi" not in stored
    assert reverse("volunteers:photo") in client.get(URL).content.decode()
    assert client.get(reverse("volunteers:photo")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_post(photo=png_upload("autre.png")))
    volunteer.refresh_from_db()
    assert volunteer.photo.name != stored
    assert not (tmp_path / stored).exists()  # the replaced file is gone

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_post(remove_photo="on"))
    volunteer.refresh_from_db()
    assert not volunteer.photo
    assert client.get(reverse("volunteers:photo")).status_code == 404


def test_a_file_that_is_not_an_image_is_refused_with_a_reason(
    client, volunteer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(volunteer.user)

    response = client.post(URL, valid_post(photo=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 nothing")))

    assert response.status_code == 200
    assert "pas une image lisible" in response.content.decode()
    volunteer.refresh_from_db()
    assert not volunteer.photo
