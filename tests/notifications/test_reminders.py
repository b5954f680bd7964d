import datetime

import pytest
from django.core import mail
from django.utils import timezone

from missions.models import Application, Mission
from notifications.models import Notification
from notifications.tasks import remind_missions_starting, remind_stale_applications
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def recipients(kind) -> list:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


@pytest.fixture
def starting_tomorrow(mission):
    mission.start_date = timezone.localdate() + datetime.timedelta(days=1)
    mission.save(update_fields=["start_date"])
    return mission


def test_the_day_before_a_mission_starts_its_volunteers_and_association_are_reminded(
    starting_tomorrow, owner, colleague, run_on_commit
):
    accepted = factories.ApplicationFactory(
        mission=starting_tomorrow, state=Application.State.ACCEPTED
    )
    factories.ApplicationFactory(mission=starting_tomorrow, state=Application.State.APPLIED)
    factories.ApplicationFactory(mission=starting_tomorrow, state=Application.State.DECLINED)
    other = factories.MissionFactory(start_date=timezone.localdate() + datetime.timedelta(days=2))
    factories.ApplicationFactory(mission=other, state=Application.State.ACCEPTED)

    assert run_on_commit(remind_missions_starting) == 3
    assert recipients(Kind.MISSION_STARTING) == sorted(
        [accepted.volunteer.user.email, owner.email, colleague.email]
    )
    assert len(mail.outbox) == 3
    assert "commence demain" in mail.outbox[0].body


def test_the_start_reminder_is_sent_once(starting_tomorrow, owner, run_on_commit):
    factories.ApplicationFactory(mission=starting_tomorrow, state=Application.State.ACCEPTED)
    assert run_on_commit(remind_missions_starting) == 2
    assert run_on_commit(remind_missions_starting) == 0
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_cancelled_mission_reminds_nobody(starting_tomorrow, owner, run_on_commit):
    Mission.objects.filter(pk=starting_tomorrow.pk).update(state=Mission.State.CANCELLED)
    assert run_on_commit(remind_missions_starting) == 0


def age(application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_an_application_waiting_a_week_nudges_the_association(
    mission, owner, colleague, run_on_commit
):
    stale = factories.ApplicationFactory(mission=mission)
    age(stale, 8)
    fresh = factories.ApplicationFactory(mission=mission)
    age(fresh, 3)
    answered = factories.ApplicationFactory(mission=mission, state=Application.State.ACCEPTED)
    age(answered, 10)

    assert run_on_commit(remind_stale_applications) == 2
    assert recipients(Kind.APPLICATION_WAITING) == sorted([owner.email, colleague.email])
    notification = Notification.objects.filter(kind=Kind.APPLICATION_WAITING).first()
    assert notification.target == stale
    assert "depuis 8 jours" in mail.outbox[0].body


def test_the_nudge_comes_at_most_once_a_week(mission, owner, run_on_commit, settings):
    stale = factories.ApplicationFactory(mission=mission)
    age(stale, 8)
    assert run_on_commit(remind_stale_applications) == 1
    assert run_on_commit(remind_stale_applications) == 0  # same day
    six_days_later = timezone.now() + datetime.timedelta(days=6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: six_days_later)
        assert run_on_commit(remind_stale_applications) == 0
    a_week_later = timezone.now() + datetime.timedelta(days=7)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: a_week_later)
        assert run_on_commit(remind_stale_applications) == 1
    assert Notification.objects.filter(kind=Kind.APPLICATION_WAITING).count() == 2


def test_the_waiting_delay_is_a_setting(mission, owner, run_on_commit, settings):
    settings.NOTIFICATION_STALE_APPLICATION_DAYS = 3
    stale = factories.ApplicationFactory(mission=mission)
    age(stale, 4)
    assert run_on_commit(remind_stale_applications) == 1
