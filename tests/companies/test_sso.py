"""Company single sign-on through a real OpenID Connect provider run locally (the test
identity provider of tests/sso_idp), followed with Django's test client."""

import html

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from companies import sso
from companies.models import CompanyDomain, CompanyMember, CompanySSO
from core.models import ActionLog
from tests import factories
from tests.sso_idp.flow import path_of, provider_sign_in

PASSWORD = "motdepasse-solide-42"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _callback(company) -> str:
    return f"http://testserver/comptes/oidc/company-{company.pk}/login/callback/"


@pytest.fixture
def company_domain(company):
    return CompanyDomain.objects.create(company=company, domain="acme.example")


@pytest.fixture
def provider_client(identity_provider, company):
    return identity_provider.register_client(_callback(company))


@pytest.fixture
def company_sso(company, company_domain, programme_admin, identity_provider, provider_client):
    client_id, secret = provider_client
    return sso.company_sso_update(
        company_id=company.pk,
        actor=programme_admin,
        issuer_url=identity_provider.issuer,
        client_id=client_id,
        client_secret=secret,
        domain_ids=[company_domain.pk],
        is_enabled=True,
        is_mandatory=False,
    )


_people = iter(range(10_000))


def _idp_person(identity_provider, email: str) -> str:
    username = f"idp{next(_people)}"
    identity_provider.add_person(
        username=username, email=email, password=PASSWORD, first_name="Inès", last_name="Roux"
    )
    return username


def _sign_in_through_company(client, identity_provider, *, typed: str, username: str):
    response = client.post(reverse("companies:sso_start"), {"email": typed})
    assert response.status_code == 302
    authorize_url = response["Location"]
    assert authorize_url.startswith(identity_provider.issuer + "/authorize/")
    assert "code_challenge=" in authorize_url  # PKCE, which the provider requires
    callback = provider_sign_in(authorize_url, username=username, password=PASSWORD)
    return client.get(path_of(callback))


def test_an_employee_signs_in_through_the_company_provider_and_joins_the_company(
    client, identity_provider, company, company_sso
):
    username = _idp_person(identity_provider, "ines.roux@acme.example")

    response = _sign_in_through_company(
        client, identity_provider, typed="ines.roux@acme.example", username=username
    )

    assert response.status_code == 302
    user = User.objects.get(email="ines.roux@acme.example")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (user.first_name, user.last_name) == ("Inès", "Roux")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    member = CompanyMember.objects.get(company=company, user=user)
    assert member.role == CompanyMember.Role.EMPLOYEE
    assert ActionLog.objects.filter(action="companymember.join_sso", object_id=member.pk).exists()
    assert not mail.outbox  # the provider vouched for the address: nothing to confirm


def test_an_existing_account_of_the_domain_is_reached_and_keeps_its_volunteer_profile(
    client, identity_provider, company, company_sso
):
    user = factories.UserFactory(email="paul@acme.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    profile = factories.VolunteerFactory(user=user)
    username = _idp_person(identity_provider, "paul@acme.example")

    _sign_in_through_company(
        client, identity_provider, typed="paul@acme.example", username=username
    )

    assert int(client.session["_auth_user_id"]) == user.pk
    assert User.objects.filter(email__iexact="paul@acme.example").count() == 1
    assert CompanyMember.objects.filter(company=company, user=user).exists()
    profile.refresh_from_db()
    assert profile.employer_id == company.pk
    assert ActionLog.objects.filter(
        action="volunteerprofile.change", object_id=profile.pk, data__employer=company.pk
    ).exists()


def test_an_address_outside_the_allowed_domains_is_refused_with_a_french_message(
    client, identity_provider, company, company_sso
):
    # Typed with the company's domain, but the provider answers with another address.
    username = _idp_person(identity_provider, "intrus@ailleurs.example")

    response = _sign_in_through_company(
        client, identity_provider, typed="intrus@acme.example", username=username
    )

    assert response.status_code == 403
    assert "n'appartient pas aux domaines" in _text(response)
    assert not User.objects.filter(email="intrus@ailleurs.example").exists()
    assert "_auth_user_id" not in client.session


def test_a_turned_off_company_sign_in_refuses_a_sign_in_already_under_way(
    client, identity_provider, company, company_sso
):
    username = _idp_person(identity_provider, "lea@acme.example")
    response = client.post(reverse("companies:sso_start"), {"email": "lea@acme.example"})
    CompanySSO.objects.filter(pk=company_sso.pk).update(is_enabled=False)

    callback = provider_sign_in(response["Location"], username=username, password=PASSWORD)
    response = client.get(path_of(callback))

    assert response.status_code == 403
    assert "n'est pas active" in _text(response)
    assert not User.objects.filter(email="lea@acme.example").exists()


def test_an_unknown_domain_is_told_to_use_a_password_and_no_company_is_listed(client, company_sso):
    response = client.post(reverse("companies:sso_start"), {"email": "zoe@inconnu.example"})

    assert response.status_code == 200
    assert "Aucune connexion d'entreprise n'est ouverte pour cette adresse" in (_text(response))
    login = _text(client.get(reverse("account_login")))
    assert "Se connecter avec le compte de mon entreprise" in login
    assert "Acme Conseil" not in login


def test_an_unverified_company_does_not_send_its_people_to_its_provider(
    client, company, company_sso
):
    company.verified_at = None
    company.save(update_fields=["verified_at"])

    response = client.post(reverse("companies:sso_start"), {"email": "ines@acme.example"})

    assert response.status_code == 200
    assert "Aucune connexion d'entreprise" in _text(response)


# --- mandatory sign-in ------------------------------------------------------------------


@pytest.fixture
def mandatory(company_sso):
    CompanySSO.objects.filter(pk=company_sso.pk).update(is_mandatory=True)
    return company_sso


def _employee_with_password(email: str):
    user = factories.UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_a_mandatory_domain_cannot_sign_in_with_a_password_and_is_told_where_to_click(
    client, mandatory
):
    _employee_with_password("marc@acme.example")

    response = client.post(
        reverse("account_login"), {"login": "marc@acme.example", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    page = _text(response)
    assert "demande à ses salariés de se connecter avec leur compte" in page
    assert "Se connecter avec le compte de mon entreprise" in page


def test_a_personal_address_of_an_account_in_a_mandatory_domain_does_not_get_around_it(
    client, mandatory
):
    user = _employee_with_password("marc@acme.example")
    EmailAddress.objects.create(user=user, email="marc.perso@example.org", verified=True)

    response = client.post(
        reverse("account_login"), {"login": "marc.perso@example.org", "password": PASSWORD}
    )

    assert "_auth_user_id" not in client.session
    assert "demande à ses salariés" in _text(response)


def test_a_domain_that_is_not_mandatory_still_signs_in_with_a_password(client, company_sso):
    _employee_with_password("marc@acme.example")

    client.post(reverse("account_login"), {"login": "marc@acme.example", "password": PASSWORD})

    assert "_auth_user_id" in client.session


def test_a_mandatory_domain_cannot_sign_up_with_a_password(client, mandatory):
    response = client.post(
        reverse("account_signup"),
        {
            "role": "volunteer",
            "first_name": "Nina",
            "last_name": "Petit",
            "email": "nina@acme.example",
            "password1": "un-mot-de-passe-tres-long-7",
            "password2": "un-mot-de-passe-tres-long-7",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 200
    assert "demande à ses salariés" in _text(response)
    assert not User.objects.filter(email="nina@acme.example").exists()


def test_the_password_reset_is_no_way_around_a_mandatory_sign_in(client, mandatory):
    _employee_with_password("marc@acme.example")

    response = client.post(reverse("account_reset_password"), {"email": "marc@acme.example"})

    assert response.status_code == 200
    assert "demande à ses salariés" in _text(response)
    assert not mail.outbox


def test_a_mandatory_domain_still_signs_in_through_its_provider(
    client, identity_provider, company, mandatory
):
    username = _idp_person(identity_provider, "ines@acme.example")

    _sign_in_through_company(
        client, identity_provider, typed="ines@acme.example", username=username
    )

    assert "_auth_user_id" in client.session


# --- settings -----------------------------------------------------------------------------


def _form(identity_provider, provider_client, company_domain, **overrides):
    client_id, secret = provider_client
    data = {
        "issuer_url": identity_provider.issuer,
        "client_id": client_id,
        "client_secret": secret,
        "domains": [company_domain.pk],
        "is_enabled": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_programme_admin_turns_on_the_company_sign_in_and_the_secret_never_shows(
    client, identity_provider, company, company_domain, programme_admin, provider_client
):
    client.force_login(programme_admin)
    url = reverse("companies:sso_settings")

    response = client.post(url, _form(identity_provider, provider_client, company_domain))

    assert response.status_code == 302
    company_sso = CompanySSO.objects.get(company=company)
    app = company_sso.app
    assert (app.provider, app.provider_id) == ("openid_connect", f"company-{company.pk}")
    assert app.settings == {"server_url": identity_provider.issuer}
    assert app.secret == provider_client[1]
    assert list(company_sso.domains.all()) == [company_domain]
    page = _text(client.get(url))
    assert provider_client[1] not in page
    assert _callback(company).replace("http://testserver", "") in page
    log = ActionLog.objects.get(action="company.update_sso")
    assert provider_client[1] not in str(log.data)
    assert log.data["secret_changed"] is True

    # Saved again without a secret: the saved one is kept.
    client.post(url, _form(identity_provider, provider_client, company_domain, client_secret=""))
    assert SocialApp.objects.get(pk=app.pk).secret == provider_client[1]


def test_a_wrong_issuer_is_explained_and_nothing_is_saved(
    client, identity_provider, company, company_domain, programme_admin, provider_client
):
    client.force_login(programme_admin)

    response = client.post(
        reverse("companies:sso_settings"),
        _form(
            identity_provider,
            provider_client,
            company_domain,
            issuer_url=identity_provider.url + "/ailleurs",
        ),
    )

    assert response.status_code == 200
    assert "Le fournisseur d'identité ne répond pas à cette adresse" in _text(response)
    assert provider_client[0] in _text(response)  # what was typed is kept
    assert not CompanySSO.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"issuer_url": "http://idp.example.com"}, "issuer_url", "https://"),
        ({"client_id": ""}, "client_id", "identifiant client"),
        ({"client_secret": ""}, "client_secret", "secret client"),
        ({"domains": None}, "domains", "au moins un domaine"),
        ({"is_enabled": None, "is_mandatory": "on"}, "is_mandatory", "Activez"),
    ],
    ids=["plain-http", "no-client-id", "no-secret", "no-domain", "mandatory-but-off"],
)
def test_bad_settings_get_a_french_error_on_their_field(
    identity_provider,
    company,
    company_domain,
    programme_admin,
    provider_client,
    overrides,
    field,
    message,
):
    data = _form(identity_provider, provider_client, company_domain, **overrides)
    with pytest.raises(ValidationError) as error:
        sso.company_sso_update(
            company_id=company.pk,
            actor=programme_admin,
            issuer_url=data.get("issuer_url", ""),
            client_id=data.get("client_id", ""),
            client_secret=data.get("client_secret", ""),
            domain_ids=data.get("domains", []),
            is_enabled="is_enabled" in data,
            is_mandatory="is_mandatory" in data,
        )
    assert message in " ".join(error.value.message_dict[field])


def test_another_company_s_domain_cannot_be_allowed(
    identity_provider, company, programme_admin, provider_client
):
    other = CompanyDomain.objects.create(company=factories.CompanyFactory(), domain="autre.example")
    with pytest.raises(ValidationError) as error:
        sso.company_sso_update(
            company_id=company.pk,
            actor=programme_admin,
            issuer_url=identity_provider.issuer,
            client_id=provider_client[0],
            client_secret=provider_client[1],
            domain_ids=[other.pk],
            is_enabled=True,
            is_mandatory=False,
        )
    assert "domains" in error.value.message_dict


def test_only_the_company_s_programme_admins_configure_its_sign_in(
    client, identity_provider, company, company_domain, provider_client
):
    other_admin = factories.CompanyMemberFactory(
        company=factories.CompanyFactory(verified_at=company.verified_at),
        role=CompanyMember.Role.PROGRAMME_ADMIN,
    ).user
    manager = factories.CompanyMemberFactory(company=company, role=CompanyMember.Role.MANAGER).user
    employee = factories.CompanyMemberFactory(company=company).user
    for outsider in (other_admin, manager, employee):
        with pytest.raises(PermissionDenied):
            sso.company_sso_update(
                company_id=company.pk,
                actor=outsider,
                issuer_url=identity_provider.issuer,
                client_id=provider_client[0],
                client_secret=provider_client[1],
                domain_ids=[company_domain.pk],
                is_enabled=True,
                is_mandatory=False,
            )
    for person in (manager, employee):
        client.force_login(person)
        assert client.get(reverse("companies:sso_settings")).status_code == 403
    client.logout()
    response = client.get(reverse("companies:sso_settings"))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    assert not CompanySSO.objects.exists()


def test_an_unverified_company_cannot_turn_it_on(
    client, identity_provider, company, company_domain, programme_admin, provider_client
):
    company.verified_at = None
    company.save(update_fields=["verified_at"])
    client.force_login(programme_admin)

    response = client.post(
        reverse("companies:sso_settings"),
        _form(identity_provider, provider_client, company_domain),
    )

    assert response.status_code == 200
    assert "pas encore vérifiée" in _text(response)
    with pytest.raises(ValidationError):
        sso.company_sso_update(
            company_id=company.pk,
            actor=programme_admin,
            issuer_url=identity_provider.issuer,
            client_id=provider_client[0],
            client_secret=provider_client[1],
            domain_ids=[company_domain.pk],
            is_enabled=True,
            is_mandatory=False,
        )
    assert not CompanySSO.objects.exists()


def test_the_settings_page_keeps_to_a_few_queries(
    client, company, company_sso, programme_admin, django_assert_max_num_queries
):
    for n in range(5):
        company_sso.domains.add(CompanyDomain.objects.create(company=company, domain=f"d{n}.fr"))
    client.force_login(programme_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("companies:sso_settings"))
    assert response.status_code == 200


def test_a_person_who_signed_in_through_their_company_gets_the_link_exported_and_erased(
    client, identity_provider, company, company_sso
):
    from accounts.erasure import user_anonymise
    from accounts.personal_data import providers

    username = _idp_person(identity_provider, "ines@acme.example")
    _sign_in_through_company(
        client, identity_provider, typed="ines@acme.example", username=username
    )
    user = User.objects.get(email="ines@acme.example")
    sections = {s.key: s for provider in providers() for s in provider.export(user)}
    assert sections["company_sign_ins"].rows[0]["provider"] == f"company-{company.pk}"

    user_anonymise(user_id=user.pk, actor=None, reason="test")

    assert not SocialAccount.objects.filter(user=user).exists()
