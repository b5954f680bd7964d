"""Workflows of a person's own account."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import log_action

from .models import User


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
