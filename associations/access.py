"""Who may see and who may act for an association. Pages, services, the API and
exports ask here rather than writing the rule again.

- Anyone sees a verified association (``Association.objects.verified()``).
- Its members act for it; its admins also manage its members, keys and verification.
"""

from django.db.models import QuerySet

from core.permissions import Actor

from .models import Association, AssociationMember


def managed_by(user: "Actor", *, admin_only: bool = False) -> QuerySet[Association]:
    """The associations ``user`` is a member (or an admin) of, by name."""
    if not user.is_authenticated:
        return Association.objects.none()
    members = AssociationMember.objects.filter(user=user)
    if admin_only:
        members = members.filter(role=AssociationMember.Role.ADMIN)
    return Association.objects.filter(pk__in=members.values("association")).order_by("name")
