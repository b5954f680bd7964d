from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core import mail
from core.models import ActionLog

from .models import Association, AssociationMember

SUBJECTS = {
    "verify": "emails/association_verified_subject.txt",
    "reinstate": "emails/association_verified_subject.txt",
    "reject": "emails/association_rejected_subject.txt",
    "suspend": "emails/association_suspended_subject.txt",
}


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def notify_verification_decision(self, log_id: int) -> int:
    """E-mail an association's admins the staff's decision; sends once per decision."""
    log = ActionLog.objects.filter(pk=log_id).first()
    if log is None or not log.claim_notification():
        return 0
    decision = log.action.rsplit(".", 1)[-1]
    if decision not in SUBJECTS:
        return 0
    association = Association.objects.get(pk=log.object_id)
    admins = AssociationMember.objects.filter(
        association=association, role=AssociationMember.Role.ADMIN, user__is_active=True
    ).select_related("user")
    try:
        sent = 0
        for member in admins:
            user = member.user
            with translation.override(user.language):
                context = {
                    "association": association,
                    "decision": decision,
                    "staff_reason": log.data.get("reason", ""),
                    "user": user,
                }
                message = mail.build(
                    to=user.email,
                    language=user.language,
                    name=user.first_name,
                    subject=render_to_string(SUBJECTS[decision], context).strip(),
                    template="emails/association_decision",
                    context=context,
                    reason=_(
                        "Vous recevez cet e-mail parce que vous administrez l'association "
                        "%(association)s sur %(site)s."
                    )
                    % {"association": association.name, "site": settings.SITE_NAME},
                )
                message.send()
            sent += 1
    except Exception:
        log.release_notification()
        raise
    return sent
