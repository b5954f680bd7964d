from datetime import timedelta
from typing import TypedDict

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import events
from .models import ActionLog, PersonalDataAccess


class RetryOptions(TypedDict):
    """Options of ``shared_task``, spelled out so the checker matches its overloads."""

    acks_late: bool
    autoretry_for: tuple[type[Exception], ...]
    retry_backoff: bool | int
    retry_backoff_max: int
    max_retries: int


RETRIED: RetryOptions = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(**RETRIED)
def dispatch_action(entry_id: int) -> int:
    """Give each listener of one audit-log entry a task of its own; returns how many.

    For replaying an entry by hand (listeners are idempotent); a new entry's tasks are
    enqueued directly once its transaction commits (``core.events.announce``)."""
    entry = ActionLog.objects.filter(pk=entry_id).only("action").first()
    if entry is None:
        return 0
    listeners = events.listeners_for(entry.action)
    for listener in listeners:
        run_listener.delay(entry_id, events.listener_name(listener))
    return len(listeners)


@shared_task(**RETRIED)
def run_listener(entry_id: int, listener: str) -> bool:
    """Call one listener of one audit-log entry; False if either is gone."""
    entry = ActionLog.objects.select_related("actor", "content_type").filter(pk=entry_id).first()
    if entry is None:
        return False
    handler = events.listener_for(entry.action, listener)
    if handler is None:
        return False
    handler(entry)
    return True


@shared_task(acks_late=True)
def purge_personal_data_access() -> int:
    """Delete the lines of the staff access log older than its retention; how many went."""
    cutoff = timezone.now() - timedelta(days=settings.PERSONAL_DATA_ACCESS_RETENTION_DAYS)
    deleted, _ = PersonalDataAccess.objects.filter(created_at__lt=cutoff).delete()
    return deleted
