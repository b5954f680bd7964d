import datetime

from icalendar import Calendar

from core.calendars import CalendarEvent, build_calendar, webcal_url

MODIFIED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def parse(events, name="Agenda"):
    return Calendar.from_ical(build_calendar(events, name=name))


def test_whole_days_end_the_day_after_and_leave_the_person_free():
    event = CalendarEvent(
        uid="mission-1",
        summary="Mission",
        start=datetime.date(2026, 4, 1),
        end=datetime.date(2026, 6, 30),
        modified=MODIFIED,
    )
    (vevent,) = parse([event]).walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime.date(2026, 4, 1)
    assert vevent.decoded("dtend") == datetime.date(2026, 7, 1)
    assert str(vevent["transp"]) == "TRANSPARENT"
    assert str(vevent["uid"]) == "mission-1@127.0.0.1"


def test_times_of_day_are_paris_time_with_its_timezone():
    event = CalendarEvent(
        uid="workshop-1",
        summary="Atelier",
        start=datetime.datetime(2026, 7, 2, 18, 0),
        end=datetime.datetime(2026, 7, 2, 20, 0),
        modified=MODIFIED,
    )
    calendar = parse([event])
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Europe/Paris"
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["dtstart"].params["TZID"] == "Europe/Paris"
    start = vevent.decoded("dtstart")
    assert start.utcoffset() == datetime.timedelta(hours=2)  # summer time
    assert start.astimezone(datetime.UTC).hour == 16


def test_an_edit_raises_the_sequence_and_the_last_modified_date():
    before = CalendarEvent(uid="e", summary="A", start=datetime.date(2026, 1, 5), modified=MODIFIED)
    after = CalendarEvent(
        uid="e",
        summary="B",
        start=datetime.date(2026, 1, 6),
        modified=MODIFIED + datetime.timedelta(minutes=1),
    )
    (old,) = parse([before]).walk("VEVENT")
    (new,) = parse([after]).walk("VEVENT")
    assert int(new["sequence"]) > int(old["sequence"]) >= 0
    assert new.decoded("last-modified") > old.decoded("last-modified")
    assert str(new["uid"]) == str(old["uid"])


def test_cancelled_events_say_so():
    event = CalendarEvent(
        uid="e", summary="A", start=datetime.date(2026, 1, 5), modified=MODIFIED, cancelled=True
    )
    (vevent,) = parse([event]).walk("VEVENT")
    assert str(vevent["status"]) == "CANCELLED"


def test_text_is_escaped_and_control_characters_dropped():
    event = CalendarEvent(
        uid="e",
        summary="Réunion; bilan, suite\nBEGIN:VEVENT\x07",
        start=datetime.date(2026, 1, 5),
        modified=MODIFIED,
        description="Ligne 1\nLigne 2",
    )
    calendar = parse([event], name="Mon agenda\nX-INJECTED:1")
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Réunion; bilan, suite\nBEGIN:VEVENT"
    assert len(calendar.walk("VEVENT")) == 1
    assert "X-INJECTED" not in calendar


def test_the_same_data_gives_the_same_file():
    event = CalendarEvent(uid="e", summary="A", start=datetime.date(2026, 1, 5), modified=MODIFIED)
    assert build_calendar([event], name="A") == build_calendar([event], name="A")


def test_webcal_form_of_a_feed_address():
    assert webcal_url("https://probono.example.org/agenda/x.ics") == (
        "webcal://probono.example.org/agenda/x.ics"
    )
