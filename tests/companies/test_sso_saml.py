"""Company single sign-on through a real SAML 2.0 identity provider run locally (pysaml2's
IdP in tests/sso_idp, signing with xmlsec1), followed with Django's test client: the
platform's metadata, the signed response checked by python3-saml, and what is refused."""

import base64
import html
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from companies import sso
from companies.models import CompanyDomain, CompanyMember, CompanySSO
from core.models import ActionLog
from tests import factories
from tests.sso_idp.fixtures import require_xmlsec1
from tests.sso_idp.flow import path_of, saml_provider_sign_in

PASSWORD = "motdepasse-solide-42"
_people = iter(range(10_000))


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _browser() -> Client:
    # Browsers send the Host header, which python3-saml reads (Django's test client does
    # not unless told).
    return Client(HTTP_HOST="testserver")


@pytest.fixture
def client():
    return _browser()


@pytest.fixture(autouse=True)
def _fresh_cache():
    require_xmlsec1()
    # allauth keeps a provider's metadata for hours: each test its own provider settings.
    cache.clear()


@pytest.fixture
def company_domain(company):
    return CompanyDomain.objects.create(company=company, domain="acme.example")


def _register_with_the_provider(client, identity_provider, company) -> None:
    """What the company's IT does: give the IdP the platform's metadata."""
    response = client.get(reverse("saml_metadata", args=[f"company-{company.pk}"]))
    assert response.status_code == 200, response.content
    identity_provider.register_service_provider(response.content)


@pytest.fixture
def saml_sso(client, company, company_domain, programme_admin, identity_provider):
    company_sso = sso.company_sso_update(
        company_id=company.pk,
        actor=programme_admin,
        protocol="saml",
        saml_metadata_url=identity_provider.saml_metadata_url,
        domain_ids=[company_domain.pk],
        is_enabled=True,
        is_mandatory=False,
    )
    _register_with_the_provider(client, identity_provider, company)
    return company_sso


def _idp_person(identity_provider, email: str) -> str:
    username = f"saml{next(_people)}"
    identity_provider.add_person(
        username=username, email=email, password=PASSWORD, first_name="Inès", last_name="Roux"
    )
    return username


def _start(client, typed: str) -> str:
    response = client.post(reverse("companies:sso_start"), {"email": typed})
    assert response.status_code == 302, _text(response)
    return response["Location"]


def _sign_in_through_company(client, identity_provider, *, typed: str, username: str):
    sso_url = _start(client, typed)
    assert sso_url.startswith(identity_provider.saml_sso_url + "?SAMLRequest=")
    action, fields = saml_provider_sign_in(sso_url, username=username, password=PASSWORD)
    return _post_response(client, action, fields)


def _post_response(client, action: str, fields: dict):
    """The browser posts the provider's form to the platform, then follows to the end."""
    response = client.post(path_of(action), fields)
    assert response.status_code == 302
    return client.get(response["Location"])


def test_the_platform_publishes_its_metadata_with_a_french_address_to_answer(
    client, company, saml_sso
):
    response = client.get(reverse("saml_metadata", args=[f"company-{company.pk}"]))

    xml = response.content.decode()
    urls = sso.saml_service_provider_urls(company.pk)
    assert f'entityID="{urls["entity_id"]}"' in xml
    # Answers come to the address the browser uses (in production, the site's).
    assert f'Location="http://testserver{path_of(urls["acs_url"])}"' in xml
    assert path_of(urls["acs_url"]) == f"/comptes/saml/company-{company.pk}/acs/"


def test_an_employee_signs_in_through_the_company_saml_provider_and_joins_the_company(
    client, identity_provider, company, saml_sso
):
    username = _idp_person(identity_provider, "ines.roux@acme.example")

    response = _sign_in_through_company(
        client, identity_provider, typed="ines.roux@acme.example", username=username
    )

    assert response.status_code == 302, _text(response)
    user = User.objects.get(email="ines.roux@acme.example")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (user.first_name, user.last_name) == ("Inès", "Roux")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == (f"company-{company.pk}", "ines.roux@acme.example")
    member = CompanyMember.objects.get(company=company, user=user)
    assert member.role == CompanyMember.Role.EMPLOYEE
    assert ActionLog.objects.filter(action="companymember.join_sso", object_id=member.pk).exists()
    assert not mail.outbox


def test_the_provider_entered_by_hand_signs_people_in_too(
    client, identity_provider, company, company_domain, programme_admin
):
    sso.company_sso_update(
        company_id=company.pk,
        actor=programme_admin,
        protocol="saml",
        saml_entity_id=identity_provider.saml_metadata_url,
        saml_sso_url=identity_provider.saml_sso_url,
        saml_certificate=identity_provider.saml_certificate(),
        domain_ids=[company_domain.pk],
        is_enabled=True,
        is_mandatory=False,
    )
    _register_with_the_provider(client, identity_provider, company)
    username = _idp_person(identity_provider, "paul@acme.example")

    _sign_in_through_company(
        client, identity_provider, typed="paul@acme.example", username=username
    )

    user = User.objects.get(email="paul@acme.example")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_address_outside_the_allowed_domains_is_refused(
    client, identity_provider, company, saml_sso
):
    username = _idp_person(identity_provider, "intrus@ailleurs.example")

    response = _sign_in_through_company(
        client, identity_provider, typed="intrus@acme.example", username=username
    )

    assert response.status_code == 403
    assert "n'appartient pas aux domaines" in _text(response)
    assert not User.objects.filter(email="intrus@ailleurs.example").exists()
    assert "_auth_user_id" not in client.session


def _tampered(fields: dict, old: str, new: str) -> dict:
    xml = base64.b64decode(fields["SAMLResponse"]).decode()
    assert old in xml
    return {**fields, "SAMLResponse": base64.b64encode(xml.replace(old, new).encode()).decode()}


def test_a_response_altered_on_the_way_signs_nobody_in(
    client, identity_provider, company, saml_sso
):
    # Someone of the domain edits their signed response to become a colleague.
    username = _idp_person(identity_provider, "stagiaire@acme.example")
    victim = factories.UserFactory(email="directrice@acme.example")
    EmailAddress.objects.create(user=victim, email=victim.email, verified=True, primary=True)
    action, fields = saml_provider_sign_in(
        _start(client, "stagiaire@acme.example"), username=username, password=PASSWORD
    )

    response = _post_response(
        client, action, _tampered(fields, "stagiaire@acme.example", "directrice@acme.example")
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code == 401
    assert "n'a pas pu être vérifiée" in _text(response)
    assert not User.objects.filter(email="stagiaire@acme.example").exists()
    assert not SocialAccount.objects.exists()


def test_a_response_is_good_for_one_sign_in_only(client, identity_provider, company, saml_sso):
    username = _idp_person(identity_provider, "lea@acme.example")
    action, fields = saml_provider_sign_in(
        _start(client, "lea@acme.example"), username=username, password=PASSWORD
    )
    _post_response(client, action, fields)
    assert "_auth_user_id" in client.session

    # Replayed from another browser (a response seen in a log, a shared computer...).
    other = _browser()
    _post_response(other, action, fields)

    assert "_auth_user_id" not in other.session


def test_a_response_the_platform_did_not_ask_for_is_refused(
    client, identity_provider, company, saml_sso
):
    username = _idp_person(identity_provider, "leo@acme.example")
    action, fields = saml_provider_sign_in(
        _start(client, "leo@acme.example"), username=username, password=PASSWORD
    )

    # The same response, posted by a browser that never started a sign-in here.
    stranger = _browser()
    _post_response(stranger, action, fields)

    assert "_auth_user_id" not in stranger.session
    assert not User.objects.filter(email="leo@acme.example").exists()


def test_the_request_asks_for_the_french_address_whatever_the_page_language(
    client, identity_provider, company, saml_sso
):
    client.cookies["django_language"] = "en"
    sso_url = _start(client, "ines@acme.example")

    encoded = parse_qs(urlsplit(sso_url).query)["SAMLRequest"][0]
    request = zlib.decompress(base64.b64decode(encoded), -15).decode()
    assert (
        f'AssertionConsumerServiceURL="http://testserver/comptes/saml/company-{company.pk}/acs/"'
        in request
    )


def test_a_mandatory_domain_cannot_use_a_password_with_saml_either(client, saml_sso):
    CompanySSO.objects.filter(pk=saml_sso.pk).update(is_mandatory=True)
    user = factories.UserFactory(email="marc@acme.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"), {"login": "marc@acme.example", "password": PASSWORD}
    )

    assert "_auth_user_id" not in client.session
    assert "demande à ses salariés de se connecter avec leur compte" in _text(response)


# --- settings -----------------------------------------------------------------------------


def _form(**overrides):
    data = {"protocol": "saml", "is_enabled": "on"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_programme_admin_turns_on_saml_from_the_metadata_address(
    client, identity_provider, company, company_domain, programme_admin
):
    client.force_login(programme_admin)
    url = reverse("companies:sso_settings")

    response = client.post(
        url,
        _form(saml_metadata_url=identity_provider.saml_metadata_url, domains=[company_domain.pk]),
    )

    assert response.status_code == 302, _text(response)
    app = CompanySSO.objects.get(company=company).app
    assert (app.provider, app.provider_id, app.client_id) == (
        "saml",
        f"company-{company.pk}",
        f"company-{company.pk}",
    )
    assert app.settings["idp"] == {
        "metadata_url": identity_provider.saml_metadata_url,
        "entity_id": identity_provider.saml_metadata_url,  # read from the metadata
    }
    assert app.settings["advanced"]["want_assertion_signed"] is True
    response = client.get(url)
    page = _text(response)
    urls = sso.saml_service_provider_urls(company.pk)
    assert urls["acs_url"] in page and urls["entity_id"] in page
    assert response.context["form"]["protocol"].value() == "saml"
    assert response.context["form"]["saml_metadata_url"].value() == (
        identity_provider.saml_metadata_url
    )
    log = ActionLog.objects.get(action="company.update_sso")
    assert log.data["protocol"] == "saml"


def test_moving_from_openid_connect_to_saml_forgets_the_client_secret(
    client, identity_provider, company, company_domain, programme_admin
):
    app = SocialApp.objects.create(provider="openid_connect", secret="s3cret", settings={})
    CompanySSO.objects.create(company=company, app=app)
    client.force_login(programme_admin)

    client.post(
        reverse("companies:sso_settings"),
        _form(saml_metadata_url=identity_provider.saml_metadata_url, domains=[company_domain.pk]),
    )

    app.refresh_from_db()
    assert (app.provider, app.secret) == ("saml", "")
    # Back to OpenID Connect: a secret must be given again.
    response = client.post(
        reverse("companies:sso_settings"),
        {
            "protocol": "openid_connect",
            "issuer_url": identity_provider.issuer,
            "client_id": "abc",
            "domains": [company_domain.pk],
        },
    )
    assert response.status_code == 200
    assert "Indiquez le secret client" in _text(response)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"saml_metadata_url": "http://idp.example.com/metadata"}, "saml_metadata_url", "https://"),
        ({"saml_metadata_url": "{idp}/nulle-part"}, "saml_metadata_url", "ne répondent pas"),
        (
            {"saml_metadata_url": "{idp}/o/.well-known/openid-configuration"},
            "saml_metadata_url",
            "ne répondent pas",
        ),
        (
            {"saml_metadata_url": "{idp}/saml/metadata", "saml_entity_id": "urn:autre"},
            "saml_entity_id",
            "urn:autre",
        ),
        ({}, "saml_entity_id", "identifiant d'entité"),
        (
            {"saml_entity_id": "urn:idp", "saml_sso_url": "{idp}/saml/sso"},
            "saml_certificate",
            "n'est pas lisible",
        ),
        (
            {
                "saml_entity_id": "urn:idp",
                "saml_sso_url": "{idp}/saml/sso",
                "saml_certificate": "-----BEGIN CERTIFICATE-----\nMIIB=<script>\n-----END",
            },
            "saml_certificate",
            "n'est pas lisible",
        ),
        (
            {"saml_entity_id": "urn:idp", "saml_certificate": "{cert}"},
            "saml_sso_url",
            "connexion unique",
        ),
        ({"protocol": "ldap"}, "protocol", "Sélectionnez un choix valide"),
    ],
    ids=[
        "plain-http",
        "not-found",
        "not-saml",
        "other-entity",
        "nothing",
        "no-certificate",
        "bad-certificate",
        "no-sso-url",
        "unknown-protocol",
    ],
)
def test_bad_saml_settings_get_a_french_error_on_their_field_and_keep_what_was_typed(
    client,
    identity_provider,
    company,
    company_domain,
    programme_admin,
    overrides,
    field,
    message,
):
    client.force_login(programme_admin)
    certificate = identity_provider.saml_certificate()
    data = _form(domains=[company_domain.pk])
    for key, value in overrides.items():
        data[key] = value.replace("{idp}", identity_provider.url).replace("{cert}", certificate)

    response = client.post(reverse("companies:sso_settings"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    for key, value in data.items():
        if key.startswith("saml_") and key != "saml_certificate":
            assert html.escape(value) in response.content.decode()
    assert not CompanySSO.objects.exists()


def test_an_expired_certificate_is_refused_with_its_date(
    client, company, company_domain, programme_admin
):
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ancien")])
    expired = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2021, 3, 15, tzinfo=UTC) + timedelta(hours=1))
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode()
    )
    client.force_login(programme_admin)

    response = client.post(
        reverse("companies:sso_settings"),
        _form(
            saml_entity_id="urn:idp",
            saml_sso_url="https://idp.example.com/sso",
            saml_certificate=expired,
            domains=[company_domain.pk],
        ),
    )

    assert "a expiré le 15 mars 2021" in " ".join(
        response.context["form"].errors["saml_certificate"]
    )


@pytest.mark.parametrize(
    "posted",
    [
        {},
        {"SAMLResponse": "pas du base64 !"},
        {"SAMLResponse": base64.b64encode(b"<html>pas du SAML</html>").decode()},
        {"SAMLResponse": base64.b64encode(b"\x00\xff\xfe").decode()},
        {
            "SAMLResponse": base64.b64encode(
                b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                b"<r>&e;</r>"
            ).decode()
        },
    ],
    ids=["nothing", "not-base64", "not-saml", "binary", "external-entity"],
)
def test_whatever_is_posted_to_the_reply_address_gets_an_error_page_not_a_crash(
    client, company, saml_sso, posted
):
    response = _post_response(client, f"/comptes/saml/company-{company.pk}/acs/", posted)

    assert response.status_code in (400, 401), response.status_code
    assert "root:" not in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_provider_whose_metadata_does_not_answer_is_explained_at_the_start(
    client, identity_provider, saml_sso
):
    app = saml_sso.app
    app.settings["idp"]["metadata_url"] = identity_provider.url + "/hors-service"
    app.save()

    response = client.post(reverse("companies:sso_start"), {"email": "ines@acme.example"})

    assert response.status_code == 200
    assert "ne répond pas pour le moment" in _text(response)
    assert "ines@acme.example" in _text(response)  # what was typed is kept
