"""Partner webhooks: which audit-log actions become which events, their payloads, the
signature, and one HTTP attempt.

Each request carries ``Probono-Signature: t=<unix time>,v1=<hex>``, where ``v1`` is
HMAC-SHA256 of ``"<t>.<raw body>"`` with the endpoint's secret. A receiver recomputes
it, compares in constant time, and refuses a ``t`` older than five minutes.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
import urllib.parse
from typing import cast

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.events import on_action
from missions.models import Application, HoursEntry, Mission

from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent

SIGNATURE_HEADER = "Probono-Signature"
APPLICATION_TRANSITIONS = [
    "accept",
    "waitlist",
    "promote",
    "decline",
    "withdraw",
    "activate",
    "complete",
    "abandon",
    "approve",
    "refuse",
]


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, body: bytes, header: str, *, tolerance: int | None = None) -> bool:
    """What a receiver does; used by our tests and given in the docs."""
    tolerance = settings.WEBHOOK_TOLERANCE_SECONDS if tolerance is None else tolerance
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _endpoints_for(event: str, *, association_ids=(), company_ids=()):
    owners = models.Q(association_id__in=[i for i in association_ids if i]) | models.Q(
        company_id__in=[i for i in company_ids if i]
    )
    return [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(owners, is_active=True)
        if event in endpoint.events
    ]


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _mission_data(mission) -> dict:
    return {
        "id": mission.pk,
        "title": mission.title,
        "state": mission.state,
        "association": mission.association.slug,
        "published_at": mission.published_at.isoformat() if mission.published_at else None,
        "url": _site(mission.get_absolute_url()),
        "api_url": _site(f"/api/v1/missions/{mission.pk}/"),
    }


def _application_data(application) -> dict:
    return {
        "id": application.pk,
        "mission": application.mission_id,
        "volunteer": application.volunteer_id,
        "state": application.state,
        "approval_state": application.approval_state,
        "is_work_time": application.is_work_time,
        "api_url": _site(f"/api/v1/applications/{application.pk}/"),
    }


def _enqueue(entry, event: str, data: dict, endpoints) -> list[WebhookDelivery]:
    from .tasks import deliver_webhook

    created = []
    payload = {
        "event": event,
        "action": entry.action,
        "occurred_at": entry.created_at.isoformat(),
        "data": data,
    }
    if entry.from_state or entry.to_state:
        payload["from_state"], payload["to_state"] = entry.from_state, entry.to_state
    for endpoint in endpoints:
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    endpoint=endpoint, event=event, action_log=entry, payload=payload
                )
        except IntegrityError:
            continue  # this entry was already turned into a delivery: listeners may rerun
        created.append(delivery)
        outbox.enqueue(deliver_webhook, delivery.pk)
    return created


@on_action("mission.publish")
def mission_published(entry) -> None:
    mission = Mission.objects.select_related("association").filter(pk=entry.object_id).first()
    if mission is None:
        return
    event = WebhookEvent.MISSION_PUBLISHED
    endpoints = _endpoints_for(event, association_ids=[mission.association_id])
    _enqueue(entry, event, _mission_data(mission), endpoints)


@on_action("application.create", *(f"application.{name}" for name in APPLICATION_TRANSITIONS))
def application_changed(entry) -> None:
    application = (
        Application.objects.select_related("mission", "volunteer")
        .filter(pk=entry.object_id)
        .first()
    )
    if application is None:
        return
    if entry.action == "application.create":
        event = WebhookEvent.APPLICATION_CREATED
    else:
        event = WebhookEvent.APPLICATION_STATE_CHANGED
    # The employer hears of its employees' work-time engagements only.
    employer = application.volunteer.employer_id if application.is_work_time else None
    endpoints = _endpoints_for(
        event, association_ids=[application.mission.association_id], company_ids=[employer]
    )
    _enqueue(entry, event, _application_data(application), endpoints)


@on_action("hoursentry.validate")
def hours_validated(entry) -> None:
    hours = (
        HoursEntry.objects.select_related("application__mission", "application__volunteer")
        .filter(pk=entry.object_id)
        .first()
    )
    if hours is None:
        return
    application = hours.application
    employer = application.volunteer.employer_id if application.is_work_time else None
    event = WebhookEvent.HOURS_VALIDATED
    endpoints = _endpoints_for(
        event, association_ids=[application.mission.association_id], company_ids=[employer]
    )
    data = {
        "id": hours.pk,
        "application": application.pk,
        "mission": application.mission_id,
        "date": hours.date.isoformat(),
        "hours": str(hours.hours),
        "state": hours.state,
    }
    _enqueue(entry, event, data, endpoints)


def resolve_destination(url: str) -> tuple[str | None, str]:
    """The one address a delivery to ``url`` connects to, and why it may not ("" when it
    may): every address the host resolves to must be public, unless
    ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``. The caller connects to that address and no
    other, so that a second lookup cannot answer differently (DNS rebinding)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None, _("Saisissez une adresse http ou https complète.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        # An IP address first in each sockaddr of AF_INET / AF_INET6.
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        addresses = [cast(str, info[4][0]) for info in found]
    except (socket.gaierror, UnicodeError, ValueError):
        return None, _("Le nom d'hôte de cette adresse est introuvable.")
    if not addresses:
        return None, _("Le nom d'hôte de cette adresse est introuvable.")
    private = not all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)
    if private and not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return None, _("Les webhooks ne peuvent pas viser une adresse locale ou d'un réseau privé.")
    return addresses[0], ""


def address_refusal(url: str) -> str:
    """Why ``url`` may not receive webhooks ("" when it may): it must resolve only to
    public addresses, unless ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return ""
    return resolve_destination(url)[1]


def _tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's authorities, for the URL's host name."""
    return ssl.create_default_context()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a host name (in the Host header) over a socket to an address already
    checked: the connection never resolves the name again."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the pinned address; TLS names the URL's host (SNI) and the certificate
    must be valid for it, as if the name had been resolved."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        self.tls = _tls_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.pinned_address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.pinned_address, self.port), self.timeout)
        try:
            self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise


def post_pinned(
    url: str, *, address: str, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[int, str]:
    """POST ``body`` to ``url`` through a connection to ``address`` (the one that was
    checked); the status and the first 2,000 characters of the answer. Redirects are
    answered as they are, never followed: they could lead to an internal host."""
    parts = urllib.parse.urlsplit(url)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    host = parts.hostname or address
    connection = connection_class(host, parts.port, address=address, timeout=timeout)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    try:
        connection.request("POST", target, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read(2000).decode("utf-8", "replace")
    finally:
        connection.close()


def attempt(delivery: WebhookDelivery) -> bool:
    """POST the delivery once and record the outcome; True when the receiver said 2xx."""
    body = json.dumps(
        {"id": delivery.pk, **delivery.payload}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "probono-webhooks/1.0",
        "Probono-Event": delivery.event,
        "Probono-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, body),
    }
    status, excerpt = None, ""
    address, error = resolve_destination(delivery.endpoint.url)
    if address is not None:
        try:
            status, excerpt = post_pinned(
                delivery.endpoint.url,
                address=address,
                body=body,
                headers=headers,
                timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            )
        except (OSError, http.client.HTTPException, ValueError) as failure:
            error = (str(failure) or type(failure).__name__)[:1000]
    succeeded = status is not None and 200 <= status < 300
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=models.F("attempts") + 1,
        response_status=status,
        response_body=excerpt,
        error=error,
        last_attempt_at=now,
        state=WebhookDelivery.State.SUCCEEDED if succeeded else delivery.state,
        delivered_at=now if succeeded else None,
    )
    return succeeded
