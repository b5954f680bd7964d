"""Approval of work-time engagements: who approves, the allowance, automatic approval,
reminders, and the approval queue page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from companies.models import ApprovalReminder, CompanyMember
from companies.selectors import allowance_for
from companies.services import application_approve, application_refuse
from companies.tasks import send_approval_reminders
from missions import services
from missions.models import Application
from notifications.models import Notification
from tests import factories

from .conftest import HoursFactory, work_time_application


def test_a_programme_admin_approves_with_the_planned_hours(employee, programme_admin, mission):
    application = work_time_application(employee, mission)
    application_approve(application_id=application.pk, actor=programme_admin, planned_hours=12)
    application.refresh_from_db()
    assert application.approval_state == Application.Approval.APPROVED
    assert application.planned_hours == 12


def test_the_employees_own_manager_approves_but_not_another_manager(
    company, employee, manager, mission
):
    other_manager = factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.MANAGER
    ).user
    CompanyMember.objects.filter(user=employee).update(manager=manager)
    application = work_time_application(employee, mission)
    with pytest.raises(PermissionDenied):
        application_approve(application_id=application.pk, actor=other_manager, planned_hours=5)
    application_approve(application_id=application.pk, actor=manager, planned_hours=5)


def test_any_manager_approves_an_employee_without_a_manager(employee, manager, mission):
    application = work_time_application(employee, mission)
    application_approve(application_id=application.pk, actor=manager, planned_hours=5)


def test_colleagues_and_other_companies_cannot_approve(
    company, employee, other_company_admin, mission
):
    colleague = factories.CompanyMemberFactory(company=company).user
    application = work_time_application(employee, mission)
    for actor in (colleague, other_company_admin, employee):
        with pytest.raises(PermissionDenied):
            application_approve(application_id=application.pk, actor=actor, planned_hours=5)


def test_approval_cannot_exceed_what_is_left_of_the_allowance(employee, programme_admin, mission):
    # 35 h a year; 30 h already validated this year on another engagement.
    done = work_time_application(
        employee,
        factories.MissionFactory(),
        state="completed",
        approval_state="approved",
        planned_hours=30,
    )
    HoursFactory(application=done, date=timezone.localdate(), hours=Decimal("30"))
    application = work_time_application(employee, mission)
    with pytest.raises(ValidationError) as error:
        application_approve(application_id=application.pk, actor=programme_admin, planned_hours=6)
    assert "planned_hours" in error.value.message_dict
    application_approve(application_id=application.pk, actor=programme_admin, planned_hours=5)


def test_refusal_needs_a_reason_and_withdraws_the_application(employee, programme_admin, mission):
    application = work_time_application(employee, mission)
    with pytest.raises(ValidationError):
        application_refuse(application_id=application.pk, actor=programme_admin, reason="")
    application_refuse(
        application_id=application.pk, actor=programme_admin, reason="Période de clôture."
    )
    application.refresh_from_db()
    assert application.approval_state == Application.Approval.REFUSED
    assert application.state == Application.State.WITHDRAWN
    assert application.withdrawal_reason == Application.WithdrawalReason.APPROVAL_REFUSED


def test_allowance_counts_validated_work_time_hours_of_the_current_year(company, employee):
    today = timezone.localdate()
    application = work_time_application(
        employee,
        factories.MissionFactory(),
        state="active",
        approval_state="approved",
        planned_hours=20,
    )
    HoursFactory(application=application, date=today, hours=Decimal("8"))
    HoursFactory(application=application, date=today, hours=Decimal("4"), state="submitted")
    HoursFactory(
        application=application, date=today.replace(year=today.year - 1), hours=Decimal("9")
    )
    personal = factories.ApplicationFactory(volunteer=employee.volunteer_profile, state="active")
    HoursFactory(application=personal, date=today, hours=Decimal("3"))
    allowance = allowance_for(employee)
    assert allowance.total == 35
    assert allowance.validated == Decimal("8")
    # 20 h granted, 17 validated on it so far (9 last year): 3 h still planned.
    assert allowance.planned == Decimal("3")
    assert allowance.used == Decimal("11")
    assert allowance.left == Decimal("24")
    assert allowance.over == 0


def test_the_allowance_year_can_be_a_fiscal_year(company):
    company.year_start_month = 9
    assert company.allowance_year(datetime.date(2025, 3, 4)) == (
        datetime.date(2024, 9, 1),
        datetime.date(2025, 8, 31),
    )
    assert company.allowance_year(datetime.date(2025, 9, 1))[0] == datetime.date(2025, 9, 1)


def test_an_override_replaces_the_company_allowance(company, employee):
    CompanyMember.objects.filter(user=employee).update(allowance_hours_override=70)
    assert allowance_for(employee).total == 70


def test_people_outside_companies_have_no_allowance(volunteer, outsider):
    assert allowance_for(volunteer.user) is None
    assert allowance_for(outsider) is None


def test_small_missions_are_approved_automatically_when_the_company_chooses_it(
    company, employee, programme_admin, django_capture_on_commit_callbacks
):
    company.auto_approval_max_hours = 10
    company.save()
    small = factories.MissionFactory(effort_hours=8)
    large = factories.MissionFactory(effort_hours=30)
    with django_capture_on_commit_callbacks(execute=True):
        auto = services.application_create(
            mission_id=small.pk,
            volunteer=employee.volunteer_profile,
            actor=employee,
            is_work_time=True,
        )
        waiting = services.application_create(
            mission_id=large.pk,
            volunteer=employee.volunteer_profile,
            actor=employee,
            is_work_time=True,
        )
    auto.refresh_from_db()
    waiting.refresh_from_db()
    assert auto.approval_state == Application.Approval.APPROVED
    assert auto.planned_hours == 8
    assert waiting.approval_state == Application.Approval.PENDING
    # The approvers are asked about the one that waits only.
    asked = Notification.objects.filter(kind=Notification.Kind.APPROVAL_NEEDED)
    assert set(asked.values_list("recipient", "target_id")) == {(programme_admin.pk, waiting.pk)}


def test_without_a_threshold_every_work_time_application_waits(
    employee, programme_admin, django_capture_on_commit_callbacks
):
    mission = factories.MissionFactory(effort_hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_create(
            mission_id=mission.pk,
            volunteer=employee.volunteer_profile,
            actor=employee,
            is_work_time=True,
        )
    application.refresh_from_db()
    assert application.approval_state == Application.Approval.PENDING


def test_reminders_go_after_n_days_and_not_twice(employee, programme_admin, mission, settings):
    settings.COMPANY_APPROVAL_REMINDER_DAYS = 3
    old = work_time_application(employee, mission)
    recent = work_time_application(employee, factories.MissionFactory())
    Application.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=4)
    )
    assert send_approval_reminders() == 1
    assert send_approval_reminders() == 0
    reminders = Notification.objects.filter(kind=Notification.Kind.APPROVAL_NEEDED)
    assert list(reminders.values_list("recipient", "target_id")) == [(programme_admin.pk, old.pk)]
    assert recent.pk not in reminders.values_list("target_id", flat=True)
    # Three days later, a second reminder.
    ApprovalReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=3, hours=1))
    assert send_approval_reminders() == 1
    assert ApprovalReminder.objects.get().count == 2


# --- the approval queue page -------------------------------------------------------------


def test_the_queue_lists_pending_applications_with_the_allowance(
    client, employee, programme_admin, django_assert_max_num_queries
):
    for _ in range(4):
        work_time_application(employee, factories.MissionFactory())
    client.force_login(programme_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("companies:approvals"))
    assert response.status_code == 200
    assert response.content.decode().count('class="co-approval"') == 4
    assert "35 h restantes sur 35 h" in response.content.decode()


def test_approving_from_the_queue(client, employee, programme_admin, mission):
    application = work_time_application(employee, mission)
    client.force_login(programme_admin)
    response = client.post(
        reverse("companies:approve", args=[application.pk]),
        {f"a{application.pk}-planned_hours": "10"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.approval_state == "approved" and application.planned_hours == 10


def test_an_invalid_decision_shows_the_error_next_to_the_field(
    client, employee, programme_admin, mission
):
    application = work_time_application(employee, mission)
    client.force_login(programme_admin)
    response = client.post(
        reverse("companies:approve", args=[application.pk]),
        {f"a{application.pk}-planned_hours": "90"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert f'aria-describedby="id_a{application.pk}-planned_hours_error"' in page
    assert 'value="90"' in page
    response = client.post(
        reverse("companies:refuse", args=[application.pk]), {f"r{application.pk}-reason": ""}
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.approval_state == "pending"


def test_refusing_from_the_queue(client, employee, programme_admin, mission):
    application = work_time_application(employee, mission)
    client.force_login(programme_admin)
    client.post(
        reverse("companies:refuse", args=[application.pk]),
        {f"r{application.pk}-reason": "Pas cette année."},
    )
    application.refresh_from_db()
    assert application.approval_state == "refused"


def test_other_companies_applications_are_not_found(client, other_company_admin, employee, mission):
    application = work_time_application(employee, mission)
    client.force_login(other_company_admin)
    response = client.post(
        reverse("companies:approve", args=[application.pk]),
        {f"a{application.pk}-planned_hours": "10"},
    )
    assert response.status_code == 404
    assert "co-approval" not in client.get(reverse("companies:approvals")).content.decode()


def test_a_manager_does_not_see_employees_managed_by_someone_else(
    client, company, employee, manager, mission
):
    other_manager = factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.MANAGER
    ).user
    CompanyMember.objects.filter(user=employee).update(manager=other_manager)
    application = work_time_application(employee, mission)
    client.force_login(manager)
    response = client.post(
        reverse("companies:approve", args=[application.pk]),
        {f"a{application.pk}-planned_hours": "10"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "volunteer", "employee", "association"])
def test_the_queue_is_for_company_staff_only(client, persona, employee, volunteer, owner):
    user = {"volunteer": volunteer.user, "employee": employee, "association": owner}.get(persona)
    if user:
        client.force_login(user)
    response = client.get(reverse("companies:approvals"))
    assert response.status_code == (302 if persona == "anonymous" else 403)
