"""Mission search: the one place a search becomes SQL.

The search page, saved-search alerts and the API's ``q`` and filters all go through
:class:`MissionSearch`, so that they never disagree. Text is matched against each
mission's stored document (:mod:`search.documents`): on PostgreSQL with French
full-text search on unaccented words (GIN index), on SQLite with the same stems in a
plain column. Skill synonyms widen the query (« compta » also looks for « comptabilité
»). A word that no mission holds (a typo, most likely) also finds the titles close to
it and the skills' words close to it (typo tolerance: pg_trgm's strict word
similarity). Results are ranked by text relevance, lifted for fresh missions and,
around a city, for near ones. Facet counts say how many missions each value of the
cause, format, département and location mode filters would give.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property, reduce
from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    ASin,
    Coalesce,
    Cos,
    Greatest,
    Least,
    Power,
    Radians,
    Sin,
    Sqrt,
)
from django.utils import timezone

from missions.models import Mission, MissionSkill, taken_seats
from taxonomy.choices import LocationMode
from taxonomy.geo import EARTH_RADIUS_KM, bounding_box
from taxonomy.selectors import ReferenceLists, reference_lists

from .criteria import DURATION_DAYS, SearchCriteria
from .documents import TEXT_SEARCH_CONFIG
from .expressions import AgeInDays, Like, StrictWordSimilar, StrictWordSimilarity
from .models import MissionDocument
from .text import TYPO_SIMILARITY, Phrase, Term, TextQuery, Vocabulary, fold, parse_query

if TYPE_CHECKING:
    from django.contrib.postgres.search import SearchQuery

    from taxonomy.geo import Location

# Missions or their search documents: both have the columns the filters read.
_Rows = TypeVar("_Rows", bound=QuerySet[Any])

# A word found in fewer missions than this (in any state: in none) is taken for a typo:
# titles and skills' words close to it count too.
UNKNOWN_BELOW = 1
# What a close (not exact) title or skill adds to the relevance, times the similarity.
TYPO_WEIGHT = 0.5
# What a word's synonyms weigh in the relevance, against the word as typed.
SYNONYM_WEIGHT = 0.5
# Ranking: relevance x (1 + FRESHNESS_WEIGHT x freshness + PROXIMITY_WEIGHT x proximity),
# freshness 1 when published today, 1/2 after FRESHNESS_HALF_DAYS; proximity 1 on the
# spot, 1/2 at PROXIMITY_HALF_KM, REMOTE_PROXIMITY for a remote mission.
FRESHNESS_WEIGHT = 0.3
FRESHNESS_HALF_DAYS = 30.0
PROXIMITY_WEIGHT = 0.3
PROXIMITY_HALF_KM = 15.0
REMOTE_PROXIMITY = 0.5
# SQLite's relevance of a word found in the title, skills, summary or cause, or details:
# PostgreSQL's default weights of the sections A, B, C and D.
SECTION_WEIGHTS = (1.0, 0.4, 0.2, 0.1)

FACETS = ("cause", "format", "departement", "location_mode")


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- Skill synonyms --------------------------------------------------------------------


def skill_vocabulary() -> Vocabulary:
    """The skills' names, synonyms and families (from the cached reference lists),
    made once per version of the lists in this process, not at each search."""
    global _vocabulary_held
    lists = reference_lists()
    held = _vocabulary_held
    if held is not None and held[0] is lists:
        return held[1]
    vocabulary = _vocabulary(
        tuple((skill.name_fr, tuple(skill.synonym_list())) for skill in lists.skills),
        tuple(sorted({skill.family.name_fr for skill in lists.skills})),
    )
    _vocabulary_held = (lists, vocabulary)
    return vocabulary


# The reference lists last read in this process and their vocabulary.
_vocabulary_held: tuple[ReferenceLists, Vocabulary] | None = None


_vocabularies: dict[tuple[Any, ...], Vocabulary] = {}


def _vocabulary(
    skills: tuple[tuple[str, tuple[str, ...]], ...], families: tuple[str, ...]
) -> Vocabulary:
    if (skills, families) not in _vocabularies:
        _vocabularies.clear()  # only the current one is worth keeping
        _vocabularies[skills, families] = Vocabulary.from_skills(
            [(name, list(synonyms)) for name, synonyms in skills], families
        )
    return _vocabularies[skills, families]


# --- Place ------------------------------------------------------------------------------


def _distance_km(latitude: float, longitude: float) -> ExpressionWrapper[Any]:
    """Haversine distance from a point to each row, in SQL (NULL without coordinates)."""
    lat = math.radians(latitude)
    half_dlat = (Radians(F("latitude")) - Value(lat)) / Value(2.0)
    half_dlon = (Radians(F("longitude")) - Value(math.radians(longitude))) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Value(math.cos(lat)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    # Least(): rounding may push the root a hair above 1, outside arcsine's domain.
    return ExpressionWrapper(
        Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0))), output_field=FloatField()
    )


def near(rows: _Rows, location: Location, radius_km: float) -> _Rows:
    """Rows (missions or their documents) within ``radius_km`` of ``location``, with
    their ``distance_km``; remote ones, done from anywhere, always pass. A bounding box
    on the indexed latitude and longitude narrows the rows before the exact distance."""
    in_box = Q(**bounding_box(location.latitude, location.longitude, radius_km))
    rows = rows.annotate(distance_km=_distance_km(location.latitude, location.longitude))
    return rows.filter(
        Q(location_mode=LocationMode.REMOTE) | (in_box & Q(distance_km__lte=radius_km))
    )


# --- Filters ----------------------------------------------------------------------------


def _end_after_start(days: int) -> ExpressionWrapper[Any]:
    return ExpressionWrapper(
        F("start_date") + datetime.timedelta(days=days), output_field=DateField()
    )


def facet_conditions(criteria: SearchCriteria) -> dict[str, Q | None]:
    """The filters that have facets, each as a condition (None when not in force)."""
    departements = set(criteria.departement_ids)
    if criteria.region_ids:
        departements |= {
            departement.pk
            for departement in reference_lists().departements
            if departement.region_id in criteria.region_ids
        }
    modes = Q()
    if criteria.remote_only:
        modes &= Q(location_mode=LocationMode.REMOTE)
    if criteria.location_modes:
        modes &= Q(location_mode__in=criteria.location_modes)
    places = Q(location_mode=LocationMode.REMOTE) | Q(departement_id__in=sorted(departements))
    return {
        "cause": Q(cause_id__in=criteria.cause_ids) if criteria.cause_ids else None,
        "format": Q(format__in=criteria.formats) if criteria.formats else None,
        "departement": places if criteria.departement_ids or criteria.region_ids else None,
        "location_mode": modes if modes else None,
    }


def _filtered(
    documents: QuerySet[MissionDocument], criteria: SearchCriteria
) -> QuerySet[MissionDocument]:
    """Every filter but the text and those with facets."""
    if criteria.skill_ids:
        documents = documents.filter(
            Exists(
                MissionSkill.objects.filter(
                    mission_id=OuterRef("mission_id"), skill_id__in=criteria.skill_ids
                )
            )
        )
    if criteria.location is not None:
        documents = near(documents, criteria.location, criteria.radius_km)
    if criteria.starts_after:
        documents = documents.filter(start_date__gte=criteria.starts_after)
    if criteria.starts_before:
        documents = documents.filter(start_date__lte=criteria.starts_before)
    if criteria.ends_before:
        documents = documents.filter(end_date__lte=criteria.ends_before)
    if criteria.duration:
        shortest, longest = DURATION_DAYS[criteria.duration]
        documents = documents.filter(start_date__isnull=False, end_date__isnull=False)
        if shortest is not None:
            documents = documents.filter(end_date__gte=_end_after_start(shortest))
        if longest is not None:
            documents = documents.filter(end_date__lte=_end_after_start(longest))
    if criteria.max_hours_per_week is not None:
        documents = documents.filter(hours_per_week__lte=criteria.max_hours_per_week)
    return documents


# --- Text -------------------------------------------------------------------------------


class _TextMatch:
    """How one parsed query matches and ranks documents, on this database. ``on`` is
    the path from the model queried to the document (nothing from the document itself,
    ``search_document__`` from a mission). Terms in ``unknown`` (words that are in no
    mission: typos, most likely) also match titles close to them (their synonyms hold
    the skills' words close to them)."""

    def __init__(
        self, query: TextQuery, on: str = "", unknown: frozenset[Term] = frozenset()
    ) -> None:
        self.query = query
        self.on = on
        self.unknown = unknown
        self.postgresql = uses_postgresql()

    # PostgreSQL: one tsquery per term, alternatives with |, terms with &, negations ~.
    def _tsquery(self, phrase: Phrase, exact: bool) -> SearchQuery:
        from django.contrib.postgres.search import SearchQuery

        return SearchQuery(
            phrase.text, config=TEXT_SEARCH_CONFIG, search_type="phrase" if exact else "plain"
        )

    def _term_tsquery(self, term: Term, typed: bool = True, synonyms: bool = True) -> SearchQuery:
        queries = [self._tsquery(term.typed, term.exact)] if typed else []
        if synonyms:
            queries += [self._tsquery(synonym, False) for synonym in term.synonyms]
        return reduce(lambda a, b: a | b, queries)

    def _pattern(self, phrase: Phrase, exact: bool) -> list[str]:
        """SQLite: the LIKE cores a phrase needs (each stem, or all side by side)."""
        if exact or len(phrase.stems) == 1:
            return [" " + " ".join(phrase.stems) + " "]
        return [f" {stem} " for stem in phrase.stems]

    def _sqlite_term(
        self, term: Term, sections: str = "", typed: bool = True, synonyms: bool = True
    ) -> Q:
        """The term found (in the sections ``sections`` selects, see
        ``_sqlite_term_weight``), as typed and or through its synonyms."""
        alternatives = [(term.typed, term.exact)] if typed else []
        if synonyms:
            alternatives += [(synonym, False) for synonym in term.synonyms]
        found = Q()
        for phrase, exact in alternatives:
            found |= reduce(
                lambda a, b: a & b,
                (
                    Q(Like(f"{self.on}stems", f"%{core}%{sections}"))
                    for core in self._pattern(phrase, exact)
                ),
            )
        return found

    def term_condition(self, term: Term) -> Q:
        """The term found as typed or through its synonyms."""
        if self.postgresql:
            return Q(**{f"{self.on}document": self._term_tsquery(term)})
        return self._sqlite_term(term)

    def condition(self) -> Q:
        """Every term found, or close to a run of words of the title or the skills for
        an unknown one; no excluded term found."""
        if self.postgresql and not self.unknown:
            # One tsquery: one look in the index.
            positive = [self._term_tsquery(term) for term in self.query.positive]
            negative = [~self._term_tsquery(term) for term in self.query.negative]
            tsquery = reduce(lambda a, b: a & b, positive + negative)
            return Q(**{f"{self.on}document": tsquery})
        condition = Q()
        for term in self.query.positive:
            found = self.term_condition(term)
            if term in self.unknown:
                typed = fold(term.typed.text).strip()
                found |= Q(StrictWordSimilar(f"{self.on}title", typed))
            condition &= found
        for term in self.query.negative:
            condition &= ~self.term_condition(term)
        return condition

    def relevance(self) -> Expression:
        positive = self.query.positive
        if not positive:
            return Value(1.0, output_field=FloatField())
        # The words as typed count more than their synonyms.
        if self.postgresql:
            from django.contrib.postgres.search import SearchRank

            combine = (lambda a, b: a | b) if self.unknown else (lambda a, b: a & b)
            relevance: Expression = SearchRank(
                F(f"{self.on}document"),
                reduce(combine, [self._term_tsquery(term, synonyms=False) for term in positive]),
            )
            synonymous = [term for term in positive if term.synonyms]
            if synonymous:
                relevance = relevance + Value(SYNONYM_WEIGHT) * SearchRank(
                    F(f"{self.on}document"),
                    reduce(
                        lambda a, b: a | b,
                        [self._term_tsquery(term, typed=False) for term in synonymous],
                    ),
                )
        else:
            relevance = _sum(self._sqlite_term_weight(term) for term in positive) / Value(
                float(len(positive))
            )
        if self.unknown:
            # How far above the typo threshold the title is: 0 below it, 1 for the very
            # words (close skills count as synonyms, above).
            closeness = _sum(
                Greatest(self._above_threshold(term, f"{self.on}title"), Value(0.0))
                for term in positive
                if term in self.unknown
            )
            relevance = relevance + Value(TYPO_WEIGHT / len(positive)) * closeness
        return ExpressionWrapper(relevance, output_field=FloatField())

    def _above_threshold(self, term: Term, column: str) -> Expression:
        similarity = StrictWordSimilarity(fold(term.typed.text).strip(), column)
        return (similarity - Value(TYPO_SIMILARITY)) / Value(1 - TYPO_SIMILARITY)

    def _sqlite_term_weight(self, term: Term) -> Expression:
        # Sections are separated by " | ": a core followed by three bars is in the title,
        # by at least two in the title or the skills, and so on.
        bars = ["%|%|%|%", "%|%|%", "%|%", "%"]

        def weight(typed: bool, factor: float) -> Case:
            return Case(
                *(
                    When(
                        self._sqlite_term(term, sections=sections, typed=typed, synonyms=not typed),
                        then=Value(weight * factor),
                    )
                    for sections, weight in zip(bars, SECTION_WEIGHTS, strict=True)
                ),
                default=Value(0.0),
                output_field=FloatField(),
            )

        if not term.synonyms:
            return weight(True, 1.0)
        return Greatest(weight(True, 1.0), weight(False, SYNONYM_WEIGHT))


def _sum(expressions: Iterable[Expression]) -> Expression:
    total: Expression | None = None
    for expression in expressions:
        total = expression if total is None else total + expression
    return total if total is not None else Value(0.0)


# --- The search -------------------------------------------------------------------------


@dataclass
class MissionSearch:
    """One search. It reads the missions' documents only (text, filters, facets,
    ranking), then the missions of the rows it shows: ``results()`` for a page or the
    API's list, ``facets()`` and ``count()``, which share one query, and ``missions()``
    (what is found, as a queryset of missions)."""

    criteria: SearchCriteria
    # What may be found; default: the missions open for applications.
    among: QuerySet[Mission] | None = None
    # The same missions as ``among``, said with the documents' own columns when they can
    # say it: the documents are then filtered alone, without reading the missions.
    among_documents: Q | None = None
    vocabulary: Vocabulary | None = None
    now: datetime.datetime = field(default_factory=timezone.now)
    tolerate_typos: bool = True

    @cached_property
    def _vocabulary(self) -> Vocabulary:
        return self.vocabulary or skill_vocabulary()

    @cached_property
    def text(self) -> TextQuery:
        if not self.criteria.q.strip():
            return TextQuery()
        return parse_query(self.criteria.q, self._vocabulary)

    @cached_property
    def unknown_terms(self) -> frozenset[Term]:
        """The words typed (not quoted) that fewer than ``UNKNOWN_BELOW`` missions hold
        (with their synonyms), whatever their state: misspelt, most likely. Looked up
        in one query."""
        typed = [term for term in self.text.positive if not term.exact]
        if not typed or not self.tolerate_typos:
            return frozenset()
        match = _TextMatch(self.text)
        probes = [
            MissionDocument.objects.filter(match.term_condition(term))
            .order_by()
            .values("mission_id")[:UNKNOWN_BELOW]
            .query.sql_with_params()
            for term in typed
        ]
        sql = " UNION ALL ".join(
            f"SELECT {number} AS term, COUNT(*) AS found FROM ({probe}) AS probe{number}"
            for number, (probe, _params) in enumerate(probes)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [param for _probe, params in probes for param in params])
            found = dict(cursor.fetchall())
        return frozenset(term for number, term in enumerate(typed) if found[number] < UNKNOWN_BELOW)

    @property
    def tolerant(self) -> bool:
        """Whether some words are in no mission, so that titles and skills close to them
        are looked for too (typo tolerance)."""
        return bool(self.unknown_terms)

    @cached_property
    def _match(self) -> _TextMatch | None:
        if not self.text:
            return None
        if not self.unknown_terms:
            return _TextMatch(self.text)
        # An unknown word also looks for the skills' words close to it, as synonyms:
        # through the full-text index, the same way on both databases.
        corrected = {
            term: replace(
                term,
                synonyms=term.synonyms
                + tuple(Phrase.of(words) for words in self._vocabulary.close_to(term.typed.text)),
            )
            for term in self.unknown_terms
        }
        text = TextQuery(tuple(corrected.get(term, term) for term in self.text.terms))
        return _TextMatch(text, unknown=frozenset(corrected.values()))

    def _documents(self) -> QuerySet[MissionDocument]:
        """The documents of what may be found, with the filters without facets and the
        words."""
        documents: QuerySet[MissionDocument]
        if self.among is None:
            documents = MissionDocument.objects.open_for_applications()
        elif self.among_documents is not None:
            documents = MissionDocument.objects.filter(self.among_documents)
        else:
            documents = MissionDocument.objects.filter(
                mission_id__in=self.among.order_by().values("pk")
            )
        documents = _filtered(documents, self.criteria)
        return documents.filter(self._match.condition()) if self._match else documents

    def matching(self) -> QuerySet[MissionDocument]:
        """The documents found, unordered."""
        documents = self._documents()
        for condition in facet_conditions(self.criteria).values():
            if condition is not None:
                documents = documents.filter(condition)
        return documents

    def missions(self) -> QuerySet[Mission]:
        """The missions found, unordered (from ``among`` when given)."""
        missions = self.among if self.among is not None else Mission.objects.all()
        return missions.filter(pk__in=self.matching().values("mission_id"))

    def ranked(self) -> QuerySet[MissionDocument]:
        """The documents found, best first when there are words (with their ``score``),
        else newest first."""
        documents = self.matching().order_by()
        if self._match is None:
            return documents.order_by(F("published_at").desc(nulls_last=True), "-mission_id")
        documents = documents.annotate(
            score=ExpressionWrapper(self._match.relevance() * self._boost(), FloatField())
        )
        return documents.order_by("-score", F("published_at").desc(nulls_last=True), "-mission_id")

    def results(self, missions: QuerySet[Mission] | None = None) -> SearchResults:
        """The missions found, best first, as a sequence a paginator slices: each slice
        reads its documents, then their missions from ``missions`` (default: with their
        association, cause, département and ``taken_seats``), with ``score`` and, around
        a city, ``distance_km``."""
        if missions is None:
            missions = Mission.objects.select_related(
                "association", "cause", "departement"
            ).annotate(**{"taken_seats": taken_seats()})
        return SearchResults(self, missions)

    def _boost(self) -> Expression:
        age = AgeInDays(Coalesce("published_at", "created_at"), self.now)
        boost: Expression = Value(1.0) + Value(FRESHNESS_WEIGHT) * (
            Value(1.0) / (Value(1.0) + age / Value(FRESHNESS_HALF_DAYS))
        )
        if self.criteria.location is not None:
            proximity = Case(
                When(location_mode=LocationMode.REMOTE, then=Value(REMOTE_PROXIMITY)),
                When(
                    distance_km__isnull=False,
                    then=Value(1.0) / (Value(1.0) + F("distance_km") / Value(PROXIMITY_HALF_KM)),
                ),
                default=Value(0.0),
                output_field=FloatField(),
            )
            boost = boost + Value(PROXIMITY_WEIGHT) * proximity
        return boost

    def facets(self) -> dict[str, dict[str, int]]:
        """For each facet, how many missions each of its values would find with the
        other filters as they are (its own filter set aside). Keys are the values' ids
        (cause, département) or codes (format, location mode) as text; département
        counts leave out remote missions, which every département shows."""
        return self._counts.facets

    def count(self) -> int:
        """How many missions are found (read with the facets when they were asked)."""
        if "_counts" in self.__dict__:
            return self._counts.total
        return self.matching().count()

    @cached_property
    def _counts(self) -> _Counts:
        """The facets and the total, in one query over the documents the words and the
        filters without facets find, each with whether it passes each facet's filter."""
        conditions = facet_conditions(self.criteria)
        flags = {
            f"in_{name}": (
                ExpressionWrapper(condition, output_field=BooleanField())
                if condition is not None
                else Value(True, output_field=BooleanField())
            )
            for name, condition in conditions.items()
        }
        rows = (
            self._documents()
            .order_by()
            .annotate(
                f_cause=F("cause_id"),
                f_format=F("format"),
                f_departement=F("departement_id"),
                f_location_mode=F("location_mode"),
                **flags,
            )
            .values("f_cause", "f_format", "f_departement", "f_location_mode", *flags)
        )
        base_sql, params = rows.query.sql_with_params()

        def passing(names: Iterable[str]) -> str:
            return " AND ".join(f"in_{name}" for name in names) or "1 = 1"

        remote = LocationMode.REMOTE.value
        branches = [
            f"SELECT '{name}', CAST(f_{name} AS TEXT), "
            f"SUM(CASE WHEN {passing(n for n in FACETS if n != name)} THEN 1 ELSE 0 END) "
            "FROM base "
            + (f"WHERE f_location_mode <> '{remote}' " if name == "departement" else "")
            + f"GROUP BY f_{name}"
            for name in FACETS
        ]
        branches.append(
            f"SELECT 'total', NULL, SUM(CASE WHEN {passing(FACETS)} THEN 1 ELSE 0 END) FROM base"
        )
        sql = f"WITH base AS ({base_sql}) " + " UNION ALL ".join(branches)
        counts = _Counts(total=0, facets={name: {} for name in FACETS})
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, count in cursor.fetchall():
                if name == "total":
                    counts.total = int(count or 0)
                elif value is not None and count:
                    counts.facets[name][str(value)] = int(count)
        return counts


@dataclass
class _Counts:
    total: int
    facets: dict[str, dict[str, int]]


class SearchResults:
    """The missions a search finds, best first, read a slice at a time: the slice's
    documents (ranked in the database), then their missions."""

    def __init__(self, search: MissionSearch, missions: QuerySet[Mission]) -> None:
        self.search = search
        self.rows = missions

    def count(self) -> int:
        return self.search.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Mission]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> Mission: ...

    @overload
    def __getitem__(self, index: slice) -> list[Mission]: ...

    def __getitem__(self, index: int | slice) -> Mission | list[Mission]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        found = list(self.search.ranked().values(*self._fields())[index])
        return self._missions(found)

    def slice_with_count(self, start: int, stop: int) -> tuple[list[Mission], int]:
        """The missions from ``start`` to ``stop`` and how many are found, in one query:
        ranking reads every row found anyway, so the total rides on each ranked row. The
        rows are narrowed to what the order needs first (materialized on PostgreSQL,
        which would otherwise sort and count whole documents with their text vectors)."""
        fields = self._fields()
        narrow = self.search.ranked().order_by().values(*fields, "published_at")
        sql, params = narrow.query.sql_with_params()
        order = "published_at DESC NULLS LAST, mission_id DESC"
        if self.search._match is not None:
            order = f"score DESC, {order}"
        materialized = "MATERIALIZED " if uses_postgresql() else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH ranked AS {materialized}({sql}) "
                f"SELECT {', '.join(fields)}, COUNT(*) OVER () FROM ranked "
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, stop - start, start],
            )
            rows = cursor.fetchall()
        found = [dict(zip(fields, row[:-1], strict=True)) for row in rows]
        return self._missions(found), rows[0][-1] if rows else 0

    def _fields(self) -> list[str]:
        fields = ["mission_id"]
        if self.search.criteria.location is not None:
            fields.append("distance_km")
        if self.search._match is not None:
            fields.append("score")
        return fields

    def _missions(self, found: list[dict[str, Any]]) -> list[Mission]:
        """The missions of ranked rows, in their order, with their other values."""
        missions = self.rows.in_bulk([row["mission_id"] for row in found])
        results = []
        for row in found:
            mission = missions.get(row["mission_id"])
            if mission is not None:
                for name, value in row.items():
                    if name != "mission_id":
                        setattr(mission, name, value)
                results.append(mission)
        return results


def search_missions(
    criteria: SearchCriteria, among: QuerySet[Mission] | None = None
) -> list[Mission]:
    """The missions ``criteria`` find ``among`` some (default: the open ones), best
    first (see :class:`MissionSearch`)."""
    return MissionSearch(criteria, among).results()[:]
