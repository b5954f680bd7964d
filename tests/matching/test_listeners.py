"""Missions and volunteers never call the matching service: they log what happened, and
the matching service hears it through the audit log and refreshes the lists concerned."""

import pytest

from matching.models import MatchingRun
from missions.models import Mission
from missions.services import application_create, mission_publish
from tests import factories
from volunteers.services import volunteer_profile_save

pytestmark = pytest.mark.django_db

Scope = MatchingRun.Scope


def refreshed(scope: str) -> set[int]:
    return set(MatchingRun.objects.filter(scope=scope).values_list("target_id", flat=True))


def test_a_published_mission_gets_its_suggestions(
    association, staff, django_capture_on_commit_callbacks
):
    mission = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    factories.MissionSkillFactory(mission=mission)
    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=mission.pk, actor=staff)
    assert refreshed(Scope.MISSION) == {mission.pk}


def test_a_saved_profile_gets_its_suggestions(django_capture_on_commit_callbacks):
    user = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        profile = volunteer_profile_save(
            actor=user, city="Lyon", postcode="69001", skills={}, causes=[], headline="Juriste"
        )
    assert refreshed(Scope.VOLUNTEER) == {profile.pk}


def test_an_application_refreshes_the_volunteer_and_the_mission(
    mission, volunteer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_create(mission_id=mission.pk, volunteer=volunteer, actor=volunteer.user)
    assert refreshed(Scope.VOLUNTEER) == {volunteer.pk}
    assert refreshed(Scope.MISSION) == {mission.pk}


def test_nothing_is_refreshed_before_the_transaction_commits(association, staff):
    mission = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    mission_publish(mission_id=mission.pk, actor=staff)
    assert not MatchingRun.objects.exists()
