"""Company settings set by the company's programme admins, and the rule that only a
verified company invites its employees."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from companies.models import CompanyMember
from companies.services import company_settings_update, employee_invite
from core.models import ActionLog

SETTINGS = {
    "yearly_allowance_hours": "70",
    "year_start_month": "9",
    "work_time_requires_approval": "on",
    "auto_approval_max_hours": "7",
    "loaded_hourly_cost": "62.50",
    "annual_turnover": "25000000",
}


def service_settings(**overrides):
    values = {
        "yearly_allowance_hours": 70,
        "year_start_month": 9,
        "work_time_requires_approval": True,
        "auto_approval_max_hours": 7,
        "loaded_hourly_cost": Decimal("62.50"),
        "annual_turnover": None,
    }
    values.update(overrides)
    return values


@pytest.fixture
def personas(db, employee, programme_admin, manager, other_company_admin, volunteer, staff):
    return {
        "employee": employee,
        "programme_admin": programme_admin,
        "manager": manager,
        "other_company_admin": other_company_admin,
        "volunteer": volunteer.user,
        "staff": staff,
    }


def test_only_programme_admins_open_the_settings_page(client, personas):
    url = reverse("companies:settings")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    expected = {
        "employee": 403,
        "programme_admin": 200,
        "manager": 403,
        "other_company_admin": 200,  # their own company's settings
        "volunteer": 403,
        "staff": 403,  # platform staff use the admin
    }
    for persona, user in personas.items():
        client.force_login(user)
        assert client.get(url).status_code == expected[persona], persona
        assert client.post(url, SETTINGS).status_code in (expected[persona], 302), persona


def test_the_settings_page_shows_the_current_values_within_ten_queries(
    client, programme_admin, django_assert_max_num_queries
):
    client.force_login(programme_admin)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("companies:settings")).content.decode()
    assert 'name="yearly_allowance_hours" value="35"' in page
    assert 'name="loaded_hourly_cost" value="50,00"' in page
    assert 'name="work_time_requires_approval"' in page and "checked" in page
    assert 'aria-current="page">Paramètres</a>' in page


def test_the_settings_tab_is_shown_to_programme_admins_only(client, programme_admin, manager):
    client.force_login(programme_admin)
    assert (
        reverse("companies:settings") in client.get(reverse("companies:dashboard")).content.decode()
    )
    client.force_login(manager)
    assert (
        reverse("companies:settings")
        not in client.get(reverse("companies:dashboard")).content.decode()
    )


def test_a_programme_admin_changes_the_settings_and_it_is_logged(client, company, programme_admin):
    client.force_login(programme_admin)
    response = client.post(reverse("companies:settings"), SETTINGS)
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.yearly_allowance_hours == 70
    assert company.year_start_month == 9
    assert company.work_time_requires_approval is True
    assert company.auto_approval_max_hours == 7
    assert company.loaded_hourly_cost == Decimal("62.50")
    assert company.annual_turnover == Decimal("25000000")
    entry = ActionLog.objects.get(action="company.update_settings")
    assert entry.actor == programme_admin and entry.object_id == company.pk
    assert entry.data["changes"]["yearly_allowance_hours"] == [35, 70]
    assert entry.data["changes"]["loaded_hourly_cost"] == ["50.00", "62.50"]
    assert "work_time_requires_approval" not in entry.data["changes"]


def test_unticking_approval_and_emptying_the_threshold(client, company, programme_admin):
    client.force_login(programme_admin)
    data = {**SETTINGS, "auto_approval_max_hours": "", "annual_turnover": ""}
    del data["work_time_requires_approval"]
    assert client.post(reverse("companies:settings"), data).status_code == 302
    company.refresh_from_db()
    assert company.work_time_requires_approval is False
    assert company.auto_approval_max_hours is None and company.annual_turnover is None


def test_a_fiscal_year_moves_the_allowance_year(client, company, programme_admin):
    import datetime

    client.force_login(programme_admin)
    client.post(reverse("companies:settings"), SETTINGS)
    company.refresh_from_db()
    assert company.allowance_year(datetime.date(2025, 3, 1)) == (
        datetime.date(2024, 9, 1),
        datetime.date(2025, 8, 31),
    )


def test_invalid_settings_keep_what_was_typed_and_change_nothing(client, company, programme_admin):
    client.force_login(programme_admin)
    response = client.post(
        reverse("companies:settings"),
        {**SETTINGS, "yearly_allowance_hours": "2000", "loaded_hourly_cost": "-5"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert 'value="2000"' in page and 'value="-5"' in page
    assert 'value="7"' in page  # the valid fields keep their input too
    assert "inférieure ou égale à 1607" in page
    assert "supérieure ou égale à 0" in page
    assert "id_yearly_allowance_hours_helptext id_yearly_allowance_hours_error" in page
    company.refresh_from_db()
    assert company.yearly_allowance_hours == 35 and company.year_start_month == 1
    assert not ActionLog.objects.filter(action="company.update_settings").exists()


def test_the_settings_service_validates_its_input(company, programme_admin):
    with pytest.raises(ValidationError) as error:
        company_settings_update(
            company_id=company.pk,
            actor=programme_admin,
            **service_settings(yearly_allowance_hours=5000, annual_turnover=Decimal("-1")),
        )
    assert set(error.value.message_dict) == {"yearly_allowance_hours", "annual_turnover"}
    with pytest.raises(ValidationError) as error:
        company_settings_update(
            company_id=company.pk, actor=programme_admin, **service_settings(year_start_month=13)
        )
    assert "year_start_month" in error.value.message_dict
    company.refresh_from_db()
    assert company.yearly_allowance_hours == 35


def test_the_settings_service_refuses_everyone_but_the_companys_programme_admins(
    company, employee, manager, other_company_admin, outsider, staff
):
    for actor in (employee, manager, other_company_admin, outsider, staff):
        with pytest.raises(PermissionDenied):
            company_settings_update(company_id=company.pk, actor=actor, **service_settings())
    company.refresh_from_db()
    assert company.yearly_allowance_hours == 35


def test_the_settings_leave_identity_and_verification_alone(client, company, programme_admin):
    verified_at = company.verified_at
    client.force_login(programme_admin)
    client.post(
        reverse("companies:settings"),
        {**SETTINGS, "name": "Autre nom", "siren": "552100554", "verified_at": ""},
    )
    company.refresh_from_db()
    assert (company.name, company.siren, company.verified_at) == (
        "Acme Conseil",
        "732829320",
        verified_at,
    )


# --- only a verified company invites -------------------------------------------------------


@pytest.fixture
def unverified(company):
    company.verified_at = None
    company.save(update_fields=["verified_at"])
    return company


def test_an_unverified_company_cannot_invite_by_email(unverified, programme_admin):
    with pytest.raises(ValidationError) as error:
        employee_invite(
            company_id=unverified.pk,
            email="ana@acme.example",
            role="employee",
            actor=programme_admin,
        )
    assert error.value.code == "company_unverified"
    assert "pas encore vérifiée" in error.value.messages[0]
    assert not User.objects.filter(email="ana@acme.example").exists()


def test_the_employees_page_of_an_unverified_company_says_why_it_cannot_invite(
    client, unverified, programme_admin, mailoutbox
):
    client.force_login(programme_admin)
    page = client.get(reverse("companies:employees")).content.decode()
    assert "pas encore vérifiée par l'équipe de la plateforme" in page
    assert 'name="email"' not in page
    response = client.post(
        reverse("companies:employees"), {"email": "ana@acme.example", "role": "employee"}
    )
    assert response.status_code == 200
    assert "pas encore vérifiée" in response.content.decode()
    assert not CompanyMember.objects.filter(user__email="ana@acme.example").exists()
    assert mailoutbox == []


def test_the_dashboard_of_an_unverified_company_says_invitations_wait(
    client, unverified, programme_admin
):
    client.force_login(programme_admin)
    page = client.get(reverse("companies:dashboard")).content.decode()
    assert "vous pourrez inviter vos salariés une fois son numéro SIREN confirmé" in page
    assert "vous pouvez déjà inviter" not in page


def test_an_unverified_company_cannot_import_employees(unverified, programme_admin):
    """The file import (api.services.import_employees) goes through the same service:
    every row is refused, nobody is invited."""
    from api.services import ImportRejected, import_employees

    with pytest.raises(ImportRejected) as error:
        import_employees(
            company=unverified,
            actor=programme_admin,
            rows=[(2, {"email": "ana@acme.example", "role": "employee"})],
        )
    [(row, messages)] = error.value.errors
    assert row == 2 and "pas encore vérifiée" in " ".join(messages["ligne"])
    assert not User.objects.filter(email="ana@acme.example").exists()


def test_a_verified_company_invites(company, programme_admin):
    member = employee_invite(
        company_id=company.pk, email="ana@acme.example", role="employee", actor=programme_admin
    )
    assert member.company == company


def test_the_invite_service_still_refuses_outsiders_of_an_unverified_company(
    unverified, other_company_admin
):
    with pytest.raises(PermissionDenied):
        employee_invite(
            company_id=unverified.pk,
            email="a@example.org",
            role="employee",
            actor=other_company_admin,
        )


def test_other_companies_settings_are_out_of_reach(client, company, other_company_admin):
    """A programme admin's settings page is always their own company's."""
    other = CompanyMember.objects.get(user=other_company_admin).company
    client.force_login(other_company_admin)
    client.post(reverse("companies:settings"), SETTINGS)
    company.refresh_from_db()
    other.refresh_from_db()
    assert company.yearly_allowance_hours == 35 and other.yearly_allowance_hours == 70
