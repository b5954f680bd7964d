"""The relevance of the search, measured: nDCG@10 over the French queries of
tests/search/corpus.py (accents, plurals, typos, skill synonyms), on the database the
suite runs on (SQLite here, PostgreSQL in CI). The table of every query is printed
(``pytest -s``), the queries below the target listed."""

import math

import pytest

from search.criteria import SearchCriteria
from search.selectors import MissionSearch

from .corpus import QUERIES

TARGET = 0.9
K = 10

pytestmark = pytest.mark.django_db


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**gain - 1) / math.log2(rank + 2) for rank, gain in enumerate(gains[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(key, 0) for key in ranked]) / ideal if ideal else 1.0


def test_ndcg_of_a_perfect_and_of_a_swapped_ranking():
    assert ndcg(["a", "b"], {"a": 2, "b": 1}) == 1.0
    assert ndcg(["b", "a"], {"a": 2, "b": 1}) == pytest.approx(0.797, abs=1e-3)
    assert ndcg(["x"] * 10 + ["a"], {"a": 2}) == 0.0


def test_the_relevance_test_set_is_large_and_varied():
    assert len(QUERIES) >= 40
    kinds = {kind for _query, kind, _grades in QUERIES}
    assert {"accents", "plurals", "typos", "synonyms"} <= kinds


def test_french_queries_find_the_expected_missions_first(corpus, settings):
    keys = {mission.pk: key for key, mission in corpus.items()}
    rows = []
    for query, kind, grades in QUERIES:
        found = MissionSearch(SearchCriteria(q=query)).results()[:K]
        ranked = [keys[mission.pk] for mission in found]
        rows.append((query, kind, ndcg(ranked, grades), ranked, grades))
    mean = sum(row[2] for row in rows) / len(rows)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"\nnDCG@{K} on {engine}: {mean:.3f} over {len(rows)} queries (target ≥ {TARGET})")
    for query, kind, score, _ranked, _grades in rows:
        print(f"  {score:5.2f}  {kind:<9} {query}")
    failing = [(query, score, ranked, grades) for query, _k, score, ranked, grades in rows]
    failing = [row for row in failing if row[1] < TARGET]
    print(f"Queries below {TARGET}: {len(failing)}")
    for query, score, ranked, grades in failing:
        missing = sorted(set(grades) - set(ranked))
        print(f"  {query!r}: {score:.2f}; first {ranked[:4]}; missing {missing}")
    by_kind: dict[str, list[float]] = {}
    for _query, kind, score, _ranked, _grades in rows:
        by_kind.setdefault(kind, []).append(score)
    for kind, scores in by_kind.items():
        print(f"  {kind:<9} {sum(scores) / len(scores):.3f} ({len(scores)} queries)")
    assert mean >= TARGET
