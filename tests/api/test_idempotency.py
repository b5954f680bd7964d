"""Idempotency-Key: a retried POST gets the first answer, headers included; another
request under the same key (another query string too) is refused."""

import pytest

from api.models import IdempotentRequest, WebhookEndpoint
from tests import factories

from .conftest import client_for
from .test_missions import mission_payload

pytestmark = pytest.mark.django_db

HOOK = {"url": "https://93.184.216.34/hook", "events": ["mission.published"]}


def test_a_replay_keeps_the_first_answers_etag_and_location(owner_key, association):
    client = client_for(secret=owner_key)
    first = client.post("/api/v1/missions/", mission_payload(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.json()
    mission_id = first.json()["id"]
    # The mission changes meanwhile: the replay is still the first answer, its version too.
    etag = first["ETag"]
    changed = client.patch(
        f"/api/v1/missions/{mission_id}/", {"title": "Changée"}, HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200 and changed["ETag"] != etag

    replay = client.post("/api/v1/missions/", mission_payload(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true"
    assert replay["ETag"] == etag
    assert replay["Location"] == first["Location"]
    assert replay["Location"].endswith(f"/api/v1/missions/{mission_id}/")
    assert replay.json() == first.json()
    assert association.missions.count() == 1


def test_a_replay_adds_no_header_the_first_answer_had_not(owner_key):
    client = client_for(secret=owner_key)
    first = client.post("/api/v1/webhooks/", HOOK, HTTP_IDEMPOTENCY_KEY="k-2")
    assert first.status_code == 201, first.json()
    replay = client.post("/api/v1/webhooks/", HOOK, HTTP_IDEMPOTENCY_KEY="k-2")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert not replay.has_header("ETag") and not replay.has_header("Location")
    assert IdempotentRequest.objects.get().headers == {}


def test_the_same_key_with_another_query_string_is_another_request(owner, association):
    other = factories.AssociationFactory()
    factories.AssociationMemberFactory(association=other, user=owner)
    client = client_for(owner)
    first = client.post(
        f"/api/v1/webhooks/?association={association.slug}", HOOK, HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert first.status_code == 201, first.json()
    elsewhere = client.post(
        f"/api/v1/webhooks/?association={other.slug}", HOOK, HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json()["code"] == "idempotency_key_reused"
    assert list(WebhookEndpoint.objects.values_list("association", flat=True)) == [association.pk]


def test_the_order_of_the_query_parameters_does_not_matter(owner, association):
    client = client_for(owner)
    url = "/api/v1/webhooks/?association={slug}&company="
    first = client.post(url.format(slug=association.slug), HOOK, HTTP_IDEMPOTENCY_KEY="k-4")
    assert first.status_code == 201, first.json()
    reordered = client.post(
        f"/api/v1/webhooks/?company=&association={association.slug}",
        HOOK,
        HTTP_IDEMPOTENCY_KEY="k-4",
    )
    assert reordered.status_code == 201
    assert reordered["Idempotent-Replayed"] == "true"
    assert WebhookEndpoint.objects.count() == 1


@pytest.mark.parametrize("key", ["k\x00-1", "k\n1", "k\x1b1"])
def test_a_key_with_control_characters_is_refused_with_a_clear_error(owner_key, key):
    client = client_for(secret=owner_key)
    answer = client.post("/api/v1/webhooks/", HOOK, HTTP_IDEMPOTENCY_KEY=key)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_header"
    assert "Idempotency-Key" in answer.json()["message"]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("pooled", [False, True], ids=["session", "transaction-pooling"])
def test_twins_sent_at_once_act_once(
    postgresql, owner_key, association, monkeypatch, settings, pooled
):
    """A client that retries before the first answer came back: the second call waits
    for the first and gets its answer (behind PgBouncer in transaction mode too)."""
    settings.DATABASE_TRANSACTION_POOLING = pooled
    import threading
    import time

    from django.db import connection

    from missions import services

    create = services.mission_create

    def slow_create(**kwargs):
        time.sleep(0.5)  # the twin arrives while the first call is still at work
        return create(**kwargs)

    monkeypatch.setattr(services, "mission_create", slow_create)
    barrier = threading.Barrier(2)
    answers = []

    def post():
        try:
            barrier.wait()
            answers.append(
                client_for(secret=owner_key).post(
                    "/api/v1/missions/", mission_payload(), HTTP_IDEMPOTENCY_KEY="twins"
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [answer.status_code for answer in answers] == [201, 201]
    assert sorted(answer.get("Idempotent-Replayed", "no") for answer in answers) == ["no", "true"]
    assert answers[0].json() == answers[1].json()
    assert association.missions.count() == 1
