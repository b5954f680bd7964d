"""Staff's views and searches of people's data in the admin are logged, by construction."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import StaffRoleMixin
from core.models import PersonalDataAccess
from missions.models import HoursEntry
from notifications.models import Message
from tests import factories

pytestmark = pytest.mark.django_db

# The admins that show a person's data, by model: each must log access.
PERSONAL_DATA_MODELS = {
    "accounts.User",
    "account.EmailAddress",
    "volunteers.VolunteerProfile",
    "missions.Application",
    "missions.HoursEntry",
    "missions.Evaluation",
    "notifications.Message",
    "notifications.Notification",
    "notifications.NotificationPreference",
    "companies.CompanyMember",
    "legal.Consent",
    "matching.Proposal",
    "matching.HiddenSuggestion",
}


def change(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_every_admin_of_a_persons_data_logs_access():
    logged = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, StaffRoleMixin) and model_admin.shows_personal_data()
    }

    assert logged >= PERSONAL_DATA_MODELS
    assert "core.PersonalDataAccess" not in logged
    assert "taxonomy.Skill" not in logged


@pytest.mark.parametrize("kind", ["user", "profile", "application", "hours", "message"])
def test_viewing_a_persons_data_is_logged_with_who_what_and_when(staff_client, staff, kind):
    application = factories.ApplicationFactory(state="accepted")
    volunteer = application.volunteer
    obj = {
        "user": volunteer.user,
        "profile": volunteer,
        "application": application,
        "hours": lambda: HoursEntry.objects.create(
            application=application, date=datetime.date.today(), hours=2
        ),
        "message": lambda: Message.objects.create(
            application=application, author=volunteer.user, body="Bonjour"
        ),
    }[kind]
    obj = obj() if callable(obj) else obj

    response = staff_client.get(change(obj))

    assert response.status_code == 200
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.actor_email, access.action) == (staff, staff.email, "view")
    assert access.content_type.model_class() is type(obj)
    assert access.object_id == str(obj.pk)
    assert access.created_at is not None


def test_a_search_of_the_list_is_logged_with_what_was_typed(staff_client, staff):
    factories.VolunteerFactory(user__last_name="Dupont")

    staff_client.get(changelist(factories.VolunteerFactory._meta.model), {"q": "Dupont"})

    access = PersonalDataAccess.objects.get()
    assert (access.action, access.query, access.result_count) == ("search", "Dupont", 1)


def test_browsing_a_list_without_searching_or_reference_data_is_not_logged(staff_client):
    factories.VolunteerFactory()
    skill = factories.MissionSkillFactory().skill

    staff_client.get(changelist(factories.VolunteerFactory._meta.model))
    staff_client.get(change(skill))

    assert not PersonalDataAccess.objects.exists()


def test_saving_a_change_is_not_a_view(staff_client):
    user = factories.UserFactory()

    staff_client.post(change(user), {})

    assert not PersonalDataAccess.objects.exists()


def test_staff_read_the_log_but_cannot_change_or_delete_it(staff_client, staff):
    user = factories.UserFactory()
    staff_client.get(change(user))
    access = PersonalDataAccess.objects.get()

    listing = staff_client.get(changelist(PersonalDataAccess))
    page = staff_client.get(change(access))

    assert listing.status_code == 200 and staff.email in listing.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert staff_client.post(change(access), {"query": "x"}).status_code == 403
    delete = reverse("admin:core_personaldataaccess_delete", args=[access.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.count() == 1  # reading the log is not logged


def test_referents_do_not_see_the_log(client):
    referent = factories.UserFactory(is_staff=True, is_referent=True)
    client.force_login(referent)

    assert client.get(changelist(PersonalDataAccess)).status_code == 403


def test_the_log_keeps_the_line_when_the_staff_account_goes(staff_client, staff):
    staff_client.get(change(factories.UserFactory()))
    staff_client.logout()

    staff.delete()

    access = PersonalDataAccess.objects.get()
    assert access.actor is None and access.actor_email == "equipe@probono.test"


def test_lines_older_than_the_retention_are_purged(settings, staff):
    from django.utils import timezone

    from core.models import log_personal_data_access
    from core.tasks import purge_personal_data_access

    settings.PERSONAL_DATA_ACCESS_RETENTION_DAYS = 365
    old = log_personal_data_access(staff, type(staff), "view", object_id=1)
    PersonalDataAccess.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=366)
    )
    recent = log_personal_data_access(staff, type(staff), "view", object_id=2)

    assert purge_personal_data_access() == 1
    assert list(PersonalDataAccess.objects.all()) == [recent]
