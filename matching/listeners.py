"""What makes suggestions stale, heard from the audit log (``core.events``).

Missions and volunteers sit on lower floors and never call the matching service: they
log what happened, and these listeners ask for a refresh (coalesced, see ``tasks``)."""

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.events import on_action
from core.models import ActionLog, log_action
from missions.models import Application
from taxonomy.models import Cause, Departement, Skill

from .current import MISSION_CHANGES, SEAT_CHANGES, VOLUNTEER_CHANGES
from .tasks import request_mission_refresh, request_volunteer_refresh

# A mission's list changes when it opens, when staff change it, and when it closes
# (its list is then dropped by the refresh, and it leaves the volunteers' lists).
MISSION_ACTIONS = MISSION_CHANGES


@on_action(*MISSION_ACTIONS)
def refresh_mission_suggestions(entry: ActionLog) -> None:
    request_mission_refresh(entry.object_id)


@on_action(*VOLUNTEER_CHANGES)
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


@on_action(*(action for action in SEAT_CHANGES if action != "application.create"))
def refresh_after_a_seat_taken_or_freed(entry: ActionLog) -> None:
    """A mission whose last seat is taken leaves every volunteer's list; one whose seat
    is freed comes back (the refresh of the mission does both)."""
    mission_id = (
        Application.objects.filter(pk=entry.object_id).values_list("mission_id", flat=True).first()
    )
    if mission_id is not None:
        request_mission_refresh(mission_id)


# --- The taxonomy: every process's arrays are loaded again ---------------------------------


def _taxonomy_changed(sender: type, instance: Model, **kwargs: Any) -> None:
    """A skill, its relations, a cause or a département added, changed or removed (in
    the admin, by a data load): logged, so that every process loads its arrays again
    (``current.RELOADING_CHANGES``); the lists follow at the next recompute."""
    if kwargs.get("raw") or kwargs.get("action", "post_add") not in TAXONOMY_M2M_ACTIONS:
        return
    log_action(instance, "taxonomy.change", data={"model": instance._meta.model_name})


TAXONOMY_M2M_ACTIONS = ("post_add", "post_remove", "post_clear")
for model in (Skill, Cause, Departement):
    post_save.connect(_taxonomy_changed, sender=model, dispatch_uid=f"matching-{model.__name__}")
    post_delete.connect(
        _taxonomy_changed, sender=model, dispatch_uid=f"matching-del-{model.__name__}"
    )
m2m_changed.connect(
    _taxonomy_changed, sender=Skill.related.through, dispatch_uid="matching-skill-related"
)
