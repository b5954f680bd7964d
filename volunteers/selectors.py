"""Read-only queries of the volunteer's own profile.

Engagements and favourite missions are read in ``missions.selectors``, suggestions in
``matching``: both sit above this app.
"""

from core.permissions import Actor

from .models import VolunteerProfile


def profile_for(user: "Actor") -> VolunteerProfile | None:
    if not user.is_authenticated:
        return None
    return VolunteerProfile.objects.select_related("employer").filter(user=user).first()
