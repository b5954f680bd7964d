"""Export of one's data, deletion of one's account (anonymisation, not cascade)."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts.erasure import ANONYMOUS_DOMAIN, account_delete, user_anonymise
from accounts.models import User
from accounts.personal_data import ERASED, export_document
from api.models import ApiKey
from companies.reports import ReportScope, association_yearly_summary, impact_report
from core.models import ActionLog
from missions.models import Application, Evaluation, HoursEntry
from notifications.models import Message
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"


def _dump(document) -> str:
    return json.dumps(document, ensure_ascii=False).lower()


def test_the_export_holds_the_persons_data_and_nothing_of_anyone_else(world):
    person, other = world["person"], world["other"]
    document = export_document(person.user)
    text = _dump(document)
    for field, marker in person.markers.items():
        assert marker.lower() in text, field
    assert "zqxbruno" not in text
    sections = document["sections"]
    for key in (
        "account",
        "volunteer_profile",
        "skills",
        "causes",
        "applications",
        "hours",
        "evaluations",
        "testimonials",
        "messages",
        "notifications",
        "favourites",
        "company_memberships",
        "saved_searches",
        "invitations",
        "audit_log",
    ):
        assert sections[key], key
    assert sections["account"][0]["email"] == person.user.email
    assert any(row["by_you"] for row in sections["audit_log"])
    # The association's reply is in the thread, marked as not the person's.
    assert {row["written_by_you"] for row in sections["messages"]} == {True, False}
    assert other.user.email not in text


def test_the_account_page_links_to_the_data_and_to_the_deletion(client, world):
    client.force_login(world["person"].user)
    page = client.get(reverse("my_account:home")).content.decode()
    assert reverse("my_account:data") in page
    assert reverse("my_account:data_download") in page
    assert reverse("my_account:delete") in page


def test_the_readable_page_and_the_download_show_the_persons_data(client, world):
    person = world["person"]
    client.force_login(person.user)
    page = client.get(reverse("my_account:data"))
    assert page.status_code == 200
    html = page.content.decode()
    assert person.markers["bio"] in html
    assert person.markers["message"] in html
    assert "Terminée" in html  # codes are shown by their label
    assert "Zqxbruno" not in html
    download = client.get(reverse("my_account:data_download"))
    assert download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    assert json.loads(download.content)["sections"]["account"][0]["email"] == person.user.email


def test_the_data_pages_need_a_signed_in_person(client):
    for name in ("my_account:home", "my_account:data", "my_account:data_download"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_the_api_export_needs_a_person_and_answers_json(world, association, owner):
    assert client_for().get("/api/v1/me/export/").status_code in (401, 403)
    answer = client_for(world["person"].user).get("/api/v1/me/export/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert body["sections"]["account"][0]["email"] == world["person"].user.email
    assert "zqxbruno" not in _dump(body)
    _key, secret = ApiKey.issue(
        organisation=association, name="CRM", scope=ApiKey.Scope.READ, created_by=owner
    )
    refused = client_for(secret=secret).get("/api/v1/me/export/")
    assert refused.status_code == 403
    assert refused.json()["code"]


def test_deleting_needs_the_right_password(client, world):
    person = world["person"]
    client.force_login(person.user)
    wrong = client.post(reverse("my_account:delete"), {"password": "pas-le-bon"})
    assert wrong.status_code == 400
    assert "Mot de passe incorrect" in wrong.content.decode()
    empty = client.post(reverse("my_account:delete"), {"password": ""})
    assert empty.status_code == 400
    person.user.refresh_from_db()
    assert person.user.is_active
    assert person.user.email.startswith("zqxalice")


def test_deleting_from_the_page_anonymises_and_signs_out(client, world):
    person = world["person"]
    client.force_login(person.user)
    done = client.post(reverse("my_account:delete"), {"password": PASSWORD})
    assert done.status_code == 302
    person.user.refresh_from_db()
    assert person.user.email.endswith(f"@{ANONYMOUS_DOMAIN}")
    assert not person.user.is_active
    assert not person.user.has_usable_password()
    assert client.get(reverse("my_account:home")).status_code == 302
    entry = ActionLog.objects.get(action="user.anonymise")
    assert entry.data == {"reason": "self"}


def _figures(world):
    company, association = world["company"], world["association"]
    import datetime

    report = impact_report(
        ReportScope(
            company=company, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)
        )
    )
    figures = {
        name: getattr(report, name)
        for name in (
            "hours_planned",
            "hours_validated",
            "by_month",
            "by_cause",
            "by_association",
            "employees",
            "employees_engaged",
            "associations_helped",
            "missions_completed",
            "evaluations",
            "average_rating",
            "objectives_met_share",
            "skill_transfer_share",
            "work_time_hours",
            "valuation",
        )
    }
    figures["tax"] = report.tax.reduction
    summary = [
        {key: value for key, value in row.items() if key != "company"}
        for row in association_yearly_summary(association, 2025)
    ]
    return figures, summary


def test_a_deleted_volunteer_leaves_the_reports_and_summaries_unchanged(world):
    before = _figures(world)
    assert before[0]["hours_validated"] > 0
    assert before[0]["valuation"] > 0
    assert before[1][0]["volunteers"] == 2
    account_delete(user=world["person"].user, password=PASSWORD)
    assert _figures(world) == before
    application = Application.objects.get(pk=world["person"].application.pk)
    assert application.state == Application.State.COMPLETED
    assert HoursEntry.objects.filter(application=application).count() == 2
    assert Evaluation.objects.filter(application=application).count() == 2


def _text_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def _holders(marker: str) -> list[str]:
    found = []
    for model, field in _text_columns():
        for value in model._default_manager.values_list(field.attname, flat=True):
            text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
            if text and marker.lower() in text.lower():
                found.append(f"{model._meta.label}.{field.name}")
                break
    return found


def test_after_deletion_no_table_holds_the_persons_name_email_or_texts(world):
    person, other = world["person"], world["other"]
    # Every marker is somewhere beforehand, and the name reached others' notifications.
    assert "accounts.User.email" in _holders("zqxalice")
    assert "notifications.Notification.context" in _holders(person.markers["first_name"])
    assert "admin.LogEntry.object_repr" in _holders(person.markers["last_name"])
    account_delete(user=person.user, password=PASSWORD)
    assert _holders("zqxalice") == []
    # The other volunteer's data is untouched.
    assert "accounts.User.email" in _holders("zqxbruno")
    assert "notifications.Message.body" in _holders(other.markers["message"])
    # The rows stay: the person's messages are erased, the association's reply kept.
    bodies = list(
        Message.objects.filter(application=person.application).values_list("body", flat=True)
    )
    assert ERASED in bodies
    assert "Bonjour [anonyme], à jeudi !" in bodies


def test_the_user_row_keeps_nothing_that_identifies_the_person(world):
    user = user_anonymise(user_id=world["person"].user.pk, actor=None, reason="staff")
    assert (user.first_name, user.last_name, user.is_staff, user.is_superuser) == (
        "",
        "",
        False,
        False,
    )
    assert not EmailAddress.objects.filter(user=user).exists()
    assert User.objects.filter(email__endswith=f"@{ANONYMOUS_DOMAIN}").count() == 1
    # Twice changes nothing.
    email = user.email
    assert user_anonymise(user_id=user.pk, actor=None, reason="staff").email == email
    assert ActionLog.objects.filter(action="user.anonymise").count() == 1


def test_a_sole_association_admin_is_asked_to_hand_over_first(client, association, owner):
    client.force_login(owner)
    page = client.get(reverse("my_account:delete"))
    assert "seul responsable" in page.content.decode()
    refused = client.post(reverse("my_account:delete"), {"password": PASSWORD})
    assert "seul responsable" in refused.content.decode()
    owner.refresh_from_db()
    assert owner.is_active
    # Once another admin is named, the former one may leave.
    factories.AssociationMemberFactory(association=association)
    assert client.post(reverse("my_account:delete"), {"password": PASSWORD}).status_code == 302


def test_a_sole_programme_admin_is_asked_to_hand_over_first(db):
    from companies.models import CompanyMember

    admin = factories.CompanyMemberFactory(role=CompanyMember.Role.PROGRAMME_ADMIN).user
    with pytest.raises(Exception, match="seul responsable des programmes"):
        account_delete(user=admin, password=PASSWORD)


def test_staff_anonymise_in_the_admin_instead_of_deleting(client, world):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    person = world["person"].user
    changelist = reverse("admin:accounts_user_changelist")
    page = client.get(changelist)
    assert b"delete_selected" not in page.content
    assert client.get(reverse("admin:accounts_user_delete", args=[person.pk])).status_code in (
        302,
        403,
    )
    confirm = client.post(
        changelist, {"action": "anonymise_users", "_selected_action": [person.pk]}
    )
    assert confirm.status_code == 200
    person.refresh_from_db()
    assert person.is_active  # nothing done before the confirmation
    client.post(
        changelist,
        {"action": "anonymise_users", "_selected_action": [person.pk], "confirm_anonymise": "1"},
    )
    person.refresh_from_db()
    assert person.email.endswith(f"@{ANONYMOUS_DOMAIN}")
    assert ActionLog.objects.get(action="user.anonymise").data == {"reason": "staff"}
    assert Application.objects.filter(volunteer__user=person).exists()


def test_staff_cannot_delete_a_volunteer_profile_in_the_admin(client, world):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    profile = world["person"].user.volunteer_profile
    url = reverse("admin:volunteers_volunteerprofile_delete", args=[profile.pk])
    assert client.post(url, {"post": "yes"}).status_code in (302, 403)
    assert Application.objects.filter(volunteer=profile).exists()
