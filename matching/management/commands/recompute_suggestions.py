from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from matching.models import MatchingRun
from matching.tasks import recompute_all


class Command(BaseCommand):
    help = "Recompute every suggestion (in-process, or on the workers when REDIS_URL is set)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing once a full recompute has succeeded (for make run).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        # Single refreshes (a mission published while seeding the demo) leave a few lists
        # behind: only a full recompute that succeeded means everything was computed.
        done = MatchingRun.objects.filter(
            scope=MatchingRun.Scope.FULL, state=MatchingRun.State.SUCCEEDED
        )
        if if_empty and done.exists():
            self.stdout.write("Suggestions already computed.")
            return
        run = MatchingRun.objects.create(scope=MatchingRun.Scope.FULL)
        recompute_all.delay(run.pk)
        run.refresh_from_db()
        # Console output is in English, whatever the language of the interface.
        if run.state == MatchingRun.State.SUCCEEDED:
            self.stdout.write(f"Suggestions computed: {run.suggestions_count} (run #{run.pk}).")
        else:
            self.stdout.write(
                f"Full recompute #{run.pk} handed to the workers ({run.state}); "
                "follow it in the admin."
            )
