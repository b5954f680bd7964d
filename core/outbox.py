"""The transactional outbox: side effects that survive a broker or a worker failure.

What must happen after a commit (an e-mail, a webhook, a listener, a matching refresh)
is written as an ``OutboxMessage`` row in the same transaction as the change that
causes it, so that both are saved or neither is. Once the transaction commits, the
row is handed to Celery (best effort: with the broker down, the failure is logged and
the row waits). A periodic job (``core.tasks.sweep_outbox``, also run when a worker
starts) hands over again every row still undelivered, until it is delivered.

Delivery (``deliver``) locks the row, runs the task's body in the same transaction,
and marks the row delivered before committing: the task's own writes (a notification
marked e-mailed, a webhook marked received) and the mark commit together. A task run
twice therefore acts once; a worker killed mid-task leaves the row undelivered (its
transaction rolls back) and the sweep runs it again. The one window left is between an
external call (SMTP, HTTP) and the commit: a kill there sends again, which is why each
webhook carries its delivery id for the receiver to recognise.

    from core import outbox
    outbox.enqueue(send_invitation, member.pk)
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING, Any

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone

from . import request_id
from .models import OutboxMessage

if TYPE_CHECKING:
    from celery import Task

logger = logging.getLogger(__name__)

BACKOFF_FIRST_SECONDS = 30
BACKOFF_MAX_SECONDS = 60 * 60
# After a failed hand-over, this process stops trying the broker for this long: the
# rows wait for the sweep instead of each request waiting for a dead broker.
BROKER_PAUSE_SECONDS = 10.0
_broker_down_until = 0.0


def enqueue(
    task: Task[Any, Any] | str, *args: Any, key: str | None = None, countdown: int = 0
) -> OutboxMessage:
    """Record ``task(*args)`` to run after the current transaction commits (at once when
    there is none), ``countdown`` seconds later at the earliest.

    ``args`` must be JSON-serialisable (primary keys, not instances). With a ``key``,
    the same effect is recorded once: a second call returns the first row. The row
    keeps the current request's id: the task runs with it, however late."""
    name = task if isinstance(task, str) else task.name
    now = timezone.now()
    message = OutboxMessage(
        task=name,
        args=list(args),
        key=key,
        request_id=request_id.get(),
        created_at=now,
        available_at=now + dt.timedelta(seconds=countdown),
    )
    if key is None:
        message.save()
    else:
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            return OutboxMessage.objects.get(key=key)
    _dispatch_on_commit(message.pk, countdown=countdown)
    return message


def _dispatch_on_commit(message_id: int, *, countdown: int = 0) -> None:
    transaction.on_commit(lambda: dispatch(message_id, countdown=countdown), robust=True)


def dispatch(message_id: int, *, countdown: int = 0) -> bool:
    """Hand one row to the workers; False (logged) when the broker cannot take it."""
    global _broker_down_until
    from .tasks import deliver_outbox

    if time.monotonic() < _broker_down_until:
        return False
    try:
        # No publish retries: a request must not wait for a dead broker, the sweep retries.
        deliver_outbox.apply_async((message_id,), countdown=countdown, retry=False)
    except Exception:
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "Outbox message %s not handed to the workers (broker unreachable?); "
            "the sweep will retry it.",
            message_id,
            exc_info=True,
        )
        return False
    OutboxMessage.objects.filter(pk=message_id, delivered_at__isnull=True).update(
        dispatched_at=timezone.now()
    )
    return True


def broker_resumed() -> None:
    """Try the broker again at the next hand-over (after an outage, in tests)."""
    global _broker_down_until
    _broker_down_until = 0.0


def backoff(attempts: int) -> int:
    """Seconds before retrying after ``attempts`` failures: 30 s, 1 min, 2 min... 1 h."""
    return int(min(BACKOFF_FIRST_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def deliver(message_id: int) -> str:
    """Run one row's task and mark it delivered, in one transaction; what happened.

    "skipped": delivered already, given up on, or being delivered by another worker
    (its lock is held). "failed": the task raised; the row is retried after a backoff,
    and given up on after ``OUTBOX_MAX_ATTEMPTS`` (staff can retry it from the admin)."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .pending()
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            return "skipped"
        now = timezone.now()
        message.attempts += 1
        try:
            with transaction.atomic(), request_id.bound(message.request_id or request_id.get()):
                current_app.tasks[message.task](*message.args)
        except Exception as error:
            logger.warning("Outbox message %s (%s) failed", message.pk, message.task, exc_info=True)
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.available_at = now + dt.timedelta(seconds=backoff(message.attempts))
            message.dispatched_at = None
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.abandoned_at = now
                logger.error("Outbox message %s given up: %s", message.pk, message.last_error)
            message.save(
                update_fields=[
                    "attempts",
                    "last_error",
                    "available_at",
                    "dispatched_at",
                    "abandoned_at",
                ]
            )
            return "failed"
        message.delivered_at = timezone.now()
        message.save(update_fields=["attempts", "delivered_at"])
    return "delivered"


def sweep(*, redispatch_after: int | None = None, limit: int = 1000) -> int:
    """Hand over again the rows that are due and were never handed over, or were handed
    over more than ``redispatch_after`` seconds ago (``OUTBOX_REDISPATCH_SECONDS``) and
    are still undelivered (the broker lost them, a worker died); how many were handed.

    Also forgets rows delivered more than ``OUTBOX_KEEP_DAYS`` ago."""
    now = timezone.now()
    if redispatch_after is None:
        redispatch_after = settings.OUTBOX_REDISPATCH_SECONDS
    stale = now - dt.timedelta(seconds=redispatch_after)
    due = list(
        OutboxMessage.objects.due(now)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lte=stale))
        .order_by("available_at", "pk")
        .values_list("pk", "request_id")[:limit]
    )
    broker_resumed()  # a deliberate attempt: try the broker even if it was down a moment ago
    handed = 0
    for pk, cause in due:
        # Handed over under the id of the request that caused it, not the sweep's.
        with request_id.bound(cause or request_id.get()):
            if not dispatch(pk):
                break
        handed += 1
    OutboxMessage.objects.filter(
        delivered_at__lt=now - dt.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    ).delete()
    return handed


def retry_now(message_ids: list[int]) -> int:
    """Make rows due at once (given-up ones included) and hand them over; how many."""
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(pk__in=message_ids, delivered_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    OutboxMessage.objects.filter(pk__in=ids).update(
        available_at=now, abandoned_at=None, dispatched_at=None
    )
    broker_resumed()
    for pk in ids:
        _dispatch_on_commit(pk)
    return len(ids)


def oldest_pending_age(now: dt.datetime | None = None) -> float | None:
    """Seconds since the oldest undelivered row was written; None when there is none."""
    now = now or timezone.now()
    oldest = OutboxMessage.objects.pending().aggregate(oldest=Min("created_at"))["oldest"]
    return None if oldest is None else (now - oldest).total_seconds()
