"""What makes suggestions stale, heard from the audit log (``core.events``).

Missions and volunteers sit on lower floors and never call the matching service: they
log what happened, and these listeners ask for a refresh (coalesced, see ``tasks``)."""

from core.events import on_action
from core.models import ActionLog
from missions.models import Application

from .tasks import request_mission_refresh, request_volunteer_refresh

# A mission's list changes when it opens, when staff change it, and when it closes
# (its list is then dropped by the refresh).
MISSION_ACTIONS = (
    "mission.publish",
    "mission.change",
    "mission.start",
    "mission.complete",
    "mission.cancel",
    "mission.expire",
)


@on_action(*MISSION_ACTIONS)
def refresh_mission_suggestions(entry: ActionLog) -> None:
    request_mission_refresh(entry.object_id)


@on_action("volunteerprofile.save", "volunteerprofile.change")
def refresh_volunteer_suggestions(entry: ActionLog) -> None:
    request_volunteer_refresh(entry.object_id)


@on_action("application.create")
def refresh_after_an_application(entry: ActionLog) -> None:
    """The volunteer's list gets a mission in place of the one applied to, and the
    mission's fairness (nobody yet) changed."""
    pair = (
        Application.objects.filter(pk=entry.object_id)
        .values_list("volunteer_id", "mission_id")
        .first()
    )
    if pair is None:
        return
    volunteer_id, mission_id = pair
    request_volunteer_refresh(volunteer_id)
    request_mission_refresh(mission_id)
