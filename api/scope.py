"""Who is asking, and which organisations' private data they may see.

A request is made either by a person (session) or by an organisation's API key. A key
acts for its organisation only, never for the person who created it as a volunteer,
nor as platform staff: that person's other memberships do not leak through the key.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, cast

from django.db.models import Q, QuerySet

from associations.models import Association, AssociationMember
from companies.models import Company, CompanyMember
from core.permissions import Actor
from missions.models import Mission
from volunteers.models import VolunteerProfile

from .models import ApiKey

if TYPE_CHECKING:
    from accounts.models import User

COMPANY_ADMIN_ROLES = (CompanyMember.Role.PROGRAMME_ADMIN,)
COMPANY_APPROVER_ROLES = CompanyMember.STAFF_ROLES


@dataclass
class Requester:
    user: Actor
    key: ApiKey | None = None

    @classmethod
    def of(cls, request) -> "Requester":
        cached = getattr(request, "_probono_requester", None)
        if cached is None:
            auth = getattr(request, "auth", None)
            cached = cls(request.user, auth if isinstance(auth, ApiKey) else None)
            request._probono_requester = cached
        return cached

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @property
    def is_staff(self) -> bool:
        return (
            self.key is None
            and self.is_authenticated
            and cast("User", self.user).is_platform_staff  # signed in
        )

    @property
    def owner_tag(self) -> str:
        if self.key is not None:
            return f"key:{self.key.pk}"
        return f"user:{self.user.pk}" if self.is_authenticated else ""

    @cached_property
    def _associations(self) -> dict[int, bool]:
        """Each association acted for, and whether staff verified it (one query)."""
        if self.key is not None:
            association = self.key.association  # loaded with the key
            return {association.pk: association.is_verified} if association else {}
        if not self.is_authenticated:
            return {}
        rows = AssociationMember.objects.filter(user=cast("User", self.user)).values_list(
            "association_id", "association__verification_state"
        )
        return {pk: state == Association.State.VERIFIED for pk, state in rows}

    @property
    def association_ids(self) -> frozenset[int]:
        return frozenset(self._associations)

    @property
    def verified_association_ids(self) -> frozenset[int]:
        """The associations acted for that staff verified: only they see volunteers."""
        return frozenset(pk for pk, verified in self._associations.items() if verified)

    def _company_ids(self, roles) -> frozenset[int]:
        if self.key is not None:
            return frozenset({self.key.company_id} if self.key.company_id else ())
        if not self.is_authenticated:
            return frozenset()
        return frozenset(
            CompanyMember.objects.filter(user=cast("User", self.user), role__in=roles).values_list(
                "company_id", flat=True
            )
        )

    @cached_property
    def company_admin_ids(self) -> frozenset[int]:
        return self._company_ids(COMPANY_ADMIN_ROLES)

    @cached_property
    def company_approver_ids(self) -> frozenset[int]:
        return self._company_ids(COMPANY_APPROVER_ROLES)

    @cached_property
    def volunteer(self):
        if self.key is not None or not self.is_authenticated:
            return None

        return VolunteerProfile.objects.filter(user=cast("User", self.user)).first()


def administered_organisations(user) -> list:
    """Associations and companies ``user`` administers: they may manage keys and webhooks."""
    if not user.is_authenticated:
        return []
    associations = Association.objects.filter(
        members__user=user, members__role=AssociationMember.Role.ADMIN
    ).order_by("name")
    companies = Company.objects.filter(
        members__user=user, members__role__in=COMPANY_ADMIN_ROLES
    ).order_by("name")
    return [*associations, *companies]


def is_organisation_admin(user, organisation) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if isinstance(organisation, Association):
        return AssociationMember.objects.filter(
            association=organisation, user=user, role=AssociationMember.Role.ADMIN
        ).exists()
    return CompanyMember.objects.filter(
        company=organisation, user=user, role__in=COMPANY_ADMIN_ROLES
    ).exists()


def missions_in_reach(requester: Requester, missions: QuerySet[Mission]) -> QuerySet[Mission]:
    """The missions the API shows ``requester``: the public ones and every mission of
    their own associations (all of them to staff)."""
    if requester.is_staff:
        return missions
    return missions.filter(
        Q(state__in=Mission.PUBLIC_STATES) | Q(association_id__in=requester.association_ids)
    )


def documents_in_reach(requester: Requester) -> Q:
    """The same missions as :func:`missions_in_reach`, said on their search documents'
    columns (they hold each mission's state and association)."""
    if requester.is_staff:
        return Q()
    return Q(state__in=Mission.PUBLIC_STATES) | Q(association_id__in=requester.association_ids)
