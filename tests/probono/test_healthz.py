"""/healthz for monitoring, and errors that keep the API's JSON shape."""

import datetime as dt

import pytest
from django.db import OperationalError
from django.test import RequestFactory, override_settings
from django.utils import timezone

from api.views.reference import SkillViewSet
from core import outbox
from core.cache import reset_circuit
from core.models import OutboxMessage
from probono import views

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_cache_broker_and_the_outbox(client, settings):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "database": "ok",
        # Redis when REDIS_URL is set, else a process-local cache.
        "cache": "ok" if settings.REDIS_URL else "local",
        "broker": "in-process",  # tests run tasks in-process
        "outbox": {"pending": 0, "oldest_pending_seconds": None, "abandoned": 0},
    }


def test_healthz_gives_the_age_of_the_oldest_undelivered_side_effect(client):
    message = outbox.enqueue("core.tasks.sweep_outbox")
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    body = client.get("/healthz").json()
    assert body["outbox"]["pending"] == 1
    assert 300 <= body["outbox"]["oldest_pending_seconds"] < 360


def test_healthz_says_degraded_but_answers_200_when_redis_is_down(client):
    unreachable = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    with override_settings(CACHES=unreachable):
        answer = client.get("/healthz")
    reset_circuit()
    assert answer.status_code == 200
    assert answer.json()["status"] == "degraded"
    assert answer.json()["cache"] == "unreachable"


class DeadConnection:
    def cursor(self):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


def test_healthz_answers_503_in_json_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(views, "connection", DeadConnection())
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "down"
    assert answer.json()["database"] == "unreachable"


def test_a_database_outage_in_the_api_answers_503_in_its_json_shape(client, monkeypatch):
    def broken(self):
        raise OperationalError("the database is gone")

    monkeypatch.setattr(SkillViewSet, "get_queryset", broken)
    answer = client.get("/api/v1/skills/")
    assert answer.status_code == 503
    assert answer.json() == {
        "code": "service_unavailable",
        "message": "Le service est momentanément indisponible : réessayez dans un instant.",
        "errors": {},
    }
    assert answer["Retry-After"] == "30"


def test_a_bug_in_the_api_answers_500_in_its_json_shape(client, monkeypatch):
    def broken(self):
        raise KeyError("oops")

    monkeypatch.setattr(SkillViewSet, "get_queryset", broken)
    answer = client.get("/api/v1/skills/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 500
    assert answer.json() == {
        "code": "server_error",
        "message": "Internal error: the platform team has been notified.",
        "errors": {},
    }


def test_a_500_outside_the_api_views_keeps_the_json_shape_under_api():
    api_answer = views.server_error(RequestFactory().get("/api/v1/missions/"))
    assert api_answer.status_code == 500
    assert api_answer["Content-Type"] == "application/json"
    page = views.server_error(RequestFactory().get("/missions/"))
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")
