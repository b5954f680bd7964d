"""Full recompute through real Celery workers: 1 worker, then 2, and the speed-up.

Needs PostgreSQL (``DATABASE_URL``, seeded by ``seed_demo`` at ``BENCH_VOLUNTEERS`` /
``BENCH_MISSIONS`` when empty: 100,000 volunteers and 10,000 open missions by default,
the database of bench_matching_db.py) and Redis (``REDIS_URL``). Each worker is a separate
process with one execution slot, as on a machine per worker.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from matching.models import MatchingRun  # noqa: E402
from matching.tasks import recompute_all  # noqa: E402
from probono.celery import app  # noqa: E402
from volunteers.models import VolunteerProfile  # noqa: E402


def start_workers(n: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "probono",
                "--quiet",  # no banner
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
                f"--hostname=bench{i}@%h",
            ],
            cwd=ROOT,
            # The e-mails the workers send (the demo's, at seeding) are kept in memory,
            # not printed among the figures.
            env={**os.environ, "EMAIL_URL": os.environ.get("EMAIL_URL", "memorymail://")},
        )
        for i in range(n)
    ]


def full_recompute_seconds(n_workers: int) -> tuple[float, MatchingRun]:
    app.control.purge()
    workers = start_workers(n_workers)
    try:
        time.sleep(3)  # let the workers connect
        run = MatchingRun.objects.create(scope=MatchingRun.Scope.FULL)
        start = time.perf_counter()
        recompute_all.delay(run.pk)
        while True:
            run.refresh_from_db()
            if run.state in (MatchingRun.State.SUCCEEDED, MatchingRun.State.FAILED):
                return time.perf_counter() - start, run
            time.sleep(1)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)


def main():
    if not settings.HAS_REDIS:
        sys.exit("REDIS_URL must point at Redis: the workers need a broker.")
    if not VolunteerProfile.objects.exists():
        call_command(
            "seed_demo",
            volunteers=int(os.environ.get("BENCH_VOLUNTEERS", 100_000)),
            missions=int(os.environ.get("BENCH_MISSIONS", 22_500)),
            associations=int(os.environ.get("BENCH_ASSOCIATIONS", 2_000)),
            verbosity=0,
        )
    results = {}
    for n in (1, 2):
        seconds, run = full_recompute_seconds(n)
        results[n] = seconds
        print(
            f"full recompute with {n} worker(s): {seconds:7.1f} s "
            f"({run.get_state_display()}, {run.suggestions_count} suggestions, "
            f"{run.chunks_total} chunks)",
            flush=True,
        )
    print(f"speed-up with 2 workers: ×{results[1] / results[2]:.2f}", flush=True)


if __name__ == "__main__":
    main()
