"""The volunteer's suggestions page (« Missions pour vous »), in the ``volunteers``
namespace: only matching knows the suggestions."""

from django.shortcuts import render

from missions.models import Mission
from missions.selectors import with_taken_seats
from volunteers.models import VolunteerProfile
from volunteers.services import missing_for_matching
from volunteers.views import volunteer_required

from .selectors import volunteer_suggestions

SHOWN_SUGGESTIONS = 50


def suggestions_for(profile: VolunteerProfile):
    """The mission suggestions of ``profile``, by rank, on missions still open."""
    return volunteer_suggestions(
        profile, Mission.objects.select_related("association", "cause", "departement")
    )


@volunteer_required
def suggestions(request, profile):
    found = list(suggestions_for(profile)[:SHOWN_SUGGESTIONS])
    with_taken_seats([suggestion.mission for suggestion in found])
    return render(
        request,
        "volunteers/suggestions.html",
        {
            "suggestions": found,
            "missing": missing_for_matching(profile),
        },
    )
