import datetime

import pytest
from django.utils import timezone

from missions.models import Application, Evaluation, HoursEntry
from tests import factories

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_volunteer_applies_and_the_association_accepts_with_its_key(
    mission, volunteer, owner_key
):
    applied = client_for(volunteer.user).post(
        "/api/v1/applications/", {"mission": mission.pk, "message": "Disponible le soir"}
    )
    assert applied.status_code == 201, applied.json()
    application_id = applied.json()["id"]
    accepted = client_for(secret=owner_key).post(
        f"/api/v1/applications/{application_id}/accept/", {"message": "Bienvenue"}
    )
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["state"] == "accepted"
    twice = client_for(volunteer.user).post("/api/v1/applications/", {"mission": mission.pk})
    assert twice.status_code == 400
    assert twice.json()["code"] == "already_applied"


def test_the_volunteer_cannot_accept_their_own_application(mission, volunteer):
    application = factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    answer = client_for(volunteer.user).post(f"/api/v1/applications/{application.pk}/accept/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    application.refresh_from_db()
    assert application.state == Application.State.APPLIED


def test_a_decline_needs_a_reason_from_the_list(mission, volunteer, owner):
    application = factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    answer = client_for(owner).post(
        f"/api/v1/applications/{application.pk}/decline/", {"reason": "bof"}
    )
    assert answer.status_code == 400
    assert "reason" in answer.json()["errors"]
    answer = client_for(owner).post(
        f"/api/v1/applications/{application.pk}/decline/", {"reason": "availability"}
    )
    assert answer.json()["state"] == "declined"


def test_keys_cannot_apply_or_log_hours(mission, owner_key):
    client = client_for(secret=owner_key)
    assert client.post("/api/v1/applications/", {"mission": mission.pk}).status_code == 403
    answer = client.post("/api/v1/hours/", {"application": 1, "date": "2026-01-01", "hours": "2"})
    assert answer.status_code == 403


def test_an_unknown_mission_is_a_clear_error(volunteer):
    answer = client_for(volunteer.user).post("/api/v1/applications/", {"mission": 999999})
    assert answer.status_code == 400


def test_the_employer_approves_work_time_with_its_key(mission, employee, company_key):
    application = factories.ApplicationFactory(
        mission=mission,
        volunteer=employee,
        is_work_time=True,
        approval_state=Application.Approval.PENDING,
    )
    client = client_for(secret=company_key)
    listed = client.get("/api/v1/applications/", {"approval_state": "pending"}).json()
    assert [row["id"] for row in listed["results"]] == [application.pk]
    refused_accept = client.post(f"/api/v1/applications/{application.pk}/accept/")
    assert refused_accept.status_code == 403
    approved = client.post(f"/api/v1/applications/{application.pk}/approve/", {"planned_hours": 20})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["approval_state"] == "approved"
    assert approved.json()["planned_hours"] == 20


def test_hours_are_logged_then_validated(mission, volunteer, owner_key):
    application = factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.ACTIVE
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    logged = client_for(volunteer.user).post(
        "/api/v1/hours/",
        {"application": application.pk, "date": yesterday.isoformat(), "hours": "2.5"},
    )
    assert logged.status_code == 201, logged.json()
    future = client_for(volunteer.user).post(
        "/api/v1/hours/",
        {
            "application": application.pk,
            "date": (yesterday + datetime.timedelta(days=5)).isoformat(),
            "hours": "1",
        },
    )
    assert future.status_code == 400 and "date" in future.json()["errors"]
    entry_id = logged.json()["id"]
    validated = client_for(secret=owner_key).post(f"/api/v1/hours/{entry_id}/validate/")
    assert validated.status_code == 200
    assert HoursEntry.objects.get(pk=entry_id).state == HoursEntry.State.VALIDATED
    again = client_for(secret=owner_key).post(f"/api/v1/hours/{entry_id}/validate/")
    assert again.status_code == 409


def test_both_sides_evaluate_a_completed_engagement_once(mission, volunteer, owner):
    application = factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.COMPLETED
    )
    payload = {"application": application.pk, "rating": 5, "objectives": "met"}
    mine = client_for(volunteer.user).post("/api/v1/evaluations/", payload)
    assert mine.status_code == 201 and mine.json()["side"] == "volunteer"
    theirs = client_for(owner).post(
        "/api/v1/evaluations/", {**payload, "autonomy_gained": "Mettre à jour le site"}
    )
    assert theirs.status_code == 201 and theirs.json()["side"] == "association"
    twice = client_for(owner).post("/api/v1/evaluations/", payload)
    assert twice.status_code == 400 and twice.json()["code"] == "already_evaluated"
    assert Evaluation.objects.filter(application=application).count() == 2
