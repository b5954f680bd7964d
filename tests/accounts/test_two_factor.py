"""Two-factor authentication (allauth's MFA): offered to everyone, required of staff and
territorial referents before they reach the admin or any other page."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.factories import STAFF_TOTP_SECRET, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


@pytest.fixture
def new_staff():
    """A staff member who has not activated two-factor authentication yet."""
    return verified(factories.UserFactory(email="nouveau@probono.test", is_staff=True, totp=False))


@pytest.mark.parametrize(
    "extra", [{"is_staff": True}, {"is_staff": True, "is_referent": True}, {"is_superuser": True}]
)
def test_staff_without_an_authenticator_are_sent_to_activate_one(client, extra):
    user = factories.UserFactory(totp=False, **extra)
    client.force_login(user)
    for page in ("/admin/", "/admin/accounts/user/", "/", reverse("missions:list")):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == reverse("mfa_activate_totp")
    followed = client.get("/admin/", follow=True)
    assert "activez la double authentification" in followed.content.decode()


def test_the_api_answers_403_in_its_error_shape_to_staff_without_an_authenticator(client):
    client.force_login(factories.UserFactory(is_staff=True, totp=False))
    response = client.get("/api/v1/missions/")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_people_without_staff_rights_are_offered_two_factor_but_not_forced(client, volunteer):
    client.force_login(volunteer.user)
    assert client.get(reverse("volunteers:profile")).status_code == 200
    page = client.get(reverse("home"))
    assert reverse("mfa_index") in page.content.decode()


def test_staff_activate_totp_then_sign_in_with_a_code_and_reach_the_admin(client, new_staff):
    response = sign_in(client, new_staff)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302

    # Activating asks for the password again (allauth's re-authentication).
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=new_staff, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200

    # Next sign-in: the password alone does not open the session.
    browser = Client()
    response = sign_in(browser, new_staff)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in browser.session
    refused = browser.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in browser.session
    # The next period's code: the one of this period was used to activate.
    browser.post(reverse("mfa_authenticate"), {"code": totp_code(secret, step=1)})
    assert browser.session["_auth_user_id"] == str(new_staff.pk)
    assert browser.get("/admin/").status_code == 200


def test_a_recovery_code_signs_in_once(staff):
    verified(staff)
    codes = RecoveryCodes.activate(staff).get_unused_codes()

    first = Client()
    sign_in(first, staff)
    first.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert first.session["_auth_user_id"] == str(staff.pk)
    assert first.get("/admin/").status_code == 200

    again = Client()
    sign_in(again, staff)
    response = again.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200
    assert "_auth_user_id" not in again.session


def test_the_code_is_asked_of_referents_too():
    referent = verified(factories.UserFactory(is_staff=True, is_referent=True))
    client = Client()
    response = sign_in(client, referent)
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(STAFF_TOTP_SECRET)})
    assert client.session["_auth_user_id"] == str(referent.pk)
    assert client.get("/admin/").status_code == 200


def test_the_two_factor_pages_are_in_french(client, new_staff):
    sign_in(client, new_staff)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    content = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Activer l'application d'authentification" in content
    assert re.search(r"Authentificat", client.get(reverse("mfa_index")).content.decode())
