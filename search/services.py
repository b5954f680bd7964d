"""Saved searches: kept under a name, and their owners told of new missions that
match them (through :mod:`search.selectors`, as the search page finds them)."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.permissions import Actor, require
from missions.models import Mission
from notifications.models import Notification
from notifications.services import notify

from .forms import MissionSearchForm
from .models import SavedSearch, SavedSearchMatch
from .selectors import MissionSearch

if TYPE_CHECKING:
    from django.http import QueryDict

    from accounts.models import User
    from taxonomy.selectors import ReferenceLists


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
    saved_search: SavedSearch, references: "ReferenceLists | None" = None
) -> MissionSearchForm:
    return MissionSearchForm(_as_querydict(saved_search.params), references=references)


def saved_searches_alert(*, mission_id: int) -> int:
    """Tell the owner of each saved search a newly published mission matches it, once
    per search and mission however often this runs; returns how many were told."""
    mission = Mission.objects.filter(pk=mission_id).select_related("association").first()
    if mission is None or not mission.is_open_for_applications():
        return 0
    told = 0
    searches = (
        SavedSearch.objects.filter(user__is_active=True)
        .exclude(matches__mission_id=mission_id)
        .select_related("user")
    )
    for saved_search in searches.iterator():
        form = saved_search_form(saved_search)
        if (
            not form.is_valid()
            or not MissionSearch(form.criteria()).matching().filter(mission_id=mission_id).exists()
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
