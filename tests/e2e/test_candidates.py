"""An association reads its pipeline by names and opens a candidate's full profile, in a
real browser, at desktop and phone width."""

import io

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from missions.models import Evaluation
from taxonomy.models import Cause, Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import check_page
from tests.suggestions import store_list

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reference_data():
    # A transactional test that ran before without serialized rollback may have flushed it.
    if not Skill.objects.exists():
        sync_reference_data()


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


def _photo() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (160, 160), (27, 94, 122)).save(out, "JPEG")
    return ContentFile(out.getvalue(), name="photo.jpg")


def test_from_the_pipeline_to_a_candidates_profile(
    live_server, page, client, reference_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    member = factories.AssociationMemberFactory(user__first_name="Inès", user__last_name="Martin")
    mission = factories.MissionFactory(
        association=member.association, title="Refonte du site de l'épicerie solidaire"
    )
    skills = list(Skill.objects.order_by("pk")[:3])
    factories.MissionSkillFactory(mission=mission, skill=skills[0], min_level=3)
    factories.MissionSkillFactory(
        mission=mission, skill=skills[1], importance="nice_to_have", min_level=2
    )
    applicant = factories.VolunteerFactory(
        user=factories.UserFactory(
            first_name="Camille", last_name="Lefèvre-Dumas", email="camille@exemple.test"
        ),
        headline="Cheffe de projet web",
        occupation="Cheffe de projet numérique",
        seniority="senior",
        experience=(
            "Quinze ans de projets web pour des PME et des collectivités.\n"
            "Bénévole depuis 2019 auprès d'associations d'insertion."
        ),
        profile_url="https://www.linkedin.com/in/camille-lefevre-dumas",
        phone="06 12 34 56 78",
        languages=["fr", "en"],
        time_slots=["weekday_evening", "weekend"],
        hours_per_month=10,
        photo=_photo(),
    )
    applicant.causes.set(Cause.objects.order_by("pk")[:2])
    factories.VolunteerSkillFactory(profile=applicant, skill=skills[0], level=4)
    factories.VolunteerSkillFactory(profile=applicant, skill=skills[1], level=2)
    factories.VolunteerSkillFactory(profile=applicant, skill=skills[2], level=3)
    factories.ApplicationFactory(
        mission=mission,
        volunteer=applicant,
        message="Votre projet me parle : j'ai refait le site d'une autre épicerie l'an dernier.",
    )
    done = factories.ApplicationFactory(volunteer=applicant, state="completed")
    Evaluation.objects.create(
        application=done, side=Evaluation.Side.ASSOCIATION, rating=5, objectives="met"
    )
    suggested = factories.VolunteerFactory(
        user=factories.UserFactory(first_name="Zoé", last_name="Kerhervé"),
        headline="Développeuse",
    )
    store_list(mission=mission, others=[suggested])
    _sign_in(page, client, live_server, member.user)

    page.goto(f"{live_server.url}/association/missions/{mission.pk}/")
    expect(page.locator(".account-menu__toggle")).to_contain_text("Inès Martin")
    expect(page.locator("#suggestions")).to_contain_text("Zoé K.")
    expect(page.locator("#suggestions")).not_to_contain_text("Kerhervé")
    expect(page.locator("#applications")).to_contain_text("Camille Lefèvre-Dumas")
    expect(page.locator("body")).not_to_contain_text("@")
    check_page(page, "asso-pipeline-names")

    page.locator("#applications").get_by_role(
        "link", name="Camille Lefèvre-Dumas — voir le profil"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Lefèvre-Dumas")
    expect(page.locator("main")).to_contain_text("Expert (4/4)")
    expect(page.locator("main")).to_contain_text("Quinze ans de projets web")
    expect(page.locator("main")).to_contain_text("1 mission menée à son terme")
    expect(page.locator("main")).to_contain_text("une fois sa candidature acceptée")
    expect(page.locator("main")).not_to_contain_text("camille@exemple.test")
    photo = page.locator(".candidate-header__photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("image => image.naturalWidth") == 160
    check_page(page, "asso-candidate-profile")

    applicant.applications.filter(mission=mission).update(state="accepted")
    page.reload()
    expect(page.locator("main")).to_contain_text("camille@exemple.test")
    expect(page.locator("main")).to_contain_text("06 12 34 56 78")
    check_page(page, "asso-candidate-profile-accepted")

    page.goto(f"{live_server.url}/association/missions/{mission.pk}/")
    page.locator("#suggestions").get_by_role("link", name="Zoé K. — voir le profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoé K.")
    expect(page.locator("main")).to_contain_text("Invitez cette personne à candidater")
