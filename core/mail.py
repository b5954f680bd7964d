"""Every e-mail the platform sends, built one way.

An e-mail is a text part and an HTML part (``<template>.txt`` and ``<template>.html``,
which extend ``emails/base.txt`` and ``emails/base.html``), written in the recipient's
language, with the product's name (``SITE_NAME``) in the subject and the signature, and
a footer that says why the person receives it. E-mails a person may turn off (digests,
reminders, suggestions: the notifications) carry a one-click unsubscribe link, also in
the ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers (RFC 8058), so that mail
clients offer it; e-mails about the account itself (address confirmation, password
reset, invitations, verification decisions, the retention warning) do not.

The HTML part uses inline styles only (mail clients drop style sheets; the site's
Content-Security-Policy does not apply to mail): simple, one column, readable without
images, with its language declared.

    message = mail.build(
        to=user.email, language=user.language, name=user.first_name,
        subject=_("Votre récapitulatif"), template="emails/notifications/digest",
        context={...}, reason=_("Vous recevez cet e-mail parce que..."),
        unsubscribe_url=url,
    )
    message.send()
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

# What the layout (emails/base.*) reads; a template's own context must not hide them.
RESERVED_NAMES = frozenset(
    {
        "subject",
        "site_name",
        "site_url",
        "greeting_name",
        "reason",
        "unsubscribe_url",
        "unsubscribe_label",
        "preferences_url",
    }
)
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def subject_line(subject: str) -> str:
    """``[<site name>] <subject>`` on one line."""
    return one_line(f"[{settings.SITE_NAME}] {subject}")


def _tidy_text(text: str) -> str:
    # Templates leave blank lines where their tags were: at most one empty line in a row.
    text = _TRAILING_SPACE.sub("\n", text.replace("\r\n", "\n"))
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The headers of a one-click unsubscribe (RFC 2369 and RFC 8058): the mail client
    POSTs ``List-Unsubscribe=One-Click`` to ``url``, which needs no sign-in."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def build(
    *,
    to: str,
    language: str,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    reason: str,
    name: str = "",
    unsubscribe_url: str = "",
    unsubscribe_label: str = "",
    preferences_url: str = "",
) -> EmailMultiAlternatives:
    """The e-mail ``template`` (text and HTML) to ``to``, rendered in ``language``.

    ``subject`` (without the product's name, added here) and ``reason`` (the footer's
    "you receive this because...") are given already worded in ``language``; ``name``
    greets the person by their first name. ``unsubscribe_url``, for the e-mails a
    person may turn off, adds the link (``unsubscribe_label`` says what it turns off)
    and the one-click headers."""
    if not reason:
        raise ValueError("Every e-mail says why its recipient receives it.")
    reserved = RESERVED_NAMES.intersection(context)
    if reserved:
        raise ValueError(f"These names are the layout's own: {sorted(reserved)}.")
    full_subject = subject_line(subject)
    with translation.override(language):
        data = {
            **context,
            "subject": full_subject,
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "greeting_name": name,
            "reason": reason,
            "unsubscribe_url": unsubscribe_url,
            "unsubscribe_label": unsubscribe_label,
            "preferences_url": preferences_url,
        }
        text = _tidy_text(render_to_string(f"{template}.txt", data))
        html = render_to_string(f"{template}.html", data)
    headers = {"Auto-Submitted": "auto-generated", "Content-Language": language}
    if unsubscribe_url:
        headers.update(unsubscribe_headers(unsubscribe_url))
    message = EmailMultiAlternatives(subject=full_subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message
