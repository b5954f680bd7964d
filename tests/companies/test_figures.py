"""The companies' figures have one definition each: an employee's allowance reads the
same on every page and in the approval form's default, and every breakdown of a report
or export adds up to its total. Invariants checked over generated data."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.exports import report_csv, report_tables
from companies.models import Company, CompanyMember, Programme
from companies.reports import ReportScope, impact_report, split_evenly
from companies.selectors import (
    Allowance,
    ProgrammeBudget,
    allowance_for,
    allowances_of,
    planned_hours_default,
)
from missions.models import Application, HoursEntry
from taxonomy.models import Skill, SkillFamily
from tests import factories

from .conftest import HoursFactory, work_time_application

DB_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
quarters = st.integers(0, 12_000).map(lambda n: Decimal(n) / 4)


def _allowance(total: int, validated: Decimal, planned: Decimal) -> Allowance:
    return Allowance(
        company=Company(),
        year_start=datetime.date(2025, 1, 1),
        year_end=datetime.date(2025, 12, 31),
        total=total,
        validated=validated,
        planned=planned,
    )


# --- the allowance, as plain arithmetic -------------------------------------------------


@given(st.integers(0, 2000), quarters, quarters, st.integers(0, 2000))
def test_used_and_left_make_the_allowance(total, validated, planned, wanted):
    allowance = _allowance(total, validated, planned)
    assert allowance.used == validated + planned
    assert allowance.left >= 0 and allowance.over >= 0
    assert allowance.left == 0 or allowance.over == 0
    # used + left = allowance, the excess (when more was granted than allowed) apart.
    assert allowance.used + allowance.left == total + allowance.over
    assert 0 <= allowance.used_percent <= 100
    assert 0 <= allowance.grantable(wanted) <= min(wanted, allowance.left)


@given(
    st.integers(1, 200),
    st.one_of(st.none(), st.tuples(st.integers(0, 500), quarters, quarters)),
    st.one_of(st.none(), st.tuples(st.integers(0, 500), quarters, quarters)),
)
def test_the_form_default_never_exceeds_what_is_left(effort, allowance_of, budget_of):
    allowance = _allowance(*allowance_of) if allowance_of else None
    budget = (
        ProgrammeBudget(
            programme=Programme(), total=budget_of[0], used=budget_of[1], committed=budget_of[2]
        )
        if budget_of
        else None
    )
    default = planned_hours_default(effort, allowance, budget)
    assert 0 <= default <= effort
    if allowance is not None:
        assert default <= allowance.left
    if budget is not None:
        assert default <= budget.available


@given(st.integers(0, 10_000_000).map(lambda cents: Decimal(cents) / 100), st.integers(1, 7))
def test_shares_of_hours_add_up_to_the_hours(total, parts):
    shares = split_evenly(total, parts)
    assert len(shares) == parts
    assert sum(shares, Decimal(0)) == total
    assert max(shares) - min(shares) <= Decimal("0.01")
    assert all(share >= 0 for share in shares)


# --- the same figures on every page ------------------------------------------------------


@pytest.fixture
def stretched(company, employee):
    """An allowance of 21 h with 6.5 h validated and 15 h granted on a running
    engagement: 21.5 h used, nothing left, 0.5 h beyond the allowance."""
    CompanyMember.objects.filter(user=employee).update(allowance_hours_override=21)
    today = timezone.localdate()
    done = work_time_application(
        employee,
        factories.MissionFactory(),
        state="completed",
        approval_state="approved",
        planned_hours=6,
    )
    HoursFactory(application=done, date=today, hours=Decimal("6.5"))
    running = work_time_application(
        employee,
        factories.MissionFactory(),
        state="active",
        approval_state="approved",
        planned_hours=15,
    )
    pending = work_time_application(employee, factories.MissionFactory(effort_hours=22))
    return {"running": running, "pending": pending}


def test_the_allowance_reads_the_same_on_every_page(client, employee, programme_admin, stretched):
    allowance = allowance_for(employee)
    assert (allowance.validated, allowance.planned, allowance.left, allowance.over) == (
        Decimal("6.5"),
        Decimal("15"),
        0,
        Decimal("0.5"),
    )
    figures = "0 h restantes sur 21 h"
    client.force_login(programme_admin)
    approvals = client.get(reverse("companies:approvals")).content.decode()
    employees = client.get(reverse("companies:employees")).content.decode()
    for page in (approvals, employees):
        assert figures in page
        assert "6,5 h validées, 15 h accordées à venir" in page
        assert "0,5 h au-delà de l'enveloppe" in page
    # Nothing is left: the form proposes nothing and says why.
    field = f'name="a{stretched["pending"].pk}-planned_hours"'
    assert field in approvals
    tag = approvals[approvals.index(field) - 200 : approvals.index(field) + 200]
    assert "value=" not in tag
    assert "Plus aucune heure ne peut être accordée" in approvals
    client.force_login(employee)
    mine = client.get(reverse("companies:my_allowance")).content.decode()
    assert "Il vous reste <strong>0 h</strong> sur 21 h" in mine


def test_the_form_proposes_what_is_left_when_less_than_the_mission(
    client, employee, programme_admin, stretched
):
    Application.objects.filter(pk=stretched["running"].pk).update(state="withdrawn")
    client.force_login(programme_admin)
    approvals = client.get(reverse("companies:approvals")).content.decode()
    assert "14,5 h restantes sur 21 h" in approvals
    assert f'name="a{stretched["pending"].pk}-planned_hours" value="14"' in approvals
    assert "Au plus 14 h peuvent encore être accordées." in approvals


@DB_EXAMPLES
@given(
    st.integers(0, 80),
    st.lists(
        st.tuples(
            st.sampled_from(["applied", "active", "completed", "withdrawn"]),
            st.sampled_from(["approved", "pending", "refused"]),
            st.integers(1, 40),  # planned hours
            st.lists(
                st.tuples(
                    st.integers(-400, 0),  # days ago
                    st.integers(1, 32).map(lambda q: Decimal(q) / 4),
                    st.sampled_from(["validated", "submitted", "rejected"]),
                ),
                max_size=4,
            ),
        ),
        max_size=5,
    ),
)
def test_allowances_keep_their_invariants_over_any_history(company, employee, total, engagements):
    today = timezone.localdate()
    start, end = company.allowance_year(today)
    with transaction.atomic():
        member = CompanyMember.objects.get(user=employee)
        member.allowance_hours_override = total
        member.save()
        for state, approval, planned, hours in engagements:
            application = work_time_application(
                employee,
                factories.MissionFactory(),
                state=state,
                approval_state=approval,
                planned_hours=planned if approval == "approved" else None,
            )
            for days_ago, amount, hours_state in hours:
                HoursFactory(
                    application=application,
                    date=today + datetime.timedelta(days=days_ago),
                    hours=amount,
                    state=hours_state,
                )
        one = allowance_for(employee)
        many = allowances_of(company, [member]).get(employee.pk)
        transaction.set_rollback(True)
    if not total:
        assert one is None and many is None
        return
    assert one == many
    validated = sum(
        (
            amount
            for _s, _a, _p, hours in engagements
            for days_ago, amount, hours_state in hours
            if hours_state == "validated"
            and start <= today + datetime.timedelta(days=days_ago) <= end
        ),
        Decimal(0),
    )
    planned = sum(
        (
            max(
                Decimal(planned) - sum((a for _d, a, s in hours if s == "validated"), Decimal(0)),
                Decimal(0),
            )
            for state, approval, planned, hours in engagements
            if approval == "approved" and state in ("applied", "active")
        ),
        Decimal(0),
    )
    assert (one.validated, one.planned) == (validated, planned)
    assert one.used + one.left == total + one.over
    assert one.left >= 0 and (one.left == 0 or one.over == 0)


# --- reports add up ----------------------------------------------------------------------


@DB_EXAMPLES
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=3),  # families required by each mission
    st.lists(
        st.tuples(
            st.integers(0, 2),  # mission
            st.booleans(),  # on work time
            st.integers(0, 364),  # day of 2025
            st.integers(1, 40).map(lambda q: Decimal(q) / 4),
        ),
        max_size=12,
    ),
)
def test_report_totals_are_the_sums_of_their_rows(company, families, entries):
    year = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    with transaction.atomic():
        all_families = list(SkillFamily.objects.order_by("pk")[:3])
        missions = []
        for count in families:
            mission = factories.MissionFactory()
            for family in all_families[:count]:
                skill = Skill.objects.filter(family=family).order_by("pk").first()
                factories.MissionSkillFactory(mission=mission, skill=skill)
            missions.append(mission)
        applications: dict[tuple[int, bool], Application] = {}
        for index, work_time, day, hours in entries:
            mission = missions[index % len(missions)]
            key = (mission.pk, work_time)
            if key not in applications:
                applications[key] = factories.ApplicationFactory(
                    volunteer=factories.VolunteerFactory(
                        user=factories.CompanyMemberFactory(company=company).user,
                        employer=company,
                    ),
                    mission=mission,
                    state="active",
                    is_work_time=work_time,
                    approval_state="approved" if work_time else "not_required",
                    planned_hours=8 if work_time else None,
                )
            HoursFactory(
                application=applications[key],
                date=year[0] + datetime.timedelta(days=day),
                hours=hours,
                state=HoursEntry.State.VALIDATED,
            )
        report = impact_report(ReportScope(company=company, start=year[0], end=year[1]))
        tables = {title: rows for title, _header, rows in report_tables(report)}
        exported = report_csv(report)
        transaction.set_rollback(True)

    total = sum((hours for *_rest, hours in entries), Decimal(0))
    assert report.hours_validated == total
    assert sum((row["validated"] for row in report.by_month), Decimal(0)) == total
    assert sum((row["planned"] for row in report.by_month), Decimal(0)) == report.hours_planned
    for breakdown in (
        report.by_cause,
        report.by_skill_family,
        report.by_association,
        report.by_departement,
    ):
        assert sum((hours for _label, hours in breakdown), Decimal(0)) == total
    assert report.work_time_hours <= total
    # The exports carry the same rows: each table adds up to the summary's total.
    for title in ("Par cause", "Par famille de compétences", "Par association", "Par département"):
        assert sum(row[-1] for row in tables[title]) == pytest.approx(float(total))
    assert sum(row[2] for row in tables["Par mois"]) == pytest.approx(float(total))
    summary = dict(tables["Synthèse"])
    assert summary["Heures validées"] == pytest.approx(float(total))
    assert next(csv.reader(io.StringIO(exported.lstrip("\ufeff")), delimiter=";")) == ["Synthèse"]
