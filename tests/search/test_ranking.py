"""Ranking: text relevance first, lifted for fresh missions and, around a city, for near
ones; the API's `q` is the same search, best first unless `ordering` says otherwise."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from search.criteria import SearchCriteria
from search.expressions import AgeInDays
from search.models import MissionDocument
from search.selectors import MissionSearch
from taxonomy.geo import locate
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def make(association, title, days=1, description="", **fields):
    return factories.MissionFactory(
        association=association,
        title=title,
        summary="Un besoin bien délimité.",
        description=description,
        published_at=NOW - datetime.timedelta(days=days),
        **fields,
    )


def ranked(criteria: SearchCriteria) -> list[str]:
    return [mission.title for mission in MissionSearch(criteria).results()]


def test_a_match_in_the_title_comes_before_one_in_the_description(association):
    make(association, "Former l'équipe", days=1, description="Un peu de comptabilité.")
    make(association, "Comptabilité du festival", days=60)

    assert ranked(SearchCriteria(q="comptabilité")) == [
        "Comptabilité du festival",
        "Former l'équipe",
    ]


def test_among_equally_relevant_missions_the_freshest_first(association):
    make(association, "Comptabilité du club", days=40)
    make(association, "Comptabilité du théâtre", days=2)
    make(association, "Comptabilité de la chorale", days=15)

    assert ranked(SearchCriteria(q="comptabilite")) == [
        "Comptabilité du théâtre",
        "Comptabilité de la chorale",
        "Comptabilité du club",
    ]


def test_the_freshness_is_computed_in_floating_point_on_postgresql(postgresql, association):
    """The score of every row found is computed in double precision: EXTRACT's exact
    numbers cost a third of a ranked search over 11,000 rows."""
    make(association, "Comptabilité du club", days=40)
    ages = MissionDocument.objects.annotate(age=AgeInDays("published_at", NOW)).values("age")
    sql, params = ages.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_typeof(age)::text, age FROM ({sql}) AS aged", params)
        kind, age = cursor.fetchone()

    assert kind == "double precision"
    assert age == pytest.approx(40, abs=0.001)


def test_around_a_city_the_nearest_first(association):
    lyon = locate(city="Lyon")
    make(
        association, "Compta à Vienne", location_mode="on_site", latitude=45.5255, longitude=4.8741
    )
    make(
        association,
        "Compta à Villeurbanne",
        location_mode="on_site",
        latitude=45.7667,
        longitude=4.8803,
    )
    make(association, "Compta à distance", location_mode="remote")

    assert ranked(SearchCriteria(q="compta", location=lyon, radius_km=50)) == [
        "Compta à Villeurbanne",
        "Compta à distance",
        "Compta à Vienne",
    ]


def test_the_api_q_finds_and_ranks_as_the_page(association):
    make(association, "Former l'équipe", days=1, description="Un peu de comptabilité.")
    make(association, "Comptabilité du festival", days=60)
    make(association, "Sans rapport", days=30)
    client = client_for()

    def titles(**params):
        answer = client.get("/api/v1/missions/", params)
        assert answer.status_code == 200, answer.json()
        return [mission["title"] for mission in answer.json()["results"]]

    assert titles(q="COMPTABILITE") == ["Comptabilité du festival", "Former l'équipe"]
    assert titles(q="compta", ordering="-title") == ["Former l'équipe", "Comptabilité du festival"]
    # A typo: the title close to it first, then the description with the skill's word.
    assert titles(q="comptabilte") == ["Comptabilité du festival", "Former l'équipe"]
    assert titles(ordering="-published_at")[0] == "Former l'équipe"


def test_the_api_search_costs_a_bounded_number_of_queries(
    association, django_assert_max_num_queries
):
    for number in range(8):
        mission = make(
            association,
            f"Comptabilité {number}",
            location_mode="on_site",
            latitude=45.76,
            longitude=4.85,
        )
        factories.MissionSkillFactory(mission=mission)
    client = client_for()
    params = {"q": "compta", "near": "Lyon", "format": "mission", "page_size": 100}
    client.get("/api/v1/missions/", params)  # warm the caches (city, reference lists)
    with django_assert_max_num_queries(8):
        answer = client.get("/api/v1/missions/", params)
    assert answer.json()["count"] == 8
    assert len(answer.json()["results"]) == 8
