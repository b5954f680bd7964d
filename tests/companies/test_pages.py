"""Company pages: access by persona, forms, query counts, exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from companies.models import Company, CompanyMember
from companies.services import employee_invite
from missions.models import Mission
from tests import factories

from .conftest import HoursFactory, work_time_application

STAFF_PAGES = [
    "companies:dashboard",
    "companies:employees",
    "companies:approvals",
    "companies:reports",
]


@pytest.fixture
def personas(db, employee, programme_admin, manager, other_company_admin, volunteer, owner, staff):
    return {
        "employee": employee,
        "programme_admin": programme_admin,
        "manager": manager,
        "other_company_admin": other_company_admin,
        "volunteer": volunteer.user,
        "association_member": owner,
        "staff": staff,
    }


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_are_for_company_managers_and_programme_admins(client, personas, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    expected = {
        "employee": 302 if name == "companies:dashboard" else 403,  # to their own page
        "programme_admin": 200,
        "manager": 200,
        "other_company_admin": 200,  # their own company's page
        "volunteer": 403,
        "association_member": 403,
        "staff": 403,
    }
    for persona, user in personas.items():
        client.force_login(user)
        assert client.get(url).status_code == expected[persona], persona


def test_each_company_sees_only_its_own_people(client, company, programme_admin, employee):
    other = factories.CompanyMemberFactory(role=CompanyMember.Role.PROGRAMME_ADMIN)
    client.force_login(other.user)
    page = client.get(reverse("companies:employees")).content.decode()
    assert employee.email not in page
    client.force_login(programme_admin)
    assert employee.email in client.get(reverse("companies:employees")).content.decode()
    member = CompanyMember.objects.get(user=employee)
    client.force_login(other.user)
    assert client.get(reverse("companies:member_edit", args=[member.pk])).status_code == 404


def test_dashboard_shows_the_pending_approvals(
    client, employee, programme_admin, django_assert_max_num_queries
):
    for _ in range(3):
        work_time_application(employee, factories.MissionFactory())
    client.force_login(programme_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("companies:dashboard"))
    assert "3 engagements attendent votre validation" in response.content.decode()


def test_employees_list_stays_within_ten_queries(
    client, company, programme_admin, django_assert_max_num_queries
):
    band = company.cost_bands.create(name="Cadres", hourly_cost=Decimal("70"))
    for _ in range(12):
        member = factories.CompanyMemberFactory(company=company, site="Lyon", cost_band=band)
        factories.VolunteerFactory(user=member.user, employer=company)
    client.force_login(programme_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("companies:employees"))
    assert response.content.decode().count("<tr>") == 14  # header, 12 employees, the admin


def test_inviting_an_employee_by_email(
    client, company, programme_admin, django_capture_on_commit_callbacks
):
    client.force_login(programme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("companies:employees"),
            {
                "email": "Nouvelle@Acme.example.org",
                "role": "employee",
                "allowance_hours_override": "20",
            },
        )
    assert response.status_code == 302
    member = CompanyMember.objects.get(user__email="nouvelle@acme.example.org")
    assert member.company == company and member.allowance_hours_override == 20
    assert not member.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "Acme Conseil" in mail.outbox[0].subject
    assert "/comptes/password/reset/" in mail.outbox[0].body
    assert member.invitation_sent_at is not None


def test_an_invalid_invitation_keeps_what_was_typed(client, programme_admin):
    client.force_login(programme_admin)
    response = client.post(
        reverse("companies:employees"), {"email": "pas-une-adresse", "role": "employee"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and 'value="pas-une-adresse"' in page
    assert 'aria-describedby="id_email_error"' in page


def test_managers_cannot_invite(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("companies:employees"), {"email": "x@example.org", "role": "employee"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()


def test_inviting_an_existing_person_reuses_their_account(company, programme_admin, volunteer):
    member = employee_invite(
        company_id=company.pk, email=volunteer.user.email, role="manager", actor=programme_admin
    )
    assert member.user == volunteer.user
    volunteer.refresh_from_db()
    assert volunteer.employer == company
    again = employee_invite(
        company_id=company.pk, email=volunteer.user.email, role="employee", actor=programme_admin
    )
    assert again.pk == member.pk and again.role == "employee"


def test_the_invite_service_refuses_outsiders(company, other_company_admin, outsider):
    from django.core.exceptions import PermissionDenied

    for actor in (other_company_admin, outsider):
        with pytest.raises(PermissionDenied):
            employee_invite(
                company_id=company.pk, email="a@example.org", role="employee", actor=actor
            )


def test_editing_a_member_sets_manager_site_and_allowance(
    client, company, programme_admin, manager, employee
):
    member = CompanyMember.objects.get(user=employee)
    client.force_login(programme_admin)
    url = reverse("companies:member_edit", args=[member.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "role": "employee",
            "allowance_hours_override": "50",
            "manager": manager.pk,
            "site": "Nantes",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.manager, member.site, member.allowance_hours_override) == (manager, "Nantes", 50)


def test_the_last_programme_admin_cannot_step_down(client, programme_admin):
    member = CompanyMember.objects.get(user=programme_admin)
    client.force_login(programme_admin)
    response = client.post(
        reverse("companies:member_edit", args=[member.pk]), {"role": "employee", "site": ""}
    )
    assert response.status_code == 200
    assert "au moins un responsable" in response.content.decode()


def test_managers_cannot_edit_members(client, manager, employee):
    client.force_login(manager)
    member = CompanyMember.objects.get(user=employee)
    assert client.get(reverse("companies:member_edit", args=[member.pk])).status_code == 403


def test_registering_a_company(client, outsider):
    client.force_login(outsider)
    url = reverse("companies:register")
    response = client.post(
        url, {"name": "Acme", "kind": "company", "siren": "123", "yearly_allowance_hours": "14"}
    )
    assert response.status_code == 200
    assert 'value="Acme"' in response.content.decode()
    response = client.post(
        url,
        {"name": "Acme", "kind": "company", "siren": "732 829 320", "yearly_allowance_hours": "14"},
    )
    assert response.status_code == 302
    company = Company.objects.get(name="Acme")
    assert company.siren == "732829320" and not company.is_verified
    assert CompanyMember.objects.get(company=company).role == "programme_admin"
    assert client.get(reverse("companies:dashboard")).status_code == 200


def test_employees_see_their_allowance_and_their_requests(client, employee, mission):
    work_time_application(employee, mission)
    client.force_login(employee)
    page = client.get(reverse("companies:my_allowance")).content.decode()
    assert "Il vous reste <strong>35 h</strong>" in page
    assert mission.title in page
    assert "En attente de l" in page


def test_the_allowance_notice_is_empty_for_people_who_are_not_employees(volunteer, employee):
    from django.template.loader import render_to_string

    assert "co-allowance" in render_to_string(
        "companies/_allowance_notice.html", {"user": employee}
    )
    assert (
        render_to_string("companies/_allowance_notice.html", {"user": volunteer.user}).strip() == ""
    )


def test_navigation_shows_the_company_space(client, programme_admin, employee):
    client.force_login(programme_admin)
    assert "Mon entreprise" in client.get(reverse("home")).content.decode()
    client.force_login(employee)
    assert "Mes heures de mécénat" in client.get(reverse("home")).content.decode()


# --- reports -----------------------------------------------------------------------------


@pytest.fixture
def engaged(company, employee):
    today = timezone.localdate()
    for i in range(5):
        mission = factories.MissionFactory(state="completed")
        factories.MissionSkillFactory(mission=mission)
        application = work_time_application(
            employee, mission, state="completed", approval_state="approved", planned_hours=5
        )
        HoursFactory(
            application=application, date=today - datetime.timedelta(days=i), hours=Decimal("2")
        )
    return employee


def test_reports_page_shows_figures_charts_and_stays_within_ten_queries(
    client, programme_admin, engaged, django_assert_max_num_queries
):
    client.force_login(programme_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("companies:reports"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'role="img"' in page
    assert "Heures validées" in page
    assert '<th scope="col">' in page


def test_the_english_report_names_causes_and_skill_families_in_english(
    client, programme_admin, engaged
):
    mission = Mission.objects.filter(applications__volunteer__user=engaged).first()
    skill = mission.skills.first().skill
    client.force_login(programme_admin)
    page = client.get("/en" + reverse("companies:reports")).content.decode()
    assert mission.cause.name_en in page and skill.family.name_en in page
    if mission.cause.name_fr != mission.cause.name_en:
        assert mission.cause.name_fr not in page


def test_reports_filters_are_validated(client, programme_admin):
    client.force_login(programme_admin)
    response = client.get(
        reverse("companies:reports"), {"start": "2025-05-01", "end": "2025-01-01"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_reports_export(client, programme_admin, engaged, fmt):
    client.force_login(programme_admin)
    response = client.get(reverse("companies:reports_export", args=[fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    if fmt == "csv":
        text = body.decode("utf-8-sig")
        assert "Heures validées;10.0" in text
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        summary = {row[0]: row[1] for row in book["Synthèse"].iter_rows(values_only=True)}
        assert summary["Heures validées"] == 10.0
    else:
        assert body.startswith(b"%PDF")


def test_exports_are_for_company_staff_only(client, employee, other_company_admin, engaged):
    client.force_login(employee)
    assert client.get(reverse("companies:reports_export", args=["csv"])).status_code == 403
    client.force_login(other_company_admin)
    text = client.get(reverse("companies:reports_export", args=["csv"])).content.decode("utf-8-sig")
    assert "Heures validées;0" in text  # their own, empty report
    assert client.get(reverse("companies:reports_export", args=["doc"])).status_code == 404


def test_the_association_downloads_its_yearly_summary(
    client, owner, association, outsider, employee
):
    mission = factories.MissionFactory(association=association)
    application = work_time_application(
        employee, mission, state="active", approval_state="approved"
    )
    HoursFactory(application=application, date=datetime.date(2025, 5, 5), hours=Decimal("7"))
    url = reverse("companies:association_summary", args=[association.slug, 2025])
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert (
        client.get(
            reverse("companies:association_summary", args=[association.slug, 1990])
        ).status_code
        == 404
    )


def test_staff_verify_a_company_from_the_admin(client, staff, company):
    client.force_login(staff)
    response = client.post(
        reverse("admin:companies_company_changelist"),
        {"action": "verify", "_selected_action": [company.pk]},
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.is_verified


def test_the_pages_work_in_english(client, programme_admin, engaged):
    client.force_login(programme_admin)
    for path in ("/en/entreprise/", "/en/entreprise/rapports/", "/en/entreprise/validations/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="en">' in response.content.decode()
