from celery import shared_task

from .retention import inactive_accounts_sweep


@shared_task(acks_late=True, soft_time_limit=50 * 60, time_limit=60 * 60)
def sweep_inactive_accounts() -> dict[str, int]:
    """Daily: warn the owners of accounts unused for years, anonymise those past their
    deadline. Each warning goes once and anonymising twice changes nothing, so a run
    that is retried or overlaps another is harmless."""
    result = inactive_accounts_sweep()
    return {"warned": result.warned, "anonymised": result.anonymised, "failed": result.failed}
