"""The Content-Security-Policy in a real browser: the main pages, the admin (reached by a
staff member signing in with a password and an authenticator code) and the API docs run
without a single violation."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from taxonomy.models import Skill
from taxonomy.sync import sync_reference_data
from tests import factories

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Un-mot-de-passe-solide-2026"
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"

# Recorded by the page itself: what the browser refused under the policy.
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture
def watched(browser):
    """A browser page recording CSP violations (events and console reports)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console: list[str] = []

    def record(message) -> None:
        # Redoc's logo is refused on purpose (see the test); its console report may
        # arrive after the next navigation.
        if "Content Security Policy" in message.text and REDOCLY_LOGO not in message.text:
            console.append(message.text)

    page.on("console", record)
    yield page, console
    context.close()


def visit(page, console, url: str) -> list[str]:
    """Open ``url``; fail on any violation except Redoc's logo, and return them all."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations")
    unexpected = [v for v in violations if not v.endswith(REDOCLY_LOGO)]
    assert unexpected == [], f"{url}: {unexpected}"
    assert console == [], f"{url}: {console}"
    return violations


def test_the_main_pages_and_the_admin_raise_no_policy_violation(live_server, watched):
    if not Skill.objects.exists():
        sync_reference_data()
    page, console = watched
    mission = factories.MissionFactory(title="Refaire le site de l'association")
    factories.MissionSkillFactory(mission=mission)
    staff = factories.UserFactory(
        email="equipe@probono.test", password=PASSWORD, is_staff=True, is_superuser=True
    )
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)

    for path in (
        "/",
        "/missions/",
        mission.get_absolute_url(),
        "/en/missions/",
        "/comptes/login/",
        "/comptes/signup/",
        "/api/docs/",
    ):
        visit(page, console, live_server.url + path)
    expect(page.locator(".swagger-ui .info").first).to_be_visible()
    # Redoc shows Redocly's logo from their CDN: the policy refuses it (no third-party
    # request from the docs), and that is the one violation allowed there.
    visit(page, console, live_server.url + "/api/redoc/")
    expect(page.locator(".redoc-wrap")).to_be_attached()
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__violations") == [f"img-src {REDOCLY_LOGO}"]

    # Staff sign in: password, then the code of their authenticator app.
    page.goto(live_server.url + "/admin/")
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion", exact=True).click()
    page.locator("#id_code").fill(factories.totp_code())
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page.locator("#site-name")).to_be_visible()

    for path in (
        "/admin/",
        "/admin/missions/mission/",
        f"/admin/missions/mission/{mission.pk}/change/",
        "/admin/accounts/user/add/",
        "/comptes/2fa/",
    ):
        visit(page, console, live_server.url + path)
