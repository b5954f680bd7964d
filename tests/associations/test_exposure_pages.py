"""The association's pipeline shows volunteers as ``volunteers.exposure`` says: no
suggestion before the association is verified, a first name and an initial for a
suggested volunteer, the full name once they applied, never an e-mail address."""

import pytest
from django.urls import reverse

from associations.models import Association
from tests import factories
from tests.suggestions import store_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggested(mission):
    volunteer = factories.VolunteerFactory(
        user__first_name="Léa", user__last_name="Quillévéré", user__email="lea@example.org"
    )
    store_list(mission=mission, others=[volunteer])
    return volunteer


def pipeline(client, user, mission):
    client.force_login(user)
    return client.get(reverse("asso:mission_pipeline", args=[mission.pk]))


def test_a_verified_association_sees_a_suggested_volunteer_by_first_name(
    client, owner, mission, suggested
):
    page = pipeline(client, owner, mission).content.decode()

    assert "Léa Q." in page
    assert "Quillévéré" not in page
    assert "lea@example.org" not in page


def test_an_applicant_is_shown_by_full_name_without_email(client, owner, mission):
    factories.ApplicationFactory(
        mission=mission,
        volunteer__user__first_name="Hugo",
        volunteer__user__last_name="Bernard",
        volunteer__user__email="hugo@example.org",
    )

    page = pipeline(client, owner, mission).content.decode()

    assert "Hugo Bernard" in page
    assert "hugo@example.org" not in page


@pytest.mark.parametrize("state", [Association.State.PENDING, Association.State.SUSPENDED])
def test_an_association_not_verified_sees_no_suggested_volunteer(
    client, owner, mission, suggested, state
):
    Association.objects.filter(pk=mission.association_id).update(verification_state=state)

    page = pipeline(client, owner, mission).content.decode()

    assert "Léa" not in page
    assert "une fois votre association vérifiée" in page
    hide = reverse("asso:hide", args=[mission.pk, suggested.pk])
    assert client.post(hide, {f"hide-{suggested.pk}-reason": "skills"}).status_code == 404


def test_another_association_cannot_open_the_pipeline(client, mission, suggested):
    stranger = factories.AssociationMemberFactory().user

    assert pipeline(client, stranger, mission).status_code == 404


def test_an_open_mission_without_suggestion_says_who_would_be_suggested(client, owner, mission):
    page = pipeline(client, owner, mission).content.decode()

    assert "Personne ne correspond encore" in page
    assert "Toutes les places sont prises" not in page


def test_a_full_mission_says_it_is_no_longer_suggested_until_a_seat_frees(client, owner, mission):
    from missions.models import Application

    factories.ApplicationFactory(mission=mission, state=Application.State.ACCEPTED)

    page = pipeline(client, owner, mission).content.decode()

    assert "Toutes les places sont prises" in page
    assert "Personne ne correspond encore" not in page
