"""Each role's pages with nothing to show yet link to the next step."""

import pytest
from django.urls import reverse

from companies.models import CompanyMember
from missions.models import Mission
from tests import factories
from tests.suggestions import store_list

pytestmark = pytest.mark.django_db


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_association_without_mission_is_led_to_the_diagnosis(client, association, owner):
    content = page(client, owner, reverse("asso:dashboard"))
    assert "Pas encore de mission." in content
    assert content.count(f'href="{reverse("asso:diagnosis", args=[association.slug])}"') == 2
    assert f'href="{reverse("asso:mission_create", args=[association.slug])}"' in content


def test_no_application_waiting_leads_to_the_suggested_volunteers(client, association, owner):
    draft = factories.MissionFactory(association=association, state=Mission.State.DRAFT)
    content = page(client, owner, reverse("asso:dashboard"))
    assert f'href="{reverse("asso:mission_edit", args=[draft.pk])}"' in content

    published = factories.MissionFactory(association=association)
    content = page(client, owner, reverse("asso:dashboard"))
    pipeline = reverse("asso:mission_pipeline", args=[published.pk])
    assert f'href="{pipeline}#suggestions"' in content


def test_the_pipeline_without_applications_points_to_the_suggestions(
    client, association, owner, mission
):
    store_list(mission=mission, others=[factories.VolunteerFactory()])
    content = page(client, owner, reverse("asso:mission_pipeline", args=[mission.pk]))
    assert '<a href="#suggestions">Invitez les bénévoles suggérés à candidater</a>' in content


def test_no_programme_open_to_the_association_leads_to_its_missions(client, owner):
    content = page(client, owner, reverse("companies:programme_invitations"))
    assert "Aucun programme ne vous est ouvert en ce moment." in content
    assert f'href="{reverse("asso:dashboard")}"' in content


@pytest.fixture
def company(db):
    return factories.CompanyFactory(name="Acme")


def member(company, role):
    return factories.CompanyMemberFactory(company=company, role=role).user


def test_a_manager_without_programme_is_led_to_the_approvals(client, company):
    manager = member(company, CompanyMember.Role.MANAGER)
    content = page(client, manager, reverse("companies:dashboard"))
    assert "les responsables des programmes de votre entreprise les créent" in content
    assert f'href="{reverse("companies:approvals")}"' in content


def test_nothing_to_approve_leads_to_the_report_and_the_employees(client, company):
    admin = member(company, CompanyMember.Role.PROGRAMME_ADMIN)
    content = page(client, admin, reverse("companies:approvals"))
    assert "Aucune demande en attente" in content
    assert f'href="{reverse("companies:reports")}"' in content
    assert "Inviter d'autres salariés à s'engager" in content


def test_a_report_without_hours_leads_to_the_employees(client, company):
    admin = member(company, CompanyMember.Role.PROGRAMME_ADMIN)
    content = page(client, admin, reverse("companies:reports"))
    assert "Aucune heure validée sur cette période" in content
    assert f'<a href="{reverse("companies:employees")}">Inviter vos salariés</a>' in content


def test_an_employee_without_programme_is_led_to_the_missions(client, company):
    employee = member(company, CompanyMember.Role.EMPLOYEE)
    content = page(client, employee, reverse("companies:programmes"))
    assert f'href="{reverse("missions:list")}">Trouver une mission</a>' in content
    assert f'href="{reverse("companies:my_allowance")}"' in content


def test_an_empty_notification_list_leads_to_each_roles_space(client, volunteer, owner, company):
    content = page(client, volunteer.user, reverse("notifications:list"))
    assert f'<a href="{reverse("volunteers:suggestions")}">Voir les missions pour vous</a>' in (
        content
    )
    content = page(client, owner, reverse("notifications:list"))
    assert f'<a href="{reverse("asso:dashboard")}">Suivre les missions' in content
    admin = member(company, CompanyMember.Role.PROGRAMME_ADMIN)
    content = page(client, admin, reverse("notifications:list"))
    assert f'<a href="{reverse("companies:dashboard")}">Aller à l' in content
    assert f'href="{reverse("notifications:preferences")}"' in content
