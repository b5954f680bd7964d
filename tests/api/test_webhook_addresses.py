"""A partner cannot make the server call internal hosts through a webhook."""

import pytest
from django.core.exceptions import ValidationError

from api.models import WebhookDelivery, WebhookEndpoint
from api.services import webhook_endpoint_create
from api.webhooks import address_refusal, attempt
from tests import factories


@pytest.fixture
def guarded(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.7/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "ftp://93.184.216.34/hook",
    ],
)
def test_local_private_and_odd_addresses_are_refused(guarded, url):
    assert address_refusal(url)


def test_a_public_address_is_accepted(guarded):
    assert address_refusal("https://93.184.216.34/probono") == ""


def test_registering_a_private_address_is_a_field_error(guarded, association, owner):
    with pytest.raises(ValidationError) as refused:
        webhook_endpoint_create(
            organisation=association,
            actor=owner,
            url="http://10.0.0.7/hook",
            events=["mission.published"],
        )
    assert "réseau privé" in refused.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_a_delivery_to_an_address_that_became_private_is_not_sent(guarded, association, owner):
    endpoint = WebhookEndpoint.objects.create(
        association=association,
        url="http://127.0.0.1:9/hook",
        events=["mission.published"],
        secret=WebhookEndpoint.new_secret(),
        created_by=owner,
    )
    mission = factories.MissionFactory(association=association)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="mission.published",
        payload={"event": "mission.published", "data": {"id": mission.pk}},
    )

    assert attempt(delivery) is False
    delivery.refresh_from_db()
    assert "réseau privé" in delivery.error
    assert delivery.response_status is None


def test_a_redirect_is_not_followed(association, owner):
    """Followed, a redirect could lead to an internal host: it counts as a failure."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/hook":
                self.send_response(307)
                self.send_header("Location", "/elsewhere")
            else:
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = WebhookEndpoint.objects.create(
            association=association,
            url=f"http://127.0.0.1:{server.server_port}/hook",
            events=["mission.published"],
            secret=WebhookEndpoint.new_secret(),
            created_by=owner,
        )
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event="mission.published", payload={"event": "mission.published"}
        )
        assert attempt(delivery) is False
    finally:
        server.shutdown()
        server.server_close()
    delivery.refresh_from_db()
    assert delivery.response_status == 307
    assert hits == ["/hook"]
