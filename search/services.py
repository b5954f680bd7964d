"""Mission search and saved searches.

``search_missions`` is the one place a search becomes SQL: the public search page and
the saved-search alerts both go through it, so an alert never disagrees with the page.
"""

import datetime
import math
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DateField as DateFieldType
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext as _

from core.permissions import Actor, require
from missions.models import Mission, MissionSkill
from notifications.models import Notification
from notifications.services import notify
from taxonomy.choices import LocationMode
from taxonomy.geo import EARTH_RADIUS_KM

from .forms import MissionSearchForm
from .models import SavedSearch, SavedSearchMatch

if TYPE_CHECKING:
    from django.db.models.expressions import CombinedExpression
    from django.http import QueryDict

    from accounts.models import User
    from taxonomy.geo import Location

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
# Spans of each duration choice, in days between the start and the end (bounds included).
DURATION_DAYS = {"week": (None, 7), "month": (8, 31), "quarter": (32, 92), "long": (93, None)}


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _end_after_start(days: int) -> "ExpressionWrapper[CombinedExpression]":
    return ExpressionWrapper(
        F("start_date") + datetime.timedelta(days=days), output_field=DateFieldType()
    )


def _distance_km(latitude: float, longitude: float) -> "ExpressionWrapper[CombinedExpression]":
    """Haversine distance from a point to each mission, in SQL (NULL without coordinates)."""
    lat, lon = math.radians(latitude), math.radians(longitude)
    half_dlat = (Radians(F("latitude")) - Value(lat)) / Value(2.0)
    half_dlon = (Radians(F("longitude")) - Value(lon)) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Value(math.cos(lat)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    # Least(): rounding may push the root a hair above 1, outside arcsine's domain.
    return ExpressionWrapper(
        Value(2 * EARTH_RADIUS_KM) * ASin(Least(Sqrt(a), Value(1.0))), output_field=FloatField()
    )


def missions_near(
    missions: QuerySet[Mission], location: "Location", radius_km: float
) -> QuerySet[Mission]:
    """Missions within ``radius_km`` of ``location``; remote missions, done from anywhere,
    always pass. A bounding box (indexable) narrows the rows before the exact distance."""
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


def _matching_text(missions: QuerySet[Mission], text: str) -> QuerySet[Mission]:
    if uses_postgresql():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="french")
            + SearchVector("summary", weight="B", config="french")
            + SearchVector("description", weight="C", config="french")
        )
        query = SearchQuery(text, search_type="websearch", config="french")
        return (
            missions.annotate(document=vector, rank=SearchRank(vector, query))
            .filter(document=query)
            .order_by("-rank", "-published_at", "-pk")
        )
    # SQLite: every word must appear somewhere in the title, summary or description.
    for word in text.split():
        word = word.strip("\"'«»")
        if word and word != "-":
            missions = missions.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
            )
    return missions


def search_missions(cleaned_data: dict[str, Any]) -> QuerySet[Mission]:
    """Open missions matching a valid :class:`MissionSearchForm`'s ``cleaned_data``:
    filters are combined with AND, the skills with OR (any of them). Ordered by
    relevance when there is text to match, else newest first."""
    missions: QuerySet[Mission] = (
        Mission.objects.open_for_applications()
        .select_related("association", "cause", "departement")
        .with_taken_seats()
        .newest_first()
    )
    if skills := cleaned_data.get("skills"):
        missions = missions.filter(
            Exists(MissionSkill.objects.filter(mission=OuterRef("pk"), skill__in=skills))
        )
    if cause := cleaned_data.get("cause"):
        missions = missions.filter(cause=cause)
    if departement := cleaned_data.get("departement"):
        missions = missions.filter(
            Q(location_mode=LocationMode.REMOTE) | Q(departement=departement)
        )
    if location := cleaned_data.get("location"):
        missions = missions_near(missions, location, cleaned_data["radius"])
    if cleaned_data.get("remote_only"):
        missions = missions.filter(location_mode=LocationMode.REMOTE)
    if modes := cleaned_data.get("location_modes"):
        missions = missions.filter(location_mode__in=modes)
    if formats := cleaned_data.get("formats"):
        missions = missions.filter(format__in=formats)
    if starts_after := cleaned_data.get("starts_after"):
        missions = missions.filter(start_date__gte=starts_after)
    if ends_before := cleaned_data.get("ends_before"):
        missions = missions.filter(end_date__lte=ends_before)
    if duration := cleaned_data.get("duration"):
        shortest, longest = DURATION_DAYS[duration]
        missions = missions.filter(start_date__isnull=False, end_date__isnull=False)
        if shortest is not None:
            missions = missions.filter(end_date__gte=_end_after_start(shortest))
        if longest is not None:
            missions = missions.filter(end_date__lte=_end_after_start(longest))
    if (hours := cleaned_data.get("max_hours_per_week")) is not None:
        missions = missions.filter(hours_per_week__lte=hours)
    if text := (cleaned_data.get("q") or "").strip():
        missions = _matching_text(missions, text)
    return missions


# --- Saved searches ------------------------------------------------------------------


@transaction.atomic
def saved_search_create(*, actor: "User", name: str, params: dict[str, list[str]]) -> SavedSearch:
    """Keep a search under a name, for its owner only."""
    require(
        actor is not None and actor.is_authenticated,
        _("Connectez-vous pour enregistrer une recherche."),
    )
    form = MissionSearchForm(_as_querydict(params))
    if not form.is_valid():
        raise ValidationError(_("Cette recherche contient des critères invalides."), code="invalid")
    if not form.has_filters():
        raise ValidationError(
            _("Choisissez au moins un critère avant d'enregistrer la recherche."), code="empty"
        )
    if SavedSearch.objects.filter(user=actor).count() >= SavedSearch.MAX_PER_USER:
        raise ValidationError(
            _("Vous avez déjà %(count)s recherches enregistrées : supprimez-en une d'abord.")
            % {"count": SavedSearch.MAX_PER_USER},
            code="too_many",
        )
    return SavedSearch.objects.create(user=actor, name=name.strip(), params=form.params())


@transaction.atomic
def saved_search_delete(*, actor: "User", saved_search_id: int) -> None:
    """Delete one of the actor's saved searches; anyone else's is not found."""
    deleted, _counts = SavedSearch.objects.filter(pk=saved_search_id, user=actor).delete()
    if not deleted:
        raise SavedSearch.DoesNotExist


def saved_searches_for(user: "Actor") -> QuerySet[SavedSearch]:
    return (
        SavedSearch.objects.filter(user=user)
        if user.is_authenticated
        else SavedSearch.objects.none()
    )


def _as_querydict(params: dict[str, list[str]]) -> "QueryDict":
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, [str(value) for value in values])
    return query


def saved_search_form(
    saved_search: SavedSearch, choices_cache: dict[str, Any] | None = None
) -> MissionSearchForm:
    return MissionSearchForm(_as_querydict(saved_search.params), choices_cache=choices_cache)


def saved_searches_alert(*, mission_id: int) -> int:
    """Tell the owner of each saved search a newly published mission matches it, once
    per search and mission however often this runs; returns how many were told."""
    mission = Mission.objects.filter(pk=mission_id).select_related("association").first()
    if mission is None or not mission.is_open_for_applications():
        return 0
    told = 0
    choices = MissionSearchForm.load_choices()
    searches = (
        SavedSearch.objects.filter(user__is_active=True)
        .exclude(matches__mission_id=mission_id)
        .select_related("user")
    )
    for saved_search in searches.iterator():
        form = saved_search_form(saved_search, choices)
        if (
            not form.is_valid()
            or not search_missions(form.cleaned_data).filter(pk=mission_id).exists()
        ):
            continue
        with transaction.atomic():
            _match, created = SavedSearchMatch.objects.get_or_create(
                saved_search=saved_search, mission=mission
            )
            if created:
                notify(
                    saved_search.user,
                    Notification.Kind.SAVED_SEARCH_MATCH,
                    target=mission,
                    url=mission.get_absolute_url(),
                    context={
                        "saved_search": saved_search.name,
                        "saved_search_id": saved_search.pk,
                        "mission": mission.title,
                        "association": mission.association.name,
                    },
                )
                told += 1
    return told
