"""The health check of Celery beat: exit 1 unless it scheduled a job lately.

Beat records when it sent each periodic job (django-celery-beat's ``last_run_at``,
written every few minutes); the outbox sweep runs every minute, so a beat that works
leaves a recent time there whether or not a worker is up."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone
from django_celery_beat.models import PeriodicTask


class Command(BaseCommand):
    help = "Exit with an error unless Celery beat sent a periodic job in the last minutes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--max-age",
            type=int,
            default=300,
            help="Seconds (default 300: beat writes its times every 3 minutes).",
        )

    def handle(self, *args: Any, max_age: int, **options: Any) -> None:
        last = PeriodicTask.objects.filter(enabled=True).aggregate(last=Max("last_run_at"))["last"]
        if last is None:
            raise CommandError("Beat has not sent any periodic job yet.")
        age = (timezone.now() - last).total_seconds()
        if age > max_age:
            raise CommandError(f"Beat sent its last periodic job {age:.0f} s ago.")
        self.stdout.write(f"Beat sent a periodic job {age:.0f} s ago.")
