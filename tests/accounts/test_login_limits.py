"""Failed sign-ins are counted per (account, address): an attacker who guesses passwords
from one address locks only that address out of the account, never the owner elsewhere."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


@pytest.fixture
def account(db):
    user = factories.UserFactory(email="proprietaire@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, password: str, address: str):
    return client.post(
        reverse("account_login"),
        {"login": "proprietaire@example.org", "password": password},
        REMOTE_ADDR=address,
    )


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(account, client):
    for _attempt in range(6):
        response = sign_in(client, "mauvais-mot-de-passe", ATTACKER)
        assert response.status_code == 200

    refused = sign_in(client, PASSWORD, ATTACKER)
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion échouées" in refused.content.decode()

    owner = Client()  # another browser, elsewhere
    answer = sign_in(owner, PASSWORD, OWNER)
    assert answer.status_code == 302
    assert owner.session["_auth_user_id"] == str(account.pk)


def test_the_attacker_address_stays_refused_even_with_the_right_password(account, client):
    for _attempt in range(5):
        sign_in(client, "mauvais-mot-de-passe", ATTACKER)
    response = sign_in(client, PASSWORD, ATTACKER)
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_is_limited_across_accounts(client):
    # Ten failures a minute per address, whatever the accounts tried.
    for number in range(10):
        client.post(
            reverse("account_login"),
            {"login": f"cible{number}@example.org", "password": "x"},
            REMOTE_ADDR=ATTACKER,
        )
    response = client.post(
        reverse("account_login"),
        {"login": "autre@example.org", "password": "x"},
        REMOTE_ADDR=ATTACKER,
    )
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode()
