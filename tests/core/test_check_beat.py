"""The health check of Celery beat (docker-compose.yml): green while beat sends jobs."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def minute_job():
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(
        name="sweep-outbox", task="core.tasks.sweep_outbox", interval=every_minute
    )


def test_beat_is_unhealthy_before_it_sent_any_job(minute_job):
    with pytest.raises(CommandError, match="not sent any"):
        call_command("check_beat")


def test_beat_is_healthy_when_it_sent_a_job_lately(minute_job, capsys):
    minute_job.last_run_at = timezone.now() - timedelta(seconds=200)
    minute_job.save()
    call_command("check_beat", "--max-age", "300")
    assert "Beat sent a periodic job 20" in capsys.readouterr().out


def test_beat_is_unhealthy_when_it_stopped_sending(minute_job):
    minute_job.last_run_at = timezone.now() - timedelta(minutes=10)
    minute_job.save()
    with pytest.raises(CommandError, match=r"last periodic job 60\d s ago"):
        call_command("check_beat", "--max-age", "300")


def test_a_disabled_job_does_not_count(minute_job):
    minute_job.last_run_at = timezone.now()
    minute_job.enabled = False
    minute_job.save()
    with pytest.raises(CommandError):
        call_command("check_beat")
