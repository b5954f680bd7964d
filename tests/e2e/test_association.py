"""An association registers, diagnoses its needs, edits and splits the drafts, submits;
then answers an application and validates hours, in a real browser."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from associations.models import Association
from associations.services import association_verify
from missions.models import Application, HoursEntry, Mission, MissionTemplate
from missions.services import mission_publish
from taxonomy.geo import locate
from taxonomy.models import Cause, Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reference_data():
    # A transactional test that ran before without serialized rollback may have flushed it.
    if not Skill.objects.exists():
        sync_reference_data()
    if not MissionTemplate.objects.exists():
        migration = importlib.import_module("missions.migrations.0003_mission_templates_reference")
        migration.load(django_apps, None)
    # The offline city index loads on first use (seconds): load it before the browser waits.
    locate(city="Lyon", postcode="69003")


def _sign_in(page, client, live_server, user):
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_association_journey(live_server, page, client, reference_data):
    founder = factories.UserFactory(first_name="Inès", last_name="Martin")
    staff = factories.UserFactory(is_staff=True)
    cause = Cause.objects.order_by("pk").first()
    _sign_in(page, client, live_server, founder)

    # Onboarding, with a mistake first.
    page.goto(live_server.url + "/association/inscription/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscrire mon association")
    page.locator("#id_name").fill("Les Jardins du Quartier")
    page.get_by_label("SIREN ou SIRET").fill("123")
    page.get_by_label("Code postal").fill("69003")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_label(cause.name_fr).check()
    page.get_by_role("button", name="Inscrire l'association").click()
    expect(page.get_by_role("alert")).to_contain_text("ni un SIREN")
    expect(page.locator("#id_name")).to_have_value("Les Jardins du Quartier")
    check_page(page, "asso-register-errors")
    page.get_by_label("SIREN ou SIRET").fill("")
    page.get_by_label("Numéro RNA").fill("W691234567")
    page.get_by_role("button", name="Inscrire l'association").click()
    expect(page).to_have_url(re.compile(r"/association/$"))
    expect(page.locator(".asso-notice--pending")).to_contain_text("En attente de vérification")
    check_page(page, "asso-dashboard-pending")

    association = Association.objects.get(name="Les Jardins du Quartier")
    association_verify(association_id=association.pk, actor=staff)

    # Needs diagnosis: the drafts land in the editor.
    page.reload()
    page.get_by_role("link", name="Diagnostiquer nos besoins").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic des besoins")
    page.get_by_label("Le suivi des adhérents ou bénéficiaires est éparpillé").check()
    page.get_by_label("Nos statuts ne correspondent plus").check()
    check_page(page, "asso-diagnosis")
    page.get_by_role("button", name="Préparer les brouillons de mission").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier la mission")
    expect(page.get_by_label("Titre")).to_have_value(
        "Mettre en place un outil de suivi des adhérents"
    )
    check_page(page, "asso-mission-edit")

    # Asking for accounting and recruitment on top makes a "mouton à 5 pattes".
    draft = Mission.objects.filter(association=association).order_by("pk").first()
    page.get_by_label("Titre").fill("Suivre nos adhérents, nos comptes et nos recrutements")
    rows = draft.skills.count()
    page.locator(f"#id_skills-{rows}-skill").select_option(
        label=Skill.objects.get(code="accounting").name_fr
    )
    page.locator(f"#id_skills-{rows + 1}-skill").select_option(
        label=Skill.objects.get(code="recruitment").name_fr
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    warning = page.get_by_role("region", name="Mission « mouton à 5 pattes » ?")
    expect(warning).to_be_visible()
    check_page(page, "asso-mission-too-wide")
    warning.get_by_role("button", name="Découper en missions liées").click()
    parts = page.get_by_role("region", name="Missions liées")
    expect(parts.get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_role("region", name="Mission « mouton à 5 pattes » ?")).to_have_count(0)
    check_page(page, "asso-mission-split")

    page.get_by_role("button", name="Soumettre pour publication").click()
    expect(page.locator(".page-header .badge")).to_have_text("Soumise à validation")
    draft.refresh_from_db()
    assert draft.state == Mission.State.SUBMITTED

    # Pipeline: published by staff, a volunteer applies, the association accepts.
    mission_publish(mission_id=draft.pk, actor=staff)
    volunteer = factories.VolunteerFactory(user__first_name="Paul", user__last_name="Durand")
    application = factories.ApplicationFactory(
        mission=draft, volunteer=volunteer, message="Je connais bien les CRM libres."
    )
    page.goto(live_server.url + f"/association/missions/{draft.pk}/")
    card = page.locator(f"#application-{application.pk}")
    expect(card).to_contain_text("Je connais bien les CRM libres.")
    card.get_by_label("Message de bienvenue").fill("Bienvenue Paul, appelons-nous lundi.")
    card.get_by_role("button", name="Accepter").click()
    expect(page.get_by_role("status")).to_contain_text("Candidature acceptée")
    application.refresh_from_db()
    assert application.state == Application.State.ACCEPTED
    assert application.state_message == "Bienvenue Paul, appelons-nous lundi."

    page.get_by_role("button", name="Démarrer la mission").click()
    expect(page.get_by_role("status")).to_contain_text("La mission a démarré")
    entry = HoursEntry.objects.create(
        application=application, date=timezone.localdate(), hours=3, description="Atelier CRM"
    )
    page.reload()
    hours = page.get_by_role("region", name="Heures à valider")
    expect(hours).to_contain_text("Atelier CRM")
    check_page(page, "asso-pipeline")
    hours.get_by_role("button", name=re.compile("^Valider")).click()
    expect(page.get_by_role("status")).to_contain_text("Heures validées")
    entry.refresh_from_db()
    assert entry.state == HoursEntry.State.VALIDATED

    page.goto(live_server.url + association.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Pas encore assez de candidatures")
    check_page(page, "asso-public-profile")
