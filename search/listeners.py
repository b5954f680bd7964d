from core.events import on_action

from .services import saved_searches_alert


@on_action("mission.publish")
def alert_saved_searches(entry) -> None:
    saved_searches_alert(mission_id=entry.object_id)
