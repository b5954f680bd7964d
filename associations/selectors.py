"""Read-only queries about associations."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Association

if TYPE_CHECKING:
    from accounts.models import User


def member_associations(user: "User") -> QuerySet[Association]:
    return Association.objects.filter(members__user=user).order_by("name").distinct()
