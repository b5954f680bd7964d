import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from companies.models import CompanyDomain, CompanyMember
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-2026"


def sign_up(client, email: str):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": "Léa",
            "last_name": "Martin",
            "email": email,
            "role": "volunteer",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
        },
    )


def confirmation_link(message) -> str:
    return re.search(r"(/comptes/confirm-email/[^/\s]+/)", message.body).group(1)


def test_users_log_in_with_their_email_and_have_no_username():
    user = User.objects.create_user("Camille@Example.org", "secret-123-xyz")
    assert user.email == "camille@example.org"
    assert not hasattr(user, "username") or user.username is None
    admin = User.objects.create_superuser("admin@example.org", "secret-123-xyz")
    assert admin.is_staff and admin.is_superuser


def test_sign_up_requires_email_verification_then_joins_the_company_of_the_domain(client):
    company = factories.CompanyFactory()
    CompanyDomain.objects.create(company=company, domain="entreprise-solidaire.fr")

    response = sign_up(client, "lea.martin@entreprise-solidaire.fr")
    assert response.status_code == 302
    user = User.objects.get(email="lea.martin@entreprise-solidaire.fr")
    assert not CompanyMember.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert "probono" in mail.outbox[0].subject

    response = client.get(reverse("home"))
    assert not response.wsgi_request.user.is_authenticated

    client.post(confirmation_link(mail.outbox[0]))
    assert EmailAddress.objects.get(user=user).verified
    member = CompanyMember.objects.get(user=user)
    assert (member.company, member.role) == (company, CompanyMember.Role.EMPLOYEE)


def test_an_unknown_domain_joins_no_company(client):
    sign_up(client, "sam@gmail.com")
    client.post(confirmation_link(mail.outbox[0]))
    assert not CompanyMember.objects.exists()


def test_signup_errors_are_in_french_and_keep_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "pas-une-adresse", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "pas-une-adresse" in content
    assert "Saisissez une adresse e-mail valide" in content


def test_verified_users_log_in_and_reset_their_password(client):
    user = factories.UserFactory(email="jeanne@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"),
        {"login": "jeanne@example.org", "password": "motdepasse-solide-42"},
    )
    assert response.status_code == 302
    client.post(reverse("account_logout"))
    client.post(reverse("account_reset_password"), {"email": "jeanne@example.org"})
    assert len(mail.outbox) == 1
    assert "mot de passe" in mail.outbox[0].subject.lower()
