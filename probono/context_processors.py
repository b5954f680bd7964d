"""What every page's navigation needs: which personal spaces the signed-in person has."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.models import User
from associations.access import managed_by
from associations.models import AssociationMember
from companies.models import CompanyMember
from companies.programmes import open_to_associations
from volunteers.models import VolunteerProfile


@dataclass(frozen=True)
class Spaces:
    """Which personal spaces the navigation offers the signed-in person."""

    volunteer: bool = False
    association: bool = False
    company_role: str = ""
    unread_notifications: int = 0
    # Company programmes that one of the person's associations may submit a mission to.
    open_programmes: int = 0

    @property
    def company_staff(self) -> bool:
        return self.company_role in CompanyMember.STAFF_ROLES


def _spaces_for(user) -> Spaces:
    if not user.is_authenticated:
        return Spaces()
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            is_volunteer=Exists(VolunteerProfile.objects.filter(user=OuterRef("pk"))),
            is_association_member=Exists(AssociationMember.objects.filter(user=OuterRef("pk"))),
            company_role=Subquery(
                CompanyMember.objects.filter(user=OuterRef("pk"))
                .order_by("-role")
                .values("role")[:1]
            ),
            unread=Count("notifications", filter=Q(notifications__read_at__isnull=True)),
        )
        .values("is_volunteer", "is_association_member", "company_role", "unread")
        .get()
    )
    open_programmes = 0
    if row["is_association_member"]:
        open_programmes = open_to_associations(managed_by(user), timezone.localdate()).count()
    return Spaces(
        volunteer=row["is_volunteer"],
        association=row["is_association_member"],
        company_role=row["company_role"] or "",
        unread_notifications=row["unread"],
        open_programmes=open_programmes,
    )


def spaces(request):
    """One query, made only when a template reads ``spaces``."""
    return {"spaces": SimpleLazyObject(lambda: _spaces_for(request.user))}
