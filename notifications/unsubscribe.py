"""One-click unsubscribe links: signed, they work without signing in.

A link names a person and what it turns off: one kind of notification e-mail, or the
daily digest (``DIGEST``). It does not expire (an old e-mail must still let its reader
stop the next ones), and it only ever turns e-mails off, so a leaked link can do no
more than that. Signatures made with a retired key still check
(``SECRET_KEY_FALLBACKS``)."""

from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from .models import Notification, NotificationPreference

SALT = "notifications.unsubscribe"
DIGEST = "digest"


@dataclass(frozen=True)
class Unsubscription:
    user_id: int
    what: str  # a notification kind, or DIGEST


def subjects() -> list[str]:
    """What a link may turn off: each kind that is e-mailed, and the digest."""
    return [str(kind) for kind in NotificationPreference.emailable_kinds()] + [DIGEST]


def make_token(user_id: int, what: str) -> str:
    if what not in subjects():
        raise ValueError(f"Nothing to unsubscribe from called {what!r}.")
    return signing.dumps([user_id, what], salt=SALT, compress=False)


def read_token(token: str) -> Unsubscription | None:
    """What ``token`` turns off; None if it was not signed by us or names nothing."""
    try:
        user_id, what = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or what not in subjects():
        return None
    return Unsubscription(user_id=user_id, what=what)


def label(what: str) -> str:
    """What the link turns off, in the active language."""
    if what == DIGEST:
        return _("Ne plus recevoir le récapitulatif quotidien")
    return _("Ne plus recevoir les e-mails « %(kind)s »") % {"kind": Notification.Kind(what).label}
