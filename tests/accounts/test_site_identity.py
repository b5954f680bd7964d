"""The site's name and address come from settings: the Site row follows them after every
migrate, and allauth's e-mails say the name and link to SITE_URL."""

import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tests import factories

from .test_accounts import sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon_site(settings):
    """A site named and addressed otherwise than the defaults, as an operator sets it."""
    settings.SITE_NAME = "Probono Lyon"
    settings.SITE_URL = "https://benevolat.example.org"
    call_command("migrate", verbosity=0)  # the Site row follows at every migrate
    yield
    Site.objects.clear_cache()


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def on_site(link: str) -> bool:
    """The site's address itself (the footer's), or a page of it."""
    return link.rstrip("/") == "https://benevolat.example.org" or link.startswith(
        "https://benevolat.example.org/"
    )


def test_the_site_row_follows_the_settings_after_migrate(settings):
    site = Site.objects.get_current()
    assert (site.name, site.domain) == (settings.SITE_NAME, "127.0.0.1:8000")
    assert site.domain != "example.com"


def test_a_new_migrate_gives_the_site_the_new_name_and_address(lyon_site):
    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Probono Lyon", "benevolat.example.org")
    assert Site.objects.count() == 1


def test_the_sign_up_email_says_the_site_name_and_links_to_site_url(client, lyon_site):
    response = sign_up(client, "lea.martin@example.org")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject.startswith("[Probono Lyon] ")
    assert "Probono Lyon" in message.body
    assert "example.com" not in message.body
    found = links(message.body)
    assert found, message.body
    assert all(on_site(link) for link in found), found
    confirm = next(link for link in found if "/comptes/confirm-email/" in link)

    # The link, requested on this server, confirms the address.
    client.post(confirm.removeprefix("https://benevolat.example.org"))
    user = User.objects.get(email="lea.martin@example.org")
    assert user.emailaddress_set.get().verified


def test_the_password_reset_link_is_on_site_url(client, lyon_site):
    factories.UserFactory(email="jeanne@example.org")
    client.post(reverse("account_reset_password"), {"email": "jeanne@example.org"})
    [message] = mail.outbox
    found = links(message.body)
    assert any("/comptes/password/reset/key/" in link for link in found), message.body
    assert all(on_site(link) for link in found), found
