import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from associations.services import association_suspend, association_verify
from companies.models import CompanyMember
from companies.services import application_approve, application_refuse
from core.models import ActionLog
from core.tasks import dispatch_action
from missions.models import Application, Mission
from missions.services import (
    application_accept,
    application_create,
    application_decline,
    application_withdraw,
    hours_log,
    hours_reject,
    hours_validate,
    mission_complete,
    mission_publish,
    mission_request_changes,
)
from notifications.models import Notification
from notifications.wording import word
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def told(kind) -> dict:
    """Who was told of ``kind``: recipient → their notifications' contexts."""
    result = {}
    for notification in Notification.objects.filter(kind=kind).select_related("recipient"):
        result.setdefault(notification.recipient, []).append(notification.context)
    return result


def text_of(notification: Notification) -> str:
    return word(notification.kind, notification.context).text


def test_a_new_application_tells_every_member_of_the_association_once(
    mission, volunteer, owner, colleague, outsider, run_on_commit
):
    application = run_on_commit(
        application_create,
        mission_id=mission.pk,
        volunteer=volunteer,
        actor=volunteer.user,
        message="Disponible le mardi soir.",
    )
    assert set(told(Kind.APPLICATION_RECEIVED)) == {owner, colleague}
    notification = Notification.objects.filter(recipient=owner).get()
    assert notification.target == application
    assert notification.context["message"] == "Disponible le mardi soir."
    assert mission.title in text_of(notification)
    assert {m.to[0] for m in mail.outbox} == {owner.email, colleague.email}

    # The listener task may run again (retry): nobody is told twice.
    entry = ActionLog.objects.get(action="application.create")
    dispatch_action(entry.pk)
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_waitlisted_application_says_so(mission, owner, run_on_commit):
    factories.ApplicationFactory(mission=mission, state=Application.State.ACCEPTED)
    late = factories.VolunteerFactory()
    run_on_commit(application_create, mission_id=mission.pk, volunteer=late, actor=late.user)
    notification = Notification.objects.get(recipient=owner)
    assert "liste d'attente" in text_of(notification)


def test_a_work_time_application_asks_the_employers_approvers(
    mission, employee, owner, run_on_commit
):
    programme_admin = factories.CompanyMemberFactory(
        company=employee.employer, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user
    factories.CompanyMemberFactory(company=employee.employer)  # a colleague: not asked
    run_on_commit(
        application_create,
        mission_id=mission.pk,
        volunteer=employee,
        actor=employee.user,
        is_work_time=True,
    )
    assert set(told(Kind.APPROVAL_NEEDED)) == {programme_admin}
    assert set(told(Kind.APPLICATION_RECEIVED)) == {owner}
    [context] = told(Kind.APPROVAL_NEEDED)[programme_admin]
    assert context["company"] == employee.employer.name


def test_a_personal_time_application_asks_no_approval(mission, employee, manager, run_on_commit):
    run_on_commit(
        application_create, mission_id=mission.pk, volunteer=employee, actor=employee.user
    )
    assert told(Kind.APPROVAL_NEEDED) == {}


def test_an_accepted_volunteer_is_told_with_the_associations_message(
    application, owner, colleague, run_on_commit
):
    run_on_commit(
        application_accept,
        application_id=application.pk,
        actor=owner,
        message="Bienvenue ! Premier point jeudi.",
    )
    assert set(told(Kind.APPLICATION_ACCEPTED)) == {application.volunteer.user}
    notification = Notification.objects.get(kind=Kind.APPLICATION_ACCEPTED)
    assert notification.actor == owner
    assert word(notification.kind, notification.context).quote == "Bienvenue ! Premier point jeudi."
    assert mail.outbox[0].to == [application.volunteer.user.email]
    assert "Premier point jeudi" in mail.outbox[0].body


def test_a_declined_volunteer_is_told_why(application, owner, run_on_commit):
    run_on_commit(
        application_decline,
        application_id=application.pk,
        actor=owner,
        reason=Application.DeclineReason.AVAILABILITY,
        message="Merci pour votre proposition.",
    )
    notification = Notification.objects.get(kind=Kind.APPLICATION_DECLINED)
    assert notification.recipient == application.volunteer.user
    assert "Disponibilités incompatibles" in text_of(notification)
    assert notification.context["message"] == "Merci pour votre proposition."


def test_a_volunteer_promoted_from_the_waiting_list_is_told(mission, owner, run_on_commit):
    holder = factories.ApplicationFactory(mission=mission, state=Application.State.ACCEPTED)
    waiting = factories.ApplicationFactory(mission=mission, state=Application.State.WAITLISTED)
    run_on_commit(
        application_withdraw,
        application_id=holder.pk,
        actor=holder.volunteer.user,
        reason=Application.WithdrawalReason.NO_LONGER_AVAILABLE,
    )
    assert set(told(Kind.WAITLIST_PROMOTED)) == {waiting.volunteer.user}


def test_the_employers_approval_is_told_to_the_volunteer_and_the_association(
    mission, employee, manager, owner, run_on_commit
):
    application = factories.ApplicationFactory(
        mission=mission,
        volunteer=employee,
        is_work_time=True,
        approval_state=Application.Approval.PENDING,
    )
    run_on_commit(
        application_approve, application_id=application.pk, actor=manager, planned_hours=20
    )
    decided = told(Kind.APPROVAL_DECIDED)
    assert set(decided) == {employee.user, owner}
    assert decided[employee.user][0]["audience"] == "volunteer"
    assert decided[owner][0]["audience"] == "association"
    volunteer_note = Notification.objects.get(recipient=employee.user)
    assert "20 heures" in text_of(volunteer_note)


def test_the_employers_refusal_is_told_with_its_reason(
    mission, employee, manager, owner, run_on_commit
):
    application = factories.ApplicationFactory(
        mission=mission,
        volunteer=employee,
        is_work_time=True,
        approval_state=Application.Approval.PENDING,
    )
    run_on_commit(
        application_refuse,
        application_id=application.pk,
        actor=manager,
        reason="Période de clôture comptable.",
    )
    assert set(told(Kind.APPROVAL_DECIDED)) == {employee.user, owner}
    notification = Notification.objects.get(recipient=owner)
    wording = word(notification.kind, notification.context)
    assert "n'a pas validé" in wording.text
    assert wording.quote == "Période de clôture comptable."
    assert manager not in told(Kind.APPROVAL_DECIDED)


@pytest.fixture
def active(mission, volunteer):
    return factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.ACTIVE
    )


def test_logged_hours_are_put_before_the_association(active, owner, colleague, run_on_commit):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    run_on_commit(
        hours_log,
        application_id=active.pk,
        actor=active.volunteer.user,
        date=yesterday,
        hours=Decimal("2.5"),
        description="Atelier de cadrage",
    )
    assert set(told(Kind.HOURS_TO_VALIDATE)) == {owner, colleague}
    notification = Notification.objects.filter(recipient=owner).get()
    assert "2,5 h" in text_of(notification)


def test_validated_and_rejected_hours_are_told_to_the_volunteer(
    active, owner, colleague, run_on_commit
):
    day = timezone.localdate() - datetime.timedelta(days=2)
    first = hours_log(
        application_id=active.pk, actor=active.volunteer.user, date=day, hours=Decimal("3")
    )
    second = hours_log(
        application_id=active.pk, actor=active.volunteer.user, date=day, hours=Decimal("8")
    )
    Notification.objects.all().delete()
    run_on_commit(hours_validate, entry_id=first.pk, actor=owner)
    run_on_commit(hours_reject, entry_id=second.pk, actor=owner, reason="Deux fois la même journée")
    decided = Notification.objects.filter(kind=Kind.HOURS_DECIDED).order_by("pk")
    assert [n.recipient for n in decided] == [active.volunteer.user] * 2
    assert "a validé les 3 h" in text_of(decided[0])
    assert "a refusé les 8 h" in text_of(decided[1])
    assert word(decided[1].kind, decided[1].context).quote == "Deux fois la même journée"


def test_a_completed_mission_asks_both_sides_to_evaluate(
    mission, active, owner, colleague, run_on_commit
):
    Mission.objects.filter(pk=mission.pk).update(state=Mission.State.IN_PROGRESS)
    run_on_commit(mission_complete, mission_id=mission.pk, actor=owner)
    due = told(Kind.EVALUATION_DUE)
    # The member who completed the mission is not told of their own action.
    assert set(due) == {active.volunteer.user, colleague}
    assert due[colleague][0]["audience"] == "association"


def test_an_association_decision_is_told_in_the_app_only(owner, colleague, staff, run_on_commit):
    pending = factories.AssociationFactory(verification_state="pending")
    admin = factories.AssociationMemberFactory(association=pending).user
    member = factories.AssociationMemberFactory(association=pending, role="member").user
    run_on_commit(association_verify, association_id=pending.pk, actor=staff)
    assert set(told(Kind.ASSOCIATION_DECIDED)) == {admin, member}
    assert not Notification.objects.filter(email_wanted=True).exists()
    # Only the association's own decision e-mail, to its admin.
    assert [m.to for m in mail.outbox] == [[admin.email]]

    run_on_commit(association_suspend, association_id=pending.pk, actor=staff, reason="Plainte")
    notification = Notification.objects.filter(recipient=member).order_by("-pk").first()
    assert "suspendu" in text_of(notification)
    assert len(mail.outbox) == 2


def test_publishing_a_mission_tells_its_association(association, owner, staff, run_on_commit):
    submitted = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    run_on_commit(mission_publish, mission_id=submitted.pk, actor=staff)
    notification = Notification.objects.get(kind=Kind.MISSION_DECIDED)
    assert notification.recipient == owner
    assert "a publié la mission" in text_of(notification)
    assert notification.url == f"/missions/{submitted.pk}/"


def test_changes_requested_on_a_mission_are_told_with_the_reason(
    association, owner, staff, run_on_commit
):
    submitted = factories.MissionFactory(association=association, state=Mission.State.SUBMITTED)
    run_on_commit(
        mission_request_changes,
        mission_id=submitted.pk,
        actor=staff,
        reason="Découpez la mission en deux.",
    )
    notification = Notification.objects.get(kind=Kind.MISSION_DECIDED)
    assert notification.recipient == owner
    assert word(notification.kind, notification.context).quote == "Découpez la mission en deux."
