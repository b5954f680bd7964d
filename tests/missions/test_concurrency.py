"""Seats are counted under the mission's row lock: parallel accepts never overbook."""

import threading

import pytest
from django.db import connection

from core.states import TransitionNotAllowed
from missions.models import Application
from missions.services import application_accept
from tests import factories


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_accepts_never_overbook_a_mission(postgresql):
    mission = factories.MissionFactory(seats=2)
    owner = factories.AssociationMemberFactory(association=mission.association).user
    applications = [factories.ApplicationFactory(mission=mission) for _ in range(8)]
    barrier = threading.Barrier(len(applications))
    outcomes: list[str] = []

    def accept(application_id: int) -> None:
        try:
            barrier.wait()
            application_accept(application_id=application_id, actor=owner)
            outcomes.append("accepted")
        except TransitionNotAllowed as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(a.pk,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["accepted"] * 2 + ["no_free_seat"] * 6
    assert mission.applications.filter(state=Application.State.ACCEPTED).count() == 2
