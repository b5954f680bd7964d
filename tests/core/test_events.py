from collections import defaultdict

import pytest

from core import events
from core.models import ActionLog, log_action
from tests import factories


@pytest.fixture
def listeners(db, monkeypatch):
    monkeypatch.setattr(events, "_listeners", defaultdict(list))
    return events


def test_listeners_hear_an_action_once_its_transaction_commits(
    listeners, django_capture_on_commit_callbacks
):
    heard = []
    listeners.on_action("association.verify")(heard.append)
    association = factories.AssociationFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entry = log_action(association, "association.verify")
        assert heard == []

    assert len(callbacks) == 1
    assert heard == [entry]


def test_a_listener_for_every_action_hears_them_all(listeners, django_capture_on_commit_callbacks):
    heard = []
    listeners.on_action(events.ALL)(lambda entry: heard.append(entry.action))
    association = factories.AssociationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        log_action(association, "association.verify")
        log_action(association, "association.suspend")

    assert heard == ["association.verify", "association.suspend"]


def test_an_action_nobody_listens_to_schedules_nothing(
    listeners, django_capture_on_commit_callbacks
):
    association = factories.AssociationFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        log_action(association, "association.verify")
    assert callbacks == []
    assert ActionLog.objects.filter(action="association.verify").exists()


def test_each_listener_runs_apart_so_a_failing_one_does_not_stop_the_others(
    listeners, django_capture_on_commit_callbacks
):
    heard = []

    def a_broken_listener(entry):
        raise RuntimeError("down")

    listeners.on_action("association.verify")(a_broken_listener)
    listeners.on_action("association.verify")(heard.append)
    association = factories.AssociationFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entry = log_action(association, "association.verify")

    assert len(callbacks) == 2
    assert heard == [entry]


def test_listeners_run_in_the_order_of_their_names_not_of_registration(listeners):
    def b_second(entry):
        pass

    def a_first(entry):
        pass

    listeners.on_action("association.verify")(b_second)
    listeners.on_action("association.verify")(a_first)

    assert listeners.listeners_for("association.verify") == [a_first, b_second]
