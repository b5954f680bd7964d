"""Signing up accepts the terms and the privacy policy; a new version is accepted again."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from legal import selectors
from legal.models import Consent, DocumentKind, LegalDocument
from tests import factories
from tests.e2e.audit import check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Un-mot-de-passe-solide-2026"


@pytest.fixture(autouse=True)
def _fresh_legal_cache():
    selectors.forget_latest()
    yield
    selectors.forget_latest()


def test_signing_up_requires_accepting_the_terms_and_records_it(live_server, page, settings):
    settings.ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
    page.goto(live_server.url + "/comptes/signup/")
    page.get_by_label("Je suis bénévole").check()
    page.locator("#id_first_name").fill("Camille")
    page.locator("#id_last_name").fill("Durand")
    page.locator("#id_email").fill("camille@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Acceptez les conditions d'utilisation")
    box = page.get_by_label(re.compile("J'accepte les conditions générales"))
    expect(box).not_to_be_checked()
    check_page(page, "signup-terms-error")

    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    box.check()
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_role("heading", level=1)).not_to_have_text("Créer un compte")
    kinds = set(
        Consent.objects.filter(user__email="camille@example.org").values_list("kind", "version")
    )
    assert kinds == {(DocumentKind.TERMS, 1), (DocumentKind.PRIVACY, 1)}


def test_the_terms_open_from_the_signup_form_and_the_footer(live_server, page):
    page.goto(live_server.url + "/comptes/signup/")
    with page.expect_popup() as popup:
        page.get_by_role("link", name="politique de confidentialité").click()
    policy = popup.value
    expect(policy.get_by_role("heading", level=1)).to_have_text("Politique de confidentialité")
    expect(policy.get_by_role("heading", name="Vos droits")).to_be_visible()

    footer = page.get_by_role("navigation", name="Liens du pied de page")
    footer.get_by_role("link", name="Mentions légales").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentions légales")
    check_page(page, "legal-notice")


def test_a_new_version_of_the_terms_is_accepted_at_the_next_visit(live_server, page, client):
    user = factories.VolunteerFactory().user
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    LegalDocument.objects.create(
        kind=DocumentKind.TERMS,
        version=2,
        body_fr="# Nouveautés\n\nLes messages sont gardés un an.",
        summary_of_changes="La durée de conservation des messages change.",
        published_at=timezone.now(),
    )
    selectors.forget_latest()

    page.goto(live_server.url + "/missions/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Nos conditions ont changé")
    expect(page.get_by_text("La durée de conservation des messages change.")).to_be_visible()
    check_page(page, "legal-accept")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez la case")
    page.get_by_label("J'ai lu et j'accepte ces nouvelles versions.").check()
    page.get_by_role("button", name="Continuer").click()

    expect(page).to_have_url(re.compile(r"/missions/$"))
    assert Consent.objects.filter(user=user, kind=DocumentKind.TERMS, version=2).exists()
