"""Workflows on missions and engagements.

Every state change goes through one of these functions: each checks that the actor
may do it, locks the rows it changes (mission first, then application, always in
that order), applies the transition through the model's state machine, which
refuses what the table does not allow and writes the audit log, and commits
atomically. Seats are counted under the mission's row lock, so concurrent accepts
cannot overbook a mission.
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.models import log_action
from core.permissions import Actor, require, require_staff_for
from core.states import TransitionNotAllowed
from taxonomy.services import place_fields
from volunteers.models import Favourite, VolunteerProfile

from . import access, suggestions
from .models import Application, Evaluation, HoursEntry, Invitation, Mission, MissionSkill

if TYPE_CHECKING:
    from accounts.models import User
    from associations.models import Association
    from taxonomy.models import Skill

# All of a person's engagements together, in one day.
DAY_HOURS = Decimal(24)


def _require_member_or_staff(actor: "Actor", mission: Mission) -> None:
    require(
        access.can_manage(actor, mission),
        _("Seuls les membres de l'association peuvent gérer cette mission."),
    )


def _locked_mission(mission_id: int) -> Mission:
    return (
        Mission.objects.select_for_update(of=("self",))
        .select_related("association")
        .get(pk=mission_id)
    )


def application_locked(application_id: int) -> tuple[Mission, Application]:
    """The application and its mission, both locked for update, mission first.

    Every transition of an application takes its locks through this function; other
    apps' workflows on applications (an employer's approval) use it too, so that they
    hold the same locks in the same order and cannot deadlock with these ones.
    """
    mission_id = Application.objects.values_list("mission_id", flat=True).get(pk=application_id)
    mission = _locked_mission(mission_id)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("volunteer__user", "volunteer__employer")
        .get(pk=application_id)
    )
    return mission, application


# --- Missions -------------------------------------------------------------------------


@transaction.atomic
def mission_create(
    *,
    association: "Association",
    actor: "Actor",
    skills: list[tuple["Skill", int, str]],
    city: str = "",
    postcode: str = "",
    **fields: Any,
) -> Mission:
    """Draft a mission; ``skills`` lists ``(skill, min_level, importance)``."""
    require(
        association.has_member(actor)
        # Views and the API let only signed-in people get here.
        or cast("User", actor).can_moderate_departement(association.departement_id),
        _("Seuls les membres de l'association peuvent créer ses missions."),
    )
    mission = Mission(
        association=association,
        created_by=cast("User", actor),
        **place_fields(city=city, postcode=postcode),
        **fields,
    )
    mission.full_clean()
    mission.save()
    seen = set()
    for skill, min_level, importance in skills:
        if skill.pk in seen:
            raise ValidationError(
                {
                    "skills": _("La compétence « %(skill)s » est demandée deux fois.")
                    % {"skill": skill}
                }
            )
        seen.add(skill.pk)
        MissionSkill.objects.create(
            mission=mission, skill=skill, min_level=min_level, importance=importance
        )
    return mission


@transaction.atomic
def mission_submit(*, mission_id: int, actor: "Actor") -> Mission:
    mission = _locked_mission(mission_id)
    require(
        access.is_member(actor, mission),
        _("Seuls les membres de l'association peuvent la soumettre."),
    )
    if not mission.association.is_verified:
        raise ValidationError(
            _(
                "Votre association doit être vérifiée par l'équipe avant de soumettre une "
                "mission. Vous pouvez continuer à préparer vos brouillons."
            ),
            code="association_not_verified",
        )
    if not mission.skills.filter(importance=MissionSkill.Importance.REQUIRED).exists():
        raise ValidationError(
            {"skills": _("Indiquez au moins une compétence indispensable.")},
            code="no_required_skill",
        )
    mission.full_clean()
    return Mission.states.apply(mission, "submit", actor=actor)


@transaction.atomic
def mission_request_changes(*, mission_id: int, actor: "Actor", reason: str) -> Mission:
    mission = _locked_mission(mission_id)
    require_staff_for(actor, mission.departement_id or mission.association.departement_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Expliquez à l'association ce qu'il faut modifier.")})
    mission.state_reason = reason
    return Mission.states.apply(
        mission,
        "request_changes",
        actor=actor,
        data={"reason": reason},
        update_fields=["state_reason"],
    )


@transaction.atomic
def mission_publish(*, mission_id: int, actor: "Actor") -> Mission:
    mission = _locked_mission(mission_id)
    require_staff_for(actor, mission.departement_id or mission.association.departement_id)
    if not mission.association.is_verified:
        raise ValidationError(
            _("L'association n'est pas vérifiée : la mission ne peut pas être publiée."),
            code="association_not_verified",
        )
    mission.published_at = timezone.now()
    mission.state_reason = ""
    Mission.states.apply(
        mission, "publish", actor=actor, update_fields=["published_at", "state_reason"]
    )
    return mission


@transaction.atomic
def mission_start(*, mission_id: int, actor: "Actor") -> Mission:
    """Start the mission; accepted volunteers cleared by their employer become active."""
    mission = _locked_mission(mission_id)
    _require_member_or_staff(actor, mission)
    moved = []
    if mission.start_date is not None and mission.start_date > timezone.localdate():
        # Started early: the mission, and the hours given for it, begin today.
        mission.start_date = timezone.localdate()
        moved.append("start_date")
    Mission.states.apply(mission, "start", actor=actor, update_fields=moved)
    for application in mission.applications.select_for_update().filter(
        state=Application.State.ACCEPTED
    ):
        application_join_if_under_way(mission, application, actor=actor)
    return mission


def application_join_if_under_way(
    mission: Mission, application: Application, *, actor: "Actor | None" = None
) -> None:
    """An accepted volunteer cleared by their employer is active while the mission runs:
    at its start, or as soon as they are accepted or approved once it has started.

    Call it with both rows locked (``application_locked``): other apps' workflows that
    clear an engagement (an employer's approval) use it too, under the same locks taken
    in the same order."""
    if (
        mission.state == Mission.State.IN_PROGRESS
        and application.state == Application.State.ACCEPTED
        and application.is_cleared_by_employer
    ):
        Application.states.apply(application, "activate", actor=actor)


@transaction.atomic
def mission_complete(*, mission_id: int, actor: "Actor") -> Mission:
    mission = _locked_mission(mission_id)
    _require_member_or_staff(actor, mission)
    Mission.states.apply(mission, "complete", actor=actor)
    for application in mission.applications.select_for_update().filter(
        state=Application.State.ACTIVE
    ):
        Application.states.apply(application, "complete", actor=actor)
    return mission


@transaction.atomic
def mission_cancel(*, mission_id: int, actor: "Actor", reason: str) -> Mission:
    """Cancel the mission and close every open engagement on it, with the reason."""
    mission = _locked_mission(mission_id)
    _require_member_or_staff(actor, mission)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi la mission est annulée.")})
    mission.state_reason = reason
    Mission.states.apply(
        mission, "cancel", actor=actor, data={"reason": reason}, update_fields=["state_reason"]
    )
    for application in mission.applications.select_for_update().filter(
        state__in=Application.OPEN_STATES
    ):
        application.state_message = reason
        if application.state in (Application.State.APPLIED, Application.State.WAITLISTED):
            application.decline_reason = Application.DeclineReason.MISSION_CHANGED
            transition = "decline"
        else:
            transition = "abandon"
        application.decided_at = timezone.now()
        Application.states.apply(
            application,
            transition,
            actor=actor,
            update_fields=["state_message", "decline_reason", "decided_at"],
        )
    return mission


def mission_expire_overdue(*, today: datetime.date | None = None) -> int:
    """Expire published missions whose deadline has passed with nobody accepted.

    Safe to run any number of times, concurrently: each mission is re-checked under
    its row lock, and one already expired is skipped.
    """
    today = today or timezone.localdate()
    seat_holders = Application.objects.filter(
        mission=OuterRef("pk"), state__in=Application.SEAT_STATES
    )
    candidates = (
        Mission.objects.published()
        .filter(application_deadline__lt=today)
        .exclude(Exists(seat_holders))
        .values_list("pk", flat=True)
    )
    expired = 0
    for mission_id in list(candidates):
        with transaction.atomic():
            mission = _locked_mission(mission_id)
            if (
                mission.state != Mission.State.PUBLISHED
                or mission.application_deadline is None
                or mission.application_deadline >= today
                or mission.taken_seat_count()
            ):
                continue
            Mission.states.apply(
                mission, "expire", data={"deadline": str(mission.application_deadline)}
            )
            for application in mission.applications.select_for_update().filter(
                state__in=(Application.State.APPLIED, Application.State.WAITLISTED)
            ):
                application.decline_reason = Application.DeclineReason.MISSION_FILLED
                application.decided_at = timezone.now()
                Application.states.apply(
                    application, "decline", update_fields=["decline_reason", "decided_at"]
                )
            expired += 1
    return expired


# --- Applications ---------------------------------------------------------------------


def _approval_for(volunteer: VolunteerProfile, is_work_time: bool) -> str:
    if not is_work_time:
        return Application.Approval.NOT_REQUIRED
    if volunteer.employer is None:
        raise ValidationError(
            {
                "is_work_time": _(
                    "Un engagement sur le temps de travail suppose un employeur inscrit sur la "
                    "plateforme : complétez votre profil ou choisissez votre temps personnel."
                )
            }
        )
    if volunteer.employer.work_time_requires_approval:
        return Application.Approval.PENDING
    return Application.Approval.APPROVED


def _origin_of(
    mission: Mission, volunteer: VolunteerProfile
) -> tuple[str, dict[str, float] | None]:
    """Why a volunteer applies on their own: after the association's invitation, or a
    suggestion of the platform (whose factors are kept, to learn which lead to
    engagements), or spontaneously."""
    factors = suggestions.suggested_factors(mission_id=mission.pk, volunteer_id=volunteer.pk)
    if Invitation.objects.filter(mission=mission, volunteer=volunteer).exists():
        return Application.Origin.INVITED, factors
    if factors is not None:
        return Application.Origin.SUGGESTED, factors
    return Application.Origin.APPLIED, None


@transaction.atomic
def application_create(
    *,
    mission_id: int,
    volunteer: VolunteerProfile,
    actor: "Actor",
    message: str = "",
    is_work_time: bool = False,
    origin: str = Application.Origin.APPLIED,
) -> Application:
    """A volunteer applies (or is proposed by staff); waitlisted when the mission is full."""
    mission = _locked_mission(mission_id)
    if origin == Application.Origin.STAFF:
        require_staff_for(actor, mission.departement_id or mission.association.departement_id)
    else:
        require(
            actor.is_authenticated and volunteer.user_id == actor.pk,
            _("On ne peut candidater que pour soi-même."),
        )
    if not mission.is_open_for_applications():
        raise ValidationError(
            _("Cette mission n'accepte plus de candidatures."), code="mission_closed"
        )
    if Application.objects.filter(mission=mission, volunteer=volunteer).exists():
        raise ValidationError(
            _("Vous avez déjà candidaté à cette mission."), code="already_applied"
        )
    factors = None
    if origin == Application.Origin.APPLIED:
        origin, factors = _origin_of(mission, volunteer)
    full = mission.free_seats == 0
    application = Application(
        mission=mission,
        volunteer=volunteer,
        origin=origin,
        suggestion_factors=factors or {},
        message=message.strip(),
        is_work_time=is_work_time,
        approval_state=_approval_for(volunteer, is_work_time),
        state=Application.State.WAITLISTED if full else Application.State.APPLIED,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Vous avez déjà candidaté à cette mission."), code="already_applied"
        ) from error

    log_action(
        application,
        "application.create",
        actor=actor,
        to_state=application.state,
        data={"origin": origin, "work_time": is_work_time},
    )
    return application


def application_promote_waitlisted(mission: Mission) -> Application | None:
    """Give a freed seat's chance to the longest-waiting volunteer (the association decides).

    Call it with the mission locked (``application_locked``): other apps' workflows that
    free a seat (an employer's refusal) use it too, under the same locks taken in the
    same order."""
    if mission.free_seats == 0 or not mission.is_open_for_applications():
        return None
    waiting = (
        mission.applications.select_for_update()
        .filter(state=Application.State.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    return Application.states.apply(waiting, "promote")


@transaction.atomic
def application_accept(*, application_id: int, actor: "Actor", message: str = "") -> Application:
    mission, application = application_locked(application_id)
    require(
        access.is_member(actor, mission), _("Seule l'association peut accepter une candidature.")
    )
    if application.state == Application.State.APPLIED and mission.free_seats == 0:
        raise TransitionNotAllowed(
            _(
                "Toutes les places de cette mission sont prises : libérez une place ou "
                "augmentez le nombre de bénévoles recherchés."
            ),
            code="no_free_seat",
        )
    application.state_message = message.strip()
    application.decided_at = timezone.now()
    Application.states.apply(
        application, "accept", actor=actor, update_fields=["state_message", "decided_at"]
    )
    application_join_if_under_way(mission, application, actor=actor)
    return application


@transaction.atomic
def application_decline(
    *, application_id: int, actor: "Actor", reason: str, message: str = ""
) -> Application:
    mission, application = application_locked(application_id)
    require(
        access.is_member(actor, mission), _("Seule l'association peut décliner une candidature.")
    )
    if reason not in Application.DeclineReason.values:
        raise ValidationError({"reason": _("Choisissez un motif dans la liste.")})
    application.decline_reason = reason
    application.state_message = message.strip()
    application.decided_at = timezone.now()
    return Application.states.apply(
        application,
        "decline",
        actor=actor,
        data={"reason": reason},
        update_fields=["decline_reason", "state_message", "decided_at"],
    )


@transaction.atomic
def application_withdraw(
    *, application_id: int, actor: "Actor", reason: str, message: str = ""
) -> Application:
    mission, application = application_locked(application_id)
    require(
        application.volunteer.user_id == actor.pk,
        _("Seul le bénévole peut retirer sa candidature."),
    )
    if reason not in Application.WithdrawalReason.values:
        raise ValidationError({"reason": _("Choisissez un motif dans la liste.")})
    application.withdrawal_reason = reason
    application.state_message = message.strip()
    Application.states.apply(
        application,
        "withdraw",
        actor=actor,
        data={"reason": reason},
        update_fields=["withdrawal_reason", "state_message"],
    )
    application_promote_waitlisted(mission)
    return application


@transaction.atomic
def application_activate(*, application_id: int, actor: "Actor") -> Application:
    mission, application = application_locked(application_id)
    _require_member_or_staff(actor, mission)
    if not application.is_cleared_by_employer:
        raise TransitionNotAllowed(
            _("L'employeur du bénévole n'a pas encore validé cet engagement."),
            code="approval_pending",
        )
    return Application.states.apply(application, "activate", actor=actor)


@transaction.atomic
def application_complete(*, application_id: int, actor: "Actor") -> Application:
    mission, application = application_locked(application_id)
    _require_member_or_staff(actor, mission)
    return Application.states.apply(application, "complete", actor=actor)


@transaction.atomic
def application_abandon(*, application_id: int, actor: "Actor", message: str = "") -> Application:
    mission, application = application_locked(application_id)
    require(
        application.volunteer.user_id == actor.pk or access.is_member(actor, mission),
        _("Seuls le bénévole et l'association peuvent interrompre cet engagement."),
    )
    application.state_message = message.strip()
    Application.states.apply(application, "abandon", actor=actor, update_fields=["state_message"])
    application_promote_waitlisted(mission)
    return application


# --- Hours and evaluations ------------------------------------------------------------


@transaction.atomic
def hours_log(
    *,
    application_id: int,
    actor: "Actor",
    date: datetime.date,
    hours: Decimal,
    description: str = "",
) -> HoursEntry:
    mission, application = application_locked(application_id)
    require(
        application.volunteer.user_id == actor.pk,
        _("Seul le bénévole déclare ses heures."),
    )
    if application.state not in (Application.State.ACTIVE, Application.State.COMPLETED):
        raise ValidationError(
            _("On ne déclare des heures que sur un engagement en cours ou terminé."),
            code="engagement_not_active",
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("On ne déclare pas des heures à venir.")})
    start = application.engagement_start
    if start is not None and date < start:
        raise ValidationError(
            {
                "date": _(
                    "Cet engagement a commencé le %(start)s : déclarez des heures à partir "
                    "de cette date."
                )
                % {"start": date_format(start, "SHORT_DATE_FORMAT")}
            }
        )
    _require_hours_left_that_day(application.volunteer_id, date, Decimal(hours))
    entry = HoursEntry(
        application=application, date=date, hours=Decimal(hours), description=description.strip()
    )
    entry.full_clean()
    entry.save()

    log_action(entry, "hoursentry.create", actor=actor, to_state=entry.state)
    return entry


def _require_hours_left_that_day(volunteer_id: int, date: datetime.date, hours: Decimal) -> None:
    """A person gives at most 24 hours a day, all their engagements together."""
    given = HoursEntry.objects.filter(application__volunteer_id=volunteer_id, date=date).exclude(
        state=HoursEntry.State.REJECTED
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if given + hours > DAY_HOURS:
        raise ValidationError(
            {
                "hours": _(
                    "Vous avez déjà déclaré %(given)s h le %(date)s : une journée compte au "
                    "plus 24 h."
                )
                % {
                    "given": number_format(given.normalize()),
                    "date": date_format(date, "SHORT_DATE_FORMAT"),
                }
            }
        )


def _locked_entry(entry_id: int) -> HoursEntry:
    return (
        HoursEntry.objects.select_for_update(of=("self",))
        .select_related("application__mission__association")
        .get(pk=entry_id)
    )


@transaction.atomic
def hours_validate(*, entry_id: int, actor: "Actor") -> HoursEntry:
    entry = _locked_entry(entry_id)
    require(
        access.is_member(actor, entry.application.mission),
        _("Seule l'association valide les heures."),
    )
    return HoursEntry.states.apply(entry, "validate", actor=actor)


@transaction.atomic
def hours_reject(*, entry_id: int, actor: "Actor", reason: str) -> HoursEntry:
    entry = _locked_entry(entry_id)
    require(
        access.is_member(actor, entry.application.mission),
        _("Seule l'association refuse des heures."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Expliquez au bénévole pourquoi ces heures sont refusées.")}
        )
    entry.rejection_reason = reason
    return HoursEntry.states.apply(
        entry, "reject", actor=actor, data={"reason": reason}, update_fields=["rejection_reason"]
    )


@transaction.atomic
def evaluation_submit(
    *,
    application_id: int,
    actor: "Actor",
    rating: int,
    objectives: str,
    skills_transferred: str = "",
    autonomy_gained: str = "",
    can_continue_alone: bool | None = None,
    comment: str = "",
) -> Evaluation:
    """Either side evaluates a completed engagement, once."""
    mission, application = application_locked(application_id)
    if application.volunteer.user_id == actor.pk:
        side = Evaluation.Side.VOLUNTEER
    elif access.is_member(actor, mission):
        side = Evaluation.Side.ASSOCIATION
    else:
        require(False, _("Seuls le bénévole et l'association évaluent cet engagement."))
    if application.state != Application.State.COMPLETED:
        raise ValidationError(
            _("L'évaluation s'ouvre quand l'engagement est terminé."), code="not_completed"
        )
    if Evaluation.objects.filter(application=application, side=side).exists():
        raise ValidationError(_("Vous avez déjà évalué cet engagement."), code="already_evaluated")
    evaluation = Evaluation(
        application=application,
        side=side,
        author=cast("User", actor),  # the volunteer or a member: signed in
        rating=rating,
        objectives=objectives,
        skills_transferred=skills_transferred.strip(),
        autonomy_gained=autonomy_gained.strip(),
        can_continue_alone=can_continue_alone,
        comment=comment.strip(),
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


# Missions shown publicly, hence ones a volunteer may keep (as missions.views shows them).
FAVOURABLE_STATES = (Mission.State.PUBLISHED, Mission.State.IN_PROGRESS, Mission.State.COMPLETED)


@transaction.atomic
def favourite_toggle(*, actor: "Actor", mission_id: int) -> bool:
    """Add the mission to ``actor``'s favourites, or remove it; True if now a favourite."""
    require(
        actor is not None and actor.is_authenticated,
        _("Connectez-vous pour gérer votre profil de bénévole."),
    )
    profile = VolunteerProfile.objects.filter(user=cast("User", actor)).first()  # signed in
    require(profile is not None, _("Créez votre profil de bénévole pour garder des favoris."))
    deleted, _rows = Favourite.objects.filter(volunteer=profile, mission_id=mission_id).delete()
    if deleted:
        return False
    if not Mission.objects.filter(pk=mission_id, state__in=FAVOURABLE_STATES).exists():
        raise Mission.DoesNotExist
    Favourite.objects.get_or_create(volunteer=profile, mission_id=mission_id)
    return True
