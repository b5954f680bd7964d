from celery import shared_task
from django.conf import settings

from core import outbox

from .models import WebhookDelivery

BACKOFF_FIRST_SECONDS = 30
BACKOFF_MAX_SECONDS = 60 * 60


def backoff(failed_attempts: int) -> int:
    """Seconds before the next attempt: 30 s, 1 min, 2 min, 4 min... at most an hour."""
    return min(BACKOFF_FIRST_SECONDS * 2 ** max(failed_attempts - 1, 0), BACKOFF_MAX_SECONDS)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def deliver_webhook(delivery_id: int, remaining: int | None = None) -> str:
    """Send one webhook delivery; on failure, enqueue the next attempt with exponential
    backoff until ``WEBHOOK_MAX_ATTEMPTS`` attempts, then mark it failed.

    Idempotent: a delivery already received is not sent again (a replay from the admin
    first puts it back to pending, with a fresh budget of attempts).
    """
    remaining = settings.WEBHOOK_MAX_ATTEMPTS if remaining is None else remaining
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return "skipped"
    from .webhooks import attempt

    if attempt(delivery):
        return "delivered"
    if remaining <= 1:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(state=WebhookDelivery.State.FAILED)
        return "failed"
    failed = settings.WEBHOOK_MAX_ATTEMPTS - remaining + 1
    # Through the outbox: the next attempt is recorded with this one's outcome.
    outbox.enqueue(deliver_webhook, delivery_id, remaining - 1, countdown=backoff(failed))
    return "retrying"
