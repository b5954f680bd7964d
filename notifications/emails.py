"""The e-mails of notifications, and the e-mails of their own (``Notification.EMAIL_ONLY``:
the welcome sequence, the reports people subscribe to), written in the recipient's
language, each with a text and an HTML part."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification
from .services import absolute_url, link
from .wording import word

if TYPE_CHECKING:
    from .welcome import WelcomeWording

# An attached file: its name, its content and its MIME type.
Attachment = tuple[str, bytes, str]


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


def _message(
    user, subject: str, template: str, context: dict, attachments: Iterable[Attachment] = ()
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=_one_line(subject),
        body=render_to_string(f"emails/notifications/{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string(f"emails/notifications/{template}.html", context), "text/html"
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
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


def own_email(
    user,
    *,
    kind: Notification.Kind,
    subject: str,
    template: str,
    context: dict,
    reason: str,
    attachments: Iterable[Attachment] = (),
) -> EmailMultiAlternatives:
    """An e-mail of one of the kinds that are e-mails only (``Notification.EMAIL_ONLY``):
    ``emails/notifications/<template>.txt`` and ``.html``, which extend the notifications'
    layout. Call it with the recipient's language active: ``subject`` and ``reason``
    (why they receive it) are already worded. Whether the person still wants this kind
    is the caller's to ask (``preferences_for(user).wants_email(kind)``)."""
    if kind not in Notification.EMAIL_ONLY:
        raise ValueError(f"{kind} is a notification: see notification_email().")
    with translation.override(user.language):
        data = {**_common_context(user), **context, "kind": kind, "reason": reason}
        return _message(user, f"[probono] {subject}", template, data, attachments)


def welcome_email(user, wording: "WelcomeWording", *, number: int, count: int):
    """The ``number``-th e-mail (of ``count``) of ``user``'s welcome sequence."""
    with translation.override(user.language):
        reason = _(
            "Vous recevez cet e-mail parce que vous vous êtes inscrit(e) récemment : c'est "
            "le conseil n° %(number)s sur %(count)s pour bien démarrer."
        ) % {"number": number, "count": count}
        return own_email(
            user,
            kind=Notification.Kind.WELCOME,
            subject=wording.subject,
            template="welcome",
            context={
                "wording": wording,
                "action_url": absolute_url(wording.url, user.language) if wording.url else "",
            },
            reason=reason,
        )
