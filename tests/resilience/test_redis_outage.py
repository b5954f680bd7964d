"""Redis stopped in the middle of real use: no answer >= 500, nothing lost, nothing
sent twice once it returns (a real redis-server of the test's own, stopped and started)."""

import logging
import time
from collections import Counter

import pytest
import redis
from allauth.account.models import EmailAddress
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from core import outbox
from core.models import OutboxMessage
from matching.models import MatchingRun
from missions.models import Application, Mission
from notifications.models import Notification
from taxonomy.models import Cause, Skill
from tests import factories

from .conftest import broker, drain

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "motdepasse-solide-42"


def mission_payload() -> dict:
    return {
        "title": "Tableau de bord des dons",
        "summary": "Suivre les dons mois par mois.",
        "cause": Cause.objects.order_by("pk").first().code,
        "location_mode": "remote",
        "effort_hours": 20,
        "seats": 2,
        "skills": [
            {
                "skill": Skill.objects.order_by("pk").first().code,
                "min_level": 3,
                "importance": "required",
            }
        ],
    }


def test_with_redis_stopped_nothing_fails_and_every_side_effect_happens_once_it_returns(
    test_redis, receiver, settings, caplog
):
    settings.MATCHING_COALESCE_SECONDS = 0
    skill = Skill.objects.get(code="website_creation")
    association = factories.AssociationFactory()
    owner = factories.AssociationMemberFactory(association=association).user
    staff = factories.UserFactory(is_staff=True)
    open_mission = factories.MissionFactory(association=association, seats=2)
    factories.MissionSkillFactory(mission=open_mission, skill=skill)
    to_publish = factories.MissionFactory(
        association=association, state=Mission.State.SUBMITTED, published_at=None
    )
    factories.MissionSkillFactory(mission=to_publish, skill=skill)
    volunteer = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=volunteer, skill=skill, level=3)
    EmailAddress.objects.create(
        user=volunteer.user, email=volunteer.user.email, verified=True, primary=True
    )
    endpoint = WebhookEndpoint.objects.create(
        association=association,
        url=receiver.url,
        events=["mission.published", "application.created"],
        secret=WebhookEndpoint.new_secret(),
    )
    _key, secret = ApiKey.issue(
        organisation=association, name="CRM", scope=ApiKey.Scope.WRITE, created_by=owner
    )
    runs_before = MatchingRun.objects.filter(scope="mission", target_id=to_publish.pk).count()
    mail.outbox.clear()

    visitor, staff_client, partner = Client(), Client(), APIClient()
    staff_client.force_login(staff)
    partner.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    answers: dict[str, int] = {}
    durations: dict[str, float] = {}

    def act(name, call):
        started = time.monotonic()
        answers[name] = call().status_code
        durations[name] = time.monotonic() - started

    with broker(test_redis.url(1)), caplog.at_level(logging.WARNING):
        test_redis.stop()
        act(
            "sign-in",
            lambda: visitor.post(
                reverse("account_login"), {"login": volunteer.user.email, "password": PASSWORD}
            ),
        )
        act(
            "apply",
            lambda: visitor.post(
                reverse("volunteers:apply", args=[open_mission.pk]), {"message": "Disponible."}
            ),
        )
        act("api write", lambda: partner.post("/api/v1/missions/", mission_payload()))
        act(
            "publication",
            lambda: staff_client.post(
                reverse("admin:missions_mission_changelist"),
                {"action": "publish", ACTION_CHECKBOX_NAME: [to_publish.pk], "index": 0},
            ),
        )
        act("healthz", lambda: visitor.get("/healthz"))

        # Each action did what it was asked, and only its side effects wait.
        assert answers == {
            "sign-in": 302,
            "apply": 302,
            "api write": 201,
            "publication": 302,
            "healthz": 200,
        }
        # Nothing waits for the dead Redis (generous: the first request of a test is cold).
        assert max(durations.values()) < 10, durations
        assert Application.objects.filter(mission=open_mission, volunteer=volunteer).exists()
        assert Mission.objects.get(pk=to_publish.pk).state == Mission.State.PUBLISHED
        assert "Redis cache unreachable" in caplog.text
        assert "not handed to the workers" in caplog.text
        waiting = OutboxMessage.objects.pending().count()
        assert waiting >= 4
        assert mail.outbox == [] and receiver.requests == []
        test_redis.start()

        # The same process hands over again once Redis is back (its connections recover).
        outbox.broker_resumed()
        assert outbox.dispatch(OutboxMessage.objects.pending().earliest("pk").pk)
        assert redis.Redis.from_url(test_redis.url(1)).llen("celery") == 1

    drain()  # what the worker's sweep does once Redis is back

    # Every side effect, exactly once.
    application = Application.objects.get(mission=open_mission, volunteer=volunteer)
    assert Counter(receiver.events) == {"application.created": 1, "mission.published": 1}
    assert set(receiver.acknowledged.values()) == {1}
    assert set(
        WebhookDelivery.objects.filter(endpoint=endpoint).values_list("state", flat=True)
    ) == {WebhookDelivery.State.SUCCEEDED}
    received = Notification.objects.filter(
        recipient=owner, kind=Notification.Kind.APPLICATION_RECEIVED, target_id=application.pk
    )
    assert received.count() == 1
    assert received.get().emailed_at is not None
    sent = Counter((tuple(message.to), message.subject) for message in mail.outbox)
    assert sent and set(sent.values()) == {1}, sent
    assert any(owner.email in to for to, _subject in sent)
    refreshes = MatchingRun.objects.filter(scope="mission", target_id=to_publish.pk).count()
    assert refreshes == runs_before + 1
    assert not OutboxMessage.objects.pending().exists()

    # A task that runs again (a broker redelivering, a sweep racing a worker) sends nothing
    # (a listener run again may ask matching for a fresh refresh: harmless, not counted).
    emails, requests = len(mail.outbox), len(receiver.requests)
    for message in OutboxMessage.objects.exclude(task__startswith="matching."):
        OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=None)
        assert outbox.deliver(message.pk) == "delivered"
    assert len(mail.outbox) == emails
    assert len(receiver.requests) == requests
    assert received.count() == 1
    print(
        f"Redis stopped during {len(answers)} actions: 0 answers >= 500 "
        f"(slowest {max(durations.values()):.2f} s); {waiting} side effects waited; "
        f"after Redis returned: {emails} e-mails, {requests} webhooks, "
        f"{refreshes - runs_before} matching refresh, each exactly once; durations {durations}"
    )
