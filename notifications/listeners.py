"""Who is told of which transition, heard from the audit log (``core.events``).

Each listener runs after the transition's transaction commits, maybe more than once
(task retries): the key ``log:<entry>:<kind>`` makes each entry notify each person
once. The actor is never told of their own action (``notify``)."""

from associations.models import Association
from core.events import on_action
from core.models import ActionLog
from missions.models import Application, HoursEntry, Invitation, Mission, Testimonial

from .models import Notification
from .services import association_members, link, notify

Kind = Notification.Kind


def display_name(user) -> str:
    return user.full_name


def _key(entry: ActionLog, kind: str) -> str:
    return f"log:{entry.pk}:{kind}"


def _application(entry: ActionLog):
    return (
        Application.objects.select_related(
            "mission__association", "volunteer__user", "volunteer__employer"
        )
        .filter(pk=entry.object_id)
        .first()
    )


def _application_context(application) -> dict:
    return {
        "mission": application.mission.title,
        "association": application.mission.association.name,
        "volunteer": display_name(application.volunteer.user),
    }


def _pipeline_url(application) -> str:
    return link("asso:mission_pipeline", application.mission_id) or link(
        "notifications:thread", application.pk
    )


def _engagements_url(application) -> str:
    return link("volunteers:engagements") or link("notifications:thread", application.pk)


def _tell_members(entry, association_id, kind, *, target, url, context, email=True) -> None:
    for user in association_members(association_id):
        notify(
            user,
            kind,
            target=target,
            actor=entry.actor,
            url=url,
            context=context,
            key=_key(entry, kind),
            email=email,
        )


def _tell_volunteer(entry, application, kind, *, url, context) -> None:
    notify(
        application.volunteer.user,
        kind,
        target=application,
        actor=entry.actor,
        url=url,
        context=context,
        key=_key(entry, kind),
    )


@on_action("application.create")
def application_created(entry: ActionLog) -> None:
    application = _application(entry)
    if application is None:
        return
    context = _application_context(application)
    _tell_members(
        entry,
        application.mission.association_id,
        Kind.APPLICATION_RECEIVED,
        target=application,
        url=_pipeline_url(application),
        context={
            **context,
            "message": application.message,
            "waitlisted": entry.to_state == Application.State.WAITLISTED,
        },
    )
    # The employer's approvers are asked by the companies app, which approves some
    # work-time applications automatically first (``companies/listeners.py``).


@on_action("application.accept", "application.decline", "application.promote")
def application_decided(entry: ActionLog) -> None:
    application = _application(entry)
    if application is None:
        return
    context = _application_context(application)
    kind = {
        "application.accept": Kind.APPLICATION_ACCEPTED,
        "application.decline": Kind.APPLICATION_DECLINED,
        "application.promote": Kind.WAITLIST_PROMOTED,
    }[entry.action]
    if kind != Kind.WAITLIST_PROMOTED:
        context["message"] = application.state_message
    if kind == Kind.APPLICATION_DECLINED:
        context["reason"] = entry.data.get("reason") or application.decline_reason
    _tell_volunteer(entry, application, kind, url=_engagements_url(application), context=context)


@on_action("application.approve", "application.refuse")
def approval_decided(entry: ActionLog) -> None:
    application = _application(entry)
    if application is None:
        return
    context = {
        **_application_context(application),
        "decision": entry.action.rsplit(".", 1)[-1],
        "hours": entry.data.get("planned_hours", ""),
        "reason": entry.data.get("reason", ""),
    }
    _tell_volunteer(
        entry,
        application,
        Kind.APPROVAL_DECIDED,
        url=_engagements_url(application),
        context={**context, "audience": "volunteer"},
    )
    _tell_members(
        entry,
        application.mission.association_id,
        Kind.APPROVAL_DECIDED,
        target=application,
        url=_pipeline_url(application),
        context={**context, "audience": "association"},
    )


@on_action("application.complete")
def engagement_completed(entry: ActionLog) -> None:
    application = _application(entry)
    if application is None:
        return
    context = _application_context(application)
    _tell_volunteer(
        entry,
        application,
        Kind.EVALUATION_DUE,
        url=_engagements_url(application),
        context={**context, "audience": "volunteer"},
    )
    _tell_members(
        entry,
        application.mission.association_id,
        Kind.EVALUATION_DUE,
        target=application,
        url=_pipeline_url(application),
        context={**context, "audience": "association"},
    )


def _hours_entry(entry: ActionLog):
    return (
        HoursEntry.objects.select_related(
            "application__mission__association", "application__volunteer__user"
        )
        .filter(pk=entry.object_id)
        .first()
    )


@on_action("hoursentry.create")
def hours_logged(entry: ActionLog) -> None:
    hours = _hours_entry(entry)
    if hours is None:
        return
    application = hours.application
    _tell_members(
        entry,
        application.mission.association_id,
        Kind.HOURS_TO_VALIDATE,
        target=hours,
        url=_pipeline_url(application),
        context={
            **_application_context(application),
            "hours": str(hours.hours),
            "date": hours.date.isoformat(),
            "message": hours.description,
        },
    )


@on_action("hoursentry.validate", "hoursentry.reject")
def hours_decided(entry: ActionLog) -> None:
    hours = _hours_entry(entry)
    if hours is None:
        return
    application = hours.application
    notify(
        application.volunteer.user,
        Kind.HOURS_DECIDED,
        target=hours,
        actor=entry.actor,
        url=_engagements_url(application),
        context={
            **_application_context(application),
            "decision": entry.action.rsplit(".", 1)[-1],
            "hours": str(hours.hours),
            "date": hours.date.isoformat(),
            "reason": entry.data.get("reason", ""),
        },
        key=_key(entry, Kind.HOURS_DECIDED),
    )


@on_action(
    "association.verify", "association.reject", "association.suspend", "association.reinstate"
)
def association_decided(entry: ActionLog) -> None:
    association = Association.objects.filter(pk=entry.object_id).first()
    if association is None:
        return
    # In the app only: associations.tasks already e-mails this decision to the admins.
    _tell_members(
        entry,
        association.pk,
        Kind.ASSOCIATION_DECIDED,
        target=association,
        url=link("asso:dashboard") or link("associations:detail", association.slug),
        context={
            "association": association.name,
            "decision": entry.action.rsplit(".", 1)[-1],
            "reason": entry.data.get("reason", ""),
        },
        email=False,
    )


@on_action("mission.publish", "mission.request_changes")
def mission_decided(entry: ActionLog) -> None:
    mission = Mission.objects.select_related("association").filter(pk=entry.object_id).first()
    if mission is None:
        return
    decision = entry.action.rsplit(".", 1)[-1]
    _tell_members(
        entry,
        mission.association_id,
        Kind.MISSION_DECIDED,
        target=mission,
        url=(
            link("missions:detail", mission.pk)
            if decision == "publish"
            else (link("asso:mission_edit", mission.pk) or link("asso:dashboard"))
        ),
        context={
            "mission": mission.title,
            "association": mission.association.name,
            "decision": decision,
            "reason": entry.data.get("reason", ""),
        },
    )


@on_action("invitation.create")
def invitation_created(entry: ActionLog) -> None:
    invitation = (
        Invitation.objects.select_related("mission__association", "volunteer__user")
        .filter(pk=entry.object_id)
        .first()
    )
    if invitation is None:
        return
    mission = invitation.mission
    notify(
        invitation.volunteer.user,
        Kind.INVITATION_RECEIVED,
        target=mission,
        actor=entry.actor,
        url=mission.get_absolute_url(),
        context={
            "mission": mission.title,
            "association": mission.association.name,
            "message": invitation.message,
        },
        key=_key(entry, Kind.INVITATION_RECEIVED),
    )


@on_action("testimonial.create")
def testimonial_created(entry: ActionLog) -> None:
    testimonial = (
        Testimonial.objects.select_related("application__mission__association")
        .filter(pk=entry.object_id)
        .first()
    )
    if testimonial is None:
        return
    mission = testimonial.application.mission
    _tell_members(
        entry,
        mission.association_id,
        Kind.TESTIMONIAL_RECEIVED,
        target=testimonial,
        url=link("asso:mission_pipeline", mission.pk),
        context={"mission": mission.title, "association": mission.association.name},
    )
