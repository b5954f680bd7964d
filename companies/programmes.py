"""Programmes and events: employees register, invited associations submit missions,
staff compute the teams (``matching.team_adapter``), adjust them by hand and publish them,
and everyone is told their team."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import Association, AssociationMember
from core import outbox
from core.models import log_action
from core.permissions import require
from matching.team_adapter import propose_teams
from missions.models import Mission
from notifications.models import Notification
from notifications.services import link, notify
from volunteers.models import VolunteerProfile

from .models import CompanyMember, Programme, ProgrammeRegistration, TeamAssignment
from .tasks import notify_teams

SUBMITTABLE_STATES = ("draft", "submitted", "published")


def programme_companies(programme: Programme) -> list[int]:
    """A foundation's programme is open to the founding company's people too."""
    ids = [programme.company_id]
    if programme.company.parent_id:
        ids.append(programme.company.parent_id)
    return ids


def is_programme_member(user, programme: Programme) -> bool:
    return (
        user.is_authenticated
        and CompanyMember.objects.filter(
            user=user, company_id__in=programme_companies(programme)
        ).exists()
    )


def can_manage_teams(user, programme: Programme) -> bool:
    return user.is_authenticated and (
        user.is_platform_staff
        or CompanyMember.objects.filter(
            user=user, company_id=programme.company_id, role=CompanyMember.Role.PROGRAMME_ADMIN
        ).exists()
    )


def eligible_associations(programme: Programme):
    """Associations that may submit missions: the invited ones, or (no invitation list)
    every verified association of the eligible territories."""
    invited = programme.invited_associations.all()
    if invited.exists():
        return invited
    associations = Association.objects.verified()
    departements = programme.departements.all()
    if departements.exists():
        associations = associations.filter(departement__in=departements)
    return associations


def open_to_associations(associations: QuerySet[Association], today: datetime.date):
    """The programmes not yet over that any of ``associations`` may submit missions to:
    those inviting one of them, and (for verified ones) those open to every association
    of their territory; the rule of ``eligible_associations`` read the other way, in one
    query."""
    verified = associations.filter(verification_state=Association.State.VERIFIED)
    invited = Programme.invited_associations.through.objects.filter(programme=OuterRef("pk"))
    territories = Programme.departements.through.objects.filter(programme=OuterRef("pk"))
    open_to_verified = (
        Exists(verified)
        & ~Exists(invited)
        & (
            ~Exists(territories)
            | Exists(territories.filter(departement_id__in=verified.values("departement_id")))
        )
    )
    return Programme.objects.filter(ends_on__gte=today).filter(
        Exists(invited.filter(association_id__in=associations.values("pk"))) | open_to_verified
    )


def _locked(programme_id: int) -> Programme:
    return Programme.objects.select_for_update().select_related("company").get(pk=programme_id)


@transaction.atomic
def programme_register(*, programme_id: int, actor) -> ProgrammeRegistration:
    """An employee of the company (or of the foundation's founder) signs up."""
    programme = _locked(programme_id)
    require(
        is_programme_member(actor, programme),
        _("Ce programme est réservé aux salariés de l'entreprise."),
    )
    profile = VolunteerProfile.objects.filter(user=actor).first()
    if profile is None:
        raise ValidationError(
            _("Créez votre profil de bénévole pour vous inscrire : vos compétences comptent."),
            code="no_profile",
        )
    if not programme.registration_open(timezone.localdate()):
        raise ValidationError(_("Les inscriptions à ce programme sont closes."), code="closed")
    registration, created = ProgrammeRegistration.objects.get_or_create(
        programme=programme, volunteer=profile
    )
    if created:
        log_action(registration, "programmeregistration.create", actor=actor)
    return registration


@transaction.atomic
def programme_unregister(*, programme_id: int, actor) -> None:
    programme = _locked(programme_id)
    if not programme.registration_open(timezone.localdate()):
        raise ValidationError(_("Les équipes sont publiées : contactez l'organisateur."))
    ProgrammeRegistration.objects.filter(programme=programme, volunteer__user=actor).delete()
    TeamAssignment.objects.filter(programme=programme, volunteer__user=actor).delete()


@transaction.atomic
def programme_submit_mission(*, programme_id: int, mission_id: int, actor):
    """An eligible association puts one of its missions forward for the programme."""
    programme = _locked(programme_id)
    mission = Mission.objects.select_for_update().select_related("association").get(pk=mission_id)
    require(
        mission.association.has_member(actor),
        _("Seuls les membres de l'association proposent ses missions."),
    )
    require(
        eligible_associations(programme).filter(pk=mission.association_id).exists(),
        _("Votre association n'est pas invitée à ce programme."),
    )
    errors = []
    if mission.state not in SUBMITTABLE_STATES:
        errors.append(_("Seule une mission en préparation ou publiée peut être proposée."))
    if mission.programme_id and mission.programme_id != programme.pk:
        errors.append(_("Cette mission est déjà proposée à un autre programme."))
    causes = programme.causes.all()
    if causes.exists() and not causes.filter(pk=mission.cause_id).exists():
        errors.append(_("La cause de cette mission ne fait pas partie de celles du programme."))
    if errors:
        raise ValidationError({"mission": errors})
    mission.programme = programme
    mission.save(update_fields=["programme", "updated_at"])
    log_action(
        mission, "mission.submit_to_programme", actor=actor, data={"programme": programme.pk}
    )
    return mission


def programme_missions(programme: Programme):
    return Mission.objects.filter(
        programme=programme,
        state__in=(Mission.State.PUBLISHED, Mission.State.IN_PROGRESS),
    )


@transaction.atomic
def teams_propose(*, programme_id: int, actor, time_budget: float = 5.0):
    """Compute the teams with the optimiser and store them as a proposal, replacing the
    previous proposal (hand adjustments included). Refused once published."""
    programme = _locked(programme_id)
    require(
        can_manage_teams(actor, programme), _("Seule l'équipe organisatrice forme les équipes.")
    )
    if programme.teams_state == Programme.Teams.PUBLISHED:
        raise ValidationError(_("Les équipes sont déjà publiées."), code="published")
    volunteer_ids = list(programme.registrations.values_list("volunteer_id", flat=True))
    mission_ids = list(programme_missions(programme).values_list("pk", flat=True))
    if not volunteer_ids or not mission_ids:
        raise ValidationError(
            _("Il faut des inscrits et des missions publiées pour former des équipes."),
            code="empty",
        )
    result = propose_teams(
        volunteer_ids=volunteer_ids, mission_ids=mission_ids, time_budget=time_budget
    )
    TeamAssignment.objects.filter(programme=programme).delete()
    TeamAssignment.objects.bulk_create(
        TeamAssignment(programme=programme, volunteer_id=v, mission_id=m) for v, m in result.pairs
    )
    programme.teams_state = Programme.Teams.PROPOSED
    programme.save(update_fields=["teams_state"])
    log_action(
        programme,
        "programme.propose_teams",
        actor=actor,
        data={
            "assigned": len(result.pairs),
            "unassigned": len(result.unassigned),
            "missions_left_out": result.missions_left_out,
        },
    )
    return result


@transaction.atomic
def team_move(*, programme_id: int, volunteer_id: int, mission_id: int | None, actor) -> None:
    """Move a registered volunteer to another team (``mission_id``), or out of any team."""
    programme = _locked(programme_id)
    require(
        can_manage_teams(actor, programme), _("Seule l'équipe organisatrice ajuste les équipes.")
    )
    if programme.teams_state == Programme.Teams.PUBLISHED:
        raise ValidationError(_("Les équipes sont déjà publiées."), code="published")
    if not programme.registrations.filter(volunteer_id=volunteer_id).exists():
        raise ValidationError({"volunteer": _("Cette personne n'est pas inscrite.")})
    TeamAssignment.objects.filter(programme=programme, volunteer_id=volunteer_id).delete()
    if mission_id is not None:
        mission = programme_missions(programme).filter(pk=mission_id).first()
        if mission is None:
            raise ValidationError({"mission": _("Choisissez une mission du programme.")})
        if (
            TeamAssignment.objects.filter(programme=programme, mission=mission).count()
            >= mission.seats
        ):
            raise ValidationError(
                {"mission": _("L'équipe de « %(mission)s » est complète.") % {"mission": mission}}
            )
        TeamAssignment.objects.create(
            programme=programme, volunteer_id=volunteer_id, mission=mission, is_manual=True
        )
    if programme.teams_state == Programme.Teams.NONE:
        programme.teams_state = Programme.Teams.PROPOSED
        programme.save(update_fields=["teams_state"])


@transaction.atomic
def teams_publish(*, programme_id: int, actor) -> int:
    """Publish the teams and tell every member and every association its team."""
    programme = _locked(programme_id)
    require(
        can_manage_teams(actor, programme), _("Seule l'équipe organisatrice publie les équipes.")
    )
    if programme.teams_state != Programme.Teams.PROPOSED:
        raise ValidationError(_("Il n'y a pas d'équipes proposées à publier."), code="nothing")
    programme.teams_state = Programme.Teams.PUBLISHED
    programme.teams_published_at = timezone.now()
    programme.save(update_fields=["teams_state", "teams_published_at"])
    log_action(programme, "programme.publish_teams", actor=actor)
    outbox.enqueue(notify_teams, programme.pk)
    return programme.teams.count()


def team_members(programme: Programme) -> dict[int, list]:
    """Mission pk → its team's volunteer profiles (with their users)."""
    teams: dict[int, list] = {}
    for assignment in programme.teams.select_related("volunteer__user").order_by(
        "volunteer__user__last_name", "pk"
    ):
        teams.setdefault(assignment.mission_id, []).append(assignment.volunteer)
    return teams


def notify_programme_teams(programme_id: int) -> int:
    """Tell each volunteer and each association its team; the notification keys make a
    second run send nothing."""
    programme = Programme.objects.select_related("company").get(pk=programme_id)
    if programme.teams_state != Programme.Teams.PUBLISHED:
        return 0
    teams = team_members(programme)
    missions = Mission.objects.filter(pk__in=list(teams)).select_related("association")
    sent = 0
    for mission in missions:
        names = ", ".join(v.user.full_name for v in teams[mission.pk])
        url = link("companies:programme", programme.pk)
        for volunteer in teams[mission.pk]:
            if notify(
                volunteer.user,
                Notification.Kind.TEAM_PUBLISHED,
                target=mission,
                url=url,
                context={
                    "programme": programme.name,
                    "mission": mission.title,
                    "association": mission.association.name,
                    "names": names,
                },
                key=f"programme-team:{programme.pk}:{volunteer.pk}",
            ):
                sent += 1
        for member in AssociationMember.objects.filter(
            Q(association=mission.association)
        ).select_related("user"):
            if notify(
                member.user,
                Notification.Kind.TEAM_PUBLISHED,
                target=mission,
                url=url,
                context={
                    "programme": programme.name,
                    "mission": mission.title,
                    "names": names,
                    "for_association": True,
                },
                key=f"programme-team:{programme.pk}:asso:{member.pk}:{mission.pk}",
            ):
                sent += 1
    # Those left without a team hear it too, rather than wait for news that never comes.
    placed = {volunteer.pk for team in teams.values() for volunteer in team}
    for registration in programme.registrations.exclude(volunteer__in=placed).select_related(
        "volunteer__user"
    ):
        if notify(
            registration.volunteer.user,
            Notification.Kind.TEAM_PUBLISHED,
            target=programme,
            url=link("companies:programme", programme.pk),
            context={"programme": programme.name, "without_team": True},
            key=f"programme-team:{programme.pk}:{registration.volunteer_id}",
        ):
            sent += 1
    return sent
