"""Platform figures for staff, each defined so that it can be recomputed by hand.

- associations by département and verification state; missions by state;
- time to first candidate (``missions.figures.time_to_first_candidate``): among
  missions published at least 14 days ago, the share whose first application came
  within 14 days of publication, and the median days to the first one;
- completion rate: among missions that ended (completed, cancelled or expired), the
  share completed;
- matching acceptance: applications made from a suggestion, over those plus the
  suggestions offered to volunteers (the pairs of their lists as last computed: an
  applied pair leaves a list when it is next computed, at the latest each night).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from associations.models import Association
from matching.models import SuggestionList
from missions.figures import FIRST_CANDIDATE_WINDOW, time_to_first_candidate
from missions.models import Application, Mission

WINDOW = FIRST_CANDIDATE_WINDOW


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(Decimal("0.0001")) if whole else None


def platform_figures(*, today: datetime.date) -> dict:
    states = dict(Association.State.choices)
    by_departement: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for code, name, state, n in (
        Association.objects.values("departement__code", "departement__name", "verification_state")
        .annotate(n=Count("pk"))
        .values_list("departement__code", "departement__name", "verification_state", "n")
    ):
        by_departement[(code or "—", name or "")][state] = n
    associations = [
        {
            "code": code,
            "name": name,
            "counts": [counts.get(state, 0) for state in states],
            "total": sum(counts.values()),
        }
        for (code, name), counts in sorted(by_departement.items())
    ]
    mission_states = dict(
        Mission.objects.values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    missions = [(label, mission_states.get(value, 0)) for value, label in Mission.State.choices]

    first_candidate = time_to_first_candidate(today=today)
    ended = sum(
        mission_states.get(s, 0)
        for s in (Mission.State.COMPLETED, Mission.State.CANCELLED, Mission.State.EXPIRED)
    )
    from_suggestions = Application.objects.filter(origin=Application.Origin.SUGGESTED).count()
    offered = (
        SuggestionList.objects.filter(volunteer__isnull=False).aggregate(n=Sum("size"))["n"] or 0
    )
    return {
        "association_states": list(states.values()),
        "associations": associations,
        "missions": missions,
        "published_long_enough": first_candidate.published,
        "answered_within_window": first_candidate.within_window,
        "answered_share": first_candidate.share_within_window,
        "with_candidate": first_candidate.with_candidate,
        "median_days_to_first": first_candidate.median_days,
        "ended": ended,
        "completed": mission_states.get(Mission.State.COMPLETED, 0),
        "completion_rate": _share(mission_states.get(Mission.State.COMPLETED, 0), ended),
        "from_suggestions": from_suggestions,
        "suggestions_offered": offered,
        "acceptance_rate": _share(from_suggestions, from_suggestions + offered),
    }
