"""An association admin connects a partner tool: creates a key, registers a webhook,
imports missions, and reads the API docs."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from api.models import ApiKey, WebhookEndpoint
from missions.models import Mission
from taxonomy.models import Cause, Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def admin_session(live_server):
    if not Skill.objects.exists():
        sync_reference_data()
    association = factories.AssociationFactory(name="Les Ateliers du Quartier", slug="ateliers")
    owner = factories.AssociationMemberFactory(association=association).user
    client = Client()
    client.force_login(owner)
    return association, owner, client.cookies["sessionid"].value


def sign_in(page, live_server, session_id):
    page.context.add_cookies([{"name": "sessionid", "value": session_id, "url": live_server.url}])


def test_an_admin_connects_a_partner_tool(page, live_server, admin_session, tmp_path):
    association, owner, session_id = admin_session
    sign_in(page, live_server, session_id)
    base = f"{live_server.url}/organisation/association/{association.slug}"

    page.goto(f"{live_server.url}/organisation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Outils partenaires")
    check_page(page, "organisation-index")

    page.goto(f"{base}/cles-api/")
    page.get_by_role("button", name="Créer la clé").click()
    expect(page.get_by_role("alert")).to_contain_text("Nom de la clé")
    check_page(page, "organisation-keys-errors")
    page.get_by_label("Nom de la clé").fill("SIRH")
    page.get_by_label("Lecture et écriture").check()
    page.get_by_role("button", name="Créer la clé").click()
    secret = page.get_by_label("Clé", exact=True).input_value()
    key = ApiKey.objects.get()
    assert key.matches(secret.split("_", 2)[2]) and key.scope == "write"
    check_page(page, "organisation-keys")

    page.goto(f"{base}/webhooks/")
    page.get_by_label("Adresse de réception (URL)").fill("https://crm.example.org/probono")
    page.get_by_label("Mission publiée").check()
    page.get_by_role("button", name="Enregistrer l'adresse").click()
    endpoint = WebhookEndpoint.objects.get()
    expect(page.get_by_label("Secret", exact=True)).to_have_value(endpoint.secret)
    check_page(page, "organisation-webhooks")

    skill = Skill.objects.order_by("pk").first().code
    cause = Cause.objects.order_by("pk").first().code
    upload = tmp_path / "missions.csv"
    upload.write_text(
        "title;summary;cause;skills\n"
        f"Site web;Refaire le site;{cause};{skill}:3\n"
        f"Compta;Tenir les comptes;inconnue;{skill}\n",
        encoding="utf-8",
    )
    page.goto(f"{base}/import/")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(upload))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("alert")).to_contain_text("Rien n'a été importé")
    assert Mission.objects.count() == 0
    check_page(page, "organisation-import-errors")

    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui")).to_be_visible()
    expect(page.get_by_text("probono API").first).to_be_visible()
