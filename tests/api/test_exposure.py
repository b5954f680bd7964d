"""Minimal exposure: what each persona sees of a volunteer, against the one table in
``volunteers.exposure``. Hostile personas use another organisation's ids."""

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiKey
from associations.models import Association
from companies.models import CompanyMember
from missions.models import Application
from tests import factories
from tests.suggestions import store_list
from volunteers import exposure
from volunteers.exposure import Audience

from .conftest import client_for

pytestmark = pytest.mark.django_db

# Each key of the API's answer, and the fact about the person it tells.
FACT_OF_KEY = {
    "name": None,  # the short or the full name: checked on its own
    "first_name": exposure.FULL_NAME,
    "last_name": exposure.FULL_NAME,
    "email": exposure.EMAIL,
    "employer": exposure.EMPLOYER_FIELD,
}
# Keys that say nothing about the person (ids, the membership's own fields).
NEUTRAL_KEYS = {
    "id",
    "company",
    "role",
    "allowance_hours_override",
    "yearly_allowance_hours",
    "joined_at",
}


def facts(row: dict) -> set[str]:
    return {FACT_OF_KEY.get(key, key) for key in row if key not in NEUTRAL_KEYS} - {None}


@pytest.fixture
def people(db):
    """A verified association, one still pending, and volunteers around them."""
    verified = factories.AssociationFactory(name="Lien Solidaire")
    pending = factories.AssociationFactory(
        name="Nouvelle Asso", verification_state=Association.State.PENDING
    )
    other = factories.AssociationFactory(name="Autre Asso")
    member = factories.AssociationMemberFactory(association=verified).user
    pending_member = factories.AssociationMemberFactory(association=pending).user
    other_member = factories.AssociationMemberFactory(association=other).user
    visible = factories.VolunteerFactory(
        user__first_name="Léa",
        user__last_name="Martin",
        user__email="lea.martin@example.org",
        city="Lyon",
    )
    applicant = factories.VolunteerFactory(
        user__first_name="Hugo", user__last_name="Bernard", is_visible=False
    )
    factories.ApplicationFactory(
        mission=factories.MissionFactory(association=verified),
        volunteer=applicant,
        state=Application.State.APPLIED,
    )
    hidden = factories.VolunteerFactory(is_visible=False)
    return {
        "verified": verified,
        "pending": pending,
        "other": other,
        "member": member,
        "pending_member": pending_member,
        "other_member": other_member,
        "visible": visible,
        "applicant": applicant,
        "hidden": hidden,
    }


def detail(pk: int) -> str:
    return f"/api/v1/volunteers/{pk}/"


# --- A member of an association not yet verified --------------------------------------


def test_an_unverified_association_member_lists_no_volunteer(people):
    client = client_for(people["pending_member"])

    answer = client.get("/api/v1/volunteers/")

    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    assert "vérifiées" in answer.json()["message"]
    for name in ("visible", "applicant", "hidden"):
        assert client.get(detail(people[name].pk)).status_code == 404


def test_an_unverified_associations_key_lists_no_volunteer(people):
    _key, secret = ApiKey.issue(
        organisation=people["pending"],
        name="CRM",
        scope=ApiKey.Scope.READ,
        created_by=people["pending_member"],
    )
    client = client_for(secret=secret)

    assert client.get("/api/v1/volunteers/").status_code == 403
    assert client.get(detail(people["visible"].pk)).status_code == 404


def test_an_unverified_association_sees_no_suggested_volunteer(people):
    mission = factories.MissionFactory(association=people["pending"])
    store_list(mission=mission, others=[people["visible"]])

    answer = client_for(people["pending_member"]).get(f"/api/v1/missions/{mission.pk}/suggestions/")

    assert answer.status_code == 403


def test_a_suspended_association_loses_access(people):
    people["verified"].verification_state = Association.State.SUSPENDED
    people["verified"].save()

    assert client_for(people["member"]).get("/api/v1/volunteers/").status_code == 403


# --- A member of a verified association -----------------------------------------------


def test_a_verified_association_sees_only_what_matching_needs(people):
    answer = client_for(people["member"]).get(detail(people["visible"].pk))

    row = answer.json()
    assert answer.status_code == 200
    assert facts(row) <= exposure.fields_for(Audience.ASSOCIATION)
    assert set(exposure.MATCHING_FIELDS) <= set(row)
    assert row["name"] == "Léa M."
    assert "lea.martin@example.org" not in answer.content.decode()
    assert "Lyon" not in answer.content.decode()  # the département, not the city
    assert "employer" not in row and "email" not in row


def test_an_applicant_is_seen_by_full_name_by_the_association_applied_to_only(people):
    applicant = people["applicant"]

    mine = client_for(people["member"]).get(detail(applicant.pk))
    listed = client_for(people["member"]).get("/api/v1/volunteers/").json()["results"]

    assert mine.status_code == 200  # their profile is hidden, but they applied here
    assert mine.json()["name"] == "Hugo Bernard"
    assert facts(mine.json()) <= exposure.fields_for(Audience.APPLICANT_ASSOCIATION)
    assert {row["id"] for row in listed} == {people["visible"].pk, applicant.pk}
    # Another verified association: the applicant's hidden profile does not exist for it.
    assert client_for(people["other_member"]).get(detail(applicant.pk)).status_code == 404


def test_another_association_sees_an_applicant_elsewhere_by_first_name_only(people):
    applicant = people["applicant"]
    applicant.is_visible = True
    applicant.save()

    row = client_for(people["other_member"]).get(detail(applicant.pk)).json()

    assert row["name"] == "Hugo B."


def test_a_hidden_volunteer_is_invisible_even_by_id(people):
    for persona in ("member", "other_member", "pending_member"):
        assert client_for(people[persona]).get(detail(people["hidden"].pk)).status_code == 404


def test_suggested_volunteers_carry_the_association_fields_only(people):
    mission = factories.MissionFactory(association=people["verified"])
    store_list(mission=mission, others=[people["visible"]])

    rows = client_for(people["member"]).get(f"/api/v1/missions/{mission.pk}/suggestions/")

    volunteer = rows.json()["results"][0]["volunteer"]
    assert facts(volunteer) <= exposure.fields_for(Audience.ASSOCIATION)
    assert volunteer["name"] == "Léa M."


def test_an_association_cannot_read_another_associations_suggestions(people):
    mission = factories.MissionFactory(association=people["other"])
    store_list(mission=mission, others=[people["visible"]])

    answer = client_for(people["member"]).get(f"/api/v1/missions/{mission.pk}/suggestions/")

    assert answer.status_code in (403, 404)


# --- A company's staff ----------------------------------------------------------------


@pytest.fixture
def companies(db):
    acme = factories.CompanyFactory(slug="acme", verified_at=timezone.now())
    globex = factories.CompanyFactory(slug="globex", verified_at=timezone.now())
    admin = factories.CompanyMemberFactory(
        company=acme, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user
    employee = factories.CompanyMemberFactory(company=acme, user__email="salarie@acme.test")
    factories.VolunteerFactory(user=employee.user, employer=acme)
    stranger = factories.CompanyMemberFactory(company=globex, user__email="autre@globex.test")
    factories.VolunteerFactory(user=stranger.user, employer=globex)
    return {"admin": admin, "employee": employee, "stranger": stranger}


def test_a_company_admin_sees_their_employees_name_and_email_only(companies):
    client = client_for(companies["admin"])

    rows = client.get("/api/v1/employees/").json()["results"]

    emails = {row["email"] for row in rows}
    assert "salarie@acme.test" in emails
    assert "autre@globex.test" not in emails
    for row in rows:
        assert facts(row) <= exposure.fields_for(Audience.EMPLOYER)


def test_another_companys_employee_is_invisible_even_by_id(companies):
    client = client_for(companies["admin"])
    stranger = companies["stranger"]

    assert client.get(f"/api/v1/employees/{stranger.pk}/").status_code == 404
    assert client.get("/api/v1/employees/", {"company": "globex"}).json()["count"] == 0


def test_a_company_admin_reads_no_volunteer_profile_not_even_their_employees(companies):
    client = client_for(companies["admin"])
    profile = companies["employee"].user.volunteer_profile

    assert client.get("/api/v1/volunteers/").status_code == 403
    assert client.get(detail(profile.pk)).status_code == 404


# --- Staff and the person themselves --------------------------------------------------


def test_staff_read_profiles_with_the_full_name_but_no_email(people, staff):
    answer = client_for(staff).get(detail(people["visible"].pk))

    row = answer.json()
    assert facts(row) <= exposure.fields_for(Audience.STAFF)
    assert row["name"] == "Léa Martin"
    assert "lea.martin@example.org" not in answer.content.decode()


def test_the_person_sees_everything_about_themselves(people):
    volunteer = people["visible"]

    row = client_for(volunteer.user).get("/api/v1/volunteers/me/").json()

    assert facts(row) | {exposure.FULL_NAME} == exposure.fields_for(Audience.SELF)
    assert row["email"] == "lea.martin@example.org"
    assert row["name"] == "Léa Martin"


def test_a_referent_is_no_staff_for_the_api(people):
    referent = factories.UserFactory(is_staff=True, is_referent=True)

    assert client_for(referent).get("/api/v1/volunteers/").status_code == 403
    assert client_for(referent).get(detail(people["visible"].pk)).status_code == 404


def test_a_referent_opens_no_admin_page_of_volunteers_or_users(client, people):
    referent = factories.UserFactory(is_staff=True, is_referent=True)
    client.force_login(referent)

    assert client.get(reverse("admin:volunteers_volunteerprofile_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


# --- The table itself -----------------------------------------------------------------


def test_no_audience_but_the_person_reads_an_email_but_the_employer():
    readers = {audience for audience in Audience if exposure.may_see(audience, exposure.EMAIL)}

    assert readers == {Audience.SELF, Audience.EMPLOYER}


def test_an_association_never_sees_more_than_matching_and_a_name():
    for audience in (Audience.ASSOCIATION, Audience.APPLICANT_ASSOCIATION):
        extra = exposure.fields_for(audience) - set(exposure.MATCHING_FIELDS)
        assert extra <= {exposure.SHORT_NAME, exposure.FULL_NAME}


def test_names_follow_the_audience(people):
    user = people["visible"].user

    assert exposure.name_for(user, Audience.ASSOCIATION) == "Léa M."
    assert exposure.name_for(user, Audience.APPLICANT_ASSOCIATION) == "Léa Martin"
    assert exposure.name_for(user, Audience.EMPLOYER) == "Léa Martin"
