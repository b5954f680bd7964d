"""What missions put on a calendar: a mission's dates and application deadline, and a
volunteer's engagements (see :mod:`core.calendars` for how they are written out).

Texts are worded in the active language: the request's for a download, the person's own
for their feed."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.calendars import CalendarEvent
from core.links import absolute_url
from core.permissions import Actor

from . import access
from .models import Application, Mission

# Engagements that reached a seat: they are on the volunteer's calendar. Those given up
# after being accepted stay there, cancelled, so subscribed calendars remove them.
ENGAGED_STATES = (
    Application.State.ACCEPTED,
    Application.State.ACTIVE,
    Application.State.COMPLETED,
)
CALLED_OFF_STATES = (Application.State.WITHDRAWN, Application.State.ABANDONED)
# States in which a mission's dates mean something to its association.
CALENDAR_MISSION_STATES = (*Mission.PUBLIC_STATES, Mission.State.CANCELLED)
# A person's feed leaves out what ended longer ago than this.
FEED_HISTORY = datetime.timedelta(days=365)


def mission_place(mission: Mission) -> str:
    if mission.is_remote:
        return _("À distance")
    parts = [mission.address, " ".join(p for p in (mission.postcode, mission.city) if p)]
    return ", ".join(part for part in parts if part)


def _mission_is_off(mission: Mission) -> bool:
    return mission.state in (Mission.State.CANCELLED, Mission.State.EXPIRED)


def mission_events(mission: Mission) -> list[CalendarEvent]:
    """The mission's period (when it has a start date) and its application deadline.
    ``mission.association`` is read."""
    events = []
    url = absolute_url(mission.get_absolute_url())
    off = _mission_is_off(mission)
    if mission.start_date is not None:
        description = [mission.summary]
        description.append(_("Charge totale : %(hours)s h.") % {"hours": mission.effort_hours})
        if mission.hours_per_week:
            description.append(
                _("Rythme : %(hours)s h par semaine.")
                % {"hours": number_format(mission.hours_per_week.normalize())}
            )
        events.append(
            CalendarEvent(
                uid=f"mission-{mission.pk}",
                summary=_("Mission : %(title)s (%(association)s)")
                % {"title": mission.title, "association": mission.association.name},
                start=mission.start_date,
                end=mission.end_date,
                modified=mission.updated_at,
                description="\n".join(description),
                location=mission_place(mission),
                url=url,
                cancelled=off,
            )
        )
    if mission.application_deadline is not None:
        events.append(
            CalendarEvent(
                uid=f"mission-{mission.pk}-deadline",
                summary=_("Date limite de candidature : %(title)s") % {"title": mission.title},
                start=mission.application_deadline,
                modified=mission.updated_at,
                description=mission.summary,
                url=url,
                cancelled=off,
            )
        )
    return events


def engagement_event(application: Application) -> CalendarEvent | None:
    """The volunteer's engagement, from its first day to the mission's end; None when it
    has no day yet (a mission without dates, not yet accepted). ``application.mission``
    and its association are read."""
    mission = application.mission
    start = application.engagement_start
    if start is None:
        return None
    end = mission.end_date if mission.end_date and mission.end_date >= start else None
    description = [mission.summary]
    if application.planned_hours:
        description.append(
            _("Heures prévues : %(hours)s h.") % {"hours": application.planned_hours}
        )
    else:
        description.append(_("Charge totale : %(hours)s h.") % {"hours": mission.effort_hours})
    if mission.hours_per_week:
        hours = number_format(Decimal(mission.hours_per_week).normalize())
        description.append(_("Rythme : %(hours)s h par semaine.") % {"hours": hours})
    description.append(
        _("Sur le temps de travail (mécénat de compétences).")
        if application.is_work_time
        else _("Sur le temps personnel.")
    )
    description.append(
        _("Vos engagements : %(url)s") % {"url": absolute_url(reverse("volunteers:engagements"))}
    )
    summary = (
        _("Engagement : %(title)s (%(association)s)")
        if end is not None or mission.end_date is not None
        else _("Début de l'engagement : %(title)s (%(association)s)")
    )
    return CalendarEvent(
        uid=f"engagement-{application.pk}",
        summary=summary % {"title": mission.title, "association": mission.association.name},
        start=start,
        end=end,
        modified=max(application.updated_at, mission.updated_at),
        description="\n".join(description),
        location=mission_place(mission),
        url=absolute_url(mission.get_absolute_url()),
        cancelled=application.state in CALLED_OFF_STATES or _mission_is_off(mission),
    )


def _recent(prefix: str, today: datetime.date) -> Q:
    since = today - FEED_HISTORY
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": since})


def engagements_on_calendar(user: Actor) -> QuerySet[Application]:
    """The person's own engagements that belong on their calendar: accepted or beyond,
    and those called off after being accepted (shown cancelled)."""
    if not user.is_authenticated:
        return Application.objects.none()
    called_off = Q(state__in=CALLED_OFF_STATES, decided_at__isnull=False)
    return Application.objects.filter(volunteer__user=user).filter(
        Q(state__in=ENGAGED_STATES) | called_off
    )


def events_for_user(user: Actor, *, today: datetime.date) -> list[CalendarEvent]:
    """Everything of missions on ``user``'s own calendar: their engagements, and the
    dates of their associations' missions. Two queries."""
    events: list[CalendarEvent] = []
    applications = (
        engagements_on_calendar(user)
        .filter(_recent("mission__", today))
        .select_related("mission__association")
        .order_by("pk")
    )
    for application in applications:
        if (event := engagement_event(application)) is not None:
            events.append(event)
    missions = (
        access.manageable_by(user)
        .filter(state__in=CALENDAR_MISSION_STATES)
        .filter(_recent("", today))
        .select_related("association")
        .order_by("pk")
    )
    for mission in missions:
        events.extend(mission_events(mission))
    return events


def missions_events(missions: Iterable[Mission]) -> list[CalendarEvent]:
    return [event for mission in missions for event in mission_events(mission)]
