from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The project's user model (AUTH_USER_MODEL, accounts.User) as django-stubs' plugin
    # resolves it: core sits below accounts, so it names the model without importing it.
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

# Whoever acts (request.user): a signed-in person or an anonymous visitor.
Actor: TypeAlias = "User | AnonymousUser"


def require(allowed: bool, message: "StrOrPromise") -> None:
    """Refuse an action with a message the person can read."""
    if not allowed:
        raise PermissionDenied(message)


def require_staff_for(actor: "Actor | None", departement_id: int | None) -> None:
    from django.utils.translation import gettext as _

    require(
        actor is not None
        and actor.is_authenticated
        and actor.can_moderate_departement(departement_id),
        _("Cette action est réservée à l'équipe de la plateforme pour ce territoire."),
    )
