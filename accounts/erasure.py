"""A person leaves: their account is anonymised, never cascaded away.

Their engagements, hours and evaluations stay, attached to an anonymous account, so
that the figures companies and associations report do not change; what identifies
them (name, e-mail address, profile, the texts they wrote) is erased in every app
that holds a part (:mod:`accounts.personal_data`), and the audit log keeps the action
without their data.
"""

import secrets
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import ActionLog, log_action

from .models import AccountRetention, CalendarFeed, User
from .personal_data import Erasure, audit_entries, providers

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from core.permissions import Actor

# A reserved top-level domain (RFC 2606): mail to it can never be delivered.
ANONYMOUS_DOMAIN = "anonyme.invalid"
ANONYMOUS_NAME = "[anonyme]"


class Reason:
    """Why an account was anonymised, as the audit log records it."""

    SELF = "self"
    STAFF = "staff"
    RETENTION = "retention"


def is_anonymised(user: User) -> bool:
    return user.email.endswith(f"@{ANONYMOUS_DOMAIN}")


def deletion_refusals(user: User) -> list["StrOrPromise"]:
    """Why ``user`` may not delete their account yet (e.g. they are the only
    administrator of an association); empty when they may."""
    return [reason for provider in providers() for reason in provider.refusals(user)]


def _erasure(user: User) -> Erasure:
    full_name = user.get_full_name()
    identifiers = tuple(
        value
        for value in (
            user.email,
            full_name,
            f"{user.last_name} {user.first_name}".strip(),
        )
        if value
    )
    return Erasure(
        user=user,
        identifiers=identifiers,
        names=tuple(name for name in (user.first_name, user.last_name) if name),
        replacement=ANONYMOUS_NAME,
    )


def _scrub_logs(erasure: Erasure, audit_ids: list[int]) -> None:
    """The audit log and the admin's history keep what happened, not who the person was."""
    erasure.scrub_rows(ActionLog.objects.filter(pk__in=audit_ids), "data", about_them=True)
    erasure.scrub_rows(ActionLog.objects.filter(erasure.mentions("data")), "data")
    erasure.scrub_rows(
        LogEntry.objects.filter(erasure.mentions("object_repr", "change_message")),
        "object_repr",
        "change_message",
    )


@transaction.atomic
def user_anonymise(*, user_id: int, actor: "Actor | None", reason: str) -> User:
    """Anonymise a person everywhere; running it again on them changes nothing."""
    user = User.objects.select_for_update().get(pk=user_id)
    if is_anonymised(user):
        return user
    erasure = _erasure(user)
    # Read before the providers drop rows that are theirs (invitations, favourites).
    audit_ids = list(audit_entries(user).values_list("pk", flat=True))
    for provider in providers():
        provider.erase(erasure)
    for provider in providers():
        provider.scrub(erasure)
    _scrub_logs(erasure, audit_ids)

    EmailAddress.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    user.email = f"anonyme-{user.pk}-{secrets.token_hex(6)}@{ANONYMOUS_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.signup_role = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_referent = False
    user.set_unusable_password()
    user.save()
    user.referent_departements.clear()
    user.referent_regions.clear()
    user.groups.clear()
    user.user_permissions.clear()
    AccountRetention.objects.update_or_create(
        user=user, defaults={"anonymised_at": timezone.now(), "keep_until": None}
    )
    log_action(user, "user.anonymise", actor=actor, data={"reason": reason})
    return user


def account_delete(*, user: User, password: str) -> User:
    """The person deletes their own account, after typing their password again."""
    if not user.is_authenticated or is_anonymised(user):
        raise PermissionDenied(_("Ce compte n'existe plus."))
    if not password or not user.check_password(password):
        raise ValidationError(
            {"password": _("Mot de passe incorrect : votre compte n'a pas été supprimé.")}
        )
    refusals = deletion_refusals(user)
    if refusals:
        raise PermissionDenied(" ".join(str(reason) for reason in refusals))
    return user_anonymise(user_id=user.pk, actor=user, reason=Reason.SELF)
