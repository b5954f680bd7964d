"""The one way dates reach a calendar: iCalendar (RFC 5545) files and feeds.

Each app says what it puts on a calendar as :class:`CalendarEvent` rows (missions and
engagements in ``missions``, programmes and hours deadlines in ``companies``); this module
alone writes them out with the ``icalendar`` library, which escapes every text. What
calendar software needs to follow changes is decided here once:

- a stable ``UID`` per thing (``mission-12-period@host``), so that a new download or the
  next poll of a feed updates the event instead of adding a second one;
- ``SEQUENCE`` and ``LAST-MODIFIED`` from the row's modification time, so that an edit wins
  over the copy a client holds; ``DTSTAMP`` is that time too, so the same data always gives
  the same file;
- ``STATUS:CANCELLED`` for what was called off, rather than a silent disappearance;
- whole days as ``VALUE=DATE`` (the end exclusive, as the RFC wants), transparent so that a
  three-month mission does not mark the person busy all quarter; times of day in
  Europe/Paris, with its ``VTIMEZONE``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from icalendar import Calendar, Event, Timezone

from .documents import CONTROL_CHARACTERS, clean
from .links import site_host

PARIS = "Europe/Paris"
PRODID = "-//probono//Agenda//FR"
# SEQUENCE counts seconds of modification since this day: it grows with every edit and
# stays far below the 32-bit limit some clients keep it in.
SEQUENCE_EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
# How often subscribed clients are asked to poll (Outlook reads the X- property).
REFRESH = datetime.timedelta(hours=4)
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarEvent:
    """One thing on a calendar.

    ``start`` and ``end`` are both dates (whole days, ``end`` the last day, included) or
    both datetimes (``end`` excluded); naive datetimes are Paris time. ``uid`` is unique
    across the site and never changes for the same thing; ``modified`` is when the data
    it shows last changed (aware)."""

    uid: str
    summary: str
    start: datetime.date
    modified: datetime.datetime
    end: datetime.date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False

    @property
    def sequence(self) -> int:
        return max(0, int((self.modified - SEQUENCE_EPOCH).total_seconds()))


def webcal_url(url: str) -> str:
    """The ``webcal://`` form of an http(s) feed URL, which calendar apps open to subscribe."""
    return "webcal://" + url.split("://", 1)[1]


def _text(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def _moment(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=ZoneInfo(PARIS))
        return value.astimezone(ZoneInfo(PARIS))
    return value


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _vevent(item: CalendarEvent, host: str) -> Event:
    event = Event()
    event.add("uid", f"{item.uid}@{host}")
    event.add("dtstamp", _utc(item.modified))
    event.add("last-modified", _utc(item.modified))
    event.add("sequence", item.sequence)
    event.add("summary", _text(item.summary))
    start = _moment(item.start)
    event.add("dtstart", start)
    if isinstance(start, datetime.datetime):
        if item.end is not None:
            event.add("dtend", _moment(item.end))
        event.add("transp", "OPAQUE")
    else:
        last_day = item.end if item.end is not None and item.end >= start else start
        event.add("dtend", last_day + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    if item.description:
        event.add("description", _text(item.description))
    if item.location:
        event.add("location", _text(item.location))
    if item.url:
        event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def build_calendar(events: Iterable[CalendarEvent], *, name: str) -> bytes:
    """An iCalendar file holding ``events`` (in a stable order), named ``name``."""
    items = sorted(events, key=lambda item: item.uid)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Calendar properties outside a component are not all escaped: one line of text.
    calendar.add("name", clean(name))
    calendar.add("x-wr-calname", clean(name))
    calendar.add("x-wr-timezone", PARIS)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    days = [item.start for item in items] + [item.end for item in items if item.end]
    first = min(days, default=datetime.date.today())
    last = max(days, default=first)
    calendar.add_component(
        Timezone.from_tzid(
            PARIS,
            first_date=datetime.date(_day(first).year - 1, 1, 1),
            last_date=datetime.date(_day(last).year + 2, 1, 1),
        )
    )
    host = site_host()
    for item in items:
        calendar.add_component(_vevent(item, host))
    content: bytes = calendar.to_ical()
    return content


def _day(value: datetime.date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def calendar_response(
    events: Iterable[CalendarEvent], *, name: str, filename: str | None = None
) -> HttpResponse:
    """An ``.ics`` answer: a download when ``filename`` is given, else a feed to subscribe
    to (personal: never stored by shared caches)."""
    response = HttpResponse(build_calendar(events, name=name), content_type=CONTENT_TYPE)
    if filename is not None:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
