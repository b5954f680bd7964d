"""Onboarding and scheduled reports in a real browser: the volunteer's profile meter,
subscribing to the company's impact report and to an association's yearly summary, and
the e-mails those send, rendered as a mail client would show their HTML."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from companies.models import CompanyMember, ReportSubscription
from companies.tasks import send_scheduled_reports
from matching.services import forget_index
from missions.models import Application, HoursEntry, Mission
from notifications.tasks import send_welcome_emails
from taxonomy.models import Cause, Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import SCREENSHOTS, assert_accessible, check_page
from tests.e2e.test_company import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reference_data():
    # A transactional test that ran before without serialized rollback may have flushed it.
    if not Skill.objects.exists():
        sync_reference_data()


def screenshot_email(page, email, name: str) -> None:
    """Show the e-mail's HTML part as a mail client would, audit it, and save it."""
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    # A blank page of its own: the site's Content-Security-Policy (no inline style) is
    # the site's, not a mail client's.
    page.goto("about:blank")
    page.set_viewport_size({"width": 700, "height": 900})
    page.set_content(html)
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_the_profile_meter_says_what_is_missing_and_leads_to_it(
    live_server, page, client, reference_data
):
    forget_index()  # the matching arrays another test may have loaded in this process
    user = factories.UserFactory(first_name="Inès", last_name="Morel")
    factories.VolunteerFactory(user=user, languages=[])
    sign_in(page, client, live_server, user)

    page.goto(live_server.url + "/benevole/profil/")
    meter = page.get_by_role("meter", name="Votre profil pour les suggestions")
    expect(meter).to_have_attribute("value", "3")
    expect(meter).to_have_attribute("max", "6")
    expect(page.locator("#completion-text")).to_have_text("3 éléments sur 6 renseignés (50 %)")
    completion = page.get_by_role("region", name="Votre profil pour les suggestions")
    expect(completion).to_contain_text("Sans cela, aucune suggestion.")
    check_page(page, "volunteer-profile-meter")

    # Each missing item links to its field.
    completion.get_by_role("link", name="Indiquez au moins une compétence et votre niveau.").click()
    expect(page).to_have_url(re.compile(r"/benevole/profil/#profile-skills$"))
    skill = Skill.objects.select_related("family").order_by("pk").first()
    page.locator("summary", has_text=skill.family.name_fr).click()
    page.get_by_label(skill.name_fr, exact=True).select_option("3")
    page.get_by_label(Cause.objects.order_by("pk").first().name_fr, exact=True).check()
    page.get_by_label("Anglais", exact=True).check()
    # Saving runs the matching refresh in-process (eager Celery): slower on a busy machine.
    page.get_by_role("button", name="Enregistrer mon profil").click(timeout=60_000)

    expect(page.get_by_role("meter", name="Votre profil pour les suggestions")).to_have_attribute(
        "value", "6"
    )
    expect(page.locator("#completion-text")).to_have_text("6 éléments sur 6 renseignés (100 %)")
    check_page(page, "volunteer-profile-meter-complete")

    # Complete, the suggestions page shows no meter any more.
    page.goto(live_server.url + "/benevole/missions-pour-vous/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Missions pour vous")
    expect(page.get_by_role("meter")).to_have_count(0)


def test_the_suggestions_page_shows_the_meter_of_an_incomplete_profile(
    live_server, page, client, reference_data
):
    user = factories.UserFactory(first_name="Malik", last_name="Benali")
    profile = factories.VolunteerFactory(user=user, is_visible=False)
    factories.VolunteerSkillFactory(profile=profile, skill=Skill.objects.order_by("pk").first())
    sign_in(page, client, live_server, user)

    page.goto(live_server.url + "/benevole/missions-pour-vous/")
    completion = page.get_by_role("region", name="Votre profil pour les suggestions")
    link = completion.get_by_role("link", name=re.compile("Votre profil est masqué"))
    expect(link).to_have_attribute("href", "/benevole/profil/#profile-visibility")
    check_page(page, "volunteer-suggestions-meter")


def test_a_welcome_email_as_shown_by_a_mail_client(page, reference_data):
    joined = timezone.now() - datetime.timedelta(minutes=5)
    factories.UserFactory(
        first_name="Camille", signup_role="volunteer", date_joined=joined, last_login=joined
    )
    send_welcome_emails()
    (email,) = mail.outbox
    screenshot_email(page, email, "email-welcome-volunteer")


@pytest.fixture
def company(reference_data):
    company = factories.CompanyFactory(
        name="Banque Solidaire",
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


def last_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_subscribing_to_the_impact_report_and_the_email_it_sends(
    live_server, page, client, company
):
    company, admin = company
    sign_in(page, client, live_server, admin)
    page.goto(live_server.url + "/entreprise/rapports/")
    subscription = page.get_by_role("region", name="Recevoir le rapport par e-mail")
    subscription.get_by_label("Chaque mois, pour le mois écoulé").check()
    subscription.get_by_role("button", name="Enregistrer mon choix").click()
    expect(
        page.get_by_text("C'est noté : vous recevrez le rapport d'impact chaque mois")
    ).to_be_visible()
    expect(
        page.get_by_role("region", name="Recevoir le rapport par e-mail").get_by_label(
            "Chaque mois, pour le mois écoulé"
        )
    ).to_be_checked()
    check_page(page, "company-report-subscription")

    # Last month, an employee's work-time hours were validated.
    month = last_month(timezone.localdate())
    employee = factories.CompanyMemberFactory(
        company=company, user=factories.UserFactory(first_name="Hugo", last_name="Leroy")
    ).user
    profile = factories.VolunteerFactory(user=employee, employer=company)
    mission = factories.MissionFactory(state=Mission.State.COMPLETED)
    factories.MissionSkillFactory(mission=mission)
    application = factories.ApplicationFactory(
        volunteer=profile,
        mission=mission,
        is_work_time=True,
        approval_state=Application.Approval.APPROVED,
        planned_hours=12,
        state=Application.State.COMPLETED,
    )
    HoursEntry.objects.create(
        application=application,
        date=month + datetime.timedelta(days=9),
        hours=Decimal("7.5"),
        state=HoursEntry.State.VALIDATED,
    )
    # Subscribed before last month ended (the first report is the first period to end).
    ReportSubscription.objects.filter(user=admin).update(since=month)

    send_scheduled_reports()
    send_scheduled_reports()

    (email,) = mail.outbox
    assert email.to == [admin.email]
    assert "* Heures validées : 7,5\n" in email.body
    ((name, content, _mimetype),) = email.attachments
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    screenshot_email(page, email, "email-impact-report")


def test_subscribing_to_an_associations_yearly_summary(live_server, page, client, reference_data):
    association = factories.AssociationFactory(name="Les Jardins Partagés")
    owner = factories.AssociationMemberFactory(
        association=association,
        user=factories.UserFactory(first_name="Nadia", last_name="Roux"),
    ).user
    sign_in(page, client, live_server, owner)
    page.goto(live_server.url + "/entreprise/programmes/invitations/")
    page.get_by_role("button", name="Le recevoir chaque année pour Les Jardins Partagés").click()
    expect(page.get_by_text("Les Jardins Partagés : vous le recevez chaque année.")).to_be_visible()
    check_page(page, "association-summary-subscription")
    page.get_by_role(
        "button", name="Arrêter l'envoi du récapitulatif de Les Jardins Partagés"
    ).click()
    expect(page.get_by_text("Les Jardins Partagés : pas d'envoi par e-mail.")).to_be_visible()
    assert not ReportSubscription.objects.exists()
