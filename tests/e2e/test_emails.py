"""The HTML of the e-mails, opened as a mail client would show it: accessible (axe-core),
readable on a phone, and saved as screenshots for review."""

import pytest
from playwright.sync_api import expect

from tests.e2e.audit import check_page
from tests.email_catalogue import KINDS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BY_NAME = {kind.name: kind for kind in KINDS}


@pytest.mark.parametrize(
    ("name", "language", "action"),
    [
        ("notification-application_received", "fr", "Voir la candidature"),
        ("digest", "fr", "Ne plus recevoir le récapitulatif quotidien"),
        ("impact-report", "fr", "Changer la fréquence ou arrêter cet envoi"),
        ("yearly-summary", "en", "Stop the “Yearly summary of the sponsorship received”"),
        ("association-reject", "fr", "Choisir les e-mails"),
        ("company-invitation", "en", "Log in"),
        ("signup-confirmation", "en", "Confirm my address"),
        ("password-reset", "en", "Choose a new password"),
    ],
)
def test_email_html_is_accessible_and_fits_a_phone(page, settings, name, language, action):
    settings.SITE_NAME = "probono"
    settings.SITE_URL = "https://probono.example.org"
    message = BY_NAME[name].send(language)
    [(html, _mimetype)] = message.alternatives
    page.set_content(html)
    assert page.evaluate("document.documentElement.lang") == language
    assert page.title() == message.subject
    if name == "association-reject":  # transactional: no unsubscribe, no preferences
        expect(page.get_by_role("link", name=action)).to_have_count(0)
    else:
        expect(page.get_by_role("link", name=action).first).to_be_visible()
    check_page(page, f"email-{name}-{language}")
