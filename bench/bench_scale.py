"""National scale: 1,000,000 volunteers and 60,000 missions, about 20,000 of them open.

Seeds its own PostgreSQL database once (``DATABASE_URL``, reused afterwards: the seeding
time is kept in the database and printed again), then measures, each figure beside its
target and its baseline:

- the full recompute through real Celery workers on Redis (``REDIS_URL``), with 1 then 2
  workers (then 2 again, for the table's size after three rewrites), against the scoring
  kernel alone (one process, no database) and 2 workers against 1;
- each worker's peak memory (its VmHWM), against the matching arrays a worker holds;
- the table's size after each rewrite, against its size after the first;
- one mission published and one volunteer saved: their own list, and the fan-out into
  the other side's lists (each affected list rewritten), as p95 over 40 of each, against
  what they spare: a full recompute.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/probono_scale \\
    REDIS_URL=redis://127.0.0.1:6379/14 python bench/bench_scale.py

``BENCH_SCALE_VOLUNTEERS`` / ``BENCH_SCALE_MISSIONS`` / ``BENCH_SCALE_OPEN`` change the
sizes (a smaller run checks the script itself).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from scipy import sparse  # noqa: E402

from bench.bench_workers import start_workers  # noqa: E402
from bench.production_db import plan_as_in_production  # noqa: E402
from matching import engine, services  # noqa: E402
from matching.adapter import LoadedIndex, load_index, open_missions  # noqa: E402
from matching.models import MatchingRun, SuggestionList  # noqa: E402
from matching.services import (  # noqa: E402
    current_index,
    suggestion_refresh_mission,
    suggestion_refresh_volunteer,
)
from matching.tasks import recompute_all  # noqa: E402
from missions.models import Mission  # noqa: E402
from probono.celery import app  # noqa: E402
from volunteers.models import VolunteerProfile  # noqa: E402

VOLUNTEERS = int(os.environ.get("BENCH_SCALE_VOLUNTEERS", 1_000_000))
MISSIONS = int(os.environ.get("BENCH_SCALE_MISSIONS", 60_000))
OPEN = int(os.environ.get("BENCH_SCALE_OPEN", 20_000))
ASSOCIATIONS = max(VOLUNTEERS // 200, 50)
COMPANIES = max(VOLUNTEERS // 5_000, 5)
SAMPLES = 40
# The full recomputes, by number of workers: three rewrites of the table in all.
RUNS = [int(n) for n in os.environ.get("BENCH_SCALE_RUNS", "1,2,2").split(",")]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def row(label: str, value: float, unit: str, target: float | None = None, note: str = "") -> None:
    line = f"{label:<62} {value:10.1f} {unit:<3}"
    if target is not None:
        line += f" target ≤ {target:g} {unit} ({'met' if value <= target else 'NOT met'})"
    print(line + (f"  {note}" if note else ""), flush=True)


def versus(value: float, name: str, baseline: float, unit: str) -> str:
    """A figure's baseline and the ratio of the figure to it."""
    if baseline <= 0:
        return f"{name}: too short to compare"
    ratio = value / baseline
    said = (
        f"1/{1 / ratio:,.0f}"
        if ratio < 0.1
        else f"×{ratio:,.0f}"
        if ratio >= 10
        else f"×{ratio:.2g}"
    )
    return f"{said} of {name} ({baseline:,.1f} {unit})"


def _meta(key: str, value: str | None = None) -> str | None:
    """A value kept in the benchmark's own database (the seeding time of a reused one)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_scale_meta (key text PRIMARY KEY, value text)"
        )
        if value is not None:
            cursor.execute(
                "INSERT INTO bench_scale_meta VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, value],
            )
            return value
        cursor.execute("SELECT value FROM bench_scale_meta WHERE key = %s", [key])
        found = cursor.fetchone()
        return found[0] if found else None


def seed() -> None:
    if VolunteerProfile.objects.exists():
        seconds = float(_meta("seed_seconds") or "nan")
        row("seeding (done earlier, reused)", seconds, "s", 900)
        return
    print(f"Seeding {VOLUNTEERS} volunteers, {MISSIONS} missions...", flush=True)
    start = time.perf_counter()
    call_command(
        "seed_demo",
        volunteers=VOLUNTEERS,
        missions=MISSIONS,
        associations=ASSOCIATIONS,
        companies=COMPANIES,
        verbosity=0,
    )
    # The demo spreads missions over every state; the national figure is about a third
    # open: the surplus of open ones (the most recent) is closed as completed.
    open_pks = list(open_missions().order_by("pk").values_list("pk", flat=True))
    surplus = open_pks[OPEN:]
    for at in range(0, len(surplus), 10_000):
        Mission.objects.filter(pk__in=surplus[at : at + 10_000]).update(
            state=Mission.State.COMPLETED
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - start
    _meta("seed_seconds", f"{seconds:.1f}")
    row("seeding, COPY for the big tables", seconds, "s", 900)


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def recompute_through_workers(n_workers: int) -> tuple[float, float, float, MatchingRun]:
    """(seconds until the run is recorded done, until the workers finished its last step
    (the sweep of lists out of scope and the VACUUM), peak memory of one worker in MB,
    the run)."""
    app.control.purge()
    workers = start_workers(n_workers)
    try:
        time.sleep(5)  # let the workers connect
        run = MatchingRun.objects.create(scope=MatchingRun.Scope.FULL)
        start = time.perf_counter()
        recompute_all.delay(run.pk)
        peak = 0.0
        while True:
            alive = [w for w in workers if w.poll() is None]
            if not alive:
                sys.exit("The workers stopped before the recompute ended.")
            peak = max([peak] + [peak_rss_mb(w.pid) for w in alive])
            run.refresh_from_db()
            if run.state in (MatchingRun.State.SUCCEEDED, MatchingRun.State.FAILED):
                done = time.perf_counter() - start
                break
            time.sleep(1)
    finally:
        for worker in workers:
            worker.terminate()  # a warm shutdown: the task at work is finished first
        for worker in workers:
            worker.wait(timeout=3600)
    return done, time.perf_counter() - start, peak, run


def table_mb() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [SuggestionList._meta.db_table])
        return cursor.fetchone()[0] / 1024**2


def kernel_seconds() -> float:
    """Both directions' top k, scoring only, in one process: what the writes add to."""
    ix = load_index().index
    k = settings.MATCHING_TOP_K
    start = time.perf_counter()
    engine.recompute_missions(ix, np.arange(ix.n_missions), k)
    for at in range(0, ix.n_volunteers, 50_000):
        engine.recompute_volunteers(ix, np.arange(at, min(at + 50_000, ix.n_volunteers)), k)
    return time.perf_counter() - start


class FanOutClock:
    """Time spent entering the other side's lists, apart from the own list."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.merge = services._merge_into_lists

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return self.merge(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        services._merge_into_lists = timed

    def measure(self, function, pk: int) -> tuple[float, float]:
        """(own list, fan-out) seconds of one refresh."""
        self.seconds = 0.0
        start = time.perf_counter()
        function(pk)
        total = time.perf_counter() - start
        return total - self.seconds, self.seconds


def arrays_mb(value: object, seen: set[int] | None = None) -> float:
    """The arrays (numpy, dense or sparse) an object holds, in MB."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0.0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes / 1024**2
    if sparse.issparse(value):
        return sum(arrays_mb(getattr(value, name), seen) for name in ("data", "indices", "indptr"))
    if isinstance(value, dict):
        return sum(arrays_mb(item, seen) for item in value.values())
    if isinstance(value, list | tuple):
        return sum(arrays_mb(item, seen) for item in value)
    if hasattr(value, "__dict__"):
        return arrays_mb(vars(value), seen)
    return 0.0


def refreshes(recompute_seconds: float) -> LoadedIndex:
    """One mission published and one volunteer saved, ``SAMPLES`` of each; their
    baseline is what they spare, a full recompute. Returns a worker's arrays."""
    loaded = current_index()  # a worker's arrays, warm
    clock = FanOutClock()
    pick = np.linspace(0, 1, SAMPLES)
    missions = loaded.mission_ids[(pick * (len(loaded.mission_ids) - 1)).astype(int)].tolist()
    volunteers = loaded.volunteer_ids[(pick * (len(loaded.volunteer_ids) - 1)).astype(int)]
    published = []
    for pk in missions:  # each taken out of every list, then published again
        state = Mission.objects.filter(pk=pk).values_list("state", flat=True).get()
        Mission.objects.filter(pk=pk).update(state=Mission.State.DRAFT)
        suggestion_refresh_mission(pk)
        Mission.objects.filter(pk=pk).update(state=state)
        published.append(clock.measure(suggestion_refresh_mission, pk))
    saved = [clock.measure(suggestion_refresh_volunteer, pk) for pk in volunteers.tolist()]
    figures = [
        ("one mission published: its own list (p95)", [o for o, _f in published], 150),
        ("  and the volunteers' lists it enters (p95)", [f for _o, f in published], 5000),
        ("one volunteer saved: their own list (p95)", [o for o, _f in saved], 150),
        ("  and the missions' lists they enter (p95)", [f for _o, f in saved], 5000),
    ]
    for label, seconds, target in figures:
        figure = p95(seconds) * 1000
        note = versus(figure, "a full recompute", recompute_seconds * 1000, "ms")
        row(label, figure, "ms", target, note)
    return loaded


def main() -> None:
    if connection.vendor != "postgresql" or not settings.HAS_REDIS:
        sys.exit("DATABASE_URL must point at PostgreSQL and REDIS_URL at Redis.")
    plan_as_in_production()
    seed()
    n_open = open_missions().count()
    print(
        f"{VolunteerProfile.objects.count()} volunteers, {Mission.objects.count()} missions,"
        f" {n_open} open with a free seat",
        flush=True,
    )
    known = _meta("kernel_seconds")
    if known is None:
        kernel = float(_meta("kernel_seconds", f"{kernel_seconds():.3f}") or "nan")
        row("scoring kernel alone, both directions, one process", kernel, "s")
    else:  # the data did not change: the figure of the first run
        kernel = float(known)
        row("scoring kernel alone, both directions (measured earlier)", kernel, "s")
    sizes = []
    times: dict[int, float] = {}
    peaks = []
    for n_workers in RUNS:
        seconds, idle, peak, run = recompute_through_workers(n_workers)
        sizes.append(table_mb())
        peaks.append(peak)
        notes = [run.get_state_display(), versus(seconds, "the kernel", kernel, "s")]
        if n_workers > 1 and 1 in times:
            notes.append(versus(seconds, "1 worker", times[1], "s"))
        times.setdefault(n_workers, seconds)
        row(
            f"full recompute, {n_workers} worker(s), {run.suggestions_count} suggestions",
            seconds,
            "s",
            600 if n_workers == 2 else None,
            "; ".join(notes),
        )
        row("  and its sweep of lists out of scope and VACUUM", idle - seconds, "s")
        row(f"  peak memory of one worker ({n_workers} worker(s))", peak, "MB", 4096)
    if 2 in times and kernel > 0:
        row("ratio 2 workers / kernel", times[2] / kernel, "", 2)
    print(
        "suggestion table after each rewrite: "
        + ", ".join(
            f"{size:,.0f} MB ({versus(size, 'the first', sizes[0], 'MB')})" for size in sizes
        ),
        flush=True,
    )
    loaded = refreshes(min(times.values()))
    arrays = arrays_mb(loaded)
    row(
        "the matching arrays a worker holds (the peaks' baseline)",
        arrays,
        "MB",
        note=f"the highest peak: {versus(max(peaks), 'the arrays', arrays, 'MB')}",
    )


if __name__ == "__main__":
    main()
