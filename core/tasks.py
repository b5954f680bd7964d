from celery import shared_task

from . import events
from .models import ActionLog


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def dispatch_action(entry_id: int) -> int:
    """Call the listeners of one audit-log entry; returns how many were called."""
    entry = ActionLog.objects.select_related("actor", "content_type").filter(pk=entry_id).first()
    if entry is None:
        return 0
    listeners = events.listeners_for(entry.action)
    for listener in listeners:
        listener(entry)
    return len(listeners)
