"""Mission search: the one place a search becomes SQL.

The search page, saved-search alerts and the API's ``q`` and filters all go through
:class:`MissionSearch`, so that they never disagree. Text is matched against each
mission's stored document (:mod:`search.documents`): on PostgreSQL with French
full-text search on unaccented words (GIN index), on SQLite with the same stems in a
plain column. Skill synonyms widen the query (« compta » also looks for « comptabilité
»); when the words find fewer than ``FEW_RESULTS`` missions, titles and skill names
close to the words typed count too (typo tolerance, pg_trgm's strict word similarity).
Results are ranked by text relevance, lifted for fresh missions and, around a city,
for near ones. Facet counts say how many missions each value of the cause, format,
département and location mode filters would give.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, reduce
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
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

from missions.models import Application, Mission, MissionSkill
from taxonomy.choices import LocationMode
from taxonomy.geo import EARTH_RADIUS_KM
from taxonomy.selectors import reference_lists

from .criteria import DURATION_DAYS, SearchCriteria
from .documents import TEXT_SEARCH_CONFIG
from .expressions import AgeInDays, Like, StrictWordSimilar, StrictWordSimilarity
from .text import TYPO_SIMILARITY, Phrase, Term, TextQuery, Vocabulary, fold, parse_query

if TYPE_CHECKING:
    from django.contrib.postgres.search import SearchQuery

    from taxonomy.geo import Location

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180

# Fewer exact matches than this and titles or skills close to the words typed count too.
FEW_RESULTS = 5
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
    """The skills' names and synonyms (from the cached reference lists)."""
    return _vocabulary(
        tuple((skill.name_fr, tuple(skill.synonym_list())) for skill in reference_lists().skills)
    )


_vocabularies: dict[tuple[tuple[str, tuple[str, ...]], ...], Vocabulary] = {}


def _vocabulary(skills: tuple[tuple[str, tuple[str, ...]], ...]) -> Vocabulary:
    if skills not in _vocabularies:
        _vocabularies.clear()  # only the current one is worth keeping
        _vocabularies[skills] = Vocabulary.from_skills(
            [(name, list(synonyms)) for name, synonyms in skills]
        )
    return _vocabularies[skills]


# --- Place ------------------------------------------------------------------------------


def _distance_km(latitude: float, longitude: float) -> ExpressionWrapper[Any]:
    """Haversine distance from a point to each mission, in SQL (NULL without coordinates)."""
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


def missions_near(
    missions: QuerySet[Mission], location: Location, radius_km: float
) -> QuerySet[Mission]:
    """Missions within ``radius_km`` of ``location``, with their ``distance_km``; remote
    missions, done from anywhere, always pass. A bounding box on the indexed latitude
    and longitude narrows the rows before the exact distance is computed."""
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(location.latitude)), 0.01))
    in_box = Q(
        latitude__gte=location.latitude - dlat,
        latitude__lte=location.latitude + dlat,
        longitude__gte=location.longitude - dlon,
        longitude__lte=location.longitude + dlon,
    )
    missions = missions.annotate(distance_km=_distance_km(location.latitude, location.longitude))
    return missions.filter(
        Q(location_mode=LocationMode.REMOTE) | (in_box & Q(distance_km__lte=radius_km))
    )


# --- Filters ----------------------------------------------------------------------------


def _end_after_start(days: int) -> ExpressionWrapper[Any]:
    return ExpressionWrapper(
        F("start_date") + datetime.timedelta(days=days), output_field=DateField()
    )


def facet_conditions(criteria: SearchCriteria) -> dict[str, Q | None]:
    """The filters that have facets, each as a condition (None when not in force)."""
    places = Q()
    if criteria.departement_ids:
        places |= Q(departement_id__in=criteria.departement_ids)
    if criteria.region_ids:
        places |= Q(departement__region_id__in=criteria.region_ids)
    modes = Q()
    if criteria.remote_only:
        modes &= Q(location_mode=LocationMode.REMOTE)
    if criteria.location_modes:
        modes &= Q(location_mode__in=criteria.location_modes)
    return {
        "cause": Q(cause_id__in=criteria.cause_ids) if criteria.cause_ids else None,
        "format": Q(format__in=criteria.formats) if criteria.formats else None,
        "departement": Q(location_mode=LocationMode.REMOTE) | places if places else None,
        "location_mode": modes if modes else None,
    }


def _filtered(missions: QuerySet[Mission], criteria: SearchCriteria) -> QuerySet[Mission]:
    """Every filter but the text and those with facets."""
    if criteria.skill_ids:
        missions = missions.filter(
            Exists(
                MissionSkill.objects.filter(mission=OuterRef("pk"), skill_id__in=criteria.skill_ids)
            )
        )
    if criteria.location is not None:
        missions = missions_near(missions, criteria.location, criteria.radius_km)
    if criteria.starts_after:
        missions = missions.filter(start_date__gte=criteria.starts_after)
    if criteria.starts_before:
        missions = missions.filter(start_date__lte=criteria.starts_before)
    if criteria.ends_before:
        missions = missions.filter(end_date__lte=criteria.ends_before)
    if criteria.duration:
        shortest, longest = DURATION_DAYS[criteria.duration]
        missions = missions.filter(start_date__isnull=False, end_date__isnull=False)
        if shortest is not None:
            missions = missions.filter(end_date__gte=_end_after_start(shortest))
        if longest is not None:
            missions = missions.filter(end_date__lte=_end_after_start(longest))
    if criteria.max_hours_per_week is not None:
        missions = missions.filter(hours_per_week__lte=criteria.max_hours_per_week)
    return missions


# --- Text -------------------------------------------------------------------------------


class _TextMatch:
    """How one parsed query matches and ranks documents, on this database."""

    def __init__(self, query: TextQuery) -> None:
        self.query = query
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
                    Q(Like("search_document__stems", f"%{core}%{sections}"))
                    for core in self._pattern(phrase, exact)
                ),
            )
        return found

    def term_condition(self, term: Term) -> Q:
        if self.postgresql:
            return Q(search_document__document=self._term_tsquery(term))
        return self._sqlite_term(term)

    def exact_condition(self) -> Q:
        """Every word (or one of its synonyms) found; no excluded word."""
        if self.postgresql:
            positive = [self._term_tsquery(term) for term in self.query.positive]
            negative = [~self._term_tsquery(term) for term in self.query.negative]
            return Q(search_document__document=reduce(lambda a, b: a & b, positive + negative))
        condition = Q()
        for term in self.query.positive:
            condition &= self._sqlite_term(term)
        for term in self.query.negative:
            condition &= ~self._sqlite_term(term)
        return condition

    def tolerant_condition(self) -> Q:
        """Each word found, or close to a run of words of the title or the skills (a
        "quoted phrase" is only found as typed)."""
        condition = Q()
        for term in self.query.positive:
            if term.exact:
                condition &= self.term_condition(term)
                continue
            typed = fold(term.typed.text).strip()
            condition &= (
                self.term_condition(term)
                | Q(StrictWordSimilar("search_document__title", typed))
                | Q(StrictWordSimilar("search_document__keywords", typed))
            )
        for term in self.query.negative:
            condition &= ~self.term_condition(term)
        return condition

    def relevance(self, tolerant: bool) -> Expression:
        positive = self.query.positive
        if not positive:
            return Value(1.0, output_field=FloatField())
        # The words as typed count more than their synonyms.
        if self.postgresql:
            from django.contrib.postgres.search import SearchRank

            combine = (lambda a, b: a | b) if tolerant else (lambda a, b: a & b)
            relevance: Expression = SearchRank(
                F("search_document__document"),
                reduce(combine, [self._term_tsquery(term, synonyms=False) for term in positive]),
            )
            synonymous = [term for term in positive if term.synonyms]
            if synonymous:
                relevance = relevance + Value(SYNONYM_WEIGHT) * SearchRank(
                    F("search_document__document"),
                    reduce(
                        lambda a, b: a | b,
                        [self._term_tsquery(term, typed=False) for term in synonymous],
                    ),
                )
        else:
            relevance = _sum(self._sqlite_term_weight(term) for term in positive) / Value(
                float(len(positive))
            )
        if tolerant:
            # How far above the typo threshold the title (or, counting less, a skill) is:
            # 0 below it, 1 for the very words.
            closeness = _sum(
                Greatest(
                    self._above_threshold(term, "search_document__title"),
                    Value(SECTION_WEIGHTS[1])
                    * self._above_threshold(term, "search_document__keywords"),
                    Value(0.0),
                )
                for term in positive
                if not term.exact
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
    """One search: ``results()`` (ranked, for a page or the API's list) and ``facets()``
    share the decision to tolerate typos, taken once."""

    criteria: SearchCriteria
    missions: QuerySet[Mission] | None = None  # what may be found (default: open missions)
    vocabulary: Vocabulary | None = None
    now: datetime.datetime = field(default_factory=timezone.now)

    @cached_property
    def text(self) -> TextQuery:
        if not self.criteria.q.strip():
            return TextQuery()
        return parse_query(self.criteria.q, self.vocabulary or skill_vocabulary())

    @cached_property
    def _base(self) -> QuerySet[Mission]:
        missions = self.missions
        if missions is None:
            missions = Mission.objects.open_for_applications()
        return _filtered(missions, self.criteria)

    @cached_property
    def _match(self) -> _TextMatch | None:
        return _TextMatch(self.text) if self.text else None

    @cached_property
    def exact_found(self) -> int:
        """How many missions the words find as typed (or through synonyms), counted up to
        ``FEW_RESULTS`` only."""
        if self._match is None:
            return FEW_RESULTS
        everything = self._with_facet_filters(self._base)
        found = everything.filter(self._match.exact_condition()).values("pk")[:FEW_RESULTS]
        return len(found)

    @property
    def tolerant(self) -> bool:
        """Whether the words alone find so few missions that close ones count too."""
        typed = any(not term.exact for term in self.text.positive)
        return typed and self.exact_found < FEW_RESULTS

    def _text_condition(self) -> Q:
        if self._match is None:
            return Q()
        return self._match.tolerant_condition() if self.tolerant else self._match.exact_condition()

    def _with_facet_filters(
        self, missions: QuerySet[Mission], without: str = ""
    ) -> QuerySet[Mission]:
        for name, condition in facet_conditions(self.criteria).items():
            if condition is not None and name != without:
                missions = missions.filter(condition)
        return missions

    def matching(self) -> QuerySet[Mission]:
        """The missions found, unordered and without annotations: to count them."""
        return self._with_facet_filters(self._base).filter(self._text_condition())

    def ranked(self) -> QuerySet[Mission]:
        """The missions found, best first when there are words (with their ``score``),
        else in the order of the missions searched."""
        missions = self.matching()
        if self._match is None:
            return missions
        missions = missions.annotate(
            score=ExpressionWrapper(
                self._match.relevance(self.tolerant) * self._boost(), output_field=FloatField()
            )
        )
        return missions.order_by("-score", "-published_at", "-pk")

    def results(self) -> QuerySet[Mission]:
        """The missions found, best first (newest first without words), ready for a
        page: with ``taken_seats``, and ``distance_km`` around a city."""
        ranked = self.ranked().select_related("association", "cause", "departement")
        # By name: Mission declares the attribute its own queryset's annotation sets.
        ranked = ranked.annotate(**{"taken_seats": _taken_seats()})
        if self._match is None:
            return ranked.order_by("-published_at", "-pk")
        return ranked

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
        other filters as they are (its own filter set aside), in one query. Keys are
        the values' ids (cause, département) or codes (format, location mode) as text;
        département counts leave out remote missions, which every département shows."""
        conditions = facet_conditions(self.criteria)
        flags = {
            f"in_{name}": ExpressionWrapper(
                condition if condition is not None else Q(pk__isnull=False),
                output_field=BooleanField(),
            )
            for name, condition in conditions.items()
        }
        rows = (
            self._base.filter(self._text_condition())
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

        def others(name: str) -> str:
            return " AND ".join(f"in_{other}" for other in FACETS if other != name)

        remote = LocationMode.REMOTE.value
        branches = [
            f"SELECT '{name}', CAST(f_{name} AS TEXT), "
            f"SUM(CASE WHEN {others(name)} THEN 1 ELSE 0 END) FROM base "
            + (f"WHERE f_location_mode <> '{remote}' " if name == "departement" else "")
            + f"GROUP BY f_{name}"
            for name in FACETS
        ]
        sql = f"WITH base AS ({base_sql}) " + " UNION ALL ".join(branches)
        counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, count in cursor.fetchall():
                if value is not None and count:
                    counts[name][str(value)] = int(count)
        return counts


def _taken_seats() -> Coalesce:
    taken = (
        Application.objects.filter(mission=OuterRef("pk"), state__in=Application.SEAT_STATES)
        .order_by()
        .values("mission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def search_missions(
    criteria: SearchCriteria, missions: QuerySet[Mission] | None = None
) -> QuerySet[Mission]:
    """The missions ``criteria`` find among ``missions`` (default: open ones), best
    first (see :class:`MissionSearch`)."""
    return MissionSearch(criteria, missions).results()
