"""Impact reports for company and foundation staff: pure aggregations returning plain data.

What counts, so that every figure can be checked by hand:

- the company's engagements are the applications of its employees (``employer``) and
  those on missions of its own programmes;
- hours *validated* are validated hour entries dated in the period; hours *planned* are
  the hours employers granted when approving work-time applications made in the period;
- an employee is *engaged* when they have validated hours in the period; the
  participation rate divides by the company's members;
- an association is *helped*, and a mission *completed*, when it received validated
  hours in the period (and, for a mission, is completed);
- evaluations are the associations' own, written in the period;
- the valuation multiplies each employee's validated work-time hours by their loaded
  hourly cost (their cost band's, or the company's); the tax estimate applies the rules
  of ``settings.TAX_SPONSORSHIP_RULES`` (CGI art. 238 bis), each with its source.

Hours of a mission needing skills of several families are shared equally between them,
to the cent, so that every breakdown adds up to the hours validated.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from missions.models import Application, Evaluation, HoursEntry, Mission, MissionSkill

from .models import Company, CompanyMember


def _name_field() -> str:
    """Causes and skill families are named in the reader's language."""
    return "name_en" if (get_language() or "fr").startswith("en") else "name_fr"


CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ReportScope:
    company: Company
    start: datetime.date
    end: datetime.date
    programme_id: int | None = None
    site: str = ""
    departement_code: str = ""


@dataclass
class TaxEstimate:
    base: Decimal  # valuation within the salary cap
    reduction_before_ceiling: Decimal
    ceiling: Decimal
    ceiling_from_turnover: bool
    reduction: Decimal
    carried_forward: Decimal
    hourly_cap: Decimal
    rules: dict


@dataclass
class ImpactReport:
    scope: ReportScope
    hours_planned: Decimal
    hours_validated: Decimal
    by_month: list[dict]  # {"month": date, "planned": Decimal, "validated": Decimal}
    by_cause: list[tuple[str, Decimal]]
    by_skill_family: list[tuple[str, Decimal]]
    by_association: list[tuple[str, Decimal]]
    by_departement: list[tuple[str, Decimal]]
    employees: int
    employees_engaged: int
    associations_helped: int
    missions_completed: int
    evaluations: int
    average_rating: Decimal | None
    objectives_met_share: Decimal | None
    skill_transfer_share: Decimal | None
    work_time_hours: Decimal
    valuation: Decimal
    tax: TaxEstimate
    extra: dict = field(default_factory=dict)

    @property
    def participation_rate(self) -> Decimal | None:
        if not self.employees:
            return None
        return (Decimal(self.employees_engaged) / self.employees).quantize(Decimal("0.0001"))


def tax_rules() -> dict[str, Decimal]:
    # Each rule's value is a decimal written as a string.
    return {
        key: Decimal(cast(str, rule["value"]))
        for key, rule in settings.TAX_SPONSORSHIP_RULES.items()
    }


def engagements(scope: ReportScope):
    """The company's engagements, narrowed by programme, site and département."""
    company = scope.company
    applications = Application.objects.filter(
        Q(volunteer__employer=company) | Q(mission__programme__company=company)
    )
    if scope.programme_id:
        applications = applications.filter(mission__programme_id=scope.programme_id)
    if scope.site:
        on_site = CompanyMember.objects.filter(company=company, site=scope.site)
        applications = applications.filter(
            volunteer__employer=company, volunteer__user_id__in=on_site.values("user_id")
        )
    if scope.departement_code:
        applications = applications.filter(
            Q(mission__departement__code=scope.departement_code)
            | Q(
                mission__departement__isnull=True,
                mission__association__departement__code=scope.departement_code,
            )
        )
    return applications


def _validated_hours(scope: ReportScope):
    return HoursEntry.objects.filter(
        application__in=engagements(scope),
        state=HoursEntry.State.VALIDATED,
        date__range=(scope.start, scope.end),
    )


def validated_hours_total(scope: ReportScope) -> Decimal:
    """The report's validated hours alone, in one query (the dashboard's figure)."""
    return _validated_hours(scope).aggregate(t=Sum("hours"))["t"] or Decimal(0)


def _sorted(totals: dict) -> list[tuple[str, Decimal]]:
    return sorted(((k, v) for k, v in totals.items() if v), key=lambda kv: (-kv[1], kv[0]))


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` (to the cent) in ``parts`` shares to the cent that add up to it exactly:
    the first shares take the odd cents."""
    cents = int((total / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    base, odd = divmod(cents, parts)
    return [(base + (1 if i < odd else 0)) * CENT for i in range(parts)]


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    site: str
    hourly_cost: Decimal  # their cost band's, else the company's


def member_rows(company: Company) -> list[MemberRow]:
    """The company's members with their site and loaded hourly cost, in one query."""
    return [
        MemberRow(user_id, site, band_cost if band_cost is not None else company.loaded_hourly_cost)
        for user_id, site, band_cost in CompanyMember.objects.filter(company=company).values_list(
            "user_id", "site", "cost_band__hourly_cost"
        )
    ]


def tax_estimate(company: Company, hours_by_cost: list[tuple[Decimal, Decimal]]) -> TaxEstimate:
    """The corporate sponsorship tax reduction for work-time hours given as
    ``(hours, loaded hourly cost)`` pairs, under ``settings.TAX_SPONSORSHIP_RULES``."""
    rules = tax_rules()
    hourly_cap = rules["salary_cap_pass_multiple"] * rules["pass"] / rules["annual_working_hours"]
    base = sum((hours * min(cost, hourly_cap) for hours, cost in hours_by_cost), Decimal(0))
    base = _money(base)
    threshold = rules["reduced_rate_threshold"]
    reduction = (
        min(base, threshold) * rules["rate"]
        + cast(Decimal, max(base - threshold, 0)) * rules["reduced_rate"]
    )
    reduction = _money(reduction)
    from_turnover = company.annual_turnover is not None
    turnover_ceiling = (company.annual_turnover or Decimal(0)) * rules["ceiling_turnover_share"]
    ceiling = _money(max(rules["ceiling_fixed"], turnover_ceiling))
    kept = min(reduction, ceiling)
    return TaxEstimate(
        base=base,
        reduction_before_ceiling=reduction,
        ceiling=ceiling,
        ceiling_from_turnover=from_turnover and turnover_ceiling > rules["ceiling_fixed"],
        reduction=kept,
        carried_forward=reduction - kept,
        hourly_cap=_money(hourly_cap),
        rules=settings.TAX_SPONSORSHIP_RULES,
    )


def impact_report(scope: ReportScope, members: list[MemberRow] | None = None) -> ImpactReport:
    """Every figure of the impact report, in five queries (four with ``members`` given):
    the validated hours grouped once by everything the report breaks them down by, then
    summed in Python."""
    company = scope.company
    members = member_rows(company) if members is None else members
    costs = {m.user_id: m.hourly_cost for m in members}
    cause_name = f"application__mission__cause__{_name_field()}"

    rows = list(
        _validated_hours(scope)
        .annotate(
            dep_code=Coalesce(
                "application__mission__departement__code",
                "application__mission__association__departement__code",
            ),
            dep_name=Coalesce(
                "application__mission__departement__name",
                "application__mission__association__departement__name",
            ),
        )
        .values(
            "date",
            "application__mission_id",
            "application__mission__state",
            cause_name,
            "application__mission__association_id",
            "application__mission__association__name",
            "dep_code",
            "dep_name",
            "application__volunteer__user_id",
            "application__volunteer__employer_id",
            "application__is_work_time",
        )
        .annotate(t=Sum("hours"))
        .order_by()
    )

    planned_rows = list(
        engagements(scope)
        .filter(
            is_work_time=True,
            approval_state=Application.Approval.APPROVED,
            planned_hours__isnull=False,
            created_at__date__range=(scope.start, scope.end),
        )
        .values_list("created_at", "planned_hours")
    )

    months: dict[datetime.date, dict[str, Any]] = {
        m: {"month": m, "planned": Decimal(0), "validated": Decimal(0)}
        for m in _months(scope.start, scope.end)
    }
    for created, planned in planned_rows:
        month = _local_date(created).replace(day=1)
        if month in months:
            months[month]["planned"] += Decimal(planned)
    hours_planned = sum((Decimal(p) for _c, p in planned_rows), Decimal(0))

    hours_validated = Decimal(0)
    by_cause: dict[str, Decimal] = defaultdict(Decimal)
    by_association: dict[str, Decimal] = defaultdict(Decimal)
    by_departement: dict[str, Decimal] = defaultdict(Decimal)
    per_mission: dict[int, Decimal] = defaultdict(Decimal)
    per_worker: dict[int, Decimal] = defaultdict(Decimal)  # work-time hours by employee
    engaged, associations, completed = set(), set(), set()
    for row in rows:
        hours = row["t"]
        hours_validated += hours
        months[row["date"].replace(day=1)]["validated"] += hours
        by_cause[row[cause_name]] += hours
        by_association[row["application__mission__association__name"]] += hours
        dep = f"{row['dep_code']} {row['dep_name']}" if row["dep_code"] else "—"
        by_departement[dep] += hours
        mission_id = row["application__mission_id"]
        per_mission[mission_id] += hours
        associations.add(row["application__mission__association_id"])
        if row["application__mission__state"] == Mission.State.COMPLETED:
            completed.add(mission_id)
        if row["application__volunteer__employer_id"] == company.pk:
            user_id = row["application__volunteer__user_id"]
            engaged.add(user_id)
            if row["application__is_work_time"]:
                per_worker[user_id] += hours

    families: dict[int, set[str]] = defaultdict(set)
    for mission_id, family in MissionSkill.objects.filter(
        mission_id__in=list(per_mission), importance=MissionSkill.Importance.REQUIRED
    ).values_list("mission_id", f"skill__family__{_name_field()}"):
        families[mission_id].add(family)
    by_family: dict[str, Decimal] = defaultdict(Decimal)
    for mission_id, total in per_mission.items():
        names = sorted(families.get(mission_id, ())) or ["—"]
        for name, share in zip(names, split_evenly(total, len(names)), strict=True):
            by_family[name] += share

    employee_count = sum(1 for m in members if not scope.site or m.site == scope.site)

    evaluations = Evaluation.objects.filter(
        application__in=engagements(scope),
        side=Evaluation.Side.ASSOCIATION,
        created_at__date__range=(scope.start, scope.end),
    ).aggregate(
        n=Count("pk"),
        avg=Avg("rating"),
        met=Count("pk", filter=Q(objectives=Evaluation.Objectives.MET)),
        answered=Count("pk", filter=Q(can_continue_alone__isnull=False)),
        alone=Count("pk", filter=Q(can_continue_alone=True)),
    )
    n = evaluations["n"]
    average = (
        Decimal(str(evaluations["avg"])).quantize(Decimal("0.01")) if evaluations["avg"] else None
    )
    met_share = (Decimal(evaluations["met"]) / n).quantize(Decimal("0.0001")) if n else None
    alone_share = (
        (Decimal(evaluations["alone"]) / evaluations["answered"]).quantize(Decimal("0.0001"))
        if evaluations["answered"]
        else None
    )

    hours_by_cost = [
        (hours, costs.get(user_id, company.loaded_hourly_cost))
        for user_id, hours in sorted(per_worker.items())
    ]
    work_time_hours = sum((h for h, _c in hours_by_cost), Decimal(0))
    valuation = _money(sum((h * c for h, c in hours_by_cost), Decimal(0)))

    return ImpactReport(
        scope=scope,
        hours_planned=hours_planned,
        hours_validated=hours_validated,
        by_month=list(months.values()),
        by_cause=_sorted(by_cause),
        by_skill_family=_sorted(by_family),
        by_association=_sorted(by_association),
        by_departement=_sorted(by_departement),
        employees=employee_count,
        employees_engaged=len(engaged),
        associations_helped=len(associations),
        missions_completed=len(completed),
        evaluations=n,
        average_rating=average,
        objectives_met_share=met_share,
        skill_transfer_share=alone_share,
        work_time_hours=work_time_hours,
        valuation=valuation,
        tax=tax_estimate(company, hours_by_cost),
    )


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def association_yearly_summary(association, year: int) -> list[dict]:
    """Per company, the work-time engagements an association received in ``year``:
    validated hours and their valuation at each employee's loaded hourly cost. What the
    association needs to issue its receipts (reçus fiscaux)."""
    rows: Iterable[dict[str, Any]] = (
        HoursEntry.objects.filter(
            application__mission__association=association,
            application__is_work_time=True,
            application__volunteer__employer__isnull=False,
            state=HoursEntry.State.VALIDATED,
            date__year=year,
        )
        .values(
            company_id=F("application__volunteer__employer_id"),
            user_id=F("application__volunteer__user_id"),
        )
        .annotate(hours=Sum("hours"), engagements=Count("application_id", distinct=True))
    )
    rows = list(rows)
    companies = {c.pk: c for c in Company.objects.filter(pk__in={r["company_id"] for r in rows})}
    band_costs = {
        (company_id, user_id): cost
        for company_id, user_id, cost in CompanyMember.objects.filter(
            company_id__in=list(companies), cost_band__isnull=False
        ).values_list("company_id", "user_id", "cost_band__hourly_cost")
    }
    summary: dict[int, dict] = {}
    for row in rows:
        company = companies[row["company_id"]]
        cost = band_costs.get((company.pk, row["user_id"]), company.loaded_hourly_cost)
        entry = summary.setdefault(
            company.pk,
            {
                "company": company,
                "hours": Decimal(0),
                "valuation": Decimal(0),
                "volunteers": 0,
                "engagements": 0,
            },
        )
        entry["hours"] += row["hours"]
        entry["valuation"] += row["hours"] * cost
        entry["volunteers"] += 1
        entry["engagements"] += row["engagements"]
    for entry in summary.values():
        entry["valuation"] = _money(entry["valuation"])
    return sorted(summary.values(), key=lambda e: e["company"].name)
