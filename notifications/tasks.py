from collections.abc import Iterable
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import outbox

from . import services, welcome
from .emails import digest_email, notification_email
from .models import Notification, NotificationPreference

MAIL_ERRORS = (OSError, SMTPException)


@shared_task(
    acks_late=True,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification; sends it once, however often the task runs."""
    claimed = (
        Notification.objects.email_pending()
        .filter(pk=notification_id)
        .update(emailed_at=timezone.now())
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not (notification.recipient.is_active and notification.recipient.email):
        return False
    try:
        notification_email(notification).send()
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@shared_task(acks_late=True)
def send_daily_digests() -> int:
    """Fan out one digest task per person who chose the daily digest and has news."""
    user_ids: Iterable[int] = (
        Notification.objects.email_pending()
        .filter(
            recipient__notification_preference__email_frequency=(
                NotificationPreference.Frequency.DAILY
            ),
            recipient__is_active=True,
        )
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    user_ids = list(user_ids)
    today = timezone.localdate().isoformat()
    # Through the outbox: a digest the broker could not take is sent by the sweep, and
    # one a second run of this task asks for again is recorded (and sent) once.
    with transaction.atomic():
        for user_id in user_ids:
            outbox.enqueue(send_digest, user_id, key=f"digest:{user_id}:{today}")
    return len(user_ids)


@shared_task(
    acks_late=True,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=5,
)
def send_digest(user_id: int) -> int:
    """One e-mail with ``user_id``'s unsent notifications, at most once a day; returns
    how many notifications it carried."""
    today = timezone.localdate()
    with transaction.atomic():
        preference = (
            NotificationPreference.objects.select_for_update()
            .filter(user_id=user_id, email_frequency=NotificationPreference.Frequency.DAILY)
            .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
            .select_related("user")
            .first()
        )
        if preference is None:
            return 0
        previous = preference.last_digest_on
        stamp = timezone.now()
        claimed = (
            Notification.objects.email_pending()
            .filter(recipient_id=user_id)
            .update(emailed_at=stamp)
        )
        if not claimed:
            return 0
        NotificationPreference.objects.filter(pk=preference.pk).update(last_digest_on=today)
    notifications = list(
        Notification.objects.filter(recipient_id=user_id, emailed_at=stamp).order_by(
            "created_at", "pk"
        )
    )
    try:
        digest_email(preference.user, notifications).send()
    except Exception:
        Notification.objects.filter(recipient_id=user_id, emailed_at=stamp).update(emailed_at=None)
        NotificationPreference.objects.filter(pk=preference.pk).update(last_digest_on=previous)
        raise
    return len(notifications)


@shared_task(acks_late=True)
def remind_missions_starting() -> int:
    return services.missions_starting_remind()


@shared_task(acks_late=True)
def remind_stale_applications() -> int:
    return services.stale_applications_remind()


@shared_task(acks_late=True)
def send_welcome_emails() -> int:
    """Ask for the welcome e-mails due now, one task each (through the outbox)."""
    return welcome.welcome_emails_enqueue()


@shared_task(
    acks_late=True,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=5,
)
def send_welcome_email(user_id: int, day: int) -> str:
    """One welcome e-mail, decided and sent once however often the task runs."""
    return welcome.welcome_email_send(user_id=user_id, day=day)
