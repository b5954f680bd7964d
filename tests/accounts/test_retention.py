"""Accounts unused for years: warned a month and a week before, then anonymised.

Time travels by dating the last sign-in and passing ``today``: nothing sleeps."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.erasure import ANONYMOUS_DOMAIN
from accounts.models import AccountRetention
from accounts.retention import account_retention_extend, deadline_for, inactive_accounts_sweep
from accounts.tasks import sweep_inactive_accounts
from core.models import ActionLog
from missions.models import Application
from tests import factories

pytestmark = pytest.mark.django_db

LAST_LOGIN = datetime.date(2023, 5, 10)
DEADLINE = datetime.date(2026, 5, 10)  # three years later


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def sleeper(db):
    """A volunteer who last signed in on 10 May 2023, with an engagement."""
    user = factories.UserFactory(last_login=_at(LAST_LOGIN), date_joined=_at(LAST_LOGIN))
    factories.ApplicationFactory(volunteer=factories.VolunteerFactory(user=user))
    return user


def _sweep(day: datetime.date):
    return inactive_accounts_sweep(now=_at(day))


def test_the_deadline_is_three_years_after_the_last_sign_in(sleeper):
    assert settings.ACCOUNT_RETENTION_YEARS == 3
    assert deadline_for(sleeper, None) == DEADLINE


def test_warned_a_month_then_a_week_before_then_anonymised(sleeper):
    assert _sweep(DEADLINE - datetime.timedelta(days=31)).warned == 0
    assert mail.outbox == []

    first = _sweep(DEADLINE - datetime.timedelta(days=30))
    assert first.warned == 1
    assert mail.outbox[0].to == [sleeper.email]
    assert "10 mai 2026" in mail.outbox[0].subject
    assert reverse("account_login") in mail.outbox[0].body
    # Each warning goes once, however often the job runs.
    assert _sweep(DEADLINE - datetime.timedelta(days=29)).warned == 0
    assert _sweep(DEADLINE - datetime.timedelta(days=8)).warned == 0
    assert len(mail.outbox) == 1

    assert _sweep(DEADLINE - datetime.timedelta(days=7)).warned == 1
    assert _sweep(DEADLINE - datetime.timedelta(days=6)).warned == 0
    assert len(mail.outbox) == 2
    assert _sweep(DEADLINE - datetime.timedelta(days=1)).anonymised == 0

    done = _sweep(DEADLINE)
    assert done.anonymised == 1
    sleeper.refresh_from_db()
    assert sleeper.email.endswith(f"@{ANONYMOUS_DOMAIN}")
    assert not sleeper.is_active
    assert Application.objects.filter(volunteer__user=sleeper).exists()
    assert ActionLog.objects.get(action="user.anonymise").data == {"reason": "retention"}
    retention = AccountRetention.objects.get(user=sleeper)
    assert retention.anonymised_at is not None
    assert retention.first_warning_at and retention.last_warning_at
    # Nothing more, ever: no e-mail to the anonymous address.
    assert _sweep(DEADLINE + datetime.timedelta(days=1)).anonymised == 0
    assert len(mail.outbox) == 2


def test_nobody_is_anonymised_without_a_week_of_warning(sleeper):
    # The job did not run for months: the deadline passed without any warning.
    late = DEADLINE + datetime.timedelta(days=40)
    result = _sweep(late)
    assert (result.warned, result.anonymised) == (1, 0)
    assert "26 juin 2026" in mail.outbox[0].subject  # a week after the warning
    assert _sweep(late + datetime.timedelta(days=6)).anonymised == 0
    assert _sweep(late + datetime.timedelta(days=7)).anonymised == 1


def test_signing_in_again_keeps_the_account(sleeper):
    _sweep(DEADLINE - datetime.timedelta(days=7))
    assert len(mail.outbox) == 1
    sleeper.last_login = _at(DEADLINE - datetime.timedelta(days=3))
    sleeper.save(update_fields=["last_login"])
    assert _sweep(DEADLINE + datetime.timedelta(days=10)).anonymised == 0
    sleeper.refresh_from_db()
    assert sleeper.is_active


def test_staff_keep_an_account_longer(sleeper):
    _sweep(DEADLINE - datetime.timedelta(days=30))
    retention = account_retention_extend(
        user_id=sleeper.pk, today=DEADLINE - datetime.timedelta(days=20)
    )
    assert retention.keep_until == datetime.date(2027, 5, 10)
    assert _sweep(DEADLINE + datetime.timedelta(days=10)).anonymised == 0
    # New deadline, new warnings.
    assert _sweep(datetime.date(2027, 4, 10)).warned == 1
    assert len(mail.outbox) == 2


def test_staff_accounts_are_left_alone(db):
    factories.UserFactory(is_staff=True, last_login=_at(LAST_LOGIN), date_joined=_at(LAST_LOGIN))
    assert _sweep(DEADLINE + datetime.timedelta(days=400)).warned == 0


def test_a_failed_email_is_sent_again_at_the_next_run(sleeper, settings, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    result = _sweep(DEADLINE - datetime.timedelta(days=30))
    assert (result.warned, result.failed) == (0, 1)
    monkeypatch.undo()
    assert _sweep(DEADLINE - datetime.timedelta(days=29)).warned == 1


def test_the_sweep_runs_every_day_from_celery_beat(db):
    factories.UserFactory(last_login=timezone.now())
    entry = settings.CELERY_BEAT_SCHEDULE["anonymise-inactive-accounts"]
    assert entry["task"] == "accounts.tasks.sweep_inactive_accounts"
    assert sweep_inactive_accounts.run() == {"warned": 0, "anonymised": 0, "failed": 0}


def test_staff_extend_from_the_admin(client, sleeper):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    changelist = reverse("admin:accounts_user_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "extend_retention", "_selected_action": [sleeper.pk]})
    keep_until = AccountRetention.objects.get(user=sleeper).keep_until
    assert keep_until is not None and keep_until > DEADLINE
    page = client.get(reverse("admin:accounts_user_change", args=[sleeper.pk]))
    assert page.status_code == 200
    assert "conservation" in page.content.decode().lower()
