"""Passwords are hashed with Argon2; a hash made before (PBKDF2) is upgraded when its
owner signs in."""

import pytest
from django.conf import settings as project_settings
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

PROJECT_HASHERS = list(project_settings.PASSWORD_HASHERS)


@pytest.fixture
def real_hashers(settings):
    # The suite hashes with MD5 for speed; these tests need the project's own list.
    settings.PASSWORD_HASHERS = PROJECT_HASHERS


def test_new_passwords_are_hashed_with_argon2(real_hashers):
    user = factories.UserFactory()
    user.set_password("un mot de passe solide")
    user.save()
    assert user.password.startswith("argon2$")


def test_a_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(real_hashers, client):
    user = factories.UserFactory(email="ancien@example.org")
    User.objects.filter(pk=user.pk).update(
        password=make_password("un mot de passe solide", hasher="pbkdf2_sha256")
    )
    response = client.post(
        reverse("account_login"),
        {"login": "ancien@example.org", "password": "un mot de passe solide"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
