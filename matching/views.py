"""The volunteer's suggestions page (« Missions pour vous »), in the ``volunteers``
namespace: only matching knows the suggestions."""

from typing import cast

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from missions.models import Mission
from missions.selectors import with_taken_seats
from volunteers.completion import profile_completion
from volunteers.models import VolunteerProfile
from volunteers.views import volunteer_required

from .selectors import SuggestedPair, volunteer_list_is_current, volunteer_suggestions

SHOWN_SUGGESTIONS = 50
SUGGESTIONS_PER_PAGE = 20


def suggestions_for(profile: VolunteerProfile) -> list[SuggestedPair]:
    """The mission suggestions of ``profile``, by rank, on missions still open."""
    return volunteer_suggestions(
        profile, Mission.objects.select_related("association", "cause", "departement")
    )


@volunteer_required
def suggestions(request: HttpRequest, profile: VolunteerProfile) -> HttpResponse:
    found = list(suggestions_for(profile)[:SHOWN_SUGGESTIONS])
    page = Paginator(found, SUGGESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    # volunteer_suggestions set each pair's mission.
    with_taken_seats([cast(Mission, suggestion.mission) for suggestion in page])
    return render(
        request,
        "volunteers/suggestions.html",
        {
            "suggestions": page.object_list,
            "page": page,
            "computing": not found and not volunteer_list_is_current(profile),
            "completion": profile_completion(profile),
        },
    )
