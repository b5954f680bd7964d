"""The whole journey, in a real browser, through the pages only: an association signs
up and registers, staff verify it in the admin, it runs the needs diagnosis and
submits the mission, staff publish it; a volunteer signs up, fills the profile, sees
the mission suggested with its explanation and applies; the association accepts and
starts the mission; the volunteer logs hours; the association validates them,
completes the mission and evaluates; the volunteer downloads the attestation."""

import importlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from matching.services import forget_index
from missions.models import Application, Mission, MissionSkill, MissionTemplate
from taxonomy.geo import locate
from taxonomy.models import Cause, Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Un-mot-de-passe-solide-2026"


@pytest.fixture
def reference_data():
    # A transactional test that ran before without serialized rollback may have flushed it.
    if not Skill.objects.exists():
        sync_reference_data()
    if not MissionTemplate.objects.exists():
        migration = importlib.import_module("missions.migrations.0003_mission_templates_reference")
        migration.load(django_apps, None)
    locate(city="Lyon", postcode="69003")  # the offline city index loads in seconds


def sign_up(browser, live_server, email: str, role_label: str):
    """A new browser context, signed up with ``role_label`` and its e-mail confirmed."""
    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR").new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/comptes/signup/")
    page.get_by_label(role_label).check()
    page.locator("#id_first_name").fill(email.split("@")[0].capitalize())
    page.locator("#id_last_name").fill("Testeur")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label(re.compile("J'accepte les conditions générales")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"(/comptes/confirm-email/[^/\s]+/)", message.body).group(1)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirmer").click()
    return page


def staff_page(browser, live_server):
    """Staff sign in to the admin with their password, then their authenticator's code."""
    staff = factories.UserFactory(
        email="equipe@probono.test", password=PASSWORD, is_staff=True, is_superuser=True
    )
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR").new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/admin/")
    page.locator("#id_login").fill("equipe@probono.test")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion", exact=True).click()
    page.locator("#id_code").fill(factories.totp_code())
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.locator("#site-name")).to_be_visible()
    return page


def admin_action(page, live_server, changelist: str, row_text: str, action: str):
    page.goto(live_server.url + changelist)
    row = page.locator("#result_list tbody tr", has_text=row_text)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Envoyer").click()


def test_an_association_and_a_volunteer_go_from_sign_up_to_the_attestation(
    live_server, browser, reference_data
):
    forget_index()  # matching arrays another test may have loaded in this process
    cause = Cause.objects.order_by("pk").first()

    # The association signs up and lands on its registration.
    asso = sign_up(browser, live_server, "ines@example.org", "Je représente une association")
    expect(asso.get_by_role("heading", level=1)).to_have_text("Inscrire mon association")
    asso.locator("#id_name").fill("Les Jardins du Quartier")
    asso.get_by_label("Numéro RNA").fill("W691234567")
    asso.get_by_label("Code postal").fill("69003")
    asso.get_by_label("Ville").fill("Lyon")
    asso.get_by_label(cause.name_fr).check()
    asso.get_by_role("button", name="Inscrire l'association").click()
    expect(asso.locator(".asso-notice--pending")).to_contain_text("En attente de vérification")

    # Staff verify it in the admin.
    staff = staff_page(browser, live_server)
    admin_action(
        staff,
        live_server,
        "/admin/associations/association/",
        "Les Jardins du Quartier",
        "Vérifier les associations sélectionnées",
    )
    expect(staff.locator(".messagelist")).to_contain_text("vérifiée")

    # The association runs the diagnosis and submits the draft it produced.
    asso.reload()
    asso.get_by_role("link", name="Diagnostiquer nos besoins").click()
    asso.get_by_label("Le suivi des adhérents ou bénéficiaires est éparpillé").check()
    asso.get_by_role("button", name="Préparer les brouillons de mission").click()
    expect(asso.get_by_role("heading", level=1)).to_have_text("Modifier la mission")
    asso.get_by_role("button", name="Soumettre pour publication").click()
    expect(asso.locator(".page-header .badge")).to_have_text("Soumise à validation")
    mission = Mission.objects.get(association__name="Les Jardins du Quartier")
    required = [
        s.skill
        for s in mission.skills.select_related("skill__family").filter(
            importance=MissionSkill.Importance.REQUIRED
        )
    ]

    # Staff publish it.
    admin_action(
        staff,
        live_server,
        "/admin/missions/mission/",
        mission.title,
        "Publier les missions sélectionnées",
    )
    expect(staff.locator(".messagelist")).to_contain_text("publiée")

    # A volunteer signs up, fills the profile and sees the mission suggested, explained.
    vol = sign_up(browser, live_server, "paul@example.org", "Je suis bénévole")
    expect(vol.get_by_role("heading", level=1)).to_have_text("Devenir bénévole")
    vol.get_by_label("Titre (ce que vous proposez, en une ligne)").fill("Chef de projet CRM")
    vol.get_by_label("Ville").fill("Lyon")
    vol.get_by_label("Code postal").fill("69003")
    for label in ("À distance", "Sur place", "Hybride"):
        vol.get_by_label(label, exact=True).check()
    for skill in required:
        family = vol.locator("details", has=vol.locator("summary", has_text=skill.family.name_fr))
        if family.get_attribute("open") is None:
            family.locator("summary").click()
        vol.get_by_label(skill.name_fr, exact=True).select_option("4")
    vol.get_by_label(cause.name_fr, exact=True).check()
    vol.get_by_role("button", name="Créer mon profil").click(timeout=60_000)
    expect(vol.get_by_role("heading", level=1)).to_have_text("Missions pour vous")
    suggestion = vol.get_by_role("article", name=mission.title)
    expect(suggestion.locator(".mission-summary__why")).to_contain_text("compétence")
    check_page(vol, "journey-suggestions")
    suggestion.get_by_role("link", name=re.compile("^Candidater")).click()
    vol.get_by_label("Votre message à l'association").fill("J'ai déployé trois CRM associatifs.")
    vol.get_by_role("button", name="Envoyer ma candidature").click()
    expect(vol.get_by_role("article", name=mission.title)).to_contain_text("Candidature envoyée")

    # The association accepts and starts the mission.
    application = Application.objects.get(mission=mission)
    asso.goto(live_server.url + f"/association/missions/{mission.pk}/")
    card = asso.locator(f"#application-{application.pk}")
    expect(card).to_contain_text("J'ai déployé trois CRM associatifs.")
    card.get_by_label("Message de bienvenue").fill("Bienvenue Paul !")
    card.get_by_role("button", name="Accepter").click()
    expect(asso.get_by_role("status")).to_contain_text("Candidature acceptée")
    asso.get_by_role("button", name="Démarrer la mission").click()
    expect(asso.get_by_role("status")).to_contain_text("La mission a démarré")

    # The volunteer logs hours.
    vol.goto(live_server.url + "/benevole/engagements/")
    engagement = vol.get_by_role("article", name=mission.title)
    expect(engagement).to_contain_text("En cours")
    engagement.get_by_text("Déclarer des heures").click()
    engagement.get_by_label("Date").fill(timezone.localdate().isoformat())
    engagement.get_by_label("Heures", exact=True).fill("6")
    engagement.get_by_label("Ce que vous avez fait").fill("Paramétrage du CRM")
    engagement.get_by_role("button", name="Enregistrer ces heures").click()
    expect(vol.get_by_role("article", name=mission.title).get_by_role("table")).to_contain_text(
        "À valider"
    )

    # The association validates the hours, completes the mission and evaluates.
    asso.reload()
    hours = asso.get_by_role("region", name="Heures à valider")
    expect(hours).to_contain_text("Paramétrage du CRM")
    hours.get_by_role("button", name=re.compile("^Valider")).click()
    expect(asso.get_by_role("status")).to_contain_text("Heures validées")
    # Ending the mission asks for a confirmation first.
    asso.get_by_text("Terminer la mission", exact=True).click()
    asso.get_by_role("button", name="Oui, terminer la mission").click()
    completed = asso.get_by_role("region", name="Engagements terminés")
    completed.get_by_text("Évaluer l'engagement").click()
    completed.get_by_label("5", exact=True).check()
    completed.get_by_label("Atteints", exact=True).check()
    completed.get_by_label("L'association peut-elle poursuivre seule ?").select_option("true")
    completed.get_by_role("button", name="Envoyer l'évaluation").click()
    expect(asso.get_by_role("region", name="Engagements terminés")).to_contain_text(
        "Évaluation envoyée"
    )
    check_page(asso, "journey-pipeline")

    # The volunteer downloads the attestation.
    vol.reload()
    engagement = vol.get_by_role("article", name=mission.title)
    expect(engagement).to_contain_text("Terminée")
    with vol.expect_download() as downloaded:
        engagement.get_by_role("link", name=re.compile("attestation", re.IGNORECASE)).click()
    with open(downloaded.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    check_page(vol, "journey-engagements")
