"""The outbox: side effects recorded with their transaction, delivered once."""

import datetime as dt
import logging

import pytest
from celery import shared_task
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from core import outbox
from core.models import ActionLog, OutboxMessage
from core.tasks import deliver_outbox
from notifications.models import Notification
from notifications.services import notify
from tests import factories

pytestmark = pytest.mark.django_db

FAILING = {"on": True}


def _write(value: int) -> None:
    ActionLog.objects.create(
        content_type=ContentType.objects.get_for_model(User), object_id=value, action="test.ran"
    )


@shared_task(name="tests.core.test_outbox.record")
def record(value: int) -> int:
    _write(value)
    return value


@shared_task(name="tests.core.test_outbox.flaky")
def flaky(value: int) -> int:
    _write(value)  # written, then undone with the failure
    if FAILING["on"]:
        raise RuntimeError("receiver down")
    return value


def ran() -> list[int]:
    ran = ActionLog.objects.filter(action="test.ran").order_by("pk")
    return list(ran.values_list("object_id", flat=True))


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(deliver_outbox, "apply_async", refuse)
    yield
    outbox.broker_resumed()


@pytest.fixture
def handed_over(monkeypatch):
    """The broker takes the rows but no worker runs them: which rows were handed over."""
    handed = []
    monkeypatch.setattr(
        deliver_outbox, "apply_async", lambda args, **kwargs: handed.append(args[0])
    )
    return handed


def test_a_side_effect_runs_once_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox.enqueue(record, 7)
        assert ran() == []

    assert ran() == [7]
    message.refresh_from_db()
    assert message.delivered_at is not None and message.attempts == 1
    assert OutboxMessage.objects.pending().count() == 0


def test_a_rolled_back_transaction_leaves_no_side_effect(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(record, 7)
        raise RuntimeError("the service refused")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert ran() == []


def test_a_message_delivered_twice_acts_once():
    message = outbox.enqueue("tests.core.test_outbox.record", 7)

    assert outbox.deliver(message.pk) == "delivered"
    assert outbox.deliver(message.pk) == "skipped"
    assert deliver_outbox(message.pk) == "skipped"
    assert ran() == [7]


def test_with_the_broker_down_the_caller_goes_on_and_the_sweep_delivers_later(
    broker_down, django_capture_on_commit_callbacks, caplog, monkeypatch
):
    with (
        caplog.at_level(logging.WARNING, logger="core.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = outbox.enqueue(record, 1)
        second = outbox.enqueue(record, 2)

    assert ran() == []
    assert "not handed to the workers" in caplog.text
    # One refusal pauses the hand-overs: the second row does not wait for the broker.
    assert caplog.text.count("not handed to the workers") == 1
    assert set(OutboxMessage.objects.pending().values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }

    monkeypatch.undo()  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 2
    assert ran() == [1, 2]
    assert outbox.sweep() == 0
    assert ran() == [1, 2]


def test_a_failing_task_writes_nothing_and_is_retried_later_then_given_up(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    FAILING["on"] = True
    message = outbox.enqueue(flaky, 5)

    before = timezone.now()
    assert outbox.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert ran() == []  # the task's own writes rolled back with it
    assert message.attempts == 1 and message.delivered_at is None
    assert message.last_error == "RuntimeError: receiver down"
    assert message.available_at >= before + dt.timedelta(seconds=outbox.BACKOFF_FIRST_SECONDS)
    assert outbox.sweep() == 0  # not due yet

    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    assert outbox.deliver(message.pk) == "failed"
    message.refresh_from_db()
    assert message.abandoned_at is not None
    assert not OutboxMessage.objects.pending().exists()


def test_staff_retry_a_given_up_message_from_the_admin(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    FAILING["on"] = True
    message = outbox.enqueue(flaky, 5)
    outbox.deliver(message.pk)
    message.refresh_from_db()
    assert message.abandoned_at is not None

    client.force_login(staff)
    changelist = reverse("admin:core_outboxmessage_changelist")
    listed = client.get(changelist, {"state": "abandoned"})
    assert listed.status_code == 200
    assert "tests.core.test_outbox.flaky" in listed.content.decode()
    assert "RuntimeError: receiver down" in listed.content.decode()
    detail = reverse("admin:core_outboxmessage_change", args=[message.pk])
    assert client.get(detail).status_code == 200

    FAILING["on"] = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "retry_now", ACTION_CHECKBOX_NAME: [message.pk]}, follow=True
        )
    assert "1 effet confié de nouveau aux workers." in response.content.decode()
    message.refresh_from_db()
    assert message.delivered_at is not None and message.abandoned_at is None
    assert ran() == [5]


def test_people_outside_the_platform_team_do_not_see_the_outbox(client, owner):
    outbox.enqueue(record, 1)
    client.force_login(owner)
    response = client.get(reverse("admin:core_outboxmessage_changelist"))
    assert response.status_code == 302  # to the admin's login page
    referent = factories.UserFactory(is_staff=True, is_referent=True)
    client.force_login(referent)
    assert client.get(reverse("admin:core_outboxmessage_changelist")).status_code == 403


def test_a_key_records_the_same_side_effect_once():
    first = outbox.enqueue(record, 1, key="once")
    second = outbox.enqueue(record, 1, key="once")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_the_sweep_hands_over_again_only_what_was_lost(
    handed_over, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(record, 1)
    assert handed_over == [message.pk]

    assert outbox.sweep() == 0  # just handed over: still queued
    OutboxMessage.objects.filter(pk=message.pk).update(
        dispatched_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert outbox.sweep() == 1  # queued an hour ago and still not run: lost
    assert outbox.sweep(redispatch_after=0) == 1  # a worker that starts takes everything
    assert handed_over == [message.pk] * 3


def test_a_countdown_delays_the_side_effect(handed_over, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue(record, 1, countdown=60)
    assert message.available_at >= timezone.now() + dt.timedelta(seconds=55)
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=None)
    assert outbox.sweep() == 0


def test_delivered_rows_are_forgotten_after_a_while(settings):
    settings.OUTBOX_KEEP_DAYS = 7
    old = outbox.enqueue(record, 1)
    recent = outbox.enqueue(record, 2)
    OutboxMessage.objects.filter(pk=old.pk).update(
        delivered_at=timezone.now() - dt.timedelta(days=8)
    )
    OutboxMessage.objects.filter(pk=recent.pk).update(
        delivered_at=timezone.now() - dt.timedelta(days=6)
    )
    outbox.sweep()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_oldest_pending_age_is_measured():
    assert outbox.oldest_pending_age() is None
    message = outbox.enqueue(record, 1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=3)
    )
    assert 180 <= outbox.oldest_pending_age() < 200


def test_a_notification_email_is_sent_once_however_often_its_task_runs(
    django_capture_on_commit_callbacks,
):
    recipient = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient, Notification.Kind.APPLICATION_RECEIVED, url="/")
    assert len(mail.outbox) == 1

    for message in OutboxMessage.objects.all():
        OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=None)
        assert outbox.deliver(message.pk) == "delivered"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
