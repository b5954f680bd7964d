"""Calendars, sharing and the map, in a real browser: downloading an engagement's .ics
and subscribing to the personal feed, the share button on a computer and on a phone,
and filtering the search by clicking a département on the map."""

import datetime
import io
import re
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from PIL import Image
from playwright.sync_api import expect

from missions.services import application_accept, application_create
from taxonomy.models import Departement, Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import PHONE, SCREENSHOTS, check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _site_url(settings, live_server, tmp_path):
    """Absolute links (feeds, shared pages, pictures) point to the server under test."""
    if not Skill.objects.exists():
        sync_reference_data()
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path


def sign_in(page, client, live_server, user):
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


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (the test server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def dated_mission(association, **fields):
    fields.setdefault("title", "Refonte du site des Jardins partagés")
    return factories.MissionFactory(
        association=association,
        summary="Un site clair pour accueillir les bénévoles du quartier.",
        location_mode="on_site",
        city="Bordeaux",
        postcode="33000",
        departement=Departement.objects.get(code="33"),
        start_date=TODAY + datetime.timedelta(days=10),
        end_date=TODAY + datetime.timedelta(days=40),
        seats=3,
        **fields,
    )


def test_a_volunteer_downloads_an_engagement_and_subscribes_to_their_calendar(
    live_server, page, client
):
    association = factories.AssociationFactory(name="Les Jardins partagés")
    owner = factories.AssociationMemberFactory(association=association).user
    mission = dated_mission(association)
    volunteer = factories.VolunteerFactory(
        user=factories.UserFactory(first_name="Camille", last_name="Martin")
    )
    application = application_create(
        mission_id=mission.pk, volunteer=volunteer, actor=volunteer.user
    )
    application_accept(application_id=application.pk, actor=owner)
    sign_in(page, client, live_server, volunteer.user)

    # The engagement as a file.
    page.goto(live_server.url + "/benevole/engagements/")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Ajouter à mon agenda (.ics) — {mission.title}").click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / "engagement.ics"
    download.value.save_as(path)
    (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert mission.title in str(event["summary"])
    assert event.decoded("dtstart") == mission.start_date

    # The personal feed: made on the account page, shown once, read without signing in.
    page.goto(live_server.url + "/mon-compte/")
    page.get_by_role("button", name="Créer mon adresse d'agenda").click()
    address = page.get_by_label(re.compile("Adresse de votre agenda"))
    expect(address).to_be_visible()
    feed = address.input_value()
    assert feed.startswith(live_server.url + "/agenda/")
    webcal = page.get_by_role("link", name="S'abonner dans mon application d'agenda")
    expect(webcal).to_have_attribute("href", "webcal://" + feed.split("://", 1)[1])
    check_page(page, "account-calendar")

    status, content = fetch(feed)
    assert status == 200
    uids = [str(e["uid"]) for e in Calendar.from_ical(content).walk("VEVENT")]
    assert any(uid.startswith(f"engagement-{application.pk}@") for uid in uids)

    # A new engagement appears at the next poll.
    other = dated_mission(association, title="Former l'équipe aux réseaux sociaux")
    second = application_create(mission_id=other.pk, volunteer=volunteer, actor=volunteer.user)
    application_accept(application_id=second.pk, actor=owner)
    _status, content = fetch(feed)
    assert "Former l'équipe aux réseaux sociaux" in Calendar.from_ical(content).to_ical().decode()

    # Shown once: the page no longer holds the address; revoking it answers 404.
    page.goto(live_server.url + "/mon-compte/")
    expect(page.get_by_label(re.compile("Adresse de votre agenda"))).to_have_count(0)
    page.get_by_role("button", name="Révoquer l'adresse").click()
    expect(page.get_by_text("Votre adresse d'agenda est révoquée")).to_be_visible()
    assert fetch(feed)[0] == 404


def test_the_share_button_copies_the_link_on_a_computer(live_server, page, browser):
    association = factories.AssociationFactory(name="Les Jardins partagés")
    mission = dated_mission(association, title="Un site pour « </script> » et nous")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    page.goto(live_server.url + mission.get_absolute_url())
    page.get_by_role("button", name=re.compile("^Partager")).click()

    expect(page.get_by_role("status").filter(has_text="Lien copié")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == live_server.url + mission.get_absolute_url()
    check_page(page, "mission-shared")

    # The picture a social network shows with the link.
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert image.startswith(live_server.url)
    status, content = fetch(image)
    assert status == 200
    assert Image.open(io.BytesIO(content)).size == (1200, 630)
    (SCREENSHOTS / "mission-share-preview.png").write_bytes(content)

    page.goto(live_server.url + association.get_absolute_url())
    expect(page.get_by_role("button", name=re.compile("^Partager"))).to_be_visible()
    check_page(page, "association-shared")


def test_the_share_button_opens_the_phones_share_sheet(live_server, browser):
    association = factories.AssociationFactory()
    mission = dated_mission(association)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    # The share sheet itself is the phone's: record what the page asks it to share.
    context.add_init_script(
        "window.__shared = [];"
        "navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };"
    )
    phone = context.new_page()
    try:
        phone.goto(live_server.url + mission.get_absolute_url())
        phone.get_by_role("button", name=re.compile("^Partager")).tap()
        expect(phone.get_by_role("status").filter(has_text="Merci")).to_be_visible()
        shared = phone.evaluate("() => window.__shared")
        assert shared == [
            {"title": mission.title, "url": live_server.url + mission.get_absolute_url()}
        ]
    finally:
        context.close()


def test_clicking_a_departement_on_the_map_filters_the_search(live_server, page):
    association = factories.AssociationFactory()
    bordeaux = dated_mission(association, title="Atelier numérique à Bordeaux")
    dated_mission(association, title="Plan de communication à Bordeaux")
    factories.MissionFactory(
        association=association,
        title="Comptabilité à Lyon",
        location_mode="on_site",
        city="Lyon",
        departement=Departement.objects.get(code="69"),
    )

    page.goto(live_server.url + "/missions/")
    page.get_by_role("link", name="Carte des départements").click()
    gironde = page.get_by_role(
        "link", name="33 : 2 missions sur place ou hybrides, Gironde", exact=True
    )
    expect(gironde).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^69 : 1 mission"))).to_be_visible()
    check_page(page, "search-map")

    # With the keyboard: the tile takes the focus, visibly, and Enter follows it.
    page.get_by_role("link", name=re.compile(r"^32 : ")).focus()
    page.keyboard.press("Tab")
    expect(gironde).to_be_focused()
    assert gironde.evaluate("(link) => getComputedStyle(link).outlineStyle") == "solid"
    tile = gironde.locator("rect")
    assert tile.evaluate("(rect) => getComputedStyle(rect).strokeWidth") == "4px"
    page.screenshot(path=SCREENSHOTS / "search-map-keyboard-focus.png")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"departement="))
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"2 missions correspondent")
    )
    expect(results.get_by_role("link", name=bordeaux.title)).to_be_visible()
    expect(results.get_by_role("link", name="Comptabilité à Lyon")).to_have_count(0)
    expect(page.get_by_role("link", name="Liste")).to_have_attribute("aria-current", "page")

    # On a phone, the map is there too, and a tap filters as well.
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Carte des départements").click()
    page.get_by_role("link", name=re.compile(r"^69 : ")).click()
    expect(results.get_by_role("link", name="Comptabilité à Lyon")).to_be_visible()
