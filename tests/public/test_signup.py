import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import NoReverseMatch, reverse

from accounts.adapters import onboarding_url
from accounts.models import SignupRole, User
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-2026"
ONBOARDING = {
    "volunteer": "volunteers:profile",
    "association": "asso:register",
    "company": "companies:register",
}


def onboarding(role: str) -> str:
    try:
        return reverse(ONBOARDING[role])
    except NoReverseMatch:
        pytest.fail(f"{ONBOARDING[role]} is not built yet: the onboarding cannot be followed")


def sign_up(client, email: str, role: str | None):
    data = {
        "first_name": "Camille",
        "last_name": "Durand",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    if role:
        data["role"] = role
    return client.post(reverse("account_signup"), data)


def confirm(client) -> object:
    link = re.search(r"(/comptes/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    return client.post(link)


def test_the_signup_form_asks_who_the_person_is_in_an_accessible_group(client):
    content = client.get(reverse("account_signup")).content.decode()

    assert '<fieldset class="role-choice"' in content
    assert "<legend>Vous êtes" in content
    for label in (
        "Je suis bénévole",
        "Je représente une association",
        "Je représente une entreprise",
    ):
        assert label in content
    assert content.count('type="radio" name="role"') == 3


def test_the_home_page_links_preselect_the_role(client):
    home = client.get(reverse("home")).content.decode()
    assert 'href="/comptes/signup/?role=association"' in home
    assert 'href="/comptes/signup/?role=volunteer"' in home
    assert 'href="/comptes/signup/?role=company"' in home

    content = client.get(reverse("account_signup"), {"role": "association"}).content.decode()

    assert re.search(r'value="association" id="id_role_1" required\s+checked', content)


def test_the_role_is_required_and_the_form_keeps_what_was_typed(client):
    response = sign_up(client, "camille@example.org", role=None)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "Choisissez ce qui vous décrit le mieux." in content
    assert 'id="id_role_error"' in content
    assert 'aria-describedby="id_role_error"' in content
    assert 'value="camille@example.org"' in content
    assert not User.objects.exists()


def test_a_choice_made_is_kept_when_another_field_is_wrong(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "pas-une-adresse", "role": "company", "password1": "x", "password2": "x"},
    )

    assert re.search(
        r'value="company" id="id_role_2" required\s+checked', response.content.decode()
    )


@pytest.mark.parametrize("role", ["volunteer", "association", "company"])
def test_after_confirming_the_email_the_first_login_leads_to_the_right_onboarding(client, role):
    sign_up(client, f"{role}@example.org", role)
    user = User.objects.get(email=f"{role}@example.org")
    assert user.signup_role == role

    response = confirm(client)

    assert response.status_code == 302
    assert response["Location"] == onboarding(role)


@pytest.mark.parametrize("role", ["volunteer", "association", "company"])
def test_confirming_in_another_browser_then_logging_in_leads_to_onboarding(client, role):
    sign_up(client, f"{role}@example.org", role)
    client.logout()
    confirm(client)
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": f"{role}@example.org", "password": PASSWORD}
    )

    assert response["Location"] == onboarding(role)


def test_once_the_space_exists_login_goes_home(client):
    volunteer = factories.VolunteerFactory(user__signup_role=SignupRole.VOLUNTEER)
    member = factories.AssociationMemberFactory(user__signup_role=SignupRole.ASSOCIATION)
    manager = factories.CompanyMemberFactory(
        role="programme_admin", user__signup_role=SignupRole.COMPANY
    )
    for user in (volunteer.user, member.user, manager.user):
        assert onboarding_url(user) is None


def test_an_employee_who_joined_by_email_domain_is_still_led_to_register_the_company(db):
    employee = factories.CompanyMemberFactory(role="employee", user__signup_role="company")

    assert onboarding_url(employee.user) == onboarding("company")


def test_people_without_a_role_log_in_as_before(client):
    user = factories.UserFactory(email="jeanne@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "motdepasse-solide-42"}
    )

    assert response["Location"] == reverse("home")


def test_an_explicit_next_page_wins_over_onboarding(client):
    user = factories.UserFactory(email="lou@example.org", signup_role="volunteer")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login") + "?next=/missions/",
        {"login": user.email, "password": "motdepasse-solide-42"},
    )

    assert response["Location"] == "/missions/"
