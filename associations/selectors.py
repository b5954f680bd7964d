"""Read-only queries about associations."""

from .models import Association


def member_associations(user):
    return Association.objects.filter(members__user=user).order_by("name").distinct()
