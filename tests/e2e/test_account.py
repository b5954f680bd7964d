"""A volunteer looks at their data, then deletes their account from the account page,
in a real browser."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.erasure import ANONYMOUS_DOMAIN
from accounts.models import User
from missions.models import Application
from tests import factories
from tests.e2e.audit import check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


def test_a_volunteer_deletes_their_account_from_the_account_page(live_server, page, client):
    user = factories.UserFactory(
        email="camille@example.org", first_name="Camille", last_name="Martin"
    )
    profile = factories.VolunteerFactory(user=user, bio="Comptable à Lyon depuis vingt ans.")
    application = factories.ApplicationFactory(volunteer=profile, message="Je suis disponible.")
    _sign_in(page, client, live_server, user)

    page.goto(live_server.url + "/")
    # Everything about the account is in the account menu, under the person's name.
    page.locator(".account-menu__toggle").click()
    page.locator(".account-menu__panel").get_by_role("link", name="Mon compte", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    check_page(page, "account")

    page.get_by_role("link", name="Consulter mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données personnelles")
    expect(page.get_by_text("Comptable à Lyon depuis vingt ans.")).to_be_visible()
    expect(page.get_by_text("Je suis disponible.")).to_be_visible()
    check_page(page, "account-data")

    page.locator(".account-menu__toggle").click()
    page.locator(".account-menu__panel").get_by_role("link", name="Mon compte", exact=True).click()
    page.get_by_role("link", name="Supprimer mon compte…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    check_page(page, "account-delete")

    # A wrong password: nothing is deleted, the error says why.
    page.get_by_label("Votre mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text("Mot de passe incorrect")
    check_page(page, "account-delete-error")
    assert User.objects.get(pk=user.pk).is_active

    page.get_by_label("Votre mot de passe").fill("motdepasse-solide-42")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("status")).to_contain_text("Votre compte a été supprimé")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation.get_by_role("link", name="Se connecter")).to_be_visible()

    user.refresh_from_db()
    assert user.email.endswith(f"@{ANONYMOUS_DOMAIN}")
    assert not user.is_active
    application.refresh_from_db()
    assert application.message == "[effacé]"
    assert Application.objects.filter(pk=application.pk).exists()
