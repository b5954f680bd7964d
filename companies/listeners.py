"""Reactions to engagement transitions (``core.events``), run after commit by a task.

The companies app is installed before notifications, so its listeners run first: an
application approved automatically here is already approved when the notifications
listener decides whether to ask the approvers."""

from core.events import on_action


@on_action("application.create")
def auto_approve_work_time_application(entry) -> None:
    """A new work-time application waiting for the employer is approved at once when the
    company chose automatic approval under a threshold and it qualifies."""
    from missions.models import Application

    from .services import application_auto_approve

    pending = Application.objects.filter(
        pk=entry.object_id, approval_state=Application.Approval.PENDING
    ).exists()
    if pending:
        application_auto_approve(application_id=entry.object_id)
