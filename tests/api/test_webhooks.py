"""Webhooks against a real HTTP receiver running in a thread: no mocked HTTP."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from api.admin import WebhookDeliveryAdmin
from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import SIGNATURE_HEADER, sign, verify
from missions.models import Mission
from missions.services import application_accept, application_create, mission_publish
from tests import factories

from .conftest import client_for

pytestmark = pytest.mark.django_db


class Receiver:
    """A local endpoint that records what it gets and answers with the next status."""

    def __init__(self):
        self.received = []
        self.statuses = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b"boom")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def endpoint(association, owner, receiver, owner_key):
    answer = client_for(secret=owner_key).post(
        "/api/v1/webhooks/",
        {
            "url": receiver.url,
            "events": ["mission.published", "application.created", "application.state_changed"],
        },
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get(pk=answer.json()["id"])
    assert answer.json()["secret"] == endpoint.secret
    return endpoint


def test_the_signature_is_hmac_sha256_of_timestamp_and_body():
    header = sign("whsec_x", b'{"a":1}', timestamp=1700000000)
    import hashlib
    import hmac

    expected = hmac.new(b"whsec_x", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert not verify("whsec_x", b'{"a":1}', header)  # far too old
    fresh = sign("whsec_x", b'{"a":1}')
    assert verify("whsec_x", b'{"a":1}', fresh)
    assert not verify("whsec_y", b'{"a":1}', fresh)
    assert not verify("whsec_x", b'{"a":2}', fresh)


def test_publishing_a_mission_sends_a_signed_webhook(
    association, staff, endpoint, receiver, django_capture_on_commit_callbacks
):
    mission = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    factories.MissionSkillFactory(mission=mission)
    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=mission.pk, actor=staff)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert headers["Probono-Event"] == "mission.published"
    assert verify(endpoint.secret, body, headers[SIGNATURE_HEADER])
    payload = json.loads(body)
    assert payload["event"] == "mission.published"
    assert payload["data"]["id"] == mission.pk
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.SUCCEEDED
    assert delivery.response_status == 200 and delivery.response_body == '{"ok": true}'
    assert payload["id"] == delivery.pk


def test_application_events_reach_the_association(
    mission, volunteer, owner, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = application_create(
            mission_id=mission.pk, volunteer=volunteer, actor=volunteer.user
        )
    with django_capture_on_commit_callbacks(execute=True):
        application_accept(application_id=application.pk, actor=owner)
    events = [headers["Probono-Event"] for headers, _body in receiver.received]
    assert events == ["application.created", "application.state_changed"]
    last = json.loads(receiver.received[-1][1])
    assert (last["from_state"], last["to_state"]) == ("applied", "accepted")


def test_a_failing_receiver_is_retried_then_marked_failed(
    settings, association, staff, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500] * 10
    mission = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=mission.pk, actor=staff)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.FAILED
    assert delivery.attempts == settings.WEBHOOK_MAX_ATTEMPTS
    assert delivery.response_status == 500 and delivery.response_body == "boom"
    assert len(receiver.received) == settings.WEBHOOK_MAX_ATTEMPTS


def test_a_delivery_that_succeeds_on_retry_is_recorded_once(
    association, staff, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [503, 200]
    mission = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=mission.pk, actor=staff)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.SUCCEEDED and delivery.attempts == 2


def test_staff_replay_a_delivery_from_the_admin(
    association, staff, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500] * 10
    mission = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=mission.pk, actor=staff)
    receiver.statuses = []
    before = len(receiver.received)
    request = RequestFactory().post("/")
    request.user = staff
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    admin = WebhookDeliveryAdmin(WebhookDelivery, site)
    with django_capture_on_commit_callbacks(execute=True):
        admin.replay(request, WebhookDelivery.objects.all())
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.SUCCEEDED
    assert len(receiver.received) == before + 1
    headers, body = receiver.received[-1]
    assert verify(endpoint.secret, body, headers[SIGNATURE_HEADER])


def test_a_listener_run_twice_sends_once(
    association, staff, endpoint, receiver, django_capture_on_commit_callbacks
):
    from core.models import ActionLog
    from core.tasks import dispatch_action

    mission = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=mission.pk, actor=staff)
    entry = ActionLog.objects.get(action="mission.publish")
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_action(entry.pk)
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.received) == 1


def test_another_organisations_endpoint_hears_nothing(
    association, staff, receiver, django_capture_on_commit_callbacks
):
    other = factories.AssociationFactory()
    WebhookEndpoint.objects.create(
        association=other, url=receiver.url, events=["mission.published"], secret="whsec_o"
    )
    mission = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=mission.pk, actor=staff)
    assert receiver.received == []


def test_only_organisation_admins_register_endpoints(association, colleague, read_key):
    answer = client_for(colleague).post(
        f"/api/v1/webhooks/?association={association.slug}",
        {"url": "https://example.org/h", "events": ["mission.published"]},
    )
    assert answer.status_code == 403
    answer = client_for(secret=read_key).post(
        "/api/v1/webhooks/", {"url": "https://example.org/h", "events": ["mission.published"]}
    )
    assert answer.status_code == 403
    assert WebhookEndpoint.objects.count() == 0


def test_retries_back_off_exponentially_up_to_an_hour():
    from api.tasks import backoff

    assert [backoff(n) for n in range(1, 6)] == [30, 60, 120, 240, 480]
    assert backoff(20) == 3600
