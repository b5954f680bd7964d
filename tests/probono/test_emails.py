"""Every e-mail kind, in French and in English: a text and an HTML part in the
recipient's language, the product's name, a footer that says why it was sent, and a
one-click unsubscribe (footer link and List-Unsubscribe headers) exactly for the e-mails
a person may turn off."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from notifications.models import Notification, NotificationPreference
from notifications.unsubscribe import DIGEST, make_token
from tests import factories
from tests.email_catalogue import KINDS

pytestmark = pytest.mark.django_db

SITE_NAME = "Entraide Pro"
GREETING = {"fr": "Bonjour", "en": "Hello"}
REASON = {"fr": "Vous recevez cet e-mail parce", "en": "You are receiving this e-mail because"}
SIGNATURE = {"fr": f"L'équipe {SITE_NAME}", "en": f"The {SITE_NAME} team"}
# Words that only the other language's version would hold.
FOREIGN = {
    "fr": ("You are receiving", "Hello", "The "),
    "en": ("Bonjour", "Vous recevez", "équipe"),
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_NAME = SITE_NAME
    settings.SITE_URL = "https://entraide.example.org"


def _unsubscribe_url(message) -> str:
    header = message.extra_headers.get("List-Unsubscribe", "")
    match = re.fullmatch(r"<(https://[^>]+)>", header)
    assert match, f"List-Unsubscribe is {header!r}"
    return match.group(1)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_email_is_a_text_and_html_pair_in_the_recipients_language(kind, language):
    message = kind.send(language)
    assert isinstance(message, mail.EmailMultiAlternatives)
    assert message.subject.startswith(f"[{SITE_NAME}] ")
    assert "\n" not in message.subject and "{" not in message.subject

    text = message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<" not in text and "{{" not in text and "{%" not in text
    assert "&#x27;" not in text and "&amp;" not in text  # the text part is not escaped
    assert f'<html lang="{language}">' in html and "{{" not in html and "{%" not in html
    assert message.extra_headers["Content-Language"] == language
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"

    for part in (text, html.replace("&#x27;", "'")):
        assert GREETING[language] in part
        assert SITE_NAME in part
        assert SIGNATURE[language] in part
        # The footer: why this person receives it, after the signature.
        assert REASON[language] in part
        assert part.index(REASON[language]) > part.index(SIGNATURE[language])
    for foreign in FOREIGN[language]:
        assert foreign not in text, f"{foreign!r} in the {language} text of {kind.name}"

    if kind.transactional:
        assert "List-Unsubscribe" not in message.extra_headers
        assert "List-Unsubscribe-Post" not in message.extra_headers
        assert "desabonnement" not in text
    else:
        url = _unsubscribe_url(message)
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert url.startswith("https://entraide.example.org/")
        assert (language == "en") == urlsplit(url).path.startswith("/en/")
        assert url in text and url in html


def _preference(user) -> NotificationPreference:
    return NotificationPreference.objects.get(user=user)


@pytest.mark.parametrize("kind", [k for k in KINDS if not k.transactional], ids=lambda k: k.name)
def test_one_click_unsubscribe_turns_that_kind_off_without_signing_in(client, kind):
    message = kind.send("fr")
    user = factories.UserFactory._meta.model.objects.get(email=message.to[0])
    if kind.turns_off == DIGEST:
        # The digest goes to people who chose it: the link stops it (and every e-mail).
        assert _preference(user).email_frequency == NotificationPreference.Frequency.DAILY
    path = urlsplit(_unsubscribe_url(message)).path

    # What a mail client sends (RFC 8058): no cookie, no CSRF token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    preference = _preference(user)
    if kind.turns_off == DIGEST:
        assert preference.email_frequency == NotificationPreference.Frequency.NEVER
    else:
        muted = kind.turns_off
        assert preference.muted_kinds == [muted]
        assert not preference.wants_email(muted)
        assert preference.email_frequency == NotificationPreference.Frequency.IMMEDIATELY


def test_opening_the_link_only_asks_and_the_button_unsubscribes(client, outsider):
    path = f"/notifications/desabonnement/{make_token(outsider.pk, 'message_received')}/"
    page = client.get(path)
    assert page.status_code == 200
    assert "« Nouveau message »" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=outsider).exists()

    done = client.post(path)  # the page's own button
    assert "C'est fait" in done.content.decode()
    assert _preference(outsider).muted_kinds == ["message_received"]
    client.post(path)  # twice: still once
    assert _preference(outsider).muted_kinds == ["message_received"]


def test_the_english_page_of_the_link_is_in_english(client, outsider):
    path = f"/en/notifications/desabonnement/{make_token(outsider.pk, DIGEST)}/"
    body = client.get(path).content.decode()
    assert "daily digest" in body and "récapitulatif" not in body


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        make_token(1, "message_received")[:-3] + "xyz",  # tampered with
    ],
    ids=["garbage", "tampered"],  # a signed token differs at each collection
)
def test_a_bad_link_changes_nothing_and_says_so_in_french(client, outsider, token):
    response = client.post(f"/notifications/desabonnement/{token}/")
    assert response.status_code == 400
    assert "n'est pas valide" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=outsider).exists()


def test_a_link_cannot_be_forged_for_something_that_is_not_an_email(outsider):
    with pytest.raises(ValueError):
        make_token(outsider.pk, Notification.Kind.ASSOCIATION_DECIDED)  # in-app only


def test_a_link_signed_with_a_retired_key_still_works(client, outsider, settings):
    token = make_token(outsider.pk, "message_received")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    response = client.post(f"/notifications/desabonnement/{token}/")
    assert response.status_code == 200
    assert _preference(outsider).muted_kinds == ["message_received"]


def test_password_reset_email_is_in_the_persons_saved_language(client):
    person = factories.UserFactory(language="en")
    # Asked from the French page: the e-mail follows the person's own choice.
    client.post("/comptes/password/reset/", {"email": person.email})
    [message] = mail.outbox
    assert "Hello" in message.body and "Bonjour" not in message.body
    assert "/comptes/password/reset/key/" in message.body
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="en">' in html
