"""People are shown by their name: one display rule, names required at sign-up, and
accounts older than the names asked for theirs."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import SignupRole, User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-2026"


def test_the_public_sees_the_first_name_and_initial_those_working_with_the_person_the_full_name():
    user = factories.UserFactory(first_name="Camille", last_name="de Lattre")

    assert user.public_name == "Camille D."
    assert user.full_name == "Camille de Lattre"
    assert str(user) == "Camille de Lattre"


def test_a_person_without_a_name_is_never_shown_by_their_email():
    volunteer = factories.UserFactory(first_name="", last_name="", email="secret@example.org")
    member = factories.UserFactory(first_name="", last_name="", signup_role=SignupRole.ASSOCIATION)

    for shown in (volunteer.public_name, volunteer.full_name, str(volunteer)):
        assert "secret" not in shown
        assert shown == f"Bénévole n° {volunteer.pk}"
    assert member.full_name == f"Membre n° {member.pk}"
    assert not volunteer.has_name


def test_a_first_name_alone_is_shown_without_a_dangling_initial():
    user = factories.UserFactory(first_name="  Lou ", last_name="")

    assert user.public_name == "Lou"
    assert user.full_name == "Lou"
    assert not user.has_name


def sign_up(client, **fields):
    data = {
        "role": "volunteer",
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    } | fields
    return client.post(reverse("account_signup"), data)


def test_sign_up_asks_for_the_first_and_last_name(client):
    content = client.get(reverse("account_signup")).content.decode()

    assert 'name="first_name"' in content and 'autocomplete="given-name"' in content
    assert 'name="last_name"' in content and 'autocomplete="family-name"' in content


@pytest.mark.parametrize(
    ("field", "message"),
    [("first_name", "Indiquez votre prénom."), ("last_name", "Indiquez votre nom.")],
)
def test_sign_up_refuses_a_missing_name_and_keeps_what_was_typed(client, field, message):
    response = sign_up(client, **{field: "   "})

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="lea@example.org"' in content
    assert not User.objects.exists()


def test_sign_up_saves_the_name_with_spaces_tidied(client):
    response = sign_up(client, first_name="  Léa  Rose ", last_name=" Martin ")

    assert response.status_code == 302
    user = User.objects.get(email="lea@example.org")
    assert (user.first_name, user.last_name) == ("Léa Rose", "Martin")


def test_sign_up_refuses_invisible_characters_in_a_name(client):
    response = sign_up(client, last_name="Mar\x00tin")

    assert response.status_code == 200
    assert "caractères invisibles" in response.content.decode()
    assert not User.objects.exists()


def log_in(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return client.post(
        reverse("account_login"), {"login": user.email, "password": "motdepasse-solide-42"}
    )


def test_an_account_without_a_name_is_asked_for_it_at_sign_in_then_goes_on(client):
    user = factories.UserFactory(first_name="", last_name="")

    response = log_in(client, user)

    assert response["Location"] == reverse("accounts:name") + "?next=%2F"
    page = client.get(response["Location"])
    assert "Indiquez votre prénom et votre nom" in page.content.decode()

    response = client.post(
        reverse("accounts:name"), {"first_name": "Jeanne", "last_name": "Roy", "next": "/"}
    )

    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.full_name == "Jeanne Roy"


def test_a_named_account_signs_in_as_before(client):
    response = log_in(client, factories.UserFactory())

    assert response["Location"] == reverse("home")


def test_the_name_page_refuses_an_empty_name_and_a_foreign_next(client):
    user = factories.UserFactory(first_name="Jeanne", last_name="Roy")
    client.force_login(user)

    response = client.post(reverse("accounts:name"), {"first_name": "", "last_name": "Roy"})
    assert response.status_code == 200
    assert "Indiquez votre prénom." in response.content.decode()

    response = client.post(
        reverse("accounts:name"),
        {"first_name": "Jeanne", "last_name": "Roy-Martin", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_the_header_shows_the_name_never_the_email(client):
    user = factories.UserFactory(first_name="Jeanne", last_name="Roy", email="jr@example.org")
    client.force_login(user)

    content = client.get(reverse("home")).content.decode()

    assert "Jeanne Roy" in content
    assert "jr@example.org" not in content


def test_the_header_asks_a_person_without_a_name_for_it(client):
    user = factories.UserFactory(first_name="", last_name="", email="jr@example.org")
    client.force_login(user)

    content = client.get(reverse("home")).content.decode()

    assert "Indiquez votre nom" in content
    assert "jr@example.org" not in content
