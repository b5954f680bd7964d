"""Programmes created and edited by the company's programme admins, and the programme's
hours budget enforced when work time is approved on its missions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from companies import programmes
from companies.models import CompanyMember, Programme
from companies.selectors import programme_budget
from companies.services import (
    application_approve,
    application_auto_approve,
    programme_create,
    programme_update,
)
from core.models import ActionLog
from missions.models import Application
from taxonomy.models import Cause
from tests import factories

from .conftest import HoursFactory, work_time_application


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def programme(company):
    return Programme.objects.create(
        company=company,
        name="Semaine du pro bono 2026",
        kind=Programme.Kind.WEEK,
        starts_on=in_days(20),
        ends_on=in_days(26),
    )


@pytest.fixture
def form_data(association):
    cause = Cause.objects.order_by("pk").first()
    return {
        "name": "Probono Marathon Lyon",
        "kind": "marathon",
        "description": "Une journée pour les associations lyonnaises.",
        "starts_on": in_days(30).isoformat(),
        "ends_on": in_days(31).isoformat(),
        "hours_budget": "300",
        "registrations_open": "on",
        "causes": [str(cause.pk)],
        "departements": ["69", "01"],
        "invited_associations": [str(association.pk)],
    }


def service_fields(**overrides):
    values = {
        "name": "Campagne climat",
        "kind": Programme.Kind.CAMPAIGN,
        "starts_on": in_days(1),
        "ends_on": in_days(90),
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


# --- access ---------------------------------------------------------------------------------


def test_only_programme_admins_open_the_creation_page(client, personas):
    url = reverse("companies:programme_create")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    expected = {
        "employee": 403,
        "programme_admin": 200,
        "manager": 403,
        "other_company_admin": 200,  # for their own company
        "volunteer": 403,
        "staff": 403,
    }
    for persona, user in personas.items():
        client.force_login(user)
        assert client.get(url).status_code == expected[persona], persona


def test_only_the_companys_programme_admins_edit_its_programme(
    client, personas, programme, form_data
):
    url = reverse("companies:programme_edit", args=[programme.pk])
    assert client.get(url).status_code == 302
    expected = {
        "employee": 403,
        "programme_admin": 200,
        "manager": 403,
        "other_company_admin": 404,  # another company's programme does not exist for them
        "volunteer": 403,
        "staff": 403,
    }
    for persona, user in personas.items():
        client.force_login(user)
        assert client.get(url).status_code == expected[persona], persona
        if expected[persona] != 200:
            assert client.post(url, form_data).status_code == expected[persona], persona
    programme.refresh_from_db()
    assert programme.name == "Semaine du pro bono 2026"


def test_the_programme_services_refuse_everyone_but_the_programme_admins(
    company, programme, employee, manager, other_company_admin, outsider, staff
):
    for actor in (employee, manager, other_company_admin, outsider, staff):
        with pytest.raises(PermissionDenied):
            programme_create(company_id=company.pk, actor=actor, **service_fields())
        with pytest.raises(PermissionDenied):
            programme_update(programme_id=programme.pk, actor=actor, **service_fields())
    assert Programme.objects.count() == 1


def test_the_pages_stay_within_ten_queries(
    client, programme, programme_admin, association, django_assert_max_num_queries
):
    programme.causes.set(Cause.objects.all()[:2])
    programme.invited_associations.add(association)
    factories.AssociationFactory.create_batch(3)
    client.force_login(programme_admin)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("companies:programme_create")).status_code == 200
    with django_assert_max_num_queries(10):
        page = client.get(reverse("companies:programme_edit", args=[programme.pk]))
    assert page.status_code == 200


# --- creating and editing -------------------------------------------------------------------


def test_a_programme_admin_creates_a_programme(client, company, programme_admin, form_data):
    client.force_login(programme_admin)
    response = client.post(reverse("companies:programme_create"), form_data)
    programme = Programme.objects.get(name="Probono Marathon Lyon")
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:programme", args=[programme.pk])
    assert programme.company == company and programme.kind == "marathon"
    assert programme.hours_budget == 300 and programme.registrations_open
    assert programme.starts_on == in_days(30)
    assert sorted(programme.departements.values_list("code", flat=True)) == ["01", "69"]
    assert [str(pk) for pk in programme.causes.values_list("pk", flat=True)] == form_data["causes"]
    assert programme.invited_associations.count() == 1
    entry = ActionLog.objects.get(action="programme.create")
    assert entry.actor == programme_admin and entry.object_id == programme.pk


def test_an_invalid_programme_keeps_what_was_typed(client, programme_admin, form_data):
    client.force_login(programme_admin)
    data = {**form_data, "ends_on": in_days(29).isoformat(), "hours_budget": "0"}
    response = client.post(reverse("companies:programme_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert "La fin ne peut pas précéder le début." in page
    assert "supérieure ou égale à 1" in page
    assert 'value="Probono Marathon Lyon"' in page
    assert f'value="{in_days(29).isoformat()}"' in page
    assert '<option value="69" selected>' in page
    assert f'value="{form_data["causes"][0]}"' in page and "checked" in page
    assert 'aria-invalid="true"' in page
    assert not Programme.objects.exists()


def test_a_missing_title_is_shown_next_to_the_field(client, programme_admin, form_data):
    client.force_login(programme_admin)
    response = client.post(reverse("companies:programme_create"), {**form_data, "name": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_name_error"' in page and "Ce champ est obligatoire." in page


def test_only_verified_associations_can_be_invited(company, programme_admin):
    pending = factories.AssociationFactory(verification_state="pending")
    with pytest.raises(ValidationError) as error:
        programme_create(
            company_id=company.pk,
            actor=programme_admin,
            invited_association_ids=[pending.pk],
            **service_fields(),
        )
    assert "invited_associations" in error.value.message_dict
    assert not Programme.objects.exists()


def test_unknown_territories_are_refused(company, programme_admin):
    with pytest.raises(ValidationError) as error:
        programme_create(
            company_id=company.pk,
            actor=programme_admin,
            departement_codes=["999"],
            **service_fields(),
        )
    assert "departements" in error.value.message_dict


def test_the_edit_page_shows_the_programme_and_saves_changes(
    client, programme, programme_admin, association, form_data
):
    programme.departements.set([factories.AssociationFactory().departement])
    client.force_login(programme_admin)
    url = reverse("companies:programme_edit", args=[programme.pk])
    page = client.get(url).content.decode()
    assert 'value="Semaine du pro bono 2026"' in page
    assert f'value="{programme.starts_on.isoformat()}"' in page
    assert '<option value="69" selected>' in page
    response = client.post(url, {**form_data, "departements": []})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Probono Marathon Lyon" and programme.kind == "marathon"
    assert not programme.departements.exists()
    entry = ActionLog.objects.get(action="programme.update")
    assert entry.actor == programme_admin
    assert {"name", "kind", "departements", "causes"} <= set(entry.data["fields"])


def test_an_association_invited_before_its_suspension_can_stay_invited(programme, programme_admin):
    invited = factories.AssociationFactory()
    programme.invited_associations.add(invited)
    invited.verification_state = "suspended"
    invited.save()
    programme_update(
        programme_id=programme.pk,
        actor=programme_admin,
        invited_association_ids=[invited.pk],
        **service_fields(),
    )
    assert list(programme.invited_associations.all()) == [invited]


def test_closing_registrations_by_hand(programme, programme_admin, employee):
    programme_update(
        programme_id=programme.pk,
        actor=programme_admin,
        registrations_open=False,
        **service_fields(starts_on=programme.starts_on, ends_on=programme.ends_on),
    )
    with pytest.raises(ValidationError):
        programmes.programme_register(programme_id=programme.pk, actor=employee)


def test_the_programme_page_links_to_its_edit_page_for_programme_admins_only(
    client, programme, programme_admin, employee
):
    edit = reverse("companies:programme_edit", args=[programme.pk])
    client.force_login(programme_admin)
    assert edit in client.get(reverse("companies:programme", args=[programme.pk])).content.decode()
    client.force_login(employee)
    page = client.get(reverse("companies:programme", args=[programme.pk])).content.decode()
    assert edit not in page


def test_the_dashboard_offers_to_create_the_first_programme(client, programme_admin, manager):
    client.force_login(programme_admin)
    page = client.get(reverse("companies:dashboard")).content.decode()
    assert reverse("companies:programme_create") in page
    assert "l'équipe de la plateforme vous aide" not in page
    client.force_login(manager)
    page = client.get(reverse("companies:dashboard")).content.decode()
    assert reverse("companies:programme_create") not in page


# --- the hours budget -----------------------------------------------------------------------


@pytest.fixture
def budgeted(programme, association):
    """A programme with a 20 h budget and one of its missions."""
    programme.hours_budget = 20
    programme.save()
    mission = factories.MissionFactory(association=association, programme=programme, seats=5)
    return programme, mission


def colleague_of(company):
    member = factories.CompanyMemberFactory(company=company)
    factories.VolunteerFactory(user=member.user, employer=company)
    return member.user


def test_approving_within_the_programme_budget(budgeted, employee, programme_admin):
    programme, mission = budgeted
    application = work_time_application(employee, mission)
    application_approve(application_id=application.pk, actor=programme_admin, planned_hours=20)
    assert programme_budget(programme.pk).available == 0


def test_approval_cannot_exceed_what_is_left_of_the_programme_budget(
    budgeted, company, employee, programme_admin
):
    programme, mission = budgeted
    # 8 h granted to a colleague (3 of them done), 4 h validated on a finished engagement.
    granted = work_time_application(
        colleague_of(company), mission, approval_state="approved", planned_hours=8, state="active"
    )
    HoursFactory(application=granted, date=timezone.localdate(), hours=Decimal("3"))
    finished = work_time_application(
        colleague_of(company),
        mission,
        approval_state="approved",
        planned_hours=4,
        state="completed",
    )
    HoursFactory(application=finished, date=timezone.localdate(), hours=Decimal("4"))
    budget = programme_budget(programme.pk)
    assert (budget.used, budget.committed, budget.available) == (7, 5, 8)
    application = work_time_application(employee, mission)
    with pytest.raises(ValidationError) as error:
        application_approve(application_id=application.pk, actor=programme_admin, planned_hours=9)
    message = error.value.message_dict["planned_hours"][0]
    assert message == (
        "C'est plus que ce qui reste du budget d'heures du programme "
        "« Semaine du pro bono 2026 » (8 h)."
    )
    application.refresh_from_db()
    assert application.approval_state == Application.Approval.PENDING
    application_approve(application_id=application.pk, actor=programme_admin, planned_hours=8)


def test_a_refused_or_withdrawn_engagement_gives_its_hours_back(
    budgeted, company, employee, programme_admin
):
    programme, mission = budgeted
    withdrawn = work_time_application(
        colleague_of(company), mission, approval_state="approved", planned_hours=15
    )
    assert programme_budget(programme.pk).available == 5
    withdrawn.state = Application.State.WITHDRAWN
    withdrawn.save()
    assert programme_budget(programme.pk).available == 20


def test_a_programme_without_budget_has_no_limit(programme, association, employee, manager):
    mission = factories.MissionFactory(association=association, programme=programme)
    application = work_time_application(employee, mission)
    assert programme_budget(programme.pk) is None
    application_approve(application_id=application.pk, actor=manager, planned_hours=30)


def test_automatic_approval_waits_for_the_approvers_when_the_budget_is_short(
    budgeted, company, employee
):
    programme, mission = budgeted
    company.auto_approval_max_hours = 10
    company.save()
    mission.effort_hours = 10
    mission.save()
    programme.hours_budget = 9
    programme.save()
    application = work_time_application(employee, mission)
    assert application_auto_approve(application_id=application.pk) is None
    programme.hours_budget = 10
    programme.save()
    approved = application_auto_approve(application_id=application.pk)
    assert approved.approval_state == Application.Approval.APPROVED


def test_the_approval_queue_shows_the_budget_refusal_next_to_the_hours(
    client, budgeted, employee, programme_admin
):
    _programme, mission = budgeted
    application = work_time_application(employee, mission)
    client.force_login(programme_admin)
    response = client.post(
        reverse("companies:approve", args=[application.pk]),
        {f"a{application.pk}-planned_hours": "21"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "budget d&#x27;heures du programme" in page and "(20 h)" in page
    assert 'value="21"' in page


def test_the_budget_cannot_go_below_the_hours_already_granted(budgeted, company, programme_admin):
    programme, mission = budgeted
    work_time_application(
        colleague_of(company), mission, approval_state="approved", planned_hours=12
    )
    fields = service_fields(starts_on=programme.starts_on, ends_on=programme.ends_on)
    with pytest.raises(ValidationError) as error:
        programme_update(
            programme_id=programme.pk, actor=programme_admin, hours_budget=11, **fields
        )
    assert "(12 h)" in error.value.message_dict["hours_budget"][0]
    programme_update(programme_id=programme.pk, actor=programme_admin, hours_budget=12, **fields)
    programme.refresh_from_db()
    assert programme.hours_budget == 12


def test_members_of_another_company_count_for_a_foundation_programme(
    company, programme_admin, association
):
    """A foundation's programme is open to its founder's employees: their approved hours
    come out of the same budget."""
    foundation = factories.CompanyFactory(kind="foundation", parent=company)
    founder_admin = factories.CompanyMemberFactory(
        company=foundation, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user
    programme = programme_create(
        company_id=foundation.pk, actor=founder_admin, hours_budget=10, **service_fields()
    )
    mission = factories.MissionFactory(association=association, programme=programme, seats=3)
    first = work_time_application(colleague_of(company), mission)
    second = work_time_application(colleague_of(company), mission)
    application_approve(application_id=first.pk, actor=programme_admin, planned_hours=6)
    with pytest.raises(ValidationError):
        application_approve(application_id=second.pk, actor=programme_admin, planned_hours=6)
