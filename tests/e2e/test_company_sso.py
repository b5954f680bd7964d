"""Company single sign-on in a real browser, through a real OpenID Connect provider and a
real SAML 2.0 identity provider run locally (tests/sso_idp): the programme admin turns it
on, an employee signs in at the provider and comes back signed in, a person of another
domain is refused."""

import pytest
import requests
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from companies.models import CompanyDomain, CompanyMember
from tests import factories
from tests.e2e.audit import check_page
from tests.sso_idp.fixtures import require_xmlsec1

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "motdepasse-solide-42"


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


def _sign_in_at_the_provider(page, live_server, email, username):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_role("link", name="Se connecter avec le compte de mon entreprise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Se connecter avec le compte de mon entreprise"
    )
    page.get_by_label("Votre adresse e-mail professionnelle").fill(email)
    page.get_by_role("button", name="Continuer").click()
    # At the company's provider: its own login form, on its own address.
    expect(page.get_by_role("heading", level=1)).to_have_text("Fournisseur d'identité de test")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_an_employee_signs_in_through_the_company_identity_provider(
    live_server, browser, client, identity_provider
):
    company = factories.CompanyFactory(name="Acme Conseil", verified_at=timezone.now())
    CompanyDomain.objects.create(company=company, domain="acme.example")
    admin = factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user
    client_id, secret = identity_provider.register_client(
        f"{live_server.url}/comptes/oidc/company-{company.pk}/login/callback/"
    )
    identity_provider.add_person(
        username="ines",
        email="ines.roux@acme.example",
        password=PASSWORD,
        first_name="Inès",
        last_name="Roux",
    )
    identity_provider.add_person(
        username="intrus", email="intrus@ailleurs.example", password=PASSWORD
    )

    # The programme admin turns the company sign-in on from the company's settings.
    admin_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = admin_context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, client, live_server, admin)
    page.goto(live_server.url + "/entreprise/parametres/")
    page.get_by_role("link", name="Connexion d'entreprise (OpenID Connect ou SAML)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion d'entreprise")
    page.get_by_label("Adresse de l'émetteur (issuer)").fill(identity_provider.issuer)
    page.get_by_label("Identifiant client (client ID)").fill(client_id)
    page.get_by_label("Secret client").fill(secret)
    page.get_by_label("acme.example").check()
    page.get_by_label("Activer la connexion d'entreprise").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La connexion d'entreprise est enregistrée.")).to_be_visible()
    expect(page.get_by_label("Secret client")).to_have_value("")
    assert secret not in page.content()
    check_page(page, "company-sso-settings")
    admin_context.close()

    # An employee: from the sign-in page to the provider and back, signed in.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/entreprise/connexion/")
    check_page(page, "company-sso-start")
    _sign_in_at_the_provider(page, live_server, "ines.roux@acme.example", "ines")
    page.wait_for_url(f"{live_server.url}/**")
    expect(page.locator(".account-menu__toggle")).to_contain_text("Inès")
    check_page(page, "company-sso-signed-in")
    user = User.objects.get(email="ines.roux@acme.example")
    assert CompanyMember.objects.filter(company=company, user=user).exists()
    context.close()

    # Someone whose provider account is outside the company's domains is refused.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in_at_the_provider(page, live_server, "intrus@acme.example", "intrus")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion refusée")
    expect(page.get_by_role("alert")).to_contain_text("n'appartient pas aux domaines")
    check_page(page, "company-sso-refused")
    assert not User.objects.filter(email="intrus@ailleurs.example").exists()
    context.close()


def test_an_employee_signs_in_through_the_company_saml_provider(
    live_server, browser, client, identity_provider
):
    require_xmlsec1()
    company = factories.CompanyFactory(name="Kerhervé Industrie", verified_at=timezone.now())
    CompanyDomain.objects.create(company=company, domain="kerherve.example")
    admin = factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user
    identity_provider.add_person(
        username="maelys",
        email="maelys.quillevere@kerherve.example",
        password=PASSWORD,
        first_name="Maëlys",
        last_name="Quillévéré",
    )

    # The programme admin chooses SAML 2.0: only its fields show; the metadata address
    # is enough.
    admin_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = admin_context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, client, live_server, admin)
    page.goto(live_server.url + "/entreprise/parametres/connexion-entreprise/")
    expect(page.get_by_label("Adresse de l'émetteur (issuer)")).to_be_visible()
    page.get_by_label("SAML 2.0").check()
    expect(page.get_by_label("Adresse de l'émetteur (issuer)")).to_be_hidden()
    page.get_by_label("Adresse des métadonnées du fournisseur (metadata URL)").fill(
        identity_provider.url + "/nulle-part"
    )
    page.get_by_label("kerherve.example").check()
    page.get_by_label("Activer la connexion d'entreprise").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_saml_metadata_url_error")).to_contain_text(
        "ne répondent pas à cette adresse"
    )
    expect(page.get_by_label("SAML 2.0")).to_be_checked()  # nothing typed is lost
    page.get_by_label("Adresse des métadonnées du fournisseur (metadata URL)").fill(
        identity_provider.saml_metadata_url
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La connexion d'entreprise est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Adresse de réponse (ACS URL, reply URL)")).to_be_visible()
    check_page(page, "company-sso-saml-settings")
    admin_context.close()

    # The company's IT registers the platform at its IdP from the platform's metadata.
    metadata = requests.get(
        f"{live_server.url}/comptes/saml/company-{company.pk}/metadata/", timeout=10
    )
    identity_provider.register_service_provider(metadata.content)

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in_at_the_provider(page, live_server, "maelys.quillevere@kerherve.example", "maelys")
    # The provider's page posts the signed response back; the person lands signed in.
    page.wait_for_url(f"{live_server.url}/**")
    expect(page.locator(".account-menu__toggle")).to_contain_text("Maëlys")
    user = User.objects.get(email="maelys.quillevere@kerherve.example")
    assert CompanyMember.objects.filter(company=company, user=user).exists()
    context.close()
