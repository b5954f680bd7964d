"""Observability: a request id in every log line and every task the request causes (also
through the outbox), JSON logs, error reports without personal data, and /metrics."""

import io
import json
import logging
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import sentry_sdk
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.urls import path
from django.utils import timezone
from django.utils.module_loading import import_string
from sentry_sdk.transport import Transport

from core import outbox, request_id
from core.models import OutboxMessage
from matching.models import MatchingRun
from probono.celery import app
from tests import factories

pytestmark = pytest.mark.django_db

seen_ids: list[str] = []


@app.task(name="tests.record_request_id")
def record_request_id(*args) -> None:
    seen_ids.append(request_id.get())
    logging.getLogger("tests.task").info("task ran")


@pytest.fixture(autouse=True)
def _forget_seen_ids():
    seen_ids.clear()


@pytest.fixture
def json_log():
    """The records of every logger, formatted as production formats them (LOGGING's
    JSON formatter and request-id filter), one JSON object per line."""
    config = settings.LOGGING["formatters"]["json"]
    formatter = import_string(config["()"])(**{k: v for k, v in config.items() if k != "()"})
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(import_string(settings.LOGGING["filters"]["request_id"]["()"])())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


# --- The request id ---------------------------------------------------------------------


def test_a_request_without_an_id_gets_one_in_its_response(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_a_valid_incoming_id_is_kept(client):
    sent = "3f2c9a1e-7b4d-4c1a-9f0e-2d5b6a7c8e9f"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent", ["short", "a b c d e f g h", "abc\nforged-line", "x" * 200, "<script>"]
)
def test_an_implausible_incoming_id_is_replaced(client, sent):
    returned = client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
    assert returned != sent and len(returned) == 32


def test_every_log_line_of_a_request_carries_its_id_in_json(client, json_log, settings):
    settings.LOG_REQUESTS = True
    client.get("/healthz", HTTP_X_REQUEST_ID="req-0123456789")
    client.get("/comptes/password/reset/key/1-secret-token/")
    lines = json_log()
    access = [line for line in lines if line["logger"] == "probono.requests"]
    first, second = access
    assert first["request_id"] == "req-0123456789"
    assert first["message"] == "GET healthz 200"
    assert {"time", "level", "view", "route", "status", "duration_ms", "method"} <= set(first)
    assert first["level"] == "INFO" and first["status"] == 200
    # The route, never the path itself: a token in a link stays out of the logs.
    assert second["view"] == "account_reset_password_from_key"
    assert "(?P<key>" in second["route"]
    assert "secret-token" not in json.dumps(lines)
    assert len(second["request_id"]) == 32


def test_an_error_log_line_carries_the_traceback_and_the_id(json_log):
    with request_id.bound("req-error-42"):
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("tests").exception("it failed")
    [line] = json_log()
    assert line["request_id"] == "req-error-42" and line["level"] == "ERROR"
    assert "ValueError: boom" in line["exc_info"]


def test_django_error_lines_leave_out_the_request_and_its_query_string(client, json_log):
    client.get("/page-qui-n-existe-pas/?q=Alice+Martin")
    [line] = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["message"] == "Not Found: /page-qui-n-existe-pas/"
    assert line["status_code"] == 404 and "request" not in line
    assert "Alice" not in json.dumps(line)


def test_outside_requests_and_tasks_the_id_is_empty(json_log):
    logging.getLogger("tests").info("at start-up")
    assert json_log()[0]["request_id"] == ""


def test_a_task_run_by_a_worker_gets_the_id_of_the_request_that_sent_it():
    # A worker in a thread, on the configured broker (Redis, or the in-memory one).
    previous = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo"):
            with request_id.bound("req-from-a-page"):
                record_request_id.delay()
            record_request_id.delay()  # sent by nobody's request (a beat job)
            deadline = time.monotonic() + 10
            while len(seen_ids) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER = previous
    assert seen_ids[0] == "req-from-a-page"
    assert len(seen_ids[1]) == 32  # its own, for its own lines


def test_an_in_process_task_keeps_the_requests_id():
    with request_id.bound("req-in-process"):
        record_request_id.delay()
        assert request_id.get() == "req-in-process"
    assert seen_ids == ["req-in-process"]
    assert request_id.get() == ""


def test_the_outbox_runs_a_row_with_the_id_of_the_request_that_recorded_it():
    with request_id.bound("req-that-recorded-it"):
        message = outbox.enqueue("tests.record_request_id", 1)  # handed over at commit (never)
    assert message.request_id == "req-that-recorded-it"
    # Delivered much later, by the sweep of another process, under its own id.
    with request_id.bound("req-of-the-sweep"):
        assert outbox.deliver(message.pk) == "delivered"
    assert seen_ids == ["req-that-recorded-it"]


def test_the_sweep_hands_a_row_over_under_its_requests_id():
    with request_id.bound("req-before-the-outage"):
        message = outbox.enqueue("tests.record_request_id", 1)
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=None)
    seen_ids.clear()
    outbox.sweep(redispatch_after=0)
    assert seen_ids == ["req-before-the-outage"]


# --- Error reports ------------------------------------------------------------------------


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


def _boom(request):
    raise RuntimeError("the view failed")


urlpatterns = [path("boom/", _boom)]


def test_reports_keep_no_query_string_body_cookie_or_user():
    from probono.sentry import without_personal_data

    event = {
        "request": {
            "url": "https://probono.example.org/missions/?q=Alice+Martin",
            "method": "POST",
            "query_string": "q=Alice+Martin",
            "data": {"first_name": "Alice"},
            "cookies": {"sessionid": "abc"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
            "headers": {"User-Agent": "Firefox"},
        },
        "user": {"id": 3, "email": "alice@example.org"},
    }
    kept = without_personal_data(event, {})
    assert kept == {
        "request": {
            "url": "https://probono.example.org/missions/",
            "method": "POST",
            "headers": {"User-Agent": "Firefox"},
        }
    }


@pytest.fixture
def sentry_events():
    from probono.sentry import init_sentry

    transport = CapturingTransport()
    init_sentry(dsn="https://key@sentry.example.org/1", environment="test", transport=transport)
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reporting off again


@pytest.mark.urls("tests.probono.test_observability")
def test_an_error_is_reported_with_its_request_id_and_no_personal_data(client, sentry_events):
    person = factories.UserFactory(email="alice.martin@example.org", first_name="Alice")
    client.force_login(person)
    client.raise_request_exception = False
    response = client.get("/boom/?q=alice+martin", HTTP_X_REQUEST_ID="req-reported-1")
    assert response.status_code == 500
    sentry_sdk.flush()
    [event] = sentry_events
    assert event["tags"]["request_id"] == "req-reported-1"
    assert event["exception"]["values"][-1]["value"] == "the view failed"
    assert sentry_sdk.get_client().should_send_default_pii() is False
    dumped = json.dumps(event)
    assert "alice" not in dumped.lower() and "sessionid" not in dumped
    assert "user" not in event


# --- /metrics -----------------------------------------------------------------------------


def test_metrics_are_closed_unless_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")


def test_metrics_from_an_allowed_network(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.4").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


def _scrape(client, settings) -> str:
    settings.METRICS_TOKEN = "s3cret-token"
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    return response.content.decode()


def _value(text: str, sample: str) -> float:
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{sample} not in the metrics")


def test_requests_are_counted_by_view_and_status_class(client, settings):
    before = _scrape(client, settings)
    sample = 'probono_http_requests_total{method="GET",status="2xx",view="healthz"}'
    count = _value(before, sample) if sample in before else 0
    client.get("/healthz")
    client.get("/healthz")
    client.get("/page-qui-n-existe-pas/")
    after = _scrape(client, settings)
    assert _value(after, sample) == count + 2
    assert 'probono_http_requests_total{method="GET",status="4xx",view="<unresolved>"}' in after
    assert 'probono_http_request_duration_seconds_bucket{le="0.1",view="healthz"}' in after


def test_task_outcomes_are_counted(client, settings):
    sample = 'probono_celery_tasks_total{outcome="success",task="tests.record_request_id"}'
    text = _scrape(client, settings)
    count = _value(text, sample) if sample in text else 0
    record_request_id.delay()
    assert _value(_scrape(client, settings), sample) == count + 1


def test_database_figures_are_read_at_each_scrape(client, settings, django_assert_max_num_queries):
    now = timezone.now()
    OutboxMessage.objects.create(task="t", created_at=now - timedelta(minutes=10))
    OutboxMessage.objects.create(task="t", available_at=now + timedelta(hours=1))
    OutboxMessage.objects.create(task="t", abandoned_at=now)
    OutboxMessage.objects.create(task="t", delivered_at=now)
    MatchingRun.objects.create(
        scope="full",
        state="succeeded",
        started_at=now - timedelta(seconds=95),
        finished_at=now - timedelta(seconds=5),
        suggestions_count=1234,
    )
    MatchingRun.objects.create(scope="mission", state="failed", finished_at=now)
    MatchingRun.objects.create(scope="full", state="running", started_at=now)
    with django_assert_max_num_queries(12):
        text = _scrape(client, settings)
    assert _value(text, "probono_database_up") == 1
    assert _value(text, "probono_outbox_pending") == 2
    assert _value(text, "probono_outbox_due") == 1
    assert _value(text, "probono_outbox_abandoned") == 1
    assert 590 <= _value(text, "probono_outbox_oldest_pending_age_seconds") <= 700
    assert _value(text, 'probono_matching_last_run_duration_seconds{scope="full"}') == 90
    assert _value(text, 'probono_matching_last_run_suggestions{scope="full"}') == 1234
    assert _value(
        text, 'probono_matching_last_run_timestamp_seconds{scope="mission",state="failed"}'
    ) == pytest.approx(now.timestamp())
    assert _value(text, 'probono_matching_runs_active{scope="full",state="running"}') == 1
    assert _value(text, 'probono_suggestion_lists{direction="mission"}') == 0


def test_gunicorn_workers_add_up_in_multiprocess_mode(tmp_path):
    """Two processes count requests; a third (the one scraped) reports their sum."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": os.getcwd()}
    count = (
        "from core import metrics; "
        "metrics.observe_request(view='home', method='GET', status=200, seconds=0.2)"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], env=env, check=True)
    scrape = (
        "from prometheus_client import generate_latest; from core import metrics; "
        "print(generate_latest(metrics.scrape_registry()).decode())"
    )
    text = subprocess.run(
        [sys.executable, "-c", scrape], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert _value(text, 'probono_http_requests_total{method="GET",status="2xx",view="home"}') == 2
