"""The e-mails of notifications, written in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from .models import Notification
from .services import absolute_url, link
from .wording import word


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _common_context(user) -> dict:
    return {
        "user": user,
        "site_url": settings.SITE_URL,
        "list_url": absolute_url(link("notifications:list"), user.language),
        "preferences_url": absolute_url(link("notifications:preferences"), user.language),
    }


def _item(notification: Notification, language: str) -> dict:
    return {
        "wording": word(notification.kind, notification.context),
        "url": absolute_url(notification.url, language) if notification.url else "",
        "created_at": notification.created_at,
    }


def _message(user, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=_one_line(subject),
        body=render_to_string(f"emails/notifications/{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string(f"emails/notifications/{template}.html", context), "text/html"
    )
    return message


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    with translation.override(user.language):
        item = _item(notification, user.language)
        context = {**_common_context(user), "item": item}
        return _message(user, f"[probono] {item['wording'].title}", "notification", context)


def digest_email(user, notifications: list[Notification]) -> EmailMultiAlternatives:
    with translation.override(user.language):
        count = len(notifications)
        context = {
            **_common_context(user),
            "items": [_item(notification, user.language) for notification in notifications],
            "count": count,
        }
        subject = "[probono] " + ngettext(
            "Votre récapitulatif : %(count)s notification",
            "Votre récapitulatif : %(count)s notifications",
            count,
        ) % {"count": count}
        return _message(user, subject, "digest", context)
