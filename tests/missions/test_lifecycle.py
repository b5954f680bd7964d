import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from associations.models import Association
from companies.models import CompanyMember
from companies.services import application_approve
from core.models import ActionLog
from core.states import TransitionNotAllowed
from missions.models import Application, Mission, MissionSkill
from missions.services import (
    application_accept,
    mission_cancel,
    mission_complete,
    mission_create,
    mission_expire_overdue,
    mission_publish,
    mission_request_changes,
    mission_start,
    mission_submit,
)
from taxonomy.models import Cause, Skill
from tests import factories

pytestmark = pytest.mark.django_db


def draft_for(association, actor, **fields):
    skills = list(Skill.objects.order_by("pk")[:2])
    return mission_create(
        association=association,
        actor=actor,
        title="Plan de trésorerie sur 18 mois",
        summary="Construire un plan de trésorerie pour anticiper les retards de subventions.",
        cause=Cause.objects.first(),
        skills=[(skills[0], 3, MissionSkill.Importance.REQUIRED), (skills[1], 2, "nice_to_have")],
        **fields,
    )


def test_a_member_drafts_a_mission_located_from_its_city(association, colleague):
    mission = draft_for(
        association, colleague, location_mode="on_site", city="Lyon", postcode="69002"
    )
    assert mission.state == Mission.State.DRAFT
    assert mission.departement.code == "69"
    assert mission.skills.count() == 2


def test_an_on_site_mission_needs_a_place(association, owner):
    with pytest.raises(ValidationError) as error:
        draft_for(association, owner, location_mode="on_site")
    assert "city" in error.value.message_dict


def test_a_mission_cannot_end_before_it_starts(association, owner):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        draft_for(association, owner, start_date=today, end_date=today - datetime.timedelta(days=1))
    assert "précède" in error.value.message_dict["end_date"][0]


def test_outsiders_cannot_draft_for_an_association(association, outsider):
    with pytest.raises(PermissionDenied):
        draft_for(association, outsider)


def test_an_unverified_association_drafts_but_cannot_submit(association, owner):
    association.verification_state = Association.State.PENDING
    association.save()
    mission = draft_for(association, owner)
    with pytest.raises(ValidationError) as error:
        mission_submit(mission_id=mission.pk, actor=owner)
    assert "vérifiée" in error.value.messages[0]
    mission.refresh_from_db()
    assert mission.state == Mission.State.DRAFT


def test_submission_needs_a_required_skill(association, owner):
    mission = draft_for(association, owner)
    mission.skills.filter(importance=MissionSkill.Importance.REQUIRED).delete()
    with pytest.raises(ValidationError):
        mission_submit(mission_id=mission.pk, actor=owner)


def test_moderation_cycle_from_draft_to_completion(association, owner, staff, volunteer):
    mission = draft_for(association, owner)
    mission_submit(mission_id=mission.pk, actor=owner)
    mission_request_changes(mission_id=mission.pk, actor=staff, reason="Précisez le livrable.")
    mission.refresh_from_db()
    assert (mission.state, mission.state_reason) == (Mission.State.DRAFT, "Précisez le livrable.")
    mission_submit(mission_id=mission.pk, actor=owner)
    mission_publish(mission_id=mission.pk, actor=staff)
    mission.refresh_from_db()
    assert mission.state == Mission.State.PUBLISHED and mission.published_at is not None
    accepted = factories.ApplicationFactory(mission=mission, state=Application.State.ACCEPTED)
    mission_start(mission_id=mission.pk, actor=owner)
    accepted.refresh_from_db()
    assert accepted.state == Application.State.ACTIVE
    mission_complete(mission_id=mission.pk, actor=owner)
    accepted.refresh_from_db()
    assert accepted.state == Application.State.COMPLETED
    assert list(
        ActionLog.objects.for_object(mission).order_by("pk").values_list("to_state", flat=True)
    ) == ["submitted", "draft", "submitted", "published", "in_progress", "completed"]


def test_members_cannot_publish_their_own_mission(association, owner):
    mission = draft_for(association, owner)
    mission_submit(mission_id=mission.pk, actor=owner)
    with pytest.raises(PermissionDenied):
        mission_publish(mission_id=mission.pk, actor=owner)


def test_staff_cannot_publish_for_a_suspended_association(association, owner, staff):
    mission = draft_for(association, owner)
    mission_submit(mission_id=mission.pk, actor=owner)
    association.verification_state = Association.State.SUSPENDED
    association.save()
    with pytest.raises(ValidationError):
        mission_publish(mission_id=mission.pk, actor=staff)


@pytest.mark.parametrize(
    "state, service",
    [
        (Mission.State.DRAFT, mission_publish),
        (Mission.State.PUBLISHED, mission_publish),
        (Mission.State.DRAFT, mission_start),
        (Mission.State.PUBLISHED, mission_complete),
        (Mission.State.COMPLETED, mission_start),
        (Mission.State.CANCELLED, mission_start),
        (Mission.State.EXPIRED, mission_publish),
    ],
)
def test_refused_mission_transitions(association, staff, state, service):
    mission = factories.MissionFactory(association=association, state=state)
    with pytest.raises(TransitionNotAllowed):
        service(mission_id=mission.pk, actor=staff)
    mission.refresh_from_db()
    assert mission.state == state


@pytest.mark.parametrize("state", [Mission.State.COMPLETED, Mission.State.CANCELLED])
def test_finished_missions_cannot_be_cancelled(association, owner, state):
    mission = factories.MissionFactory(association=association, state=state)
    with pytest.raises(TransitionNotAllowed):
        mission_cancel(mission_id=mission.pk, actor=owner, reason="Plus besoin")


def test_cancelling_closes_every_open_engagement(mission, owner):
    applied = factories.ApplicationFactory(mission=mission)
    accepted = factories.ApplicationFactory(mission=mission, state=Application.State.ACCEPTED)
    with pytest.raises(ValidationError):
        mission_cancel(mission_id=mission.pk, actor=owner, reason="")
    mission_cancel(mission_id=mission.pk, actor=owner, reason="Le projet est abandonné.")
    applied.refresh_from_db()
    accepted.refresh_from_db()
    assert applied.state == Application.State.DECLINED
    assert applied.decline_reason == Application.DeclineReason.MISSION_CHANGED
    assert accepted.state == Application.State.ABANDONED
    assert accepted.state_message == "Le projet est abandonné."


def test_overdue_missions_without_volunteers_expire_once(association):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    overdue = factories.MissionFactory(association=association, application_deadline=yesterday)
    waiting = factories.ApplicationFactory(mission=overdue)
    staffed = factories.MissionFactory(association=association, application_deadline=yesterday)
    factories.ApplicationFactory(mission=staffed, state=Application.State.ACCEPTED)
    still_open = factories.MissionFactory(association=association)

    assert mission_expire_overdue() == 1
    assert mission_expire_overdue() == 0
    overdue.refresh_from_db()
    staffed.refresh_from_db()
    still_open.refresh_from_db()
    waiting.refresh_from_db()
    assert overdue.state == Mission.State.EXPIRED
    assert staffed.state == still_open.state == Mission.State.PUBLISHED
    assert waiting.state == Application.State.DECLINED
    log = ActionLog.objects.for_object(overdue).get()
    assert log.actor is None and log.action == "mission.expire"


def test_expiry_task_runs_in_process_by_default(association):
    from missions.tasks import expire_overdue_missions

    factories.MissionFactory(
        association=association,
        application_deadline=timezone.localdate() - datetime.timedelta(days=3),
    )
    assert expire_overdue_missions.delay().get() == 1


def test_a_volunteer_accepted_after_the_start_joins_the_mission_at_once(mission, owner):
    mission.state = Mission.State.IN_PROGRESS
    mission.seats = 2
    mission.save()
    late = factories.ApplicationFactory(mission=mission)
    application_accept(application_id=late.pk, actor=owner)
    late.refresh_from_db()
    assert late.state == Application.State.ACTIVE


def test_accepting_before_the_start_waits_for_the_start(mission, owner):
    early = factories.ApplicationFactory(mission=mission)
    application_accept(application_id=early.pk, actor=owner)
    early.refresh_from_db()
    assert early.state == Application.State.ACCEPTED


def test_an_employee_approved_after_the_start_joins_the_mission(mission, owner):
    company = factories.CompanyFactory()
    approver = factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user
    employee = factories.VolunteerFactory(employer=company)
    factories.CompanyMemberFactory(company=company, user=employee.user)
    waiting = factories.ApplicationFactory(
        mission=mission,
        volunteer=employee,
        is_work_time=True,
        approval_state=Application.Approval.PENDING,
        state=Application.State.ACCEPTED,
    )
    mission_start(mission_id=mission.pk, actor=owner)
    waiting.refresh_from_db()
    assert waiting.state == Application.State.ACCEPTED  # still waiting for the employer
    application_approve(application_id=waiting.pk, actor=approver, planned_hours=10)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.approval_state) == (
        Application.State.ACTIVE,
        Application.Approval.APPROVED,
    )
