"""A suggestion explains itself with its facts and shows how much each factor weighed,
on the volunteer's « Missions pour vous » and on the association's pipeline, in French
and in English, in a real browser."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from matching.services import (
    forget_index,
    suggestion_refresh_mission,
    suggestion_refresh_volunteer,
)
from taxonomy.models import Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LABELS_FR = (
    "Compétences|Cause|Lieu|Disponibilités|Langues|Séniorité|Format|Programme d'entreprise|Équité"
)
LABELS_EN = (
    "Skills|Cause|Location|Availability|Languages|Seniority|Format|Company programme|Fairness"
)
SHARE = re.compile(rf"^({LABELS_FR}) : \d+ % du score$")
SHARE_EN = re.compile(rf"^({LABELS_EN}): \d+% of the score$")


@pytest.fixture
def suggested():
    """A hybrid mission near Vienne asking for two skills, and a volunteer in Lyon (about
    25 km away, ready to travel 15) who holds one of them and a skill related to the
    other; the suggestions of both are computed by the engine."""
    # A transactional test that ran before without serialized rollback may have flushed it.
    if not Skill.objects.exists():
        sync_reference_data()
    asked = Skill.objects.filter(related__isnull=False).order_by("pk").first()
    related = asked.related.order_by("pk").first()
    exact = (
        Skill.objects.exclude(pk=asked.pk)
        .exclude(pk__in=asked.related.values("pk"))
        .order_by("pk")
        .first()
    )
    association = factories.AssociationFactory(name="Les Jardins Partagés")
    owner = factories.AssociationMemberFactory(association=association).user
    start = timezone.localdate() + dt.timedelta(days=14)
    mission = factories.MissionFactory(
        association=association,
        title="Mettre en place la paie et les comptes",
        location_mode="hybrid",
        city="Vienne",
        postcode="38200",
        latitude=45.5255,
        longitude=4.8741,
        start_date=start,
        end_date=start + dt.timedelta(days=60),
        hours_per_week=3,
        seats=2,
    )
    factories.MissionSkillFactory(mission=mission, skill=exact, min_level=3)
    factories.MissionSkillFactory(mission=mission, skill=asked, min_level=2)
    user = factories.UserFactory(first_name="Camille", last_name="Martin")
    volunteer = factories.VolunteerFactory(user=user, max_distance_km=15, hours_per_month=20)
    factories.VolunteerSkillFactory(profile=volunteer, skill=exact, level=4)
    factories.VolunteerSkillFactory(profile=volunteer, skill=related, level=3)
    forget_index()  # the matching arrays another test may have loaded in this process
    suggestion_refresh_mission(mission.pk)
    suggestion_refresh_volunteer(volunteer.pk)
    forget_index()
    return {
        "mission": mission,
        "owner": owner,
        "volunteer": user,
        "asked": asked,
        "related": related,
        "exact": exact,
    }


def _sign_in(page, client, live_server, user):
    page.context.clear_cookies()
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


def _expect_factor_bars(card, pattern):
    shares = card.locator(".factor-share .visually-hidden")
    expect(shares.first).to_have_text(pattern)
    texts = shares.all_text_contents()
    assert all(pattern.match(text) for text in texts), texts
    total = sum(int(re.search(r"\d+", text).group()) for text in texts)
    assert total == 100, texts
    # the bars themselves are drawn, not read: the text above says it all
    expect(card.locator(".factor-share__bar").first).to_have_attribute("aria-hidden", "true")
    expect(card.locator("meter.factor-share__bar").first).to_be_visible()


def test_volunteer_and_association_read_the_facts_and_each_factors_share(
    live_server, page, client, suggested
):
    mission, asked, related = suggested["mission"], suggested["asked"], suggested["related"]

    _sign_in(page, client, live_server, suggested["volunteer"])
    page.goto(live_server.url + reverse("volunteers:suggestions"))
    card = page.get_by_role("article", name=mission.title)
    why = card.locator(".mission-summary__why")
    expect(why).to_contain_text(f"{related.name_fr}, proche de {asked.name_fr} demandée")
    expect(why).to_contain_text(f"{suggested['exact'].name_fr} niveau 4")
    expect(why).to_contain_text(re.compile(r"hybride, \d+ km : au-delà de vos 15 km"))
    expect(why).to_contain_text("vos 20 h/mois pour environ 13 h/mois demandées")
    expect(why).to_contain_text(re.compile(r"Correspondance : \d+ %"))
    _expect_factor_bars(why, SHARE)
    check_page(page, "suggestion-reasons-volunteer")

    with translation.override("en"):
        english = reverse("volunteers:suggestions")
    page.goto(live_server.url + english)
    why = page.get_by_role("article", name=mission.title).locator(".mission-summary__why")
    expect(why).to_contain_text(f"{related.name_en}, related to {asked.name_en} (asked)")
    expect(why).to_contain_text(re.compile(r"hybrid, \d+ km: beyond your 15 km"))
    expect(why).to_contain_text(re.compile(r"Match: \d+%"))
    _expect_factor_bars(why, SHARE_EN)
    check_page(page, "suggestion-reasons-volunteer-en")

    _sign_in(page, client, live_server, suggested["owner"])
    page.goto(live_server.url + reverse("asso:mission_pipeline", args=[mission.pk]))
    card = page.locator(f"#suggestion-{suggested['volunteer'].volunteer_profile.pk}")
    expect(card).to_contain_text(f"{related.name_fr}, proche de {asked.name_fr} demandée")
    expect(card).to_contain_text(re.compile(r"hybride, à \d+ km, au-delà des 15 km du bénévole"))
    expect(card).not_to_contain_text("petite association")
    expect(card).not_to_contain_text("aucun candidat")
    _expect_factor_bars(card, SHARE)
    check_page(page, "suggestion-reasons-pipeline")

    with translation.override("en"):
        english = reverse("asso:mission_pipeline", args=[mission.pk])
    page.goto(live_server.url + english)
    card = page.locator(f"#suggestion-{suggested['volunteer'].volunteer_profile.pk}")
    expect(card).to_contain_text(re.compile(r"hybrid, \d+ km away, beyond the volunteer's 15 km"))
    _expect_factor_bars(card, SHARE_EN)
    check_page(page, "suggestion-reasons-pipeline-en")
