import logging
from datetime import timedelta
from typing import Any, TypedDict

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.utils import timezone

from . import events, outbox
from .models import ActionLog, PersonalDataAccess

logger = logging.getLogger(__name__)


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


@shared_task(acks_late=True)
def deliver_outbox(message_id: int) -> str:
    """Run one outbox row's task, once however often this runs (see ``core.outbox``)."""
    return outbox.deliver(message_id)


@shared_task(acks_late=True)
def sweep_outbox(redispatch_after: int | None = None) -> int:
    """Hand over again the outbox rows still undelivered (periodic, and at worker start)."""
    return outbox.sweep(redispatch_after=redispatch_after)


@worker_ready.connect
def sweep_outbox_at_start(sender: Any = None, **kwargs: Any) -> None:
    """A worker that starts takes over what a dead one left: every undelivered row is
    handed over again at once (a row still queued then runs once, the second is skipped)."""
    try:
        sweep_outbox.apply_async(kwargs={"redispatch_after": 0})
    except Exception:
        logger.warning("Could not queue the outbox sweep at worker start", exc_info=True)
