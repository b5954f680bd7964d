import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from search.models import SavedSearch
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
def missions():
    if not Skill.objects.exists():
        sync_reference_data()
    locate(city="Lyon")  # load the offline city tables before the clock of the browser starts
    culture, health = Cause.objects.order_by("pk")[:2]
    crm, accounting = Skill.objects.order_by("pk")[:2]
    association = factories.AssociationFactory(name="Les Ateliers du Quartier")
    today = timezone.localdate()
    wanted = factories.MissionFactory(
        association=association,
        title="Mettre en place un CRM pour suivre les bénéficiaires",
        summary="Choisir et paramétrer un outil simple de suivi des parcours.",
        description="Aujourd'hui, le suivi se fait dans trois tableurs.",
        cause=culture,
        location_mode="hybrid",
        city="Lyon",
        postcode="69003",
        latitude=45.76,
        longitude=4.85,
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=110),
        seats=2,
    )
    factories.MissionSkillFactory(mission=wanted, skill=crm)
    other_cause = factories.MissionFactory(
        association=association,
        title="Un CRM pour la maison de santé",
        summary="Suivre les patients accompagnés par les bénévoles.",
        cause=health,
    )
    factories.MissionSkillFactory(mission=other_cause, skill=crm)
    unrelated = factories.MissionFactory(
        association=association,
        title="Former l'équipe à la trésorerie",
        summary="Deux ateliers pour construire un plan de trésorerie.",
        cause=culture,
    )
    factories.MissionSkillFactory(mission=unrelated, skill=accounting)
    return {"wanted": wanted, "culture": culture, "crm": crm}


def sign_in(page, client, live_server, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_volunteer_searches_with_filters_removes_one_and_saves_the_search(
    live_server, page, client, missions, volunteer
):
    wanted, culture, crm = missions["wanted"], missions["culture"], missions["crm"]

    page.goto(live_server.url + "/")
    check_page(page, "home-with-roles")
    expect(page.get_by_role("link", name="Inscrire mon association")).to_have_attribute(
        "href", "/comptes/signup/?role=association"
    )

    page.goto(live_server.url + "/missions/")
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"3 missions correspondent")
    )
    # Each option says how many missions it would find.
    expect(page.get_by_label("Cause").locator(f'option[value="{culture.code}"]')).to_have_text(
        f"{culture.name_fr} (2)"
    )

    # Several filters and full text, submitted with the keyboard-reachable button.
    page.get_by_label("Mots-clés").fill("CRM")
    page.get_by_label("Cause").select_option(culture.code)
    page.locator("details.skill-family", has=page.get_by_label(crm.name_fr)).locator(
        "summary"
    ).click()
    page.get_by_label(crm.name_fr).check()
    page.get_by_role("button", name="Rechercher").click()

    expect(page).to_have_url(re.compile(r"q=CRM"))
    expect(results.get_by_role("heading", level=2)).to_have_text("1 mission correspond")
    expect(results.get_by_role("link", name=wanted.title)).to_be_visible()
    expect(page.get_by_label("Mots-clés")).to_have_value("CRM")
    check_page(page, "search-results")

    # Removing the cause brings back the CRM mission of another cause.
    page.get_by_role("link", name=f"Retirer le filtre Cause : {culture.name_fr}").click()
    expect(results.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"2 missions correspondent")
    )
    expect(page).not_to_have_url(re.compile(r"cause="))
    expect(page.get_by_label("Cause")).to_have_value("")

    # A city that does not exist: a French error next to the field, and a summary.
    page.get_by_label("Autour de la ville").fill("Nullepartville")
    page.get_by_role("button", name="Rechercher").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Nous ne trouvons pas la ville « Nullepartville »")
    expect(page.locator("#id_near_error")).to_be_visible()
    expect(page.get_by_label("Autour de la ville")).to_have_attribute(
        "aria-describedby", re.compile("id_near_error")
    )
    check_page(page, "search-error")

    page.get_by_label("Autour de la ville").fill("Lyon")
    page.get_by_label("Rayon (km)").fill("20")
    page.get_by_role("button", name="Rechercher").click()
    # The mission in Lyon, and the remote one, which can be done from anywhere.
    expect(results.get_by_role("heading", level=2)).to_have_text(
        re.compile("2 missions correspondent")
    )
    expect(page.locator(".filter-chip", has_text="À 20 km de Lyon")).to_be_visible()
    expect(results.locator(".mission-card", has_text=wanted.title)).to_contain_text("à 1 km")

    results.get_by_role("link", name=wanted.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(wanted.title)
    expect(page.locator(".facts")).to_contain_text("2 places libres sur 2")
    expect(page.get_by_role("link", name="Voir le profil de l'association")).to_be_visible()
    check_page(page, "search-mission")
    page.go_back()

    # Saving needs an account: the volunteer signs in and saves the same search.
    sign_in(page, client, live_server, volunteer.user)
    page.reload()
    page.get_by_label("Nom de la recherche").fill("CRM près de Lyon")
    page.get_by_role("button", name="Enregistrer cette recherche").click()
    expect(page.get_by_role("status")).to_contain_text("Recherche « CRM près de Lyon » enregistrée")
    saved = SavedSearch.objects.get(user=volunteer.user)
    assert saved.params["near"] == ["Lyon"]
    assert saved.params["q"] == ["CRM"]

    page.get_by_role("link", name="Mes recherches enregistrées").click()
    expect(page.get_by_role("heading", level=2, name="CRM près de Lyon")).to_be_visible()
    check_page(page, "saved-searches")
    page.get_by_role("button", name="Supprimer : CRM près de Lyon").click()
    expect(page.get_by_role("status")).to_contain_text("supprimée")
    assert not SavedSearch.objects.exists()

    # A misspelt word still finds the mission whose title is close to it.
    page.goto(live_server.url + "/missions/?q=tresorrie")
    expect(results.get_by_role("heading", level=2)).to_have_text("1 mission correspond")
    expect(results.get_by_role("link", name="Former l'équipe à la trésorerie")).to_be_visible()
    expect(results).to_contain_text("Certains mots ne figurent dans aucune mission")
    check_page(page, "search-typo")


def test_the_signup_page_asks_for_a_role(live_server, page, settings):
    settings.ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
    page.goto(live_server.url + "/comptes/signup/?role=volunteer")

    group = page.get_by_role("group", name=re.compile("Vous êtes"))
    expect(group.get_by_label("Je suis bénévole")).to_be_checked()
    expect(group.get_by_label("Je représente une entreprise")).not_to_be_checked()
    check_page(page, "signup")
