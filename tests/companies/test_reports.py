"""Report figures against values computed by hand (see each comment)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from associations.models import Association
from companies.models import CompanyMember
from companies.reports import ReportScope, association_yearly_summary, impact_report, tax_estimate
from missions.models import Application, Evaluation, HoursEntry, Mission
from taxonomy.models import Cause, Departement, Skill, SkillFamily
from tests import factories

from .conftest import CostBandFactory, EvaluationFactory, HoursFactory

YEAR = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def world(company):
    """Two employees engaged on two missions; see test_figures for the arithmetic."""
    f1, f2 = SkillFamily.objects.order_by("pk")[:2]
    s1 = Skill.objects.filter(family=f1).order_by("pk").first()
    s2 = Skill.objects.filter(family=f2).order_by("pk").first()
    c1, c2 = Cause.objects.order_by("pk")[:2]
    a1 = factories.AssociationFactory(name="Les Ateliers")  # Rhône (69)
    a2 = factories.AssociationFactory(
        name="Paris Solidaire",
        city="Paris",
        postcode="75011",
        departement=Departement.objects.get(code="75"),
    )
    programme = company.programmes.create(
        name="Semaine", kind="week", starts_on=YEAR[0], ends_on=YEAR[1]
    )
    m1 = factories.MissionFactory(association=a1, cause=c1, state=Mission.State.COMPLETED)
    factories.MissionSkillFactory(mission=m1, skill=s1)
    factories.MissionSkillFactory(mission=m1, skill=s2)
    m2 = factories.MissionFactory(
        association=a2, cause=c2, state=Mission.State.IN_PROGRESS, programme=programme
    )
    factories.MissionSkillFactory(mission=m2, skill=s1)

    experts = CostBandFactory(company=company, name="Experts", hourly_cost=Decimal("120"))
    alice = factories.CompanyMemberFactory(company=company, cost_band=experts, site="Lyon").user
    bob = factories.CompanyMemberFactory(company=company, site="Paris").user
    factories.CompanyMemberFactory(company=company, site="Lyon")  # carol, not engaged
    factories.CompanyMemberFactory(company=company, role=CompanyMember.Role.MANAGER)
    for user in (alice, bob):
        factories.VolunteerFactory(user=user, employer=company)

    approved = {"is_work_time": True, "approval_state": Application.Approval.APPROVED}
    alice_m1 = factories.ApplicationFactory(
        volunteer=alice.volunteer_profile,
        mission=m1,
        state="completed",
        planned_hours=20,
        **approved,
    )
    bob_m2 = factories.ApplicationFactory(
        volunteer=bob.volunteer_profile, mission=m2, state="active", planned_hours=10, **approved
    )
    bob_m1 = factories.ApplicationFactory(
        volunteer=bob.volunteer_profile, mission=m1, state="completed"
    )  # personal time
    Application.objects.update(created_at=aware(datetime.date(2025, 2, 14)))

    HoursFactory(application=alice_m1, date=datetime.date(2025, 3, 10), hours=Decimal("10"))
    HoursFactory(application=alice_m1, date=datetime.date(2025, 4, 2), hours=Decimal("6"))
    HoursFactory(application=bob_m2, date=datetime.date(2025, 4, 15), hours=Decimal("4"))
    HoursFactory(application=bob_m1, date=datetime.date(2025, 3, 20), hours=Decimal("2"))
    # Not counted: submitted, rejected, or outside the period.
    HoursFactory(application=bob_m2, hours=Decimal("5"), state=HoursEntry.State.SUBMITTED)
    HoursFactory(application=bob_m2, hours=Decimal("7"), state=HoursEntry.State.REJECTED)
    HoursFactory(application=alice_m1, date=datetime.date(2024, 12, 20), hours=Decimal("3"))

    EvaluationFactory(application=alice_m1, rating=5, objectives="met", can_continue_alone=True)
    EvaluationFactory(application=bob_m1, rating=3, objectives="partly", can_continue_alone=False)
    EvaluationFactory(application=alice_m1, side=Evaluation.Side.VOLUNTEER, rating=1)
    Evaluation.objects.update(created_at=aware(datetime.date(2025, 6, 1)))
    return {"programme": programme, "f1": f1, "f2": f2, "c1": c1, "c2": c2}


def test_figures_match_the_hand_computed_values(company, world):
    report = impact_report(ReportScope(company=company, start=YEAR[0], end=YEAR[1]))
    # 10 + 6 + 4 + 2 validated in 2025; 20 + 10 granted on approval.
    assert report.hours_validated == Decimal("22")
    assert report.hours_planned == Decimal("30")
    months = {row["month"].month: row for row in report.by_month}
    assert len(months) == 12
    assert months[2]["planned"] == Decimal("30")
    assert months[3]["validated"] == Decimal("12")  # 10 + 2
    assert months[4]["validated"] == Decimal("10")  # 6 + 4
    assert months[5]["validated"] == 0
    assert report.by_cause == [(world["c1"].name_fr, Decimal("18")), (world["c2"].name_fr, 4)]
    # m1's 18 hours shared between its two families; m2's 4 go to the first.
    assert dict(report.by_skill_family) == {
        world["f1"].name_fr: Decimal("13"),
        world["f2"].name_fr: Decimal("9"),
    }
    assert report.by_association == [("Les Ateliers", 18), ("Paris Solidaire", 4)]
    assert [name for name, _h in report.by_departement] == ["69 Rhône", "75 Paris"]
    # Four members (alice, bob, carol, a manager), two engaged.
    assert report.employees == 4
    assert report.employees_engaged == 2
    assert report.participation_rate == Decimal("0.5")
    assert report.associations_helped == 2
    assert report.missions_completed == 1  # m2 is still in progress
    # The associations' evaluations only: ratings 5 and 3, one of two objectives met.
    assert report.evaluations == 2
    assert report.average_rating == Decimal("4.00")
    assert report.objectives_met_share == Decimal("0.5")
    assert report.skill_transfer_share == Decimal("0.5")
    # Work time: alice 16 h at her band's 120 €, bob 4 h at the company's 50 €.
    assert report.work_time_hours == Decimal("20")
    assert report.valuation == Decimal("2120.00")
    # Salary cap: 3 × 47,100 € / 1,607 h = 87.93 €/h for alice's hours.
    # 16 × 141,300 / 1,607 + 4 × 50 = 1,406.85 + 200 = 1,606.85; 60 % = 964.11.
    assert report.tax.hourly_cap == Decimal("87.93")
    assert report.tax.base == Decimal("1606.85")
    assert report.tax.reduction == Decimal("964.11")
    # Ceiling: 0.5 % of 10 M€ = 50,000 €, above the fixed 20,000 €.
    assert report.tax.ceiling == Decimal("50000.00")
    assert report.tax.ceiling_from_turnover
    assert report.tax.carried_forward == 0


def test_filters_narrow_every_figure(company, world):
    lyon = impact_report(ReportScope(company=company, start=YEAR[0], end=YEAR[1], site="Lyon"))
    assert lyon.hours_validated == Decimal("16")
    assert lyon.employees == 2  # alice and carol work in Lyon
    assert lyon.employees_engaged == 1
    assert lyon.valuation == Decimal("1920.00")

    programme = impact_report(
        ReportScope(company=company, start=YEAR[0], end=YEAR[1], programme_id=world["programme"].pk)
    )
    assert programme.hours_validated == Decimal("4")
    assert programme.hours_planned == Decimal("10")

    paris = impact_report(
        ReportScope(
            company=company,
            start=YEAR[0],
            end=YEAR[1],
            departement_code="75",
        )
    )
    assert paris.hours_validated == Decimal("4")
    assert paris.associations_helped == 1

    march = impact_report(
        ReportScope(
            company=company, start=datetime.date(2025, 3, 1), end=datetime.date(2025, 3, 31)
        )
    )
    assert march.hours_validated == Decimal("12")
    assert march.hours_planned == 0
    assert [row["month"] for row in march.by_month] == [datetime.date(2025, 3, 1)]


def test_another_companys_engagements_are_not_counted(company, world):
    other = factories.CompanyFactory()
    report = impact_report(ReportScope(company=other, start=YEAR[0], end=YEAR[1]))
    assert report.hours_validated == 0
    assert report.employees == 0
    assert report.participation_rate is None
    assert report.average_rating is None


def test_tax_reduction_is_capped_and_the_excess_carried_forward(company):
    company.annual_turnover = None
    # 1,000 h at 60 €/h = 60,000 €; 60 % = 36,000 €, above the fixed 20,000 € ceiling.
    estimate = tax_estimate(company, [(Decimal("1000"), Decimal("60"))])
    assert estimate.base == Decimal("60000.00")
    assert estimate.reduction_before_ceiling == Decimal("36000.00")
    assert estimate.ceiling == Decimal("20000.00")
    assert not estimate.ceiling_from_turnover
    assert estimate.reduction == Decimal("20000.00")
    assert estimate.carried_forward == Decimal("16000.00")


def test_donations_above_two_million_get_the_reduced_rate(company, settings):
    company.annual_turnover = Decimal("10000000000")
    # 50,000 h at 60 €/h = 3 M€: 2 M€ × 60 % + 1 M€ × 40 % = 1.6 M€.
    estimate = tax_estimate(company, [(Decimal("50000"), Decimal("60"))])
    assert estimate.reduction == Decimal("1600000.00")


def test_the_legal_parameters_come_from_settings(company, settings):
    rules = {k: dict(v) for k, v in settings.TAX_SPONSORSHIP_RULES.items()}
    rules["rate"]["value"] = "0.5"
    settings.TAX_SPONSORSHIP_RULES = rules
    assert tax_estimate(company, [(Decimal("10"), Decimal("50"))]).reduction == Decimal("250.00")


def test_association_summary_totals_each_company_for_the_year(company, world):
    association = Association.objects.get(name="Les Ateliers")
    summary = association_yearly_summary(association, 2025)
    # Work time only: alice's 16 h at 120 € (bob's 2 h there were personal time).
    assert len(summary) == 1
    assert summary[0]["company"] == company
    assert summary[0]["hours"] == Decimal("16")
    assert summary[0]["valuation"] == Decimal("1920.00")
    assert summary[0]["volunteers"] == 1
    assert association_yearly_summary(association, 2024)[0]["hours"] == Decimal("3")
