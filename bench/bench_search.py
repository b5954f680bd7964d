"""Mission search at the national scale, on PostgreSQL.

Reads ``DATABASE_URL`` (a database of its own: seeded on first use by ``seed_demo`` with
``BENCH_SEARCH_MISSIONS`` missions, 60,000 by default, of which about 20,000 are left
open), then measures what the search page does for one search: the text, filters and
distance, the facet counts, the count of results and the first page. Each figure is
printed beside its target and beside the search as it was before the stored documents
(the query is kept below, in this file only, to compare): a text vector computed on
every row, no index, no facets (counted here the straightforward way, one grouped
query per facet).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/probono_search_bench \\
        python bench/bench_search.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402

from bench.production_db import plan_as_in_production  # noqa: E402
from missions.models import Mission, MissionSkill  # noqa: E402
from search.criteria import SearchCriteria  # noqa: E402
from search.selectors import MissionSearch, near  # noqa: E402
from taxonomy.choices import LocationMode  # noqa: E402
from taxonomy.geo import locate  # noqa: E402
from taxonomy.models import Cause  # noqa: E402

MISSIONS = int(os.environ.get("BENCH_SEARCH_MISSIONS", 60_000))
OPEN = int(os.environ.get("BENCH_SEARCH_OPEN", 20_000))
VOLUNTEERS = int(os.environ.get("BENCH_SEARCH_VOLUNTEERS", 5_000))
ASSOCIATIONS = int(os.environ.get("BENCH_SEARCH_ASSOCIATIONS", 4_000))
SAMPLES = int(os.environ.get("BENCH_SEARCH_SAMPLES", 120))
BASELINE_SAMPLES = int(os.environ.get("BENCH_SEARCH_BASELINE_SAMPLES", 30))
TARGET_MS = 100
PAGE_SIZE = 20

WORDS = [
    "site web",
    "comptabilité",
    "compta",
    "RH",
    "communication",
    "bénévoles",
    "subventions",
    "réseaux sociaux",
    "formation",
    "données",
    "logistique",
    "juridique",
    "collecte de fonds",
    "comptabilte",  # a typo
    "stratégie",
    "mécénat",
]
CITIES = ["Lyon", "Paris", "Marseille", "Lille", "Nantes", "Bordeaux", "Toulouse", "Rennes"]


def seed() -> None:
    if Mission.objects.exists():
        return
    print(f"Seeding {MISSIONS} missions (once)...", flush=True)
    start = time.perf_counter()
    call_command(
        "seed_demo",
        missions=MISSIONS,
        volunteers=VOLUNTEERS,
        associations=ASSOCIATIONS,
        verbosity=0,
    )
    # The demo publishes about half its missions; the national platform's share of
    # open missions is nearer a third: the surplus, drawn evenly, expires.
    surplus = Mission.objects.open_for_applications().count() - OPEN
    if surplus > 0:
        open_ids = list(Mission.objects.open_for_applications().values_list("pk", flat=True))
        expired = random.Random(1901).sample(open_ids, surplus)
        Mission.objects.filter(pk__in=expired).update(state=Mission.State.EXPIRED)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.perf_counter() - start:.0f} s", flush=True)


def searches(n: int, rng: random.Random, words: bool = True) -> list[SearchCriteria]:
    """Text + filters + distance, as people combine them on the search page."""
    causes = list(Cause.objects.values_list("pk", flat=True))
    criteria = []
    for _ in range(n):
        formats = rng.choice([(), ("mission",), ("mission", "marathon")])
        modes = rng.choice([(), ("on_site", "hybrid"), ("remote",)])
        criteria.append(
            SearchCriteria(
                q=rng.choice(WORDS) if words else "",
                cause_ids=(rng.choice(causes),) if rng.random() < 0.5 else (),
                formats=formats,
                location_modes=modes,
                location=locate(city=rng.choice(CITIES)),
                radius_km=rng.choice([10, 20, 30, 50]),
            )
        )
    return criteria


def page_search(criteria: SearchCriteria) -> tuple[int, int]:
    """What the search page runs: facets, the count and the first page of results."""
    search = MissionSearch(criteria)
    facets = search.facets()
    page = Paginator(search.results(), PAGE_SIZE).get_page(1)
    rows = list(page.object_list)
    return page.paginator.count, len(rows) + len(facets)


# --- The search before the stored documents (kept here only to compare) ---------------


def baseline_search(criteria: SearchCriteria, facets: bool = True) -> tuple[int, int]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    missions = Mission.objects.open_for_applications().select_related(
        "association", "cause", "departement"
    )
    if criteria.skill_ids:
        skills = MissionSkill.objects.filter(mission=OuterRef("pk"), skill__in=criteria.skill_ids)
        missions = missions.filter(Exists(skills))
    filters = {
        "cause": Q(cause_id__in=criteria.cause_ids) if criteria.cause_ids else Q(),
        "format": Q(format__in=criteria.formats) if criteria.formats else Q(),
        "location_mode": (
            Q(location_mode__in=criteria.location_modes) if criteria.location_modes else Q()
        ),
    }
    if criteria.location is not None:
        missions = near(missions, criteria.location, criteria.radius_km)
    if criteria.q:
        vector = (
            SearchVector("title", weight="A", config="french")
            + SearchVector("summary", weight="B", config="french")
            + SearchVector("description", weight="C", config="french")
        )
        query = SearchQuery(criteria.q, search_type="websearch", config="french")
        matching = missions.annotate(document=vector).filter(document=query)
        results = (
            matching.filter(*filters.values())
            .with_taken_seats()
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-published_at", "-pk")
        )
    else:
        matching = missions
        results = missions.filter(*filters.values()).with_taken_seats()
        results = results.order_by("-published_at", "-pk")
    # The facets it did not have, counted the straightforward way: one grouped query
    # per facet, its own filter set aside.
    facet_rows = 0
    for name, column in (
        ("cause", "cause_id"),
        ("format", "format"),
        ("departement", "departement_id"),
        ("location_mode", "location_mode"),
    ):
        if not facets:
            break
        others = [condition for other, condition in filters.items() if other != name]
        grouped = matching.filter(*others)
        if name == "departement":
            grouped = grouped.exclude(location_mode=LocationMode.REMOTE)
        facet_rows += len(grouped.order_by().values(column).annotate(n=Count("pk")))
    page = Paginator(results, PAGE_SIZE).get_page(1)
    rows = list(page.object_list)
    return page.paginator.count, len(rows) + facet_rows


def baseline_without_facets(criteria: SearchCriteria) -> tuple[int, int]:
    return baseline_search(criteria, facets=False)


# --- Measure ----------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def timed_ms(function, criteria: list[SearchCriteria]) -> list[float]:
    times = []
    for one in criteria:
        start = time.perf_counter()
        function(one)
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, figure: float, baselines: list[tuple[str, float]], target=None) -> None:
    text = f"{label:<58}{figure:8.1f} ms"
    if target is not None:
        text += f"   target ≤ {target} ms ({'met' if figure <= target else 'NOT met'})"
    for name, baseline in baselines:
        text += f"   {name} {baseline:.1f} ms (×{baseline / figure:.1f})"
    print(text, flush=True)


def main() -> None:
    plan_as_in_production()
    seed()
    total = Mission.objects.count()
    open_count = Mission.objects.open_for_applications().count()
    print(f"{total} missions, {open_count} open", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('search_missiondocument')), "
            "pg_size_pretty(pg_relation_size('search_document_gin')), "
            "pg_size_pretty(pg_relation_size('search_published_document_gin'))"
        )
        table, gin, published_gin = cursor.fetchone()
    print(
        f"search documents: {table} with their indexes (GIN on the text vectors: {gin}, "
        f"of the published ones: {published_gin})"
    )

    rng = random.Random(20_000)
    warm = searches(10, rng)
    timed_ms(page_search, warm)
    timed_ms(baseline_search, warm[:3])

    sample = searches(SAMPLES, rng)
    new = timed_ms(page_search, sample)
    old_sample = sample[:BASELINE_SAMPLES]
    old = timed_ms(baseline_search, old_sample)
    old_bare = timed_ms(baseline_without_facets, old_sample)
    line(
        "search p95: words + filters + distance, facets, count, page",
        p95(new),
        [("baseline", p95(old)), ("baseline without facets", p95(old_bare))],
        TARGET_MS,
    )
    line(
        "search median",
        statistics.median(new),
        [("baseline", statistics.median(old)), ("without facets", statistics.median(old_bare))],
    )
    typos = [t for t, c in zip(new, sample, strict=True) if c.q == "comptabilte"]
    if typos:
        line("search p95 of a misspelt word (typo tolerance)", p95(typos), [])

    browse = searches(SAMPLES // 2, rng, words=False)
    new_browse = timed_ms(page_search, browse)
    old_browse = timed_ms(baseline_search, browse[:BASELINE_SAMPLES])
    line(
        "browse p95: filters + distance without words, facets, page",
        p95(new_browse),
        [("baseline", p95(old_browse))],
        TARGET_MS,
    )


if __name__ == "__main__":
    main()
