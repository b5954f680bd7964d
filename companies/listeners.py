"""Reactions to engagement transitions (``core.events``), run after commit by a task.

Each listener may run more than once (task retries): the key ``log:<entry>:<kind>``
makes each entry notify each person once, as in ``notifications/listeners.py``."""

from core.events import on_action
from core.models import ActionLog
from missions.models import Application
from notifications.models import Notification
from notifications.services import link, notify

from .access import approver_users
from .services import application_auto_approve


@on_action("application.create")
def work_time_application_created(entry: ActionLog) -> None:
    """A new work-time application waiting for the employer is approved at once when the
    company chose automatic approval under a threshold and it qualifies; otherwise the
    employer's approvers are asked for it.

    Both steps are one listener, in this order: listeners run as separate tasks, in
    any order, and approvers must never be asked about an application approved
    automatically."""
    pending = Application.objects.filter(
        pk=entry.object_id, approval_state=Application.Approval.PENDING
    ).exists()
    if not pending:
        return
    if application_auto_approve(application_id=entry.object_id) is None:
        _ask_approvers(entry)


def _ask_approvers(entry: ActionLog) -> None:
    application = (
        Application.objects.select_related(
            "mission__association", "volunteer__user", "volunteer__employer"
        )
        .filter(pk=entry.object_id)
        .first()
    )
    if application is None:
        return
    employer = application.volunteer.employer
    if employer is None or application.approval_state != Application.Approval.PENDING:
        return  # no approval asked, or already given
    kind = Notification.Kind.APPROVAL_NEEDED
    volunteer = application.volunteer.user
    for approver in approver_users(application):
        notify(
            approver,
            kind,
            target=application,
            actor=entry.actor,
            url=link("companies:approvals"),
            context={
                "mission": application.mission.title,
                "association": application.mission.association.name,
                "volunteer": volunteer.full_name,
                "company": employer.name,
            },
            key=f"log:{entry.pk}:{kind}",
        )
