import datetime
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import mail
from missions.models import Application
from notifications.models import Notification
from notifications.services import notify

from . import subscriptions
from .access import approver_users
from .models import ApprovalReminder, CompanyMember


@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5
)
def send_invitation(member_id: int) -> bool:
    """E-mail the invitation to join the company; sent once per membership."""
    member = CompanyMember.objects.select_related("company", "user").filter(pk=member_id).first()
    if member is None:
        return False
    claimed = CompanyMember.objects.filter(pk=member_id, invitation_sent_at__isnull=True).update(
        invitation_sent_at=timezone.now()
    )
    if not claimed:
        return False
    user = member.user
    try:
        with translation.override(user.language):
            context = {
                "member": member,
                "company": member.company,
                "has_password": user.has_usable_password(),
                "login_url": settings.SITE_URL + reverse("account_login"),
                "reset_url": settings.SITE_URL + reverse("account_reset_password"),
            }
            subject = render_to_string(
                "companies/emails/invitation_subject.txt",
                {**context, "site_name": settings.SITE_NAME},
            ).strip()
            message = mail.build(
                to=user.email,
                language=user.language,
                name=user.first_name,
                subject=subject,
                template="companies/emails/invitation",
                context=context,
                reason=_(
                    "Vous recevez cet e-mail parce que %(company)s vous a invité(e) à "
                    "rejoindre son espace sur %(site)s."
                )
                % {"company": member.company.name, "site": settings.SITE_NAME},
            )
        message.send()
    except Exception:
        CompanyMember.objects.filter(pk=member_id).update(invitation_sent_at=None)
        raise
    return True


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def send_approval_reminders() -> int:
    """Remind approvers of the work-time applications that have waited more than
    COMPANY_APPROVAL_REMINDER_DAYS days (and again every as many days). Each
    application is claimed by a conditional update first, so a run repeated or
    running twice sends one reminder."""
    days = settings.COMPANY_APPROVAL_REMINDER_DAYS
    now = timezone.now()
    due = now - datetime.timedelta(days=days)
    waiting = Application.objects.filter(
        approval_state=Application.Approval.PENDING,
        state__in=Application.OPEN_STATES,
        created_at__lte=due,
    ).exclude(approval_reminder__sent_at__gt=due)
    sent = 0
    for application in waiting.select_related("volunteer__user", "mission__association"):
        with transaction.atomic():
            reminder, created = ApprovalReminder.objects.get_or_create(
                application=application, defaults={"sent_at": now, "count": 1}
            )
            count = 1
            if not created:
                count = reminder.count + 1
                claimed = ApprovalReminder.objects.filter(pk=reminder.pk, sent_at__lte=due).update(
                    sent_at=now, count=count
                )
                if not claimed:
                    continue
            waited = (now - application.created_at).days
            for approver in approver_users(application):
                notify(
                    approver,
                    Notification.Kind.APPROVAL_NEEDED,
                    target=application,
                    url=reverse("companies:approvals"),
                    context={
                        "volunteer": application.volunteer.user.full_name,
                        "mission": application.mission.title,
                        "association": application.mission.association.name,
                        "waiting_days": waited,
                        "reminder": True,
                    },
                    key=f"approval-reminder:{application.pk}:{count}",
                )
            sent += 1
    return sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_teams(programme_id: int) -> int:
    """Tell everyone their team once an event's teams are published (idempotent)."""
    # Imported here: companies.programmes schedules this task, so it imports this module.
    from .programmes import notify_programme_teams

    return notify_programme_teams(programme_id)


@shared_task(acks_late=True)
def send_scheduled_reports() -> int:
    """Ask for the reports people subscribed to whose period is over, one task each
    (through the outbox)."""
    return subscriptions.scheduled_reports_enqueue()


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=5,
)
def send_scheduled_report(subscription_id: int, start: str, end: str) -> bool:
    """One subscriber's report for one period (ISO dates), sent once however often the
    task runs."""
    return subscriptions.scheduled_report_send(
        subscription_id=subscription_id,
        start=datetime.date.fromisoformat(start),
        end=datetime.date.fromisoformat(end),
    )
