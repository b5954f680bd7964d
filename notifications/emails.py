"""The e-mails of notifications, and the e-mails of their own (``Notification.EMAIL_ONLY``:
the welcome sequence, the reports people subscribe to), written in the recipient's
language.

They are the e-mails a person chose (``NotificationPreference``): each carries a
one-click link that turns its kind off (the digest's turns the digest off), in the
footer and in the ``List-Unsubscribe`` headers (``core.mail``)."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import mail

from . import unsubscribe
from .models import Notification
from .services import absolute_url, link
from .wording import word

if TYPE_CHECKING:
    from django.core.mail import EmailMultiAlternatives

    from .welcome import WelcomeWording

# An attached file: its name, its content and its MIME type.
Attachment = tuple[str, bytes, str]


def unsubscribe_url(user, what: str, language: str) -> str:
    """The signed link that turns ``what`` off for ``user``, in ``language``."""
    with translation.override(language):
        path = reverse("notifications:unsubscribe", args=[unsubscribe.make_token(user.pk, what)])
    return absolute_url(path, language)


def _common_context(user) -> dict:
    return {
        "user": user,
        "list_url": absolute_url(link("notifications:list"), user.language),
    }


def _item(notification: Notification, language: str) -> dict:
    return {
        "wording": word(notification.kind, notification.context),
        "url": absolute_url(notification.url, language) if notification.url else "",
        "created_at": notification.created_at,
    }


def _build(
    user, *, subject: str, template: str, context: dict, reason: str, what: str
) -> "EmailMultiAlternatives":
    language = user.language
    return mail.build(
        to=user.email,
        language=language,
        name=user.first_name,
        subject=subject,
        template=f"emails/notifications/{template}",
        context=context,
        reason=reason,
        unsubscribe_url=unsubscribe_url(user, what, language),
        unsubscribe_label=unsubscribe.label(what),
        preferences_url=absolute_url(link("notifications:preferences"), language),
    )


def notification_email(notification: Notification):
    user = notification.recipient
    with translation.override(user.language):
        item = _item(notification, user.language)
        reason = _(
            "Vous recevez cet e-mail parce que vous avez demandé à être prévenu(e) par "
            "e-mail : « %(kind)s »."
        ) % {"kind": notification.get_kind_display()}
        return _build(
            user,
            subject=item["wording"].title,
            template="notification",
            context={**_common_context(user), "item": item},
            reason=reason,
            what=notification.kind,
        )


def digest_email(user, notifications: list[Notification]):
    with translation.override(user.language):
        count = len(notifications)
        context = {
            **_common_context(user),
            "items": [_item(notification, user.language) for notification in notifications],
            "count": count,
        }
        subject = ngettext(
            "Votre récapitulatif : %(count)s notification",
            "Votre récapitulatif : %(count)s notifications",
            count,
        ) % {"count": count}
        reason = _(
            "Vous recevez cet e-mail parce que vous avez choisi de recevoir vos "
            "notifications en un récapitulatif par jour."
        )
        return _build(
            user,
            subject=subject,
            template="digest",
            context=context,
            reason=reason,
            what=unsubscribe.DIGEST,
        )


def own_email(
    user,
    *,
    kind: Notification.Kind,
    subject: str,
    template: str,
    context: dict,
    reason: str,
    attachments: Iterable[Attachment] = (),
) -> "EmailMultiAlternatives":
    """An e-mail of one of the kinds that are e-mails only (``Notification.EMAIL_ONLY``):
    ``emails/notifications/<template>.txt`` and ``.html``, which extend ``emails/base.*``,
    with the one-click link that turns ``kind`` off. Call it with the recipient's
    language active: ``subject`` (without the site's name, which ``core.mail`` adds) and
    ``reason`` (why they receive it) are already worded. Whether the person still wants
    this kind is the caller's to ask (``preferences_for(user).wants_email(kind)``)."""
    if kind not in Notification.EMAIL_ONLY:
        raise ValueError(f"{kind} is a notification: see notification_email().")
    with translation.override(user.language):
        message = _build(
            user,
            subject=subject,
            template=template,
            context={**_common_context(user), **context, "kind": kind},
            reason=reason,
            what=kind,
        )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


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
