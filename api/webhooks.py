"""Partner webhooks: which audit-log actions become which events, their payloads, the
signature, and one HTTP attempt.

Each request carries ``Probono-Signature: t=<unix time>,v1=<hex>``, where ``v1`` is
HMAC-SHA256 of ``"<t>.<raw body>"`` with the endpoint's secret. A receiver recomputes
it, compares in constant time, and refuses a ``t`` older than five minutes.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
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


def address_refusal(url: str) -> str:
    """Why ``url`` may not receive webhooks ("" when it may): it must resolve only to
    public addresses, unless ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``."""
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return ""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("Saisissez une adresse http ou https complète.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        # An IP address first in each sockaddr of AF_INET / AF_INET6.
        addresses = {cast(str, info[4][0]) for info in socket.getaddrinfo(parts.hostname, port)}
    except (socket.gaierror, UnicodeError, ValueError):
        return _("Le nom d'hôte de cette adresse est introuvable.")
    if not all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses):
        return _("Les webhooks ne peuvent pas viser une adresse locale ou d'un réseau privé.")
    return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to an internal host: answer it as the failure it is."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def attempt(delivery: WebhookDelivery) -> bool:
    """POST the delivery once and record the outcome; True when the receiver said 2xx."""
    body = json.dumps(
        {"id": delivery.pk, **delivery.payload}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "probono-webhooks/1.0",
            "Probono-Event": delivery.event,
            "Probono-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: sign(delivery.endpoint.secret, body),
        },
    )
    status, excerpt, error = None, "", address_refusal(delivery.endpoint.url)
    try:
        if not error:
            with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:
                status = answer.status
                excerpt = answer.read(2000).decode("utf-8", "replace")
    except urllib.error.HTTPError as failure:
        status = failure.code
        excerpt = failure.read(2000).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError) as failure:
        error = str(getattr(failure, "reason", failure))[:1000]
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
