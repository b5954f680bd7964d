"""Who acts for a company, and who may approve an employee's work-time engagement.
Pages, services, tasks and the API ask here rather than writing the rule again.

- A company's staff are its managers and programme admins (``CompanyMember.STAFF_ROLES``).
- Programme admins approve every work-time engagement of their employer's people; a
  manager approves those of the employees they manage, or of anyone without a manager.
"""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from core.permissions import Actor
from missions.models import Application

from .models import CompanyMember

if TYPE_CHECKING:
    from accounts.models import User


def membership_for(user: "Actor | None", *, company_id: int | None = None) -> CompanyMember | None:
    """The person's membership (of ``company_id``, or their employer's first)."""
    if user is None or not user.is_authenticated:
        return None
    members = CompanyMember.objects.filter(user=user).select_related("company")
    if company_id is not None:
        members = members.filter(company_id=company_id)
    return members.order_by("pk").first()


def staff_memberships(user: "Actor | None") -> QuerySet[CompanyMember]:
    """The person's manager and programme-admin memberships, programme admin first."""
    if user is None or not user.is_authenticated:
        return CompanyMember.objects.none()
    return (
        CompanyMember.objects.filter(user=user, role__in=CompanyMember.STAFF_ROLES)
        .select_related("company")
        .order_by("-role", "pk")
    )


def staff_membership(
    user: "Actor | None", *, company_id: int | None = None
) -> CompanyMember | None:
    """The person's manager or programme-admin membership, if any (programme admin first)."""
    members = staff_memberships(user)
    if company_id is not None:
        members = members.filter(company_id=company_id)
    return members.first()


def approver_users(application: Application) -> list["User"]:
    """Who is asked to approve ``application``: the employee's manager, if one is set, and
    the employer's programme admins."""
    employer_id = application.volunteer.employer_id
    if employer_id is None:
        return []
    member = CompanyMember.objects.filter(
        company_id=employer_id, user_id=application.volunteer.user_id
    ).first()
    approvers = CompanyMember.objects.filter(company_id=employer_id).filter(
        Q(role=CompanyMember.Role.PROGRAMME_ADMIN)
        | Q(role=CompanyMember.Role.MANAGER, user_id=getattr(member, "manager_id", None))
    )
    return [m.user for m in approvers.select_related("user").order_by("pk") if m.user.is_active]


def can_approve(user: "Actor | None", application: Application) -> bool:
    """Programme admins of the employer approve every work-time engagement; a manager
    approves those of the employees they manage, or of any employee without a manager."""
    employer_id = application.volunteer.employer_id
    if employer_id is None or user is None or not user.is_authenticated:
        return False
    role = (
        CompanyMember.objects.filter(company_id=employer_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role == CompanyMember.Role.PROGRAMME_ADMIN:
        return True
    if role != CompanyMember.Role.MANAGER:
        return False
    manager_id = (
        CompanyMember.objects.filter(company_id=employer_id, user_id=application.volunteer.user_id)
        .values_list("manager_id", flat=True)
        .first()
    )
    return manager_id is None or manager_id == user.pk


def approvals_visible_to(member: CompanyMember) -> QuerySet[Application]:
    """The work-time applications ``member`` (a manager or programme admin) may decide."""
    applications = Application.objects.filter(
        is_work_time=True, volunteer__employer_id=member.company_id
    )
    if member.role == CompanyMember.Role.PROGRAMME_ADMIN:
        return applications
    managed_elsewhere = CompanyMember.objects.filter(
        company_id=member.company_id, manager__isnull=False
    ).exclude(manager_id=member.user_id)
    return applications.exclude(volunteer__user_id__in=managed_elsewhere.values("user_id"))
