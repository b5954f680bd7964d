import pytest
from django.urls import reverse

from missions.models import Mission, MissionSkill
from taxonomy.models import Skill
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_home_page_speaks_to_each_audience_with_a_call_to_action(client, db):
    content = client.get(reverse("home")).content.decode()

    for audience, role in (
        ("Associations", "association"),
        ("Bénévoles", "volunteer"),
        ("Entreprises et fondations", "company"),
    ):
        assert f"<h3>{audience}</h3>" in content
        assert f'href="/comptes/signup/?role={role}"' in content


def test_signed_in_people_are_sent_to_the_onboarding_pages_not_to_sign_up(client, outsider):
    client.force_login(outsider)

    content = client.get(reverse("home")).content.decode()

    assert "?role=" not in content
    assert f'href="{reverse("volunteers:profile")}"' in content


def test_the_home_page_stays_within_its_query_budget(
    client, association, volunteer, django_assert_max_num_queries
):
    factories.MissionFactory.create_batch(8, association=association)
    client.force_login(volunteer.user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))

    assert response.content.decode().count('class="card mission-card"') == 6


def test_the_mission_page_shows_seats_left_the_association_and_the_volunteer_actions(
    client, mission, volunteer
):
    mission.seats = 3
    mission.save()
    factories.ApplicationFactory(mission=mission, volunteer=volunteer, state="accepted")

    content = client.get(mission.get_absolute_url()).content.decode()

    assert "2 places libres sur 3" in content
    assert f'href="{mission.association.get_absolute_url()}"' in content
    assert 'class="mission-actions"' in content


def test_the_mission_page_stays_within_its_query_budget(
    client, mission, volunteer, django_assert_max_num_queries
):
    for skill in Skill.objects.order_by("pk")[1:6]:
        factories.MissionSkillFactory(
            mission=mission, skill=skill, importance=MissionSkill.Importance.NICE_TO_HAVE
        )
    client.force_login(volunteer.user)

    with django_assert_max_num_queries(10):
        response = client.get(mission.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize(
    "state", [Mission.State.DRAFT, Mission.State.SUBMITTED, Mission.State.CANCELLED]
)
@pytest.mark.parametrize("persona", [None, "volunteer", "owner", "outsider", "company_admin"])
def test_unpublished_missions_are_not_found_on_the_public_page(
    client, association, request, state, persona
):
    mission = factories.MissionFactory(association=association, state=state)
    if persona:
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))

    assert client.get(mission.get_absolute_url()).status_code == 404
    assert mission.title not in client.get(reverse("missions:list")).content.decode()
