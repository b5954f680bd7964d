import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from associations.models import Association
from missions.models import MissionSkill
from taxonomy.models import Cause, Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import check_page

# The live server needs committed data, hence a transactional test. Serialized rollback
# restores the migrated data (reference data, content types) after the flush, so that
# later transactional tests that rely on it still find it.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def catalogue():
    """A verified association with three open missions, one of them fully described."""
    # A transactional test that ran before without serialized rollback may have flushed it.
    if not Skill.objects.exists():
        sync_reference_data()
    causes = list(Cause.objects.order_by("pk")[:3])
    skills = list(Skill.objects.order_by("pk")[:3])
    association = factories.AssociationFactory(
        name="Les Ateliers du Quartier",
        slug="ateliers-du-quartier",
        summary="Des ateliers d'insertion par le numérique pour les habitants de Lyon 3e.",
        description="Créée par des habitants, l'association accompagne chaque année "
        "200 personnes éloignées de l'emploi.",
        size_band=Association.SizeBand.SMALL,
        founded_year=2009,
        website="https://ateliers.example.org",
    )
    association.causes.set(causes[:2])
    today = timezone.localdate()
    mission = factories.MissionFactory(
        association=association,
        title="Mettre en place un CRM pour suivre les bénéficiaires",
        summary="Choisir et paramétrer un outil simple pour suivre les parcours, "
        "puis former l'équipe salariée.",
        description="Aujourd'hui, le suivi se fait dans trois tableurs.\n\n"
        "Vous aiderez l'équipe à formaliser son besoin, à choisir un outil libre "
        "et à migrer les données existantes.",
        deliverable="Un CRM paramétré, les données migrées et une formation de deux heures.",
        cause=causes[0],
        location_mode="hybrid",
        city="Lyon",
        postcode="69003",
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=110),
        effort_hours=40,
        hours_per_week=Decimal("3"),
        seats=2,
        languages=["fr", "en"],
    )
    factories.MissionSkillFactory(mission=mission, skill=skills[0], min_level=3)
    factories.MissionSkillFactory(mission=mission, skill=skills[1], min_level=2)
    factories.MissionSkillFactory(
        mission=mission,
        skill=skills[2],
        min_level=1,
        importance=MissionSkill.Importance.NICE_TO_HAVE,
    )
    factories.MissionFactory(
        association=association,
        title="Revoir la stratégie de communication",
        summary="Clarifier nos messages et construire un plan éditorial sur six mois.",
        cause=causes[1],
        effort_hours=20,
    )
    factories.MissionFactory(
        association=association,
        title="Former l'équipe à la gestion de trésorerie",
        summary="Deux ateliers pour construire un plan de trésorerie sur douze mois.",
        format="workshop",
        cause=causes[0],
        effort_hours=6,
        seats=4,
    )
    return {"association": association, "mission": mission, "skills": skills}


def test_a_visitor_browses_missions_and_switches_to_english(live_server, page, catalogue):
    mission = catalogue["mission"]
    association = catalogue["association"]
    required, also_required, nice_to_have = catalogue["skills"]

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    figures = page.locator(".figures")
    expect(figures.locator(".figure", has_text="missions ouvertes").locator("dd")).to_have_text("3")
    expect(figures.locator(".figure", has_text="association vérifiée").locator("dd")).to_have_text(
        "1"
    )
    expect(page.get_by_role("link", name=mission.title)).to_be_visible()
    check_page(page, "home")

    navigation = page.get_by_role("navigation", name="Navigation principale")
    navigation.get_by_role("link", name="Missions").click()
    expect(page).to_have_url(re.compile(r"/missions/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Missions ouvertes")
    check_page(page, "mission-list")

    page.get_by_role("link", name=mission.title).click()
    expect(page).to_have_url(re.compile(rf"/missions/{mission.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(mission.title)
    skills = page.get_by_role("region", name="Compétences recherchées")
    expect(skills).to_contain_text(required.name_fr)
    expect(skills).to_contain_text(also_required.name_fr)
    expect(skills.locator(".skill-group--nice")).to_contain_text(nice_to_have.name_fr)
    check_page(page, "mission")

    page.locator(".mission-header").get_by_role("link", name=association.name).click()
    expect(page).to_have_url(re.compile(rf"/associations/{association.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(association.name)
    expect(page.get_by_role("link", name=mission.title)).to_be_visible()
    check_page(page, "association")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(rf"/en/associations/{association.slug}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    # Reference data is bilingual in the database, whatever the translation catalogues hold.
    cause = association.causes.order_by("pk").first()
    expect(page.locator("main")).to_contain_text(cause.name_en)
    with translation.override("en"):
        sign_in = gettext("Se connecter")
        navigation_label = gettext("Navigation principale")
    navigation = page.get_by_role("navigation", name=navigation_label)
    expect(navigation.get_by_role("link", name=sign_in)).to_be_visible()
    navigation.get_by_role("link", name="Missions").click()
    expect(page).to_have_url(re.compile(r"/en/missions/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
