"""The figures about missions shown to people (``missions/figures.py``): against values
computed by hand, and their invariants over generated data (no negative duration, the
attestation's hours are the sum of the validated hours)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missions import figures
from missions.attestation import attestation_facts, render_attestation
from missions.models import Application, HoursEntry, Mission
from tests import factories

pytestmark = pytest.mark.django_db

DB_EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE = timezone.make_aware(datetime.datetime(2025, 3, 1, 9))
offsets = st.integers(min_value=-60 * 86400, max_value=60 * 86400)  # seconds


def _dated(mission, *, created, decided=None) -> Application:
    application = factories.ApplicationFactory(mission=mission)
    Application.objects.filter(pk=application.pk).update(created_at=created, decided_at=decided)
    return application


# --- durations --------------------------------------------------------------------------


@given(st.lists(st.tuples(offsets, st.one_of(st.none(), offsets)), max_size=30))
def test_the_median_is_over_positive_durations_only(pairs):
    dated = [
        (
            BASE + datetime.timedelta(seconds=a),
            None if b is None else BASE + datetime.timedelta(seconds=b),
        )
        for a, b in pairs
    ]
    median, count = figures.median_positive_days(dated)
    positive = [(b - a).total_seconds() / 86400 for a, b in dated if b is not None and b > a]
    assert count == len(positive)
    if positive:
        assert median is not None and median > 0
        assert min(positive) <= median <= max(positive)
    else:
        assert median is None


@given(offsets, offsets)
def test_a_duration_is_positive_or_absent(a, b):
    start, end = BASE + datetime.timedelta(seconds=a), BASE + datetime.timedelta(seconds=b)
    days = figures.positive_days(start, end)
    assert (days is None) == (end <= start)
    assert days is None or days > 0


# --- responsiveness ---------------------------------------------------------------------


def test_answers_stamped_before_their_application_are_left_out(association, settings):
    """The demo's fault: applications stamped today, answered weeks ago. Such answers
    still count as answered, never in the median."""
    settings.RESPONSIVENESS_MIN_ANSWERED = 2
    mission = factories.MissionFactory(association=association, seats=10)
    now = timezone.now()
    _dated(
        mission, created=now - datetime.timedelta(days=10), decided=now - datetime.timedelta(days=7)
    )
    _dated(
        mission, created=now - datetime.timedelta(days=6), decided=now - datetime.timedelta(days=1)
    )
    _dated(mission, created=now, decided=now - datetime.timedelta(days=30))  # impossible
    responsiveness = figures.association_responsiveness(association)
    assert (responsiveness.received, responsiveness.answered, responsiveness.timed) == (3, 3, 2)
    assert responsiveness.median_days == pytest.approx(4)  # median of 3 and 5 days
    assert responsiveness.enough_data


@DB_EXAMPLES
@given(
    st.lists(
        st.tuples(
            st.integers(0, 300 * 86400),  # received this many seconds ago
            st.one_of(st.none(), st.integers(-40 * 86400, 40 * 86400)),  # answered after
        ),
        max_size=12,
    ),
    st.integers(1, 6),
)
def test_responsiveness_is_never_negative_and_shown_only_above_the_minimum(
    association, settings, rows, minimum
):
    settings.RESPONSIVENESS_MIN_ANSWERED = minimum
    now = timezone.now()
    with transaction.atomic():
        mission = factories.MissionFactory(association=association, seats=20)
        for ago, after in rows:
            created = now - datetime.timedelta(seconds=ago)
            decided = None if after is None else created + datetime.timedelta(seconds=after)
            _dated(mission, created=created, decided=decided)
        responsiveness = figures.association_responsiveness(association, now=now)
        transaction.set_rollback(True)
    timed = sum(1 for _ago, after in rows if after is not None and after > 0)
    assert responsiveness.received == len(rows)
    assert responsiveness.timed == timed
    assert responsiveness.enough_data == (timed >= minimum)
    assert 0 <= responsiveness.answered_percent <= 100
    if responsiveness.median_days is not None:
        assert responsiveness.median_days > 0


def test_the_public_page_shows_no_impossible_delay(client, association, settings):
    settings.RESPONSIVENESS_MIN_ANSWERED = 2
    mission = factories.MissionFactory(association=association, seats=10)
    now = timezone.now()
    for _ in range(3):
        _dated(mission, created=now, decided=now - datetime.timedelta(days=30))
    page = client.get(association.get_absolute_url()).content.decode()
    assert not re.search(r"en -\d", page)  # "répond en -30 jours"; slugs may end in -30
    assert "Pas encore assez de candidatures" in page
    for days in (2, 4):
        _dated(
            mission,
            created=now - datetime.timedelta(days=days + 1),
            decided=now - datetime.timedelta(days=1),
        )
    page = client.get(association.get_absolute_url()).content.decode()
    assert "en 3 jours (médiane)" in page


# --- time to first candidate ------------------------------------------------------------


def test_time_to_first_candidate_by_hand(db):
    """Four missions published 30 days ago: a first candidate after 2 days, after 20
    days, one only before its publication (left out: no candidate), none."""
    now = timezone.now()
    published = now - datetime.timedelta(days=30)
    quick, slow, early, _none = (factories.MissionFactory(published_at=published) for _ in range(4))
    factories.MissionFactory(published_at=now - datetime.timedelta(days=3))  # too recent
    _dated(quick, created=published + datetime.timedelta(days=2))
    _dated(quick, created=published + datetime.timedelta(days=9))
    _dated(slow, created=published + datetime.timedelta(days=20))
    _dated(early, created=published - datetime.timedelta(days=5))
    first = figures.time_to_first_candidate(today=timezone.localdate())
    assert first.published == 4
    assert first.with_candidate == 2
    assert first.within_window == 1
    assert first.share_within_window == Decimal("0.25")
    assert first.median_days == Decimal("11.0")  # median of 2 and 20 days


@DB_EXAMPLES
@given(st.lists(st.lists(st.integers(-20 * 86400, 60 * 86400), max_size=4), min_size=1, max_size=6))
def test_time_to_first_candidate_is_never_negative(db, missions):
    now = timezone.now()
    published = now - datetime.timedelta(days=90)
    with transaction.atomic():
        for offsets_of_mission in missions:
            mission = factories.MissionFactory(published_at=published)
            for offset in offsets_of_mission:
                _dated(mission, created=published + datetime.timedelta(seconds=offset))
        first = figures.time_to_first_candidate(today=timezone.localdate())
        transaction.set_rollback(True)
    assert first.published == len(missions)
    assert first.within_window <= first.with_candidate <= first.published
    assert first.with_candidate == sum(1 for m in missions if any(o > 0 for o in m))
    if first.median_days is not None:
        assert first.median_days >= 0  # rounded to a tenth of a day: a quick one shows 0.0
    if first.share_within_window is not None:
        assert 0 <= first.share_within_window <= 1


# --- the attestation ---------------------------------------------------------------------


@pytest.fixture
def engagement(mission, volunteer):
    mission.state = Mission.State.COMPLETED
    mission.start_date = datetime.date(2025, 1, 6)
    mission.end_date = datetime.date(2025, 6, 27)
    mission.save()
    return factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.COMPLETED
    )


def test_the_attestation_states_the_days_and_hours_actually_given(engagement):
    for day, hours, state in (
        (datetime.date(2025, 2, 3), "3", HoursEntry.State.VALIDATED),
        (datetime.date(2025, 3, 17), "2.5", HoursEntry.State.VALIDATED),
        (datetime.date(2025, 1, 10), "4", HoursEntry.State.REJECTED),
        (datetime.date(2025, 4, 1), "1", HoursEntry.State.SUBMITTED),
    ):
        HoursEntry.objects.create(
            application=engagement, date=day, hours=Decimal(hours), state=state
        )
    facts = attestation_facts(engagement)
    assert (facts["start"], facts["end"]) == (datetime.date(2025, 2, 3), datetime.date(2025, 3, 17))
    assert facts["hours"] == Decimal("5.5")
    with translation.override("fr"):
        pdf = render_attestation(engagement, compress=False)
    assert b"3 f\\351vrier 2025" in pdf and b"17 mars 2025" in pdf
    assert b"6 janvier 2025" not in pdf  # the planned start


def test_an_attestation_without_validated_hours_states_no_period(engagement):
    facts = attestation_facts(engagement)
    assert (facts["start"], facts["end"], facts["hours"]) == (None, None, 0)
    assert render_attestation(engagement).startswith(b"%PDF")


def test_the_volunteer_downloads_an_attestation_without_hours(client, volunteer, engagement):
    client.force_login(volunteer.user)
    response = client.get(reverse("volunteers:attestation", args=[engagement.pk]))
    assert response.status_code == 200


@DB_EXAMPLES
@given(
    st.lists(
        st.tuples(
            st.integers(0, 364),
            st.integers(1, 48).map(lambda quarters: Decimal(quarters) / 4),
            st.sampled_from(list(HoursEntry.State)),
        ),
        max_size=15,
    )
)
def test_the_attestation_hours_are_the_sum_of_the_validated_hours(engagement, entries):
    with transaction.atomic():
        for day, hours, state in entries:
            HoursEntry.objects.create(
                application=engagement,
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
                hours=hours,
                state=state,
            )
        facts = attestation_facts(engagement)
        transaction.set_rollback(True)
    validated = [
        (day, hours) for day, hours, state in entries if state == HoursEntry.State.VALIDATED
    ]
    assert facts["hours"] == sum((hours for _day, hours in validated), Decimal(0))
    if validated:
        days = [datetime.date(2025, 1, 1) + datetime.timedelta(days=d) for d, _h in validated]
        assert (facts["start"], facts["end"]) == (min(days), max(days))
        assert facts["start"] <= facts["end"]
    else:
        assert facts["start"] is None and facts["end"] is None
