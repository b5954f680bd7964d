"""Accounts nobody uses are not kept for ever.

An account whose owner has not signed in for ``ACCOUNT_RETENTION_YEARS`` years (since
their last sign-in, or since they signed up) is anonymised like one its owner deleted
(:mod:`accounts.erasure`). Its owner is warned by e-mail ``ACCOUNT_RETENTION_WARNING_DAYS``
days before (a month, then a week): signing in again is enough to keep it. Nobody is
anonymised without a warning sent at least a week before, even if the job did not run
for a while. Staff may keep an account longer (``AccountRetention.keep_until``).

Safe to run twice, or by two workers at once: each warning is claimed by a conditional
``UPDATE`` before it is sent, and anonymising an anonymised account changes nothing.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import mail

from .erasure import ANONYMOUS_DOMAIN, Reason, user_anonymise
from .models import AccountRetention, User

logger = logging.getLogger(__name__)


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def last_activity(user: User) -> datetime.date:
    return timezone.localdate(user.last_login or user.date_joined)


def deadline_for(user: User, keep_until: datetime.date | None) -> datetime.date:
    """The day the account is anonymised if its owner does not come back."""
    deadline = _years_later(last_activity(user), settings.ACCOUNT_RETENTION_YEARS)
    return max(deadline, keep_until) if keep_until else deadline


@dataclass
class SweepResult:
    warned: int = 0
    anonymised: int = 0
    failed: int = 0


def _candidates(today: datetime.date):
    """Accounts whose deadline falls within the first warning's reach."""
    horizon = today + datetime.timedelta(days=max(settings.ACCOUNT_RETENTION_WARNING_DAYS))
    inactive_since = _years_later(horizon, -settings.ACCOUNT_RETENTION_YEARS)
    before = timezone.make_aware(
        datetime.datetime.combine(inactive_since + datetime.timedelta(days=1), datetime.time())
    )
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(email__endswith=f"@{ANONYMOUS_DOMAIN}")
        .annotate(active_at=Coalesce("last_login", "date_joined", output_field=DateTimeField()))
        .filter(active_at__lt=before)
        .exclude(retention__keep_until__gt=horizon)
        .order_by("pk")
    )


def _send_warning(user: User, anonymised_on: datetime.date) -> None:
    with translation.override(user.language):
        context = {
            "user": user,
            "last_activity": last_activity(user),
            "anonymised_on": anonymised_on,
            "years": settings.ACCOUNT_RETENTION_YEARS,
            "login_url": settings.SITE_URL + reverse("account_login"),
        }
        message = mail.build(
            to=user.email,
            language=user.language,
            name=user.first_name,
            subject=render_to_string("emails/account_retention_subject.txt", context).strip(),
            template="emails/account_retention",
            context=context,
            reason=_(
                "Vous recevez cet e-mail parce que vous avez un compte sur %(site)s et que "
                "nous n'en gardons pas les données plus longtemps que nécessaire (RGPD)."
            )
            % {"site": settings.SITE_NAME},
        )
    message.send()


def _claim(
    retention: AccountRetention, deadline: datetime.date, field: str, now: datetime.datetime
) -> bool:
    """Take the right to send one warning about ``deadline``; False if it went already."""
    claimed = AccountRetention.objects.filter(
        pk=retention.pk, warned_deadline=deadline, **{f"{field}__isnull": True}
    ).update(**{field: now})
    return claimed == 1


def _warn(
    retention: AccountRetention, deadline: datetime.date, field: str, now: datetime.datetime
) -> bool:
    if not _claim(retention, deadline, field, now):
        return False
    today = timezone.localdate(now)
    final_days = min(settings.ACCOUNT_RETENTION_WARNING_DAYS)
    anonymised_on = max(deadline, today + datetime.timedelta(days=final_days))
    try:
        _send_warning(retention.user, anonymised_on)
    except Exception:
        # Not sent: the next run tries again.
        AccountRetention.objects.filter(pk=retention.pk).update(**{field: None})
        raise
    return True


def account_retention_apply(*, user_id: int, now: datetime.datetime) -> str:
    """Warn or anonymise one account as its deadline requires: "warned",
    "anonymised" or "" (nothing due)."""
    today = timezone.localdate(now)
    user = User.objects.get(pk=user_id)
    retention, _created = AccountRetention.objects.get_or_create(user=user)
    if retention.anonymised_at:
        return ""
    deadline = deadline_for(user, retention.keep_until)
    if retention.warned_deadline != deadline:
        # A new deadline (they came back, or staff kept the account): new warnings.
        AccountRetention.objects.filter(pk=retention.pk).update(
            warned_deadline=deadline, first_warning_at=None, last_warning_at=None
        )
        retention.refresh_from_db()
    first_days = max(settings.ACCOUNT_RETENTION_WARNING_DAYS)
    final_days = min(settings.ACCOUNT_RETENTION_WARNING_DAYS)
    days_left = (deadline - today).days
    if retention.last_warning_at is None:
        if days_left <= final_days:
            return "warned" if _warn(retention, deadline, "last_warning_at", now) else ""
        if days_left <= first_days and retention.first_warning_at is None:
            return "warned" if _warn(retention, deadline, "first_warning_at", now) else ""
        return ""
    warned_on = timezone.localdate(retention.last_warning_at)
    if days_left <= 0 and (today - warned_on).days >= final_days:
        user_anonymise(user_id=user.pk, actor=None, reason=Reason.RETENTION)
        return "anonymised"
    return ""


def inactive_accounts_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Warn the owners of accounts nearing their deadline; anonymise those past it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = SweepResult()
    for user_id in _candidates(today).values_list("pk", flat=True).iterator():
        try:
            with transaction.atomic():
                outcome = account_retention_apply(user_id=user_id, now=now)
        except Exception:
            logger.exception("Account retention failed for user %s", user_id)
            result.failed += 1
            continue
        if outcome == "warned":
            result.warned += 1
        elif outcome == "anonymised":
            result.anonymised += 1
    return result


@transaction.atomic
def account_retention_extend(
    *, user_id: int, until: datetime.date | None = None, today: datetime.date | None = None
) -> AccountRetention:
    """Staff keep an account longer: until ``until``, or a year past its deadline."""
    today = today or timezone.localdate()
    user = User.objects.get(pk=user_id)
    retention, _created = AccountRetention.objects.select_for_update().get_or_create(user=user)
    if until is None:
        until = _years_later(max(deadline_for(user, retention.keep_until), today), 1)
    retention.keep_until = until
    retention.save(update_fields=["keep_until"])
    return retention
