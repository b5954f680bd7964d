from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from legal import selectors, services
from legal.models import Consent, DocumentKind, LegalDocument
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-2026"


def publish(kind: str, *, version: int = 2, body: str = "Nouvelle version.") -> LegalDocument:
    document = LegalDocument.objects.create(
        kind=kind,
        version=version,
        body_fr=body,
        body_en="New version.",
        summary_of_changes="Les durées de conservation sont précisées.",
        published_at=timezone.now(),
    )
    selectors.forget_latest()
    return document


@pytest.mark.parametrize(
    ("url", "title", "words"),
    [
        ("/informations-legales/confidentialite/", "Politique de confidentialité", "CNIL"),
        ("/informations-legales/mentions-legales/", "Mentions légales", "Hébergeur"),
        (
            "/informations-legales/conditions-utilisation/",
            "Conditions générales d'utilisation",
            "Droit applicable",
        ),
    ],
)
def test_the_legal_pages_are_served_at_stable_addresses(client, url, title, words):
    response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{title}</h1>".replace("'", "&#x27;") in content
    assert words in content
    assert "complétés par l&#x27;exploitant" in content  # the operator's part is said


def test_the_privacy_policy_says_what_a_french_platform_must_say(client):
    content = client.get(reverse("legal:privacy")).content.decode()

    for words in (
        "Responsable du traitement",
        "base légale",
        "Combien de temps",
        "3 ans sans connexion",
        "Qui voit vos données",
        "droit d&#x27;accès",
        "3 place de Fontenoy",
        '<a href="https://www.cnil.fr/fr/plaintes">',
        "hébergeur",
    ):
        assert words in content, words


def test_the_pages_are_in_english_under_the_english_prefix(client):
    content = client.get("/en/informations-legales/confidentialite/").content.decode()

    assert "<h1>Privacy policy</h1>" in content
    assert "lodge a complaint" in content
    assert "Responsable du traitement" not in content


def test_the_footer_links_the_three_documents(client):
    content = client.get(reverse("home")).content.decode()

    assert 'href="/informations-legales/mentions-legales/"' in content
    assert 'href="/informations-legales/confidentialite/"' in content
    assert 'href="/informations-legales/conditions-utilisation/"' in content


def test_the_page_shows_the_version_in_force_not_a_draft_nor_a_future_one(client):
    LegalDocument.objects.create(kind=DocumentKind.TERMS, version=5, body_fr="Brouillon secret.")
    LegalDocument.objects.create(
        kind=DocumentKind.TERMS,
        version=6,
        body_fr="Version à venir.",
        published_at=timezone.now() + timedelta(days=3),
    )
    publish(DocumentKind.TERMS, version=2, body="Version deux en vigueur.")

    content = client.get(reverse("legal:terms")).content.decode()

    assert "Version deux en vigueur." in content
    assert "Brouillon secret." not in content and "Version à venir." not in content
    assert "Version 2, en vigueur depuis" in content


def test_markup_written_by_staff_is_shown_as_typed(client):
    publish(DocumentKind.LEGAL_NOTICE, body="<script>alert('x')</script> [a](javascript:alert(1))")

    content = client.get(reverse("legal:legal_notice")).content.decode()

    assert "<script>alert(" not in content
    assert "&lt;script&gt;" in content
    assert 'href="javascript' not in content


def test_a_kind_without_a_published_version_is_a_404(client):
    LegalDocument.objects.filter(kind=DocumentKind.LEGAL_NOTICE).delete()

    assert client.get(reverse("legal:legal_notice")).status_code == 404


# --- Consent at sign-up ---------------------------------------------------------------


def sign_up(client, **extra):
    data = {
        "first_name": "Camille",
        "last_name": "Durand",
        "email": "camille@example.org",
        "role": "volunteer",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(reverse("account_signup"), data, REMOTE_ADDR="203.0.113.7")


def test_the_signup_form_links_the_terms_and_the_privacy_policy(client):
    content = client.get(reverse("account_signup")).content.decode()

    assert 'type="checkbox" name="accept_terms"' in content
    assert 'href="/informations-legales/conditions-utilisation/"' in content
    assert 'href="/informations-legales/confidentialite/"' in content


def test_signing_up_without_accepting_the_terms_creates_nothing(client, django_user_model):
    response = sign_up(client)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Acceptez les conditions d&#x27;utilisation" in content
    assert 'value="camille@example.org"' in content
    assert not django_user_model.objects.exists()
    assert not Consent.objects.exists()


def test_signing_up_records_the_version_accepted_the_date_and_the_address(client):
    before = timezone.now()

    sign_up(client, accept_terms="on")

    consents = {c.kind: c for c in Consent.objects.select_related("user", "document")}
    assert set(consents) == {DocumentKind.TERMS, DocumentKind.PRIVACY}
    for consent in consents.values():
        assert consent.user.email == "camille@example.org"
        assert consent.version == consent.document.version == 1
        assert consent.accepted_at >= before
        assert consent.ip_address == "203.0.113.7"


# --- A new version is accepted again --------------------------------------------------


@pytest.fixture
def person(client):
    user = factories.UserFactory()
    client.force_login(user)
    return user


def test_a_new_version_is_asked_on_the_next_page_view_then_recorded(client, person):
    terms = publish(DocumentKind.TERMS)

    response = client.get(reverse("missions:list"))

    assert response.status_code == 302
    assert response["Location"] == "/informations-legales/accepter/?next=%2Fmissions%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Les durées de conservation sont précisées." in page
    assert 'href="/informations-legales/conditions-utilisation/"' in page

    refused = client.post(response["Location"], {"next": "/missions/"})
    assert refused.status_code == 400
    assert not Consent.objects.filter(user=person).exists()

    accepted = client.post(
        response["Location"], {"accept": "on", "next": "/missions/"}, REMOTE_ADDR="198.51.100.4"
    )

    assert accepted.status_code == 302 and accepted["Location"] == "/missions/"
    consent = Consent.objects.get(user=person)
    assert (consent.document, consent.version, consent.ip_address) == (terms, 2, "198.51.100.4")
    assert client.get(reverse("missions:list")).status_code == 200


def test_the_legal_pages_the_api_and_logging_out_are_not_held_back(client, person):
    publish(DocumentKind.PRIVACY)

    assert client.get(reverse("legal:privacy")).status_code == 200
    assert client.get(reverse("legal:terms")).status_code == 200
    assert client.get("/api/v1/skills/").status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_a_person_who_joined_after_the_version_is_not_asked_again(client):
    publish(DocumentKind.TERMS)
    user = factories.UserFactory()  # signed up, with the box, after the publication
    client.force_login(user)

    assert client.get(reverse("missions:list")).status_code == 200


def test_people_registered_before_the_documents_existed_are_asked(client):
    user = factories.UserFactory()
    user.date_joined = timezone.now() - timedelta(days=400)
    user.save(update_fields=["date_joined"])
    client.force_login(user)

    response = client.get(reverse("missions:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("legal:accept"))
    client.post(response["Location"], {"accept": "on"})
    assert set(Consent.objects.filter(user=user).values_list("kind", flat=True)) == {
        DocumentKind.TERMS,
        DocumentKind.PRIVACY,
    }
    assert client.get(reverse("missions:list")).status_code == 200


def test_a_new_legal_notice_asks_nothing(client, person):
    publish(DocumentKind.LEGAL_NOTICE)

    assert client.get(reverse("missions:list")).status_code == 200


def test_the_accept_page_does_not_redirect_off_site(client, person):
    publish(DocumentKind.TERMS)

    response = client.post(
        reverse("legal:accept"), {"accept": "on", "next": "https://evil.example.org/"}
    )

    assert response["Location"] == reverse("home")


def test_a_form_sent_from_an_older_page_still_goes_through(client, person):
    publish(DocumentKind.TERMS)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert not response["Location"].startswith(reverse("legal:accept"))


def test_recording_twice_keeps_one_consent_per_version(person):
    terms = publish(DocumentKind.TERMS)

    services.consent_record(user=person, documents=[terms])
    services.consent_record(user=person, documents=[terms])

    assert Consent.objects.filter(user=person).count() == 1


# --- Staff edit the documents in the admin ----------------------------------------------


def test_staff_publish_a_new_version_in_the_admin_and_people_are_asked(
    client, staff, django_capture_on_commit_callbacks
):
    person = factories.UserFactory()
    client.force_login(staff)
    selectors.latest_to_accept()  # the date is cached, as on a running server
    # Published (to the second) when the staff member joined: only people who joined
    # before it are asked, whichever second the test runs in.
    now = timezone.localtime(staff.date_joined)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:legal_legaldocument_add"),
            {
                "kind": DocumentKind.PRIVACY,
                "version": 2,
                "published_at_0": now.strftime("%d/%m/%Y"),
                "published_at_1": now.strftime("%H:%M:%S"),
                "summary_of_changes": "Nouveau prestataire d'envoi d'e-mails.",
                "body_fr": "# Nouveau\n\n<b>texte</b>",
                "body_en": "# New\n\ntext",
            },
        )

    assert response.status_code == 302, response.context["adminform"].errors
    document = LegalDocument.objects.get(kind=DocumentKind.PRIVACY, version=2)
    page = client.get(reverse("admin:legal_legaldocument_change", args=[document.pk]))
    assert "<h3>Nouveau</h3>" in page.content.decode()  # the preview, escaped
    assert "&lt;b&gt;texte&lt;/b&gt;" in page.content.decode()
    client.force_login(person)
    person.date_joined = timezone.now() - timedelta(days=1)
    person.save(update_fields=["date_joined"])
    assert client.get(reverse("missions:list")).status_code == 302


def test_a_version_someone_accepted_cannot_be_deleted(client, staff):
    person = factories.UserFactory()
    terms = LegalDocument.objects.get(kind=DocumentKind.TERMS, version=1)
    services.consent_record(user=person, documents=[terms])
    client.force_login(staff)

    delete = reverse("admin:legal_legaldocument_delete", args=[terms.pk])

    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert LegalDocument.objects.filter(pk=terms.pk).exists()


def test_consents_are_read_only_in_the_admin(client, staff):
    person = factories.UserFactory()
    terms = LegalDocument.objects.get(kind=DocumentKind.TERMS, version=1)
    (consent,) = services.consent_record(user=person, documents=[terms], ip_address="192.0.2.1")
    client.force_login(staff)

    page = client.get(reverse("admin:legal_consent_change", args=[consent.pk]))

    assert page.status_code == 200 and "192.0.2.1" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:legal_consent_add")).status_code == 403
