"""An association reads its candidates by name and opens their full profile: only for
the applicants, suggestions and invitees of its own missions, contact details once it
accepted them; names are escaped wherever they are shown."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from associations.models import Association
from missions.attestation import render_attestation
from missions.models import Evaluation, Invitation
from taxonomy.models import Cause
from tests import factories
from tests.suggestions import store_list
from tests.volunteers.test_engagements import pdf_text

pytestmark = pytest.mark.django_db


def named_volunteer(first: str, last: str, **profile):
    user = factories.UserFactory(
        first_name=first, last_name=last, email=f"{first.lower()}@mail.test"
    )
    volunteer = factories.VolunteerFactory(user=user, **profile)
    return volunteer


def candidate_url(mission, volunteer) -> str:
    return reverse("asso:candidate", args=[mission.pk, volunteer.pk])


@pytest.fixture
def member_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def applicant(mission):
    volunteer = named_volunteer(
        "Camille",
        "Martin",
        experience="Dix ans de gestion de projets web.",
        profile_url="https://www.linkedin.com/in/camille-martin",
        phone="06 12 34 56 78",
        languages=["fr", "en"],
        time_slots=["weekend"],
        hours_per_month=8,
    )
    volunteer.causes.set([Cause.objects.order_by("pk").first()])
    factories.VolunteerSkillFactory(profile=volunteer, skill=mission.skills.get().skill, level=4)
    factories.ApplicationFactory(mission=mission, volunteer=volunteer, message="Je suis motivée.")
    return volunteer


@pytest.fixture
def suggested(mission):
    volunteer = named_volunteer("Zoé", "Kerhervé")
    store_list(mission=mission, others=[volunteer])
    return volunteer


# --- The pipeline -------------------------------------------------------------------


def test_the_pipeline_shows_names_never_emails(member_client, mission, applicant, suggested):
    page = member_client.get(reverse("asso:mission_pipeline", args=[mission.pk])).content.decode()

    assert "Camille Martin" in page  # an applicant, in full
    assert "Zoé K." in page and "Kerhervé" not in page  # a suggestion, as the public sees it
    assert "@mail.test" not in page
    assert candidate_url(mission, applicant) in page
    assert candidate_url(mission, suggested) in page


def test_the_pipeline_shows_a_number_for_an_applicant_without_a_name(member_client, mission):
    volunteer = named_volunteer("", "")
    factories.ApplicationFactory(mission=mission, volunteer=volunteer)

    page = member_client.get(reverse("asso:mission_pipeline", args=[mission.pk])).content.decode()

    assert f"Bénévole n° {volunteer.user.pk}" in page
    assert "@mail.test" not in page


# --- The candidate's profile -------------------------------------------------------------


def test_an_applicant_profile_shows_what_a_decision_needs_but_no_contact_yet(
    member_client, mission, applicant
):
    response = member_client.get(candidate_url(mission, applicant))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Camille Martin" in page
    assert mission.skills.get().skill.name_fr in page
    assert "Expert (4/4)" in page
    assert "Indispensable" in page
    assert "Dix ans de gestion de projets web." in page
    assert 'href="https://www.linkedin.com/in/camille-martin"' in page
    assert "Anglais" in page
    assert "Le week-end" in page
    assert "8 h par mois" in page
    assert Cause.objects.order_by("pk").first().name_fr in page
    assert "Je suis motivée." in page
    assert "Pas encore de mission menée à son terme" in page
    assert "camille@mail.test" not in page
    assert "06 12 34 56 78" not in page
    assert "une fois sa candidature acceptée" in page


@pytest.mark.parametrize("state", ["accepted", "active", "completed"])
def test_contact_details_appear_once_the_application_is_accepted(
    member_client, mission, applicant, state
):
    applicant.applications.update(state=state)

    page = member_client.get(candidate_url(mission, applicant)).content.decode()

    assert 'href="mailto:camille@mail.test"' in page
    assert "06 12 34 56 78" in page


@pytest.mark.parametrize("state", ["declined", "withdrawn", "waitlisted"])
def test_contact_details_stay_hidden_otherwise(member_client, mission, applicant, state):
    applicant.applications.update(state=state)

    page = member_client.get(candidate_url(mission, applicant)).content.decode()

    assert "camille@mail.test" not in page


def test_past_engagements_and_their_evaluations_are_shown(member_client, mission, applicant):
    other_mission = factories.MissionFactory(title="Comptabilité 2024")
    done = factories.ApplicationFactory(
        mission=other_mission, volunteer=applicant, state="completed"
    )
    Evaluation.objects.create(
        application=done, side=Evaluation.Side.ASSOCIATION, rating=5, objectives="met"
    )

    page = member_client.get(candidate_url(mission, applicant)).content.decode()

    assert "1 mission menée à son terme" in page
    assert "note moyenne 5/5" in page
    assert "Comptabilité 2024" in page
    assert "Atteints" in page


def test_a_suggestion_profile_shows_the_public_name_and_no_contact(
    member_client, mission, suggested
):
    response = member_client.get(candidate_url(mission, suggested))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Zoé K." in page
    assert "Kerhervé" not in page
    assert "@mail.test" not in page
    assert "Invitez cette personne à candidater" in page


def test_an_invited_volunteer_profile_can_be_read(member_client, mission):
    volunteer = named_volunteer("Inès", "Garcia")
    Invitation.objects.create(mission=mission, volunteer=volunteer)

    assert member_client.get(candidate_url(mission, volunteer)).status_code == 200


def test_a_colleague_reads_the_profile_too(client, colleague, mission, applicant):
    client.force_login(colleague)

    assert client.get(candidate_url(mission, applicant)).status_code == 200


def test_someone_neither_applicant_nor_suggested_is_not_found(member_client, mission):
    stranger = named_volunteer("Paul", "Simon")

    assert member_client.get(candidate_url(mission, stranger)).status_code == 404


def test_a_hidden_profile_is_not_found_through_a_suggestion(member_client, mission):
    volunteer = named_volunteer("Paul", "Simon", is_visible=False)
    store_list(mission=mission, others=[volunteer])
    Invitation.objects.create(mission=mission, volunteer=volunteer)

    assert member_client.get(candidate_url(mission, volunteer)).status_code == 404


def test_another_associations_candidate_is_not_found(client, mission, applicant, suggested):
    outsider_member = factories.AssociationMemberFactory().user
    client.force_login(outsider_member)

    assert client.get(candidate_url(mission, applicant)).status_code == 404
    assert client.get(candidate_url(mission, suggested)).status_code == 404


def test_a_candidate_of_another_mission_is_not_found_through_ones_own(
    member_client, mission, association
):
    elsewhere = factories.ApplicationFactory(volunteer=named_volunteer("Léo", "Petit")).volunteer
    own_other_mission = factories.MissionFactory(association=association)

    assert member_client.get(candidate_url(mission, elsewhere)).status_code == 404
    assert member_client.get(candidate_url(own_other_mission, elsewhere)).status_code == 404


@pytest.mark.parametrize("state", ["pending", "rejected", "suspended"])
def test_an_unverified_association_reads_no_profile(
    member_client, association, mission, applicant, state
):
    Association.objects.filter(pk=association.pk).update(verification_state=state)

    assert member_client.get(candidate_url(mission, applicant)).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "volunteer", "staff"])
def test_others_read_no_profile(client, mission, applicant, who, staff, volunteer):
    user = {"anonymous": None, "volunteer": applicant.user, "staff": staff}[who]
    if user is not None:
        client.force_login(user)

    response = client.get(candidate_url(mission, applicant))

    assert response.status_code == (302 if user is None else 404)
    assert "Dix ans de gestion" not in response.content.decode()


# --- The photo ----------------------------------------------------------------------------


def jpeg() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "teal").save(out, "JPEG")
    return ContentFile(out.getvalue(), name="moi.jpg")


def test_a_photo_is_served_to_the_association_and_to_its_owner_only(
    client, settings, tmp_path, owner, mission, applicant
):
    settings.MEDIA_ROOT = tmp_path
    applicant.photo = jpeg()
    applicant.save()
    photo_url = reverse("asso:candidate_photo", args=[mission.pk, applicant.pk])

    client.force_login(owner)
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert photo_url in client.get(candidate_url(mission, applicant)).content.decode()

    client.force_login(factories.AssociationMemberFactory().user)
    assert client.get(photo_url).status_code == 404

    client.force_login(applicant.user)
    assert client.get(reverse("volunteers:photo")).status_code == 200


# --- Hostile names --------------------------------------------------------------------

HOSTILE_FIRST = "<script>alert(1)</script>"
HOSTILE_LAST = '=HYPERLINK("http://x")<b>'


@pytest.fixture
def hostile(mission):
    volunteer = named_volunteer(HOSTILE_FIRST, HOSTILE_LAST)
    volunteer.user.email = "hostile@mail.test"
    volunteer.user.save()
    return factories.ApplicationFactory(mission=mission, volunteer=volunteer, state="completed")


def test_a_hostile_name_is_escaped_on_the_pages(member_client, mission, hostile):
    pages = [
        reverse("asso:mission_pipeline", args=[mission.pk]),
        candidate_url(mission, hostile.volunteer),
    ]
    for url in pages:
        response = member_client.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in page
        assert HOSTILE_LAST not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "=HYPERLINK(&quot;http://x&quot;)&lt;b&gt;" in page


def test_a_hostile_name_is_printed_literally_on_the_attestation(hostile):
    with translation.override("fr"):
        content = pdf_text(render_attestation(hostile, compress=False))

    # ReportLab spaces the words of a justified line: compare without spaces.
    drawn = content.replace(" ", "")
    assert HOSTILE_FIRST.replace(" ", "") in drawn
    assert HOSTILE_LAST.replace(" ", "") in drawn
    assert "hostile@mail.test" not in content
