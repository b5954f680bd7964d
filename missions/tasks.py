from celery import shared_task

from .services import mission_expire_overdue


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def expire_overdue_missions() -> int:
    """Expire published missions whose application deadline has passed with nobody on board."""
    return mission_expire_overdue()
