"""Every kind of e-mail the platform sends, each produced by its real code path for a
recipient who reads a given language: for the test that checks them all in French and
English, and for the browser test that audits and photographs their HTML.

Each entry sends its e-mail (to the test outbox) and returns it."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core import mail
from django.utils import timezone, translation

from accounts.models import SignupRole
from accounts.retention import _send_warning
from associations.tasks import notify_verification_decision
from companies.models import CompanyMember
from companies.subscriptions import (
    report_subscription_set,
    scheduled_report_send,
    summary_subscription_set,
)
from companies.tasks import send_invitation
from core.models import log_action
from notifications.emails import digest_email, notification_email
from notifications.models import Notification, NotificationPreference, WelcomeEmail
from notifications.unsubscribe import DIGEST
from notifications.welcome import welcome_email_send

from . import factories

# Every fact a notification's words may use (notifications.wording).
NOTIFICATION_CONTEXT = {
    "mission": "Refonte du site de l'épicerie solidaire",
    "association": "Les Ateliers du Quartier",
    "volunteer": "Alice Martin",
    "author": "Alice Martin",
    "employee": "Alice Martin",
    "company": "Coopérative Durable",
    "programme": "Marathon solidaire de Lyon",
    "search": "Communication à Lyon",
    "saved_search": "Communication à Lyon",
    "names": "Alice Martin, Bruno Petit",
    "message": "Ravie de vous aider : je peux commencer lundi.\nÀ bientôt !",
    "date": "2026-06-15",
    "hours": "3.5",
    "count": 3,
    "days": 8,
    "waiting_days": 4,
    "decision": "approve",
}


@dataclass(frozen=True)
class EmailKind:
    name: str
    # Transactional: about the account or an engagement the person entered; no
    # unsubscribe. Otherwise the person chose it and may turn it off in one click.
    transactional: bool
    send: Callable[[str], mail.EmailMessage]
    # What its one-click link turns off (a notification kind, or the digest).
    turns_off: str = ""


def _person(language: str, **kwargs):
    return factories.UserFactory(language=language, **kwargs)


def _last() -> mail.EmailMessage:
    return mail.outbox[-1]


def _notification(kind: str) -> Callable[[str], mail.EmailMessage]:
    def send(language: str) -> mail.EmailMessage:
        notification = Notification.objects.create(
            recipient=_person(language),
            kind=kind,
            url="/notifications/",
            context=NOTIFICATION_CONTEXT,
            email_wanted=True,
        )
        notification_email(notification).send()
        return _last()

    return send


def _digest(language: str) -> mail.EmailMessage:
    user = _person(language)
    NotificationPreference.objects.create(
        user=user, email_frequency=NotificationPreference.Frequency.DAILY
    )
    notifications = [
        Notification.objects.create(
            recipient=user, kind=kind, url="/notifications/", context=NOTIFICATION_CONTEXT
        )
        for kind in (Notification.Kind.APPLICATION_RECEIVED, Notification.Kind.MESSAGE_RECEIVED)
    ]
    digest_email(user, notifications).send()
    return _last()


def _welcome(language: str) -> mail.EmailMessage:
    joined = timezone.now() - datetime.timedelta(minutes=5)
    user = _person(
        language, signup_role=SignupRole.VOLUNTEER, date_joined=joined, last_login=joined
    )
    assert welcome_email_send(user_id=user.pk, day=0) == WelcomeEmail.Outcome.SENT
    return _last()


def _last_month() -> tuple[datetime.date, datetime.date]:
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _impact_report(language: str) -> mail.EmailMessage:
    member = factories.CompanyMemberFactory(
        user=_person(language),
        company=factories.CompanyFactory(name="Coopérative Durable"),
        role=CompanyMember.Role.PROGRAMME_ADMIN,
    )
    subscription = report_subscription_set(
        actor=member.user, company_id=member.company_id, frequency="monthly"
    )
    assert subscription is not None
    start, end = _last_month()
    assert scheduled_report_send(subscription_id=subscription.pk, start=start, end=end)
    return _last()


def _yearly_summary(language: str) -> mail.EmailMessage:
    member = factories.AssociationMemberFactory(
        user=_person(language),
        association=factories.AssociationFactory(name="Les Ateliers du Quartier"),
    )
    subscription = summary_subscription_set(
        actor=member.user, association_id=member.association_id, subscribed=True
    )
    assert subscription is not None
    year = timezone.localdate().year - 1
    assert scheduled_report_send(
        subscription_id=subscription.pk,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
    )
    return _last()


def _association_decision(decision: str) -> Callable[[str], mail.EmailMessage]:
    def send(language: str) -> mail.EmailMessage:
        association = factories.AssociationFactory(name="Les Ateliers du Quartier")
        factories.AssociationMemberFactory(association=association, user=_person(language))
        reason = "Le numéro RNA ne correspond pas." if decision in {"reject", "suspend"} else ""
        log = log_action(association, f"association.{decision}", data={"reason": reason})
        assert notify_verification_decision(log.pk) == 1
        return _last()

    return send


def _invitation(language: str) -> mail.EmailMessage:
    member = factories.CompanyMemberFactory(
        user=_person(language), company=factories.CompanyFactory(name="Coopérative Durable")
    )
    assert send_invitation(member.pk)
    return _last()


def _retention(language: str) -> mail.EmailMessage:
    _send_warning(_person(language), timezone.localdate() + datetime.timedelta(days=30))
    return _last()


def _allauth(
    template_prefix: str, *, known: bool = True, **context
) -> Callable[[str], mail.EmailMessage]:
    """allauth's e-mails, through the project's adapter with the context allauth gives.
    To an address with no account (``known=False``), the e-mail is in the language of
    the page the request came from."""

    def send(language: str) -> mail.EmailMessage:
        data = dict(context)
        if known:
            user = _person(language)
            email = user.email
            if data.pop("with_user", False):
                data["user"] = user
        else:
            email = f"sans-compte-{language}@example.org"
        with translation.override(language if not known else "fr"):
            get_adapter().send_mail(template_prefix, email, data)
        return _last()

    return send


SITE = "http://testserver"
KINDS = [
    *(
        EmailKind(f"notification-{kind.value}", False, _notification(kind.value), kind.value)
        for kind in NotificationPreference.emailable_kinds()
        if kind not in Notification.EMAIL_ONLY
    ),
    EmailKind("digest", False, _digest, DIGEST),
    # The kinds that are e-mails only, each through the task that sends it.
    EmailKind("welcome", False, _welcome, Notification.Kind.WELCOME.value),
    EmailKind("impact-report", False, _impact_report, Notification.Kind.IMPACT_REPORT.value),
    EmailKind("yearly-summary", False, _yearly_summary, Notification.Kind.YEARLY_SUMMARY.value),
    *(
        EmailKind(f"association-{decision}", True, _association_decision(decision))
        for decision in ("verify", "reinstate", "reject", "suspend")
    ),
    EmailKind("company-invitation", True, _invitation),
    EmailKind("account-retention", True, _retention),
    EmailKind(
        "signup-confirmation",
        True,
        _allauth(
            "account/email/email_confirmation_signup",
            with_user=True,
            key="abc",
            activate_url=f"{SITE}/comptes/confirm-email/abc/",
        ),
    ),
    EmailKind(
        "email-confirmation",
        True,
        _allauth(
            "account/email/email_confirmation",
            with_user=True,
            key="abc",
            activate_url=f"{SITE}/comptes/confirm-email/abc/",
        ),
    ),
    EmailKind(
        "password-reset",
        True,
        _allauth(
            "account/email/password_reset_key",
            with_user=True,
            password_reset_url=f"{SITE}/comptes/password/reset/key/1-abc/",
        ),
    ),
    EmailKind(
        "unknown-account",
        True,
        _allauth(
            "account/email/unknown_account", known=False, signup_url=f"{SITE}/comptes/signup/"
        ),
    ),
    EmailKind(
        "account-already-exists",
        True,
        _allauth(
            "account/email/account_already_exists",
            signup_url=f"{SITE}/comptes/signup/",
            password_reset_url=f"{SITE}/comptes/password/reset/",
        ),
    ),
]
