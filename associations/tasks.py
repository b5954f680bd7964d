from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

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
                    "reason": log.data.get("reason", ""),
                    "user": user,
                    "site_url": settings.SITE_URL,
                }
                subject = render_to_string(SUBJECTS[decision], context).strip()
                message = EmailMultiAlternatives(
                    subject=subject,
                    body=render_to_string("emails/association_decision.txt", context),
                    to=[user.email],
                )
                message.attach_alternative(
                    render_to_string("emails/association_decision.html", context), "text/html"
                )
                message.send()
            sent += 1
    except Exception:
        log.release_notification()
        raise
    return sent
