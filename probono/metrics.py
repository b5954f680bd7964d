"""``/metrics`` for Prometheus: the processes' counters (``core.metrics``) and figures
read from the database when scraped, so that they are the same whichever web process
answers and hold the workers' work too (the outbox's backlog, matching runs, suggestion
lists).

The page is closed unless configured: ``METRICS_TOKEN`` lets in a scraper sending
``Authorization: Bearer <token>``, ``METRICS_ALLOWED_NETWORKS`` the addresses of those
networks (read behind ``TRUSTED_PROXY_COUNT`` proxies). With neither set it answers 404;
set, anyone else gets 403.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core import metrics
from core.models import OutboxMessage
from legal.views import client_ip
from matching.models import MatchingRun, SuggestionList

logger = logging.getLogger(__name__)

FINISHED_STATES = (MatchingRun.State.SUCCEEDED, MatchingRun.State.FAILED)
ACTIVE_STATES = (MatchingRun.State.QUEUED, MatchingRun.State.RUNNING)


class DatabaseCollector:
    """Gauges read from the database at each scrape (ten small indexed queries)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            figures = [*self._outbox(), *self._matching_runs(), *self._suggestion_lists()]
        except DatabaseError:
            logger.warning("Metrics: the database did not answer", exc_info=True)
            figures = []
        yield GaugeMetricFamily(
            "probono_database_up",
            "1 when the database answered this scrape's queries, 0 when it did not.",
            value=1 if figures else 0,
        )
        yield from figures

    def _outbox(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        pending = Q(delivered_at__isnull=True, abandoned_at__isnull=True)
        figures = OutboxMessage.objects.aggregate(
            pending=Count("pk", filter=pending),
            due=Count("pk", filter=pending & Q(available_at__lte=now)),
            abandoned=Count("pk", filter=Q(delivered_at__isnull=True, abandoned_at__isnull=False)),
            oldest=Min("created_at", filter=pending),
        )
        yield GaugeMetricFamily(
            "probono_outbox_pending",
            "Side effects recorded and not delivered yet (nor given up on).",
            value=figures["pending"],
        )
        yield GaugeMetricFamily(
            "probono_outbox_due",
            "Pending side effects whose time has come (the backlog the workers owe).",
            value=figures["due"],
        )
        yield GaugeMetricFamily(
            "probono_outbox_abandoned",
            "Side effects given up on after OUTBOX_MAX_ATTEMPTS (staff can retry them).",
            value=figures["abandoned"],
        )
        oldest = figures["oldest"]
        yield GaugeMetricFamily(
            "probono_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending side effect (0 when none): alert when it grows.",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )

    def _matching_runs(self) -> Iterator[GaugeMetricFamily]:
        last_finished = GaugeMetricFamily(
            "probono_matching_last_run_timestamp_seconds",
            "When the last matching run of this scope ended in this state (Unix time).",
            labels=["scope", "state"],
        )
        duration = GaugeMetricFamily(
            "probono_matching_last_run_duration_seconds",
            "How long the last successful matching run of this scope took.",
            labels=["scope"],
        )
        written = GaugeMetricFamily(
            "probono_matching_last_run_suggestions",
            "Suggestions written by the last successful matching run of this scope.",
            labels=["scope"],
        )
        for scope in MatchingRun.Scope.values:
            for state in FINISHED_STATES:
                run = (
                    MatchingRun.objects.filter(scope=scope, state=state, finished_at__isnull=False)
                    .order_by("-finished_at")
                    .only("started_at", "finished_at", "suggestions_count")
                    .first()
                )
                if run is None or run.finished_at is None:
                    continue
                last_finished.add_metric([scope, state], run.finished_at.timestamp())
                if state == MatchingRun.State.SUCCEEDED and run.duration is not None:
                    duration.add_metric([scope], run.duration.total_seconds())
                    written.add_metric([scope], run.suggestions_count)
        active = GaugeMetricFamily(
            "probono_matching_runs_active",
            "Matching runs waiting or running, by scope and state.",
            labels=["scope", "state"],
        )
        counts = {
            (row["scope"], row["state"]): row["count"]
            for row in MatchingRun.objects.filter(state__in=ACTIVE_STATES)
            .values("scope", "state")
            .annotate(count=Count("pk"))
            .order_by()
        }
        for scope in MatchingRun.Scope.values:
            for state in ACTIVE_STATES:
                active.add_metric([scope, state], counts.get((scope, state), 0))
        yield from (last_finished, duration, written, active)

    def _suggestion_lists(self) -> Iterator[GaugeMetricFamily]:
        lists = GaugeMetricFamily(
            "probono_suggestion_lists",
            "Suggestion lists held: one per open mission and one per visible volunteer.",
            labels=["direction"],
        )
        lists.add_metric(["mission"], SuggestionList.objects.filter(mission__isnull=False).count())
        lists.add_metric(
            ["volunteer"], SuggestionList.objects.filter(volunteer__isnull=False).count()
        )
        yield lists


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_NETWORKS
    ]


def _allowed(request: HttpRequest) -> bool:
    token: str = settings.METRICS_TOKEN
    if token:
        scheme, _space, sent = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and constant_time_compare(sent.strip(), token):
            return True
    networks = _networks()
    if networks:
        address = client_ip(request)
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in network for network in networks)
    return False


@require_GET
def metrics_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if not (settings.METRICS_TOKEN or settings.METRICS_ALLOWED_NETWORKS):
        raise Http404
    if not _allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    collectors: tuple[Collector, ...] = (DatabaseCollector(),)
    registry = metrics.scrape_registry(*collectors)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
