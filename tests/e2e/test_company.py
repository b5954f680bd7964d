"""Company staff in a real browser: the approval of a work-time engagement, the impact
report, and an event from registration to published teams."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from companies import programmes
from companies.models import CompanyMember, Programme
from missions.models import Application, HoursEntry
from taxonomy.models import Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import SCREENSHOTS, check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reference_data():
    if not Skill.objects.exists():
        sync_reference_data()


def sign_in(page, client, live_server, user):
    client.logout()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def company(reference_data):
    company = factories.CompanyFactory(
        name="Banque Solidaire",
        yearly_allowance_hours=35,
        loaded_hourly_cost=Decimal("55"),
        annual_turnover=Decimal("80000000"),
        verified_at=timezone.now(),
    )
    admin = factories.CompanyMemberFactory(
        company=company,
        role=CompanyMember.Role.PROGRAMME_ADMIN,
        user=factories.UserFactory(first_name="Claire", last_name="Dumas"),
    ).user
    return company, admin


def employee_of(company, first_name, skill=None):
    member = factories.CompanyMemberFactory(
        company=company, user=factories.UserFactory(first_name=first_name, last_name="Leroy")
    )
    profile = factories.VolunteerFactory(user=member.user, employer=company)
    if skill is not None:
        factories.VolunteerSkillFactory(profile=profile, skill=skill, level=3)
    return member.user


def test_approving_a_work_time_engagement(live_server, page, client, company):
    company, admin = company
    employee = employee_of(company, "Hugo")
    mission = factories.MissionFactory(title="Refaire le plan de trésorerie", effort_hours=12)
    application = factories.ApplicationFactory(
        mission=mission,
        volunteer=employee.volunteer_profile,
        is_work_time=True,
        approval_state=Application.Approval.PENDING,
    )
    done = factories.ApplicationFactory(
        volunteer=employee.volunteer_profile,
        state="completed",
        is_work_time=True,
        approval_state="approved",
        planned_hours=6,
    )
    HoursEntry.objects.create(
        application=done, date=timezone.localdate(), hours=Decimal("6"), state="validated"
    )

    sign_in(page, client, live_server, employee)
    page.goto(live_server.url + "/entreprise/mes-heures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes heures de mécénat")
    expect(page.locator(".co-allowance")).to_contain_text("Il vous reste 29 h sur 35 h")
    check_page(page, "company-my-allowance")

    sign_in(page, client, live_server, admin)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon entreprise"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Banque Solidaire")
    check_page(page, "company-dashboard")

    page.get_by_role("link", name="1 engagement attend votre validation").click()
    expect(page).to_have_url(re.compile(r"/entreprise/validations/$"))
    request = page.locator(f"#demande-{application.pk}")
    expect(request).to_contain_text("29 h restantes sur 35 h")
    check_page(page, "company-approvals")

    # Too many hours first: the error is shown next to the field.
    request.get_by_label("Heures accordées").fill("40")
    request.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("alert").first).to_contain_text("Heures accordées")
    field = page.locator(f"#demande-{application.pk}").get_by_label("Heures accordées")
    expect(field).to_have_value("40")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill("12")
    page.locator(f"#demande-{application.pk}").get_by_role("button", name="Valider").click()
    expect(page.locator(".messages")).to_contain_text("validé pour 12 h")
    application.refresh_from_db()
    assert application.approval_state == "approved" and application.planned_hours == 12
    expect(page.get_by_role("heading", name="Décisions récentes")).to_be_visible()

    page.get_by_role("link", name="Rapports d'impact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport d'impact")
    expect(page.locator(".co-kpi", has_text="Heures validées").first).to_contain_text("6")
    check_page(page, "company-reports")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF pour le rapport RSE").click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "company-impact-report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Salariés").first.click()
    expect(page.get_by_role("rowheader", name=re.compile("Hugo Leroy"))).to_be_visible()
    check_page(page, "company-employees")

    # The company sets its own rules: a wrong value is explained and kept.
    page.get_by_role("link", name="Paramètres").first.click()
    allowance = page.get_by_label("Heures de mécénat par salarié et par an")
    allowance.fill("5000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(allowance).to_have_value("5000")
    expect(allowance).to_have_attribute("aria-invalid", "true")
    check_page(page, "company-settings-errors")
    allowance.fill("40")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("paramètres de l'entreprise sont enregistrés")
    company.refresh_from_db()
    assert company.yearly_allowance_hours == 40

    page.goto(live_server.url + "/entreprise/")
    page.get_by_role("link", name="Créer un programme").click()
    page.get_by_label("Nom du programme").fill("Semaine du pro bono")
    page.get_by_role("button", name="Créer le programme").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("Nom du programme")).to_have_value("Semaine du pro bono")
    check_page(page, "company-programme-form-errors")


def test_an_event_from_registration_to_published_teams(live_server, page, client, company):
    company, admin = company
    skills = list(Skill.objects.order_by("pk")[:2])
    association = factories.AssociationFactory(name="Entraide Croix-Rousse")
    owner = factories.AssociationMemberFactory(association=association).user
    today = timezone.localdate()
    marathon = Programme.objects.create(
        company=company,
        name="Probono Marathon de printemps",
        kind=Programme.Kind.MARATHON,
        starts_on=today + datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=8),
    )
    marathon.invited_associations.add(association)
    for i, skill in enumerate(skills):
        mission = factories.MissionFactory(
            association=association, programme=marathon, seats=2, title=f"Défi n°{i + 1}"
        )
        factories.MissionSkillFactory(mission=mission, skill=skill)
    others = [employee_of(company, name, skills[i % 2]) for i, name in enumerate("ABC")]
    for other in others:
        programmes.programme_register(programme_id=marathon.pk, actor=other)
    lea = employee_of(company, "Léa", skills[1])

    # An employee registers.
    sign_in(page, client, live_server, lea)
    page.goto(live_server.url + "/entreprise/programmes/")
    check_page(page, "company-programmes")
    page.get_by_role("link", name="Probono Marathon de printemps").click()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.locator(".messages")).to_contain_text("Vous êtes inscrit")
    expect(page.get_by_role("button", name="Annuler mon inscription")).to_be_visible()
    check_page(page, "company-programme-employee")

    # The organiser computes the teams, adjusts one by hand, publishes.
    sign_in(page, client, live_server, admin)
    page.goto(live_server.url + f"/entreprise/programmes/{marathon.pk}/")
    expect(page.get_by_text("4 personnes inscrites.")).to_be_visible()
    page.get_by_role("button", name="Calculer les équipes").click()
    expect(page.locator(".messages")).to_contain_text("4 personnes placées, 0 sans équipe")
    expect(page.get_by_role("heading", name="Équipes proposées")).to_be_visible()
    check_page(page, "company-programme-teams")
    row = page.get_by_role("row", name=re.compile(re.escape(lea.full_name)))
    row.get_by_role("combobox").select_option(label="Sans équipe")
    row.get_by_role("button", name="Déplacer").click()
    expect(page.locator(".messages")).to_contain_text("Équipe modifiée")
    row = page.get_by_role("row", name=re.compile(re.escape(lea.full_name)))
    row.get_by_role("combobox").select_option(label="Défi n°2")
    row.get_by_role("button", name="Déplacer").click()
    page.get_by_role("button", name="Publier les équipes").click()
    expect(page.locator(".messages")).to_contain_text("Équipes publiées : 4 personnes prévenues")
    expect(page.get_by_role("heading", name="Les équipes", exact=True)).to_be_visible()

    # Everyone sees their team.
    sign_in(page, client, live_server, lea)
    page.goto(live_server.url + f"/entreprise/programmes/{marathon.pk}/")
    team = page.get_by_role("region", name="Défi n°2")
    expect(team).to_contain_text("Léa Leroy")
    check_page(page, "company-programme-published")
    sign_in(page, client, live_server, owner)
    page.goto(live_server.url + f"/entreprise/programmes/{marathon.pk}/")
    expect(page.get_by_role("region", name="Défi n°1")).to_be_visible()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Programmes d'entreprises"
    ).click()
    expect(page.get_by_role("link", name="Probono Marathon de printemps")).to_be_visible()
    check_page(page, "company-programme-invitations")
