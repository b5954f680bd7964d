"""Workflows of a person's own account."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import log_action

from .models import CalendarFeed, User


@transaction.atomic
def user_rename(*, user: User, first_name: str, last_name: str) -> User:
    """Set ``user``'s own first and last name (both required, spaces tidied)."""
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    errors = {}
    if not first_name:
        errors["first_name"] = _("Indiquez votre prénom.")
    if not last_name:
        errors["last_name"] = _("Indiquez votre nom.")
    if errors:
        raise ValidationError(errors)
    if (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        user.full_clean(exclude=["password"], validate_unique=False)
        user.save(update_fields=["first_name", "last_name"])
        log_action(user, "user.rename", actor=user)
    return user


# --- The personal calendar feed -------------------------------------------------------

# A feed polled every few minutes records its reads at most this often.
FEED_READ_RESOLUTION = datetime.timedelta(hours=1)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """Give ``user`` a new secret calendar address and return its token (shown once). An
    address they had stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, token_hash=_token_hash(token))
    log_action(user, "user.calendar_feed_create", actor=user)
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    """Stop ``user``'s calendar address; False if they had none."""
    deleted, _counts = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        log_action(user, "user.calendar_feed_revoke", actor=user)
    return bool(deleted)


def calendar_feed_owner(token: str) -> User | None:
    """The active person whose calendar address holds ``token``, or None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=_token_hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_read_at is None or now - feed.last_read_at > FEED_READ_RESOLUTION:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return feed.user
