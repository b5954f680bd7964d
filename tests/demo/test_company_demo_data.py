"""The demo data gives every company page and report real numbers."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from companies.models import Company, CompanyMember, Programme, ProgrammeRegistration
from companies.reports import ReportScope, impact_report
from missions.models import Application


def test_two_companies_have_programmes_approvals_and_reported_engagements(db, client):
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    with_programmes = Company.objects.filter(kind="company", programmes__isnull=False).distinct()
    assert with_programmes.count() >= 2
    reported = 0
    for company in with_programmes:
        states = set(
            Application.objects.filter(volunteer__employer=company, is_work_time=True).values_list(
                "approval_state", flat=True
            )
        )
        report = impact_report(
            ReportScope(company=company, start=today - datetime.timedelta(days=365), end=today)
        )
        if states >= {"pending", "approved", "refused"} and report.hours_validated:
            assert report.valuation > 0 and report.tax.reduction > 0
            assert report.employees_engaged > 0 and report.associations_helped > 0
            assert report.by_cause and report.by_skill_family and report.by_departement
            reported += 1
    assert reported >= 2
    assert ProgrammeRegistration.objects.filter(programme__kind=Programme.Kind.MARATHON).exists()

    admin = CompanyMember.objects.get(user__email="entreprise@probono.test").user
    client.force_login(admin)
    for name in ("companies:dashboard", "companies:employees", "companies:approvals"):
        assert client.get(reverse(name)).status_code == 200
    page = client.get(
        reverse("companies:reports"), {"start": str(today - datetime.timedelta(days=365))}
    )
    assert page.status_code == 200 and "<svg" in page.content.decode()
