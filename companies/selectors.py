"""Read-only questions about companies: what is left of an allowance or of a programme's
hours budget, and who engaged how much. Who acts for a company is in ``access.py``."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from core.permissions import Actor
from missions.models import Application, HoursEntry
from volunteers.models import VolunteerProfile

from .models import Company, CompanyMember, CompanySSO, Programme, ReportSubscription

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Allowance:
    """An employee's yearly work-time allowance, in hours: the one definition that the
    employee's page, the approvals page, the employees page and the approval form use.

    ``used`` is what is validated this year plus what is granted on running engagements
    and not validated yet; ``left`` is what may still be granted. ``used + left`` is the
    allowance, except when more was granted than the allowance (it was lowered after an
    approval, or more hours were validated than planned): ``left`` is then 0 and the
    excess is ``over``.
    """

    company: Company
    year_start: datetime.date
    year_end: datetime.date
    total: int
    validated: Decimal  # validated hours of work-time engagements, dated this year
    planned: Decimal  # granted on running engagements and not validated yet

    @property
    def used(self) -> Decimal:
        return self.validated + self.planned

    @property
    def left(self) -> Decimal:
        return max(Decimal(self.total) - self.used, Decimal(0))

    @property
    def over(self) -> Decimal:
        return max(self.used - Decimal(self.total), Decimal(0))

    @property
    def used_percent(self) -> int:
        if not self.total:
            return 100
        return min(100, round(self.used * 100 / self.total))

    def grantable(self, wanted: int) -> int:
        """The most whole hours up to ``wanted`` that fit what is left (0 if none)."""
        return max(0, min(wanted, int(self.left)))


def allowance_for(user: "Actor | None", *, today: datetime.date | None = None) -> Allowance | None:
    """What is left of ``user``'s yearly allowance at their employer; None if they are not
    an employee of a company on the platform, or if no allowance is set (no limit)."""
    if user is None or not user.is_authenticated:
        return None
    profile_employer = (
        VolunteerProfile.objects.filter(user=user).values_list("employer_id", flat=True).first()
    )
    members = CompanyMember.objects.filter(user=user).select_related("company")
    member = None
    if profile_employer:
        member = members.filter(company_id=profile_employer).first()
    if member is None:
        member = members.order_by("pk").first()
    if member is None:
        return None
    return allowances_of(member.company, [member], today=today).get(member.user_id)


def allowances_of(
    company: Company, members: Iterable[CompanyMember], *, today: datetime.date | None = None
) -> dict[int, Allowance]:
    """The allowances of several members of ``company`` (by user id), in two queries.
    Members without an allowance (none set) are left out."""

    def total(member: CompanyMember) -> int:
        if member.allowance_hours_override is not None:
            return member.allowance_hours_override
        return company.yearly_allowance_hours

    members = [m for m in members if total(m)]
    if not members:
        return {}
    start, end = company.allowance_year(today or timezone.localdate())
    user_ids = [m.user_id for m in members]
    work_time = Application.objects.filter(
        volunteer__user_id__in=user_ids, volunteer__employer=company, is_work_time=True
    )
    validated = dict(
        HoursEntry.objects.filter(
            application__in=work_time,
            state=HoursEntry.State.VALIDATED,
            date__range=(start, end),
        )
        .values("application__volunteer__user_id")
        .annotate(total=Sum("hours"))
        .values_list("application__volunteer__user_id", "total")
    )
    running = work_time.filter(
        approval_state=Application.Approval.APPROVED,
        state__in=(
            Application.State.APPLIED,
            Application.State.WAITLISTED,
            Application.State.ACCEPTED,
            Application.State.ACTIVE,
        ),
        planned_hours__isnull=False,
    ).annotate(done=Sum("hours__hours", filter=Q(hours__state=HoursEntry.State.VALIDATED)))
    planned: dict[int, Decimal] = {}
    for user_id, granted, done in running.values_list(
        "volunteer__user_id", "planned_hours", "done"
    ):
        # planned_hours__isnull=False above
        not_validated = max(Decimal(cast(int, granted)) - (done or Decimal(0)), Decimal(0))
        planned[user_id] = planned.get(user_id, Decimal(0)) + not_validated
    return {
        m.user_id: Allowance(
            company=company,
            year_start=start,
            year_end=end,
            total=total(m),
            validated=validated.get(m.user_id) or Decimal(0),
            planned=planned.get(m.user_id, Decimal(0)),
        )
        for m in members
    }


@dataclass(frozen=True)
class ProgrammeBudget:
    """A programme's hours budget and what is already spent or promised from it."""

    programme: Programme
    total: int
    used: Decimal  # validated hours on the programme's missions
    committed: Decimal  # approved work-time hours of running engagements not validated yet

    @property
    def available(self) -> Decimal:
        """What approvers may still grant on the programme's missions."""
        return max(Decimal(self.total) - self.used - self.committed, Decimal(0))

    @property
    def granted(self) -> Decimal:
        return self.used + self.committed


def planned_hours_default(
    effort_hours: int, allowance: Allowance | None, budget: ProgrammeBudget | None
) -> int:
    """What the approval form proposes to grant: the mission's effort, capped by what is
    left of the employee's allowance and of the programme's budget (0: nothing fits)."""
    hours = effort_hours
    if allowance is not None:
        hours = min(hours, int(allowance.left))
    if budget is not None:
        hours = min(hours, int(budget.available))
    return max(hours, 0)


def programme_granted_hours(programme_id: int) -> tuple[Decimal, Decimal]:
    """``(used, committed)`` on a programme's missions: validated hours, and approved
    work-time hours of running engagements not validated yet."""
    on_programme = Application.objects.filter(mission__programme_id=programme_id)
    used = HoursEntry.objects.filter(
        application__in=on_programme, state=HoursEntry.State.VALIDATED
    ).aggregate(t=Sum("hours"))["t"] or Decimal(0)
    running = on_programme.filter(
        is_work_time=True,
        approval_state=Application.Approval.APPROVED,
        state__in=(
            Application.State.APPLIED,
            Application.State.WAITLISTED,
            Application.State.ACCEPTED,
            Application.State.ACTIVE,
        ),
        planned_hours__isnull=False,
    ).annotate(done=Sum("hours__hours", filter=Q(hours__state=HoursEntry.State.VALIDATED)))
    committed = sum(
        (
            max(Decimal(cast(int, planned)) - (done or Decimal(0)), Decimal(0))  # not null
            for planned, done in running.values_list("planned_hours", "done")
        ),
        Decimal(0),
    )
    return used, committed


def programme_budget(programme_id: int, *, lock: bool = False) -> ProgrammeBudget | None:
    """The budget of a programme; None when it has no hours budget (no limit).

    ``lock`` takes the programme's row lock (inside a transaction) so that concurrent
    approvals on the same programme are counted one after the other."""
    programmes = Programme.objects.select_for_update() if lock else Programme.objects
    programme = programmes.filter(pk=programme_id).first()
    if programme is None or not programme.hours_budget:
        return None
    used, committed = programme_granted_hours(programme_id)
    return ProgrammeBudget(
        programme=programme, total=programme.hours_budget, used=used, committed=committed
    )


# --- company single sign-on -------------------------------------------------------------


def sso_provider_id(company_id: int) -> str:
    """The allauth provider id of a company's OpenID Connect app (its callback URL)."""
    return f"company-{company_id}"


def email_domain(email: str) -> str:
    return (email or "").rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""


def _active_sso() -> QuerySet[CompanySSO]:
    return CompanySSO.objects.filter(is_enabled=True, company__verified_at__isnull=False)


def sso_for_email(email: str) -> CompanySSO | None:
    """The company sign-in that serves this address's domain, if one is turned on."""
    domain = email_domain(email)
    if not domain:
        return None
    return _active_sso().filter(domains__domain=domain).select_related("app", "company").first()


def sso_for_provider(provider_id: str) -> CompanySSO | None:
    """The company whose allauth app has this provider id (whether turned on or not)."""
    return (
        CompanySSO.objects.filter(app__provider_id=provider_id)
        .select_related("app", "company")
        .first()
    )


def sso_allowed_domains(sso: CompanySSO) -> set[str]:
    return set(sso.domains.values_list("domain", flat=True))


def sso_mandatory_company(emails: Iterable[str]) -> Company | None:
    """The company that requires its own sign-in of one of these addresses, if any."""
    domains = {email_domain(email) for email in emails} - {""}
    if not domains:
        return None
    sso = (
        _active_sso()
        .filter(is_mandatory=True, domains__domain__in=domains)
        .select_related("company")
        .first()
    )
    return sso.company if sso else None


def with_report_frequency(members: QuerySet[CompanyMember]) -> QuerySet[CompanyMember]:
    """``members`` with ``report_frequency``: how often each receives their company's
    impact report by e-mail (None: not at all), in the same query."""
    return members.annotate(
        report_frequency=Subquery(
            ReportSubscription.objects.filter(
                user_id=OuterRef("user_id"), company_id=OuterRef("company_id")
            ).values("frequency")[:1]
        )
    )
