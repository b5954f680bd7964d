"""Read-only queries of the volunteer's own profile.

Engagements and favourite missions are read in ``missions.selectors``, suggestions in
``matching``: both sit above this app.
"""

from matching.selectors import volunteer_suggestions
from missions.models import Mission

from .models import VolunteerProfile


def profile_for(user) -> VolunteerProfile | None:
    if not user.is_authenticated:
        return None
    return VolunteerProfile.objects.select_related("employer").filter(user=user).first()


def suggestions_for(profile: VolunteerProfile):
    """The mission suggestions of ``profile``, by rank, on missions still open."""
    return volunteer_suggestions(
        profile, Mission.objects.select_related("association", "cause", "departement")
    )
