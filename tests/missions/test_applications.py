import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from companies.models import CompanyMember
from companies.services import application_approve, application_refuse
from core.models import ActionLog
from core.states import TransitionNotAllowed
from missions.models import Application, Evaluation, HoursEntry, Mission
from missions.services import (
    application_abandon,
    application_accept,
    application_activate,
    application_complete,
    application_create,
    application_decline,
    application_withdraw,
    evaluation_submit,
    hours_log,
    hours_reject,
    hours_validate,
    mission_start,
)
from tests import factories

pytestmark = pytest.mark.django_db

State = Application.State


def apply(mission, volunteer, **kwargs):
    return application_create(
        mission_id=mission.pk, volunteer=volunteer, actor=volunteer.user, **kwargs
    )


@pytest.fixture
def employee(db):
    """A volunteer whose company requires approval of work-time engagements."""
    membership = factories.CompanyMemberFactory()
    return factories.VolunteerFactory(user=membership.user, employer=membership.company)


@pytest.fixture
def manager(employee):
    return factories.CompanyMemberFactory(
        company=employee.employer, role=CompanyMember.Role.MANAGER
    ).user


def test_a_volunteer_applies_with_a_message(mission, volunteer):
    application = apply(mission, volunteer, message="  Je suis disponible le soir. ")
    assert application.state == State.APPLIED
    assert application.message == "Je suis disponible le soir."
    assert application.approval_state == Application.Approval.NOT_REQUIRED
    log = ActionLog.objects.for_object(application).get()
    assert log.action == "application.create" and log.actor == volunteer.user


def test_a_volunteer_cannot_apply_twice(mission, volunteer):
    apply(mission, volunteer)
    with pytest.raises(ValidationError) as error:
        apply(mission, volunteer)
    assert "déjà candidaté" in error.value.messages[0]
    assert Application.objects.filter(mission=mission).count() == 1


def test_nobody_applies_for_someone_else(mission, volunteer, outsider):
    with pytest.raises(PermissionDenied):
        application_create(mission_id=mission.pk, volunteer=volunteer, actor=outsider)


@pytest.mark.parametrize(
    "changes",
    [
        {"state": Mission.State.DRAFT},
        {"state": Mission.State.COMPLETED},
        {"application_deadline": datetime.date(2020, 1, 1)},
    ],
)
def test_closed_missions_refuse_applications(mission, volunteer, changes):
    Mission.objects.filter(pk=mission.pk).update(**changes)
    with pytest.raises(ValidationError) as error:
        apply(mission, volunteer)
    assert error.value.code == "mission_closed"


def test_applications_to_a_full_mission_are_waitlisted(mission, volunteer):
    factories.ApplicationFactory(mission=mission, state=State.ACCEPTED)
    assert apply(mission, volunteer).state == State.WAITLISTED


def test_accepting_beyond_the_seats_is_refused(mission, owner):
    first = factories.ApplicationFactory(mission=mission)
    second = factories.ApplicationFactory(mission=mission)
    application_accept(application_id=first.pk, actor=owner)
    with pytest.raises(TransitionNotAllowed) as error:
        application_accept(application_id=second.pk, actor=owner)
    assert error.value.code == "no_free_seat"
    second.refresh_from_db()
    assert second.state == State.APPLIED


def test_a_freed_seat_promotes_the_longest_waiting_volunteer(mission, owner, volunteer):
    accepted = factories.ApplicationFactory(mission=mission, state=State.ACCEPTED)
    first_waiting = apply(mission, volunteer)
    second_waiting = apply(mission, factories.VolunteerFactory())
    assert first_waiting.state == second_waiting.state == State.WAITLISTED

    application_withdraw(
        application_id=accepted.pk,
        actor=accepted.volunteer.user,
        reason=Application.WithdrawalReason.NO_LONGER_AVAILABLE,
    )
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.state == State.APPLIED
    assert second_waiting.state == State.WAITLISTED
    application_accept(application_id=first_waiting.pk, actor=owner)


def test_only_the_association_decides(mission, outsider, volunteer):
    application = apply(mission, volunteer)
    for person in (outsider, volunteer.user):
        with pytest.raises(PermissionDenied):
            application_accept(application_id=application.pk, actor=person)
        with pytest.raises(PermissionDenied):
            application_decline(application_id=application.pk, actor=person, reason="other")


def test_a_colleague_declines_with_an_enumerated_reason(mission, colleague, volunteer):
    application = apply(mission, volunteer)
    with pytest.raises(ValidationError):
        application_decline(application_id=application.pk, actor=colleague, reason="bof")
    application_decline(
        application_id=application.pk,
        actor=colleague,
        reason=Application.DeclineReason.AVAILABILITY,
        message="Nous cherchons quelqu'un en journée.",
    )
    application.refresh_from_db()
    assert application.state == State.DECLINED
    assert application.decided_at is not None


def test_only_the_volunteer_withdraws(mission, owner, volunteer):
    application = apply(mission, volunteer)
    with pytest.raises(PermissionDenied):
        application_withdraw(application_id=application.pk, actor=owner, reason="other")


def test_full_engagement_to_evaluation(mission, owner, volunteer):
    application = apply(mission, volunteer)
    application_accept(application_id=application.pk, actor=owner, message="Bienvenue !")
    application_activate(application_id=application.pk, actor=owner)
    entry = hours_log(
        application_id=application.pk,
        actor=volunteer.user,
        date=timezone.localdate(),
        hours=Decimal("3.5"),
        description="Atelier de cadrage",
    )
    hours_validate(entry_id=entry.pk, actor=owner)
    application_complete(application_id=application.pk, actor=owner)
    evaluation_submit(
        application_id=application.pk,
        actor=owner,
        rating=5,
        objectives=Evaluation.Objectives.MET,
        autonomy_gained="Nous mettons à jour le plan de trésorerie seuls.",
        can_continue_alone=True,
    )
    evaluation_submit(
        application_id=application.pk, actor=volunteer.user, rating=4, objectives="partly"
    )
    with pytest.raises(ValidationError):
        evaluation_submit(application_id=application.pk, actor=owner, rating=5, objectives="met")
    entry.refresh_from_db()
    assert entry.state == HoursEntry.State.VALIDATED
    assert set(application.evaluations.values_list("side", flat=True)) == {
        "association",
        "volunteer",
    }
    assert list(
        ActionLog.objects.for_object(application).order_by("pk").values_list("to_state", flat=True)
    ) == ["applied", "accepted", "active", "completed"]


@pytest.mark.parametrize(
    "state, transition",
    [
        (State.DECLINED, application_accept),
        (State.WITHDRAWN, application_accept),
        (State.ACCEPTED, application_accept),
        (State.WAITLISTED, application_accept),
        (State.APPLIED, application_activate),
        (State.APPLIED, application_complete),
        (State.COMPLETED, application_activate),
        (State.ABANDONED, application_complete),
    ],
)
def test_refused_application_transitions(mission, owner, state, transition):
    application = factories.ApplicationFactory(mission=mission, state=state)
    with pytest.raises(TransitionNotAllowed):
        transition(application_id=application.pk, actor=owner)
    application.refresh_from_db()
    assert application.state == state


@pytest.mark.parametrize("state", [State.DECLINED, State.ACTIVE, State.COMPLETED])
def test_finished_or_running_applications_cannot_be_withdrawn(mission, state):
    application = factories.ApplicationFactory(mission=mission, state=state)
    with pytest.raises(TransitionNotAllowed):
        application_withdraw(
            application_id=application.pk, actor=application.volunteer.user, reason="other"
        )


def test_abandoning_frees_the_seat(mission, owner, volunteer):
    active = factories.ApplicationFactory(mission=mission, state=State.ACTIVE)
    waiting = apply(mission, volunteer)
    application_abandon(application_id=active.pk, actor=active.volunteer.user)
    waiting.refresh_from_db()
    assert waiting.state == State.APPLIED


def test_work_time_needs_an_employer(mission, volunteer):
    with pytest.raises(ValidationError) as error:
        apply(mission, volunteer, is_work_time=True)
    assert "employeur" in error.value.message_dict["is_work_time"][0]


def test_work_time_waits_for_the_employer_before_starting(mission, owner, employee, manager):
    application = apply(mission, employee, is_work_time=True)
    assert application.approval_state == Application.Approval.PENDING
    application_accept(application_id=application.pk, actor=owner)
    with pytest.raises(TransitionNotAllowed) as error:
        application_activate(application_id=application.pk, actor=owner)
    assert error.value.code == "approval_pending"
    with pytest.raises(PermissionDenied):
        application_approve(application_id=application.pk, actor=employee.user, planned_hours=20)
    application_approve(application_id=application.pk, actor=manager, planned_hours=20)
    application_activate(application_id=application.pk, actor=owner)
    application.refresh_from_db()
    assert (application.state, application.planned_hours) == (State.ACTIVE, 20)


def test_employer_refusal_withdraws_and_frees_the_seat(
    mission, owner, employee, manager, volunteer
):
    application = apply(mission, employee, is_work_time=True)
    application_accept(application_id=application.pk, actor=owner)
    waiting = apply(mission, volunteer)
    with pytest.raises(ValidationError):
        application_refuse(application_id=application.pk, actor=manager, reason="")
    application_refuse(application_id=application.pk, actor=manager, reason="Période de clôture")
    application.refresh_from_db()
    waiting.refresh_from_db()
    assert application.approval_state == Application.Approval.REFUSED
    assert application.state == State.WITHDRAWN
    assert application.withdrawal_reason == Application.WithdrawalReason.APPROVAL_REFUSED
    assert waiting.state == State.APPLIED
    with pytest.raises(TransitionNotAllowed):
        application_approve(application_id=application.pk, actor=manager, planned_hours=5)


def test_companies_without_approval_clear_work_time_at_once(mission):
    membership = factories.CompanyMemberFactory(company__work_time_requires_approval=False)
    employee = factories.VolunteerFactory(user=membership.user, employer=membership.company)
    application = apply(mission, employee, is_work_time=True)
    assert application.approval_state == Application.Approval.APPROVED


def test_hours_are_logged_only_by_the_volunteer_on_a_running_engagement(mission, owner):
    application = factories.ApplicationFactory(mission=mission, state=State.ACCEPTED)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        hours_log(
            application_id=application.pk, actor=application.volunteer.user, date=today, hours=2
        )
    Application.objects.filter(pk=application.pk).update(state=State.ACTIVE)
    with pytest.raises(PermissionDenied):
        hours_log(application_id=application.pk, actor=owner, date=today, hours=2)
    with pytest.raises(ValidationError) as error:
        hours_log(
            application_id=application.pk,
            actor=application.volunteer.user,
            date=today + datetime.timedelta(days=2),
            hours=2,
        )
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        hours_log(
            application_id=application.pk, actor=application.volunteer.user, date=today, hours=30
        )
    assert "hours" in error.value.message_dict


def test_hours_fall_within_the_engagement(mission, owner):
    today = timezone.localdate()
    mission.start_date = today - datetime.timedelta(days=20)
    mission.save(update_fields=["start_date"])
    application = factories.ApplicationFactory(
        mission=mission,
        state=State.ACTIVE,
        decided_at=timezone.now() - datetime.timedelta(days=10),
    )
    user = application.volunteer.user
    for day in (datetime.date(1900, 1, 1), today - datetime.timedelta(days=11)):
        with pytest.raises(ValidationError) as error:
            hours_log(application_id=application.pk, actor=user, date=day, hours=2)
        assert "date" in error.value.message_dict
    hours_log(
        application_id=application.pk, actor=user, date=today - datetime.timedelta(days=10), hours=2
    )

    # Before the mission's start, even when accepted earlier.
    Mission.objects.filter(pk=mission.pk).update(start_date=today - datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        hours_log(
            application_id=application.pk,
            actor=user,
            date=today - datetime.timedelta(days=4),
            hours=2,
        )
    assert "date" in error.value.message_dict
    assert HoursEntry.objects.filter(application=application).count() == 1


def test_a_day_holds_at_most_24_hours_across_engagements(mission, owner):
    today = timezone.localdate()
    first = factories.ApplicationFactory(mission=mission, state=State.ACTIVE)
    volunteer = first.volunteer
    other = factories.ApplicationFactory(
        mission=factories.MissionFactory(state=Mission.State.IN_PROGRESS),
        volunteer=volunteer,
        state=State.ACTIVE,
    )
    user = volunteer.user
    hours_log(application_id=first.pk, actor=user, date=today, hours=Decimal("20"))
    rejected = hours_log(application_id=other.pk, actor=user, date=today, hours=Decimal("4"))
    with pytest.raises(ValidationError) as error:
        hours_log(application_id=other.pk, actor=user, date=today, hours=Decimal("0.5"))
    assert "24 h" in error.value.message_dict["hours"][0]
    # Refused hours give their time back.
    other_owner = factories.AssociationMemberFactory(association=other.mission.association).user
    hours_reject(entry_id=rejected.pk, actor=other_owner, reason="Doublon")
    hours_log(application_id=other.pk, actor=user, date=today, hours=Decimal("4"))
    # Another person's hours do not count.
    stranger = factories.ApplicationFactory(mission=mission, state=State.ACTIVE)
    hours_log(application_id=stranger.pk, actor=stranger.volunteer.user, date=today, hours=8)


def test_starting_a_mission_early_moves_its_start_to_today(mission, owner):
    today = timezone.localdate()
    Mission.objects.filter(pk=mission.pk).update(start_date=today + datetime.timedelta(days=30))
    application = factories.ApplicationFactory(
        mission=mission, state=State.ACCEPTED, decided_at=timezone.now()
    )
    mission_start(mission_id=mission.pk, actor=owner)
    mission.refresh_from_db()
    assert mission.start_date == today
    hours_log(application_id=application.pk, actor=application.volunteer.user, date=today, hours=3)


def test_rejected_hours_carry_a_reason_and_cannot_be_validated_after(mission, owner):
    application = factories.ApplicationFactory(mission=mission, state=State.ACTIVE)
    entry = hours_log(
        application_id=application.pk,
        actor=application.volunteer.user,
        date=timezone.localdate(),
        hours=2,
    )
    with pytest.raises(ValidationError):
        hours_reject(entry_id=entry.pk, actor=owner, reason=" ")
    hours_reject(entry_id=entry.pk, actor=owner, reason="Séance annulée")
    with pytest.raises(TransitionNotAllowed):
        hours_validate(entry_id=entry.pk, actor=owner)


def test_evaluation_opens_only_once_completed(mission, owner):
    application = factories.ApplicationFactory(mission=mission, state=State.ACTIVE)
    with pytest.raises(ValidationError) as error:
        evaluation_submit(application_id=application.pk, actor=owner, rating=4, objectives="met")
    assert error.value.code == "not_completed"


# --- Where an application comes from ----------------------------------------------------


def test_applying_to_a_suggested_mission_keeps_the_suggestions_factors(db, mission, volunteer):
    from matching.selectors import volunteer_suggestions
    from tests.suggestions import store_list

    store_list(volunteer=volunteer, others=[factories.MissionFactory(), mission])
    (_other, shown) = volunteer_suggestions(volunteer)
    application = apply(mission, volunteer)
    assert application.origin == Application.Origin.SUGGESTED
    assert application.suggestion_factors == shown.factors
    assert set(application.suggestion_factors) >= {"skills", "place", "time"}


def test_a_volunteer_suggested_to_the_association_applies_from_a_suggestion_too(
    db, mission, volunteer
):
    from tests.suggestions import store_list

    store_list(mission=mission, others=[volunteer])
    assert apply(mission, volunteer).origin == Application.Origin.SUGGESTED


def test_applying_after_an_invitation_says_so(db, mission, volunteer):
    from missions.models import Invitation
    from tests.suggestions import store_list

    store_list(mission=mission, others=[volunteer])
    Invitation.objects.create(mission=mission, volunteer=volunteer)
    application = apply(mission, volunteer)
    assert application.origin == Application.Origin.INVITED
    assert application.suggestion_factors  # it was suggested before being invited


def test_a_spontaneous_application_has_no_suggestion_factors(db, mission, volunteer):
    from tests.suggestions import store_list

    store_list(volunteer=volunteer, others=[factories.MissionFactory()])
    application = apply(mission, volunteer)
    assert (application.origin, application.suggestion_factors) == ("applied", {})
