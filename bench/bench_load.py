"""Load: 100 concurrent users against gunicorn with the production settings.

Runs on the national-scale database (``DATABASE_URL``, seeded by bench_scale.py) and
Redis (``REDIS_URL``). It starts gunicorn itself (``DJANGO_ENV=production``, as behind
the proxy: the requests say ``X-Forwarded-Proto: https``), then 100 simulated people,
each reading a page 5 to 10 s before the next request (``BENCH_LOAD_THINK``; "1-2" is a
stress test, six times the requests), for ``BENCH_LOAD_SECONDS`` (60 s after a 10 s
ramp-up), mixing:

- anonymous browsing (home page, a mission's page) and search (text, filters, distance);
- volunteers reading their suggestions and applying;
- associations reading a mission's pipeline;
- API clients listing and reading missions with a key;
- ``/healthz``, the trivial endpoint every kind's p95 is compared with.

It stops by itself and prints requests/s, p50/p95/p99 per kind, the errors (target 0;
429s counted apart), each p95 against its target (pages 300 ms, API 200 ms), and how
busy the machine was meanwhile (and how much CPU the host took: steal).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/probono_scale \\
    REDIS_URL=redis://127.0.0.1:6379/14 python bench/bench_load.py
"""

import asyncio
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
# The sessions made here are signed with the key gunicorn checks them with.
os.environ.setdefault("SECRET_KEY", "bench-load-" + "k" * 60)

import django  # noqa: E402

django.setup()

import logging  # noqa: E402
from importlib import import_module  # noqa: E402

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from api.models import ApiKey  # noqa: E402
from associations.models import AssociationMember  # noqa: E402
from bench.production_db import plan_as_in_production  # noqa: E402
from matching.adapter import open_missions  # noqa: E402
from matching.models import SuggestionList  # noqa: E402
from volunteers.models import VolunteerProfile  # noqa: E402

USERS = int(os.environ.get("BENCH_LOAD_USERS", 100))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 60))
# Seconds a person reads a page before the next request, "low-high": 5-10 s by default
# (100 people then ask about 11.5 requests/s); "1-2" is a stress test (about 66).
THINK = tuple(float(x) for x in os.environ.get("BENCH_LOAD_THINK", "5-10").split("-", 1))
RAMP = 10.0
PORT = int(os.environ.get("BENCH_LOAD_PORT", 18200))
BASE = f"http://127.0.0.1:{PORT}"
SITE = f"https://127.0.0.1:{PORT}"  # as the proxy presents it
WORDS = ["comptabilité", "site web", "juridique", "communication", "paie", "RH", "formation"]
CITIES = ["Lyon", "Paris", "Marseille", "Lille", "Nantes", "Toulouse", "Bordeaux"]
TARGET_MS = {"page": 300, "api": 200}


def session_cookie(user) -> str:
    """A signed-in session for ``user``, as the sign-in page would make it."""
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


class People:
    """Who the simulated people are: real rows of the benchmark's database."""

    def __init__(self) -> None:
        with translation.override("fr"):
            self.missions = list(open_missions().order_by("?").values_list("pk", flat=True)[:2000])
            volunteers = list(
                VolunteerProfile.objects.filter(
                    pk__in=SuggestionList.objects.filter(volunteer__isnull=False).values(
                        "volunteer"
                    )[:5000]
                )
                .select_related("user")
                .order_by("?")[:200]
            )
            self.volunteers = [session_cookie(v.user) for v in volunteers]
            members = list(
                AssociationMember.objects.filter(association__missions__pk__in=self.missions[:500])
                .select_related("user", "association")
                .distinct()[:100]
            )
            self.pipelines = []
            for member in members:
                mission = member.association.missions.filter(pk__in=self.missions).first()
                if mission is not None:
                    self.pipelines.append(
                        (
                            session_cookie(member.user),
                            reverse("asso:mission_pipeline", args=[mission.pk]),
                        )
                    )
            self.keys = []
            for member in members[:10]:
                _key, secret = ApiKey.issue(
                    organisation=member.association,
                    name="Charge",
                    scope=ApiKey.Scope.READ,
                    created_by=member.user,
                )
                self.keys.append(secret)
            self.suggestions_url = reverse("volunteers:suggestions")
            self.search_url = reverse("missions:list")
            self.mission_url = reverse("missions:detail", args=[0]).replace("/0/", "/{}/")
            self.apply_url = reverse("volunteers:apply", args=[0]).replace("/0/", "/{}/")


HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "fr"}


async def visit(client: httpx.AsyncClient, people: People, results, stop: float) -> None:
    """One person's session: a random kind of visit, then some reading (``THINK``)."""
    while time.monotonic() < stop:
        kind = random.choices(
            [
                "home",
                "mission",
                "search",
                "suggestions",
                "apply",
                "pipeline",
                "api list",
                "api read",
                "healthz",
            ],
            weights=[10, 15, 20, 12, 3, 10, 12, 10, 8],
        )[0]
        headers = dict(HEADERS)
        method, url, data = "GET", "/", None
        if kind == "mission":
            url = people.mission_url.format(random.choice(people.missions))
        elif kind == "search":
            url = (
                people.search_url
                + "?"
                + httpx.QueryParams(
                    {"q": random.choice(WORDS), "city": random.choice(CITIES), "radius": 30}
                ).__str__()
            )
        elif kind in ("suggestions", "apply"):
            cookie = random.choice(people.volunteers)
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
            url = people.suggestions_url
            if kind == "apply":
                token = secrets.token_hex(16)
                headers["Cookie"] += f"; {settings.CSRF_COOKIE_NAME}={token}"
                headers["X-CSRFToken"] = token
                headers["Origin"] = SITE
                headers["Referer"] = SITE + "/"
                method = "POST"
                url = people.apply_url.format(random.choice(people.missions))
                data = {"message": "Je serais ravie d'aider.", "time": "personal"}
        elif kind == "pipeline":
            cookie, url = random.choice(people.pipelines)
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
        elif kind == "api list":
            headers["Authorization"] = f"Bearer {random.choice(people.keys)}"
            url = "/api/v1/missions/?" + str(
                httpx.QueryParams({"q": random.choice(WORDS), "page_size": 20})
            )
        elif kind == "api read":
            headers["Authorization"] = f"Bearer {random.choice(people.keys)}"
            url = f"/api/v1/missions/{random.choice(people.missions)}/"
        elif kind == "healthz":
            url = "/healthz"
        start = time.perf_counter()
        try:
            answer = await client.request(method, url, headers=headers, data=data)
            status = answer.status_code
        except httpx.HTTPError:
            status = 599
        results[kind].append((time.perf_counter() - start, status))
        await asyncio.sleep(random.uniform(*THINK))


def start_gunicorn() -> subprocess.Popen:
    static = Path(tempfile.mkdtemp(prefix="probono-load-static-"))
    env = dict(
        os.environ,
        DJANGO_ENV="production",
        SECRET_KEY=os.environ["SECRET_KEY"],
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=SITE,
        LOG_REQUESTS="false",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(static),
    )
    # The production settings serve hashed static files from a manifest: collect them.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "probono.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            os.environ.get("BENCH_LOAD_WORKERS", "4"),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            if httpx.get(f"{BASE}/healthz", headers=HEADERS, timeout=2).status_code < 500:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer.")


def ms(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def cpu_ticks() -> list[int] | None:
    """The machine's CPU time so far by kind (Linux's /proc/stat), or None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            return [int(ticks) for ticks in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None


def cpu_report(before: list[int] | None, after: list[int] | None) -> None:
    """How busy the whole machine was during the run (server, database and the load
    tool alike), and how much the host took away (steal): p95s follow both."""
    if before is None or after is None:
        return
    spent = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(spent) or 1
    idle = spent[3] + spent[4]  # idle, waiting for I/O
    steal = spent[7]
    print(
        f"machine's CPU during the run: {(total - idle - steal) / total:.0%} busy,"
        f" {steal / total:.0%} taken by the host (steal), of {os.cpu_count()} cores"
    )


async def main_async(people: People) -> None:
    results: dict[str, list[tuple[float, int]]] = defaultdict(list)
    limits = httpx.Limits(max_connections=USERS, max_keepalive_connections=USERS)
    async with httpx.AsyncClient(base_url=BASE, limits=limits, timeout=30) as client:
        started = time.monotonic()
        stop = started + RAMP + SECONDS
        tasks = []
        before = cpu_ticks()
        for _person in range(USERS):
            await asyncio.sleep(RAMP / USERS)
            tasks.append(asyncio.create_task(visit(client, people, results, stop)))
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
        after = cpu_ticks()
    report(results, elapsed)
    cpu_report(before, after)


def report(results, elapsed: float) -> None:
    total = sum(len(rows) for rows in results.values())
    print(
        f"{USERS} users reading {THINK[0]:g}-{THINK[1]:g} s a page, {elapsed:.0f} s,"
        f" {total} requests, {total / elapsed:.1f} requests/s"
    )
    base = ms([t for t, _s in results["healthz"]], 95)
    print(
        f"{'kind':<12} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7} {'429':>5}"
        f" {'p95/healthz':>12}  target"
    )
    errors_total = 0
    for kind in sorted(results):
        rows = results[kind]
        times = [t for t, _s in rows]
        errors = sum(1 for _t, s in rows if s >= 400 and s != 429)
        redirects = sum(1 for _t, s in rows if 300 <= s < 400)
        limited = sum(1 for _t, s in rows if s == 429)
        errors_total += errors
        p95 = ms(times, 95)
        family = "api" if kind.startswith("api") else "page"
        target = (
            ""
            if kind == "healthz"
            else (
                f"p95 ≤ {TARGET_MS[family]} ms ({'met' if p95 <= TARGET_MS[family] else 'NOT met'})"
            )
        )
        print(
            f"{kind:<12} {len(rows):>6} {ms(times, 50):>6.0f}ms {p95:>6.0f}ms"
            f" {ms(times, 99):>6.0f}ms {errors:>7} {limited:>5} {p95 / base:>11.1f}×  {target}"
        )
        statuses = sorted({s for _t, s in rows if s >= 300})
        if statuses:
            print(f"{'':<12} {redirects} redirects; statuses ≥ 300: {statuses}")
    print(f"errors: {errors_total} (target 0)")


def wait_for_autovacuum(limit: float = 900) -> None:
    """Let PostgreSQL finish vacuuming what a recompute just rewrote (gigabytes, right
    before this benchmark in ``make bench-scale``): the requests are measured alone."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            )
            (running,) = cursor.fetchone()
        if not running:
            break
        time.sleep(5)
    waited = time.monotonic() - started
    if waited >= 1:
        print(f"waited {waited:.0f} s for PostgreSQL's autovacuum to finish", flush=True)


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if connection.vendor != "postgresql" or not settings.HAS_REDIS:
        sys.exit("DATABASE_URL must point at PostgreSQL and REDIS_URL at Redis.")
    plan_as_in_production()
    wait_for_autovacuum()
    people = People()
    connection.close()
    server = start_gunicorn()
    try:
        asyncio.run(main_async(people))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
