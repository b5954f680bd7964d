"""A volunteer fills the profile, sees a mission suggested with its explanation,
applies, logs hours and downloads the attestation, in a real browser."""

import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from matching.services import forget_index
from missions.models import Application, HoursEntry
from missions.services import (
    application_accept,
    hours_validate,
    mission_complete,
    mission_start,
)
from taxonomy.models import Cause, Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def published_mission():
    # A transactional test that ran before without serialized rollback may have flushed it.
    if not Skill.objects.exists():
        sync_reference_data()
    skill = Skill.objects.select_related("family").order_by("pk").first()
    cause = Cause.objects.order_by("pk").first()
    association = factories.AssociationFactory(name="Les Jardins Partagés", rna="W691000123")
    owner = factories.AssociationMemberFactory(association=association).user
    mission = factories.MissionFactory(
        association=association,
        title="Structurer la comptabilité de l'association",
        cause=cause,
        location_mode="remote",
        effort_hours=20,
        seats=2,
    )
    factories.MissionSkillFactory(mission=mission, skill=skill, min_level=2)
    return {"mission": mission, "skill": skill, "cause": cause, "owner": owner}


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


def test_volunteer_journey(live_server, page, client, published_mission):
    forget_index()  # the matching arrays another test may have loaded in this process
    mission = published_mission["mission"]
    skill = published_mission["skill"]
    owner = published_mission["owner"]
    user = factories.UserFactory(
        email="camille@example.org", first_name="Camille", last_name="Martin"
    )
    _sign_in(page, client, live_server, user)

    # Onboarding: the navigation offers to become a volunteer.
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Devenir bénévole"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Devenir bénévole")
    check_page(page, "volunteer-profile")

    # A first attempt without any format and with a wrong postcode.
    page.get_by_label("Titre (ce que vous proposez, en une ligne)").fill("Comptable bénévole")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_label("Code postal").fill("6900")
    for label in ("À distance", "Sur place", "Hybride"):
        page.get_by_label(label, exact=True).uncheck()
    page.locator("summary", has_text=skill.family.name_fr).click()
    page.get_by_label(skill.name_fr, exact=True).select_option("3")
    page.get_by_role("button", name="Créer mon profil").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choisissez au moins un format")
    expect(summary).to_contain_text("n'est pas valide")
    expect(page.get_by_label("Titre (ce que vous proposez, en une ligne)")).to_have_value(
        "Comptable bénévole"
    )
    expect(page.get_by_label(skill.name_fr, exact=True)).to_have_value("3")
    check_page(page, "volunteer-profile-error")

    page.get_by_label("Code postal").fill("69003")
    page.get_by_label("À distance", exact=True).check()
    page.get_by_label(published_mission["cause"].name_fr, exact=True).check()
    # Saving runs the matching refresh in-process (eager Celery): slower on a busy machine.
    page.get_by_role("button", name="Créer mon profil").click(timeout=60_000)

    # The refresh ran when the profile was saved: the mission is suggested, explained.
    expect(page).to_have_url(re.compile(r"/benevole/missions-pour-vous/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Missions pour vous")
    suggestion = page.get_by_role("article", name=mission.title)
    expect(suggestion).to_be_visible()
    expect(suggestion.locator(".mission-summary__why")).to_contain_text("compétence requise")
    check_page(page, "volunteer-suggestions")

    suggestion.get_by_role("link", name=re.compile("^Candidater")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidater")
    check_page(page, "volunteer-apply")
    page.get_by_label("Votre message à l'association").fill(
        "Expert-comptable, je peux vous aider à mettre en place un plan comptable."
    )
    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(page).to_have_url(re.compile(r"/benevole/engagements/#engagement-\d+$"))
    engagement = page.get_by_role("article", name=mission.title)
    expect(engagement).to_contain_text("Candidature envoyée")
    check_page(page, "volunteer-engagements")

    # The association accepts and starts the mission (through the services).
    application = Application.objects.get(mission=mission, volunteer__user=user)
    application_accept(application_id=application.pk, actor=owner)
    mission_start(mission_id=mission.pk, actor=owner)

    page.reload()
    engagement = page.get_by_role("article", name=mission.title)
    expect(engagement).to_contain_text("En cours")
    engagement.get_by_text("Déclarer des heures").click()
    # Accepted today: the engagement's hours start today.
    engagement.get_by_label("Date").fill(timezone.localdate().isoformat())
    engagement.get_by_label("Heures", exact=True).fill("3.5")
    engagement.get_by_label("Ce que vous avez fait").fill("Plan comptable")
    engagement.get_by_role("button", name="Enregistrer ces heures").click()
    engagement = page.get_by_role("article", name=mission.title)
    hours = engagement.get_by_role("table")
    expect(hours).to_contain_text("Plan comptable")
    expect(hours).to_contain_text("À valider")

    # The association validates the hours and completes the mission.
    entry = HoursEntry.objects.get(application=application)
    hours_validate(entry_id=entry.pk, actor=owner)
    mission_complete(mission_id=mission.pk, actor=owner)

    page.reload()
    engagement = page.get_by_role("article", name=mission.title)
    expect(engagement).to_contain_text("Terminée")
    expect(engagement).to_contain_text("3,5 h")
    check_page(page, "volunteer-engagements-completed")
    with page.expect_download() as download_info:
        engagement.get_by_role("link", name=re.compile("Télécharger l'attestation")).click()
    download = download_info.value
    assert download.suggested_filename == f"attestation-probono-{application.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Keeping the mission as a favourite from its page (htmx), then the favourites page.
    engagement.get_by_role("link", name=mission.title, exact=True).click()
    favourite = page.get_by_role("button", name="Favori")
    expect(favourite).to_have_attribute("aria-pressed", "false")
    favourite.click()
    expect(page.get_by_role("button", name="Favori")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Favoris"
    ).click()
    expect(page.get_by_role("article", name=mission.title)).to_be_visible()
    check_page(page, "volunteer-favourites")
