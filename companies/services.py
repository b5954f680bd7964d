"""Workflows of companies and foundations: registration, verification, settings,
employees, and the creation and editing of their programmes.

It also holds the employer's approval of work-time engagements, which takes the same
locks as the other engagement transitions of ``missions/services.py``, in the same
order (``application_locked``); the rules it applies (who approves, what is left of an
allowance or of a programme's budget) are in ``companies/selectors.py``.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association
from core import outbox
from core.models import log_action
from core.permissions import Actor, require
from missions.models import Application, Mission
from missions.services import (
    application_join_if_under_way,
    application_locked,
    application_promote_waitlisted,
)
from taxonomy.models import Cause, Departement
from volunteers.models import VolunteerProfile

from .access import can_approve
from .models import Company, CompanyDomain, CompanyMember, Programme
from .selectors import allowance_for, programme_budget, programme_granted_hours
from .tasks import send_invitation


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "entreprise"
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def is_programme_admin(user: "Actor | None", company_id: int) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and CompanyMember.objects.filter(
            company_id=company_id, user=user, role=CompanyMember.Role.PROGRAMME_ADMIN
        ).exists()
    )


@transaction.atomic
def company_register(
    *,
    actor: "User",
    name: str,
    siren: str,
    kind: str = Company.Kind.COMPANY,
    yearly_allowance_hours: int = 0,
) -> Company:
    """A company or foundation signs up; ``actor`` becomes its first programme admin.

    The structure stays unverified until platform staff check its SIREN; e-mail domains
    (which make people join on sign-up) are added by staff only, once verified.
    """
    require(actor.is_authenticated, _("Connectez-vous pour inscrire votre entreprise."))
    company = Company(
        name=(name or "").strip(),
        slug=_unique_slug(name or ""),
        siren=siren,
        kind=kind,
        yearly_allowance_hours=yearly_allowance_hours,
    )
    company.full_clean()
    company.save()
    member = CompanyMember.objects.create(
        company=company, user=actor, role=CompanyMember.Role.PROGRAMME_ADMIN
    )
    log_action(company, "company.register", actor=actor, data={"member": member.pk})
    return company


@transaction.atomic
def company_verify(*, company_id: int, actor: "Actor") -> Company:
    """Platform staff confirm the structure's identity (SIREN)."""
    require(
        actor.is_authenticated and actor.is_platform_staff,
        _("Seule l'équipe de la plateforme vérifie les entreprises."),
    )
    company = Company.objects.select_for_update().get(pk=company_id)
    if company.verified_at is None:
        company.verified_at = timezone.now()
        company.save(update_fields=["verified_at"])
        log_action(company, "company.verify", actor=actor)
    return company


@transaction.atomic
def company_join_by_email_domain(*, user: User, email: str) -> CompanyMember | None:
    """Make ``user`` an employee of the company that owns the domain of ``email``.

    Call it only with a confirmed address. Existing memberships are kept as they are.
    """
    domain = email.rsplit("@", 1)[-1].strip().lower()
    company_domain = CompanyDomain.objects.select_related("company").filter(domain=domain).first()
    if company_domain is None:
        return None
    member, _created = CompanyMember.objects.get_or_create(
        company=company_domain.company, user=user
    )
    _attach_employer(user, company_domain.company_id)
    return member


def _attach_employer(user: User, company_id: int) -> None:
    """A volunteer profile without an employer gets this one (never replaced silently).

    Logged as a change of the profile: the missions reserved to the company's programmes
    are suggested to them from then on."""
    for profile in VolunteerProfile.objects.filter(user=user, employer__isnull=True):
        profile.employer_id = company_id
        profile.save(update_fields=["employer", "updated_at"])
        log_action(profile, "volunteerprofile.change", actor=user, data={"employer": company_id})


@transaction.atomic
def employee_invite(
    *,
    company_id: int,
    email: str,
    role: str,
    actor: "Actor",
    allowance_hours_override: int | None = None,
) -> CompanyMember:
    """Invite someone into the company by e-mail (one by one, or from a CSV import).

    Creates the account if the address is unknown (without a password: the invitation
    tells them how to choose one), or reuses it; adds the membership, or updates the
    role and allowance of an existing one; e-mails the invitation after commit. Only the
    company's programme admins (and platform staff) may invite, and only once platform
    staff have verified the company: an unverified structure could otherwise enrol
    anyone's address under a name it does not own.
    """
    require(
        is_programme_admin(actor, company_id)
        or (actor.is_authenticated and actor.is_platform_staff),
        _("Seuls les responsables des programmes de l'entreprise invitent des salariés."),
    )
    company = Company.objects.select_for_update().get(pk=company_id)
    if not company.is_verified:
        raise ValidationError(
            _(
                "Votre structure n'est pas encore vérifiée par l'équipe de la plateforme : "
                "vous pourrez inviter vos salariés une fois son numéro SIREN confirmé."
            ),
            code="company_unverified",
        )
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Saisissez une adresse e-mail valide.")}) from error
    if role not in CompanyMember.Role.values:
        raise ValidationError({"role": _("Choisissez un rôle dans la liste.")})
    if allowance_hours_override is not None and allowance_hours_override < 0:
        raise ValidationError(
            {"allowance_hours_override": _("Le nombre d'heures ne peut pas être négatif.")}
        )
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)
    member, created = CompanyMember.objects.get_or_create(
        company=company,
        user=user,
        defaults={"role": role, "allowance_hours_override": allowance_hours_override},
    )
    if not created:
        member.role = role
        if allowance_hours_override is not None:
            member.allowance_hours_override = allowance_hours_override
        member.save(update_fields=["role", "allowance_hours_override"])
    _attach_employer(user, company.pk)
    log_action(
        member,
        "companymember.invite",
        actor=actor,
        data={"email": email, "role": role, "created": created},
    )
    if created:
        outbox.enqueue(send_invitation, member.pk)
    return member


@transaction.atomic
def member_update(
    *,
    member_id: int,
    actor: "Actor",
    role: str,
    allowance_hours_override: int | None,
    manager_id: int | None = None,
    site: str = "",
) -> CompanyMember:
    """A programme admin changes someone's role, allowance, manager or site."""
    member = CompanyMember.objects.select_for_update().get(pk=member_id)
    require(
        is_programme_admin(actor, member.company_id),
        _("Seuls les responsables des programmes modifient les salariés."),
    )
    if role not in CompanyMember.Role.values:
        raise ValidationError({"role": _("Choisissez un rôle dans la liste.")})
    if (
        member.user_id == actor.pk
        and role != CompanyMember.Role.PROGRAMME_ADMIN
        and not CompanyMember.objects.filter(
            company_id=member.company_id, role=CompanyMember.Role.PROGRAMME_ADMIN
        )
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError(
            {"role": _("L'entreprise doit garder au moins un responsable des programmes.")}
        )
    if (
        manager_id is not None
        and not CompanyMember.objects.filter(
            company_id=member.company_id,
            user_id=manager_id,
            role__in=CompanyMember.STAFF_ROLES,
        )
        .exclude(user_id=member.user_id)
        .exists()
    ):
        raise ValidationError({"manager": _("Choisissez un manager de l'entreprise.")})
    member.role = role
    member.allowance_hours_override = allowance_hours_override
    member.manager_id = manager_id
    member.site = (site or "").strip()
    member.full_clean()
    member.save()
    log_action(member, "companymember.update", actor=actor, data={"role": role})
    return member


# --- company settings ---------------------------------------------------------------------

# A full-time year of work in France (35 h a week, after holidays): no allowance is larger.
MAX_YEARLY_HOURS = 1607

SETTINGS_FIELDS = (
    "yearly_allowance_hours",
    "year_start_month",
    "work_time_requires_approval",
    "auto_approval_max_hours",
    "loaded_hourly_cost",
    "annual_turnover",
)


def _audit_value(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def company_settings_update(
    *,
    company_id: int,
    actor: "Actor",
    yearly_allowance_hours: int,
    year_start_month: int,
    work_time_requires_approval: bool,
    auto_approval_max_hours: int | None,
    loaded_hourly_cost: Decimal,
    annual_turnover: Decimal | None,
) -> Company:
    """A programme admin sets the company's own rules: the yearly allowance and when its
    year starts, whether work time needs approval and up to what it is automatic, and
    the figures used to value the sponsorship. Identity (name, SIREN, founder) and
    verification stay with platform staff."""
    require(
        is_programme_admin(actor, company_id),
        _("Seuls les responsables des programmes modifient les paramètres de l'entreprise."),
    )
    errors: dict[str, str] = {}
    if yearly_allowance_hours is None or not 0 <= yearly_allowance_hours <= MAX_YEARLY_HOURS:
        errors["yearly_allowance_hours"] = _("Indiquez un nombre d'heures entre 0 et %(max)s.") % {
            "max": MAX_YEARLY_HOURS
        }
    if auto_approval_max_hours is not None and not (
        1 <= auto_approval_max_hours <= MAX_YEARLY_HOURS
    ):
        errors["auto_approval_max_hours"] = _(
            "Indiquez un nombre d'heures entre 1 et %(max)s, ou laissez vide."
        ) % {"max": MAX_YEARLY_HOURS}
    if annual_turnover is not None and annual_turnover < 0:
        errors["annual_turnover"] = _("Le chiffre d'affaires ne peut pas être négatif.")
    if errors:
        raise ValidationError(errors)
    company = Company.objects.select_for_update().get(pk=company_id)
    before = {field: getattr(company, field) for field in SETTINGS_FIELDS}
    company.yearly_allowance_hours = yearly_allowance_hours
    company.year_start_month = year_start_month
    company.work_time_requires_approval = bool(work_time_requires_approval)
    company.auto_approval_max_hours = auto_approval_max_hours
    company.loaded_hourly_cost = loaded_hourly_cost
    company.annual_turnover = annual_turnover
    company.full_clean(exclude=["name", "slug", "kind", "siren", "parent", "verified_at"])
    company.save(update_fields=list(SETTINGS_FIELDS))
    changes = {
        field: [_audit_value(before[field]), _audit_value(getattr(company, field))]
        for field in SETTINGS_FIELDS
        if before[field] != getattr(company, field)
    }
    log_action(company, "company.update_settings", actor=actor, data={"changes": changes})
    return company


# --- programmes ---------------------------------------------------------------------------


def _programme_relations(
    *,
    cause_ids: Iterable[int] | None,
    departement_codes: Iterable[str] | None,
    invited_association_ids: Iterable[int] | None,
    already_invited: Iterable[int] = (),
) -> tuple[list[Cause], list[Departement], list[Association]]:
    """The programme's causes, territories and invited associations, checked: every one
    must exist, and a newly invited association must be verified."""
    errors: dict[str, str] = {}
    cause_ids = set(cause_ids or ())
    causes = list(Cause.objects.filter(pk__in=cause_ids))
    if len(causes) != len(cause_ids):
        errors["causes"] = _("Choisissez des causes dans la liste.")
    codes = set(departement_codes or ())
    departements = list(Departement.objects.filter(code__in=codes))
    if len(departements) != len(codes):
        errors["departements"] = _("Choisissez des départements dans la liste.")
    association_ids = set(invited_association_ids or ())
    associations = list(
        Association.objects.filter(pk__in=association_ids).filter(
            Q(verification_state=Association.State.VERIFIED) | Q(pk__in=list(already_invited))
        )
    )
    if len(associations) != len(association_ids):
        errors["invited_associations"] = _("Choisissez des associations vérifiées.")
    if errors:
        raise ValidationError(errors)
    return causes, departements, associations


def _programme_fill(programme: Programme, **fields: Any) -> None:
    programme.name = (fields["name"] or "").strip()
    programme.kind = fields["kind"]
    programme.description = (fields["description"] or "").strip()
    programme.starts_on = fields["starts_on"]
    programme.ends_on = fields["ends_on"]
    programme.hours_budget = fields["hours_budget"]
    programme.registrations_open = bool(fields["registrations_open"])
    programme.full_clean(exclude=["company", "teams_state", "teams_published_at"])


@transaction.atomic
def programme_create(
    *,
    company_id: int,
    actor: "Actor",
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    hours_budget: int | None = None,
    registrations_open: bool = True,
    cause_ids: Iterable[int] = (),
    departement_codes: Iterable[str] = (),
    invited_association_ids: Iterable[int] = (),
) -> Programme:
    """A programme admin launches a programme of their company: an event, a week, a
    campaign. Empty causes, territories or invitations mean "no restriction"."""
    require(
        is_programme_admin(actor, company_id),
        _("Seuls les responsables des programmes créent les programmes de l'entreprise."),
    )
    company = Company.objects.get(pk=company_id)
    programme = Programme(company=company)
    _programme_fill(
        programme,
        name=name,
        kind=kind,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_budget=hours_budget,
        registrations_open=registrations_open,
    )
    causes, departements, associations = _programme_relations(
        cause_ids=cause_ids,
        departement_codes=departement_codes,
        invited_association_ids=invited_association_ids,
    )
    programme.save()
    programme.causes.set(causes)
    programme.departements.set(departements)
    programme.invited_associations.set(associations)
    log_action(programme, "programme.create", actor=actor, data={"name": programme.name})
    return programme


PROGRAMME_FIELDS = (
    "name",
    "kind",
    "description",
    "starts_on",
    "ends_on",
    "hours_budget",
    "registrations_open",
)


@transaction.atomic
def programme_update(
    *,
    programme_id: int,
    actor: "Actor",
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
    hours_budget: int | None = None,
    registrations_open: bool = True,
    cause_ids: Iterable[int] = (),
    departement_codes: Iterable[str] = (),
    invited_association_ids: Iterable[int] = (),
) -> Programme:
    """A programme admin changes one of their company's programmes. The hours budget
    cannot go below what is already validated or granted on its missions."""
    programme = Programme.objects.select_for_update().get(pk=programme_id)
    require(
        is_programme_admin(actor, programme.company_id),
        _("Seuls les responsables des programmes modifient les programmes de l'entreprise."),
    )
    before = {field: getattr(programme, field) for field in PROGRAMME_FIELDS}
    before_relations = {
        "causes": set(programme.causes.values_list("pk", flat=True)),
        "departements": set(programme.departements.values_list("pk", flat=True)),
        "invited_associations": set(programme.invited_associations.values_list("pk", flat=True)),
    }
    _programme_fill(
        programme,
        name=name,
        kind=kind,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_budget=hours_budget,
        registrations_open=registrations_open,
    )
    causes, departements, associations = _programme_relations(
        cause_ids=cause_ids,
        departement_codes=departement_codes,
        invited_association_ids=invited_association_ids,
        already_invited=before_relations["invited_associations"],
    )
    if hours_budget is not None:
        granted = sum(programme_granted_hours(programme.pk), Decimal(0))
        if hours_budget < granted:
            raise ValidationError(
                {
                    "hours_budget": _(
                        "Le budget ne peut pas être inférieur aux heures déjà validées ou "
                        "accordées sur ce programme (%(hours)s h)."
                    )
                    % {"hours": floatformat(granted, -2)}
                }
            )
    programme.save()
    programme.causes.set(causes)
    programme.departements.set(departements)
    programme.invited_associations.set(associations)
    after_relations = {
        "causes": {c.pk for c in causes},
        "departements": {d.pk for d in departements},
        "invited_associations": {a.pk for a in associations},
    }
    changed = [f for f in PROGRAMME_FIELDS if before[f] != getattr(programme, f)] + [
        f for f in before_relations if before_relations[f] != after_relations[f]
    ]
    log_action(programme, "programme.update", actor=actor, data={"fields": changed})
    return programme


# --- employer approval of work-time engagements ------------------------------------------


def _is_approver(actor: "Actor", application: Application) -> bool:
    return can_approve(actor, application)


def _check_allowance(application: Application, planned_hours: int) -> None:
    allowance = allowance_for(application.volunteer.user)
    if allowance is not None and planned_hours > allowance.left:
        raise ValidationError(
            {
                "planned_hours": _(
                    "C'est plus que ce qui reste à ce salarié cette année (%(hours)s h)."
                )
                % {"hours": f"{allowance.left:g}"}
            }
        )


def _check_programme_budget(mission: Mission, planned_hours: int) -> None:
    """A mission of a company programme with an hours budget: what is granted on it must
    fit what is left of that budget (locked, so concurrent approvals add up)."""
    if mission.programme_id is None:
        return
    budget = programme_budget(mission.programme_id, lock=True)
    if budget is not None and planned_hours > budget.available:
        raise ValidationError(
            {
                "planned_hours": _(
                    "C'est plus que ce qui reste du budget d'heures du programme "
                    "« %(programme)s » (%(hours)s h)."
                )
                % {"programme": budget.programme.name, "hours": floatformat(budget.available, -2)}
            }
        )


@transaction.atomic
def application_approve(*, application_id: int, actor: "Actor", planned_hours: int) -> Application:
    """The employer approves a work-time engagement for ``planned_hours`` hours, within
    what is left of the employee's yearly allowance and of the programme's hours budget
    when the mission belongs to one."""
    mission, application = application_locked(application_id)
    require(
        _is_approver(actor, application),
        _("Seuls les managers et responsables de programme de l'employeur peuvent valider."),
    )
    if not planned_hours or planned_hours < 1:
        raise ValidationError({"planned_hours": _("Indiquez le nombre d'heures accordées.")})
    if Application.approvals.can(application, "approve"):
        _check_allowance(application, planned_hours)
        _check_programme_budget(mission, planned_hours)
    application.planned_hours = planned_hours
    Application.approvals.apply(
        application,
        "approve",
        actor=actor,
        data={"planned_hours": planned_hours},
        update_fields=["planned_hours"],
    )
    application_join_if_under_way(mission, application, actor=actor)
    return application


@transaction.atomic
def application_auto_approve(*, application_id: int) -> Application | None:
    """Approve a pending work-time application without waiting, when the employer chose
    automatic approval under a threshold: the mission's effort is at most that many
    hours and fits what is left of the employee's allowance (and of the programme's
    hours budget, for a programme's mission). None when it does not qualify (the
    approvers then decide); safe to call again."""
    mission, application = application_locked(application_id)
    employer = application.volunteer.employer
    if (
        application.approval_state != Application.Approval.PENDING
        or application.state not in Application.OPEN_STATES
        or employer is None
        or not employer.auto_approval_max_hours
        or mission.effort_hours > employer.auto_approval_max_hours
    ):
        return None
    allowance = allowance_for(application.volunteer.user)
    if allowance is None or mission.effort_hours > allowance.left:
        return None
    if mission.programme_id is not None:
        budget = programme_budget(mission.programme_id, lock=True)
        if budget is not None and mission.effort_hours > budget.available:
            return None
    application.planned_hours = mission.effort_hours
    Application.approvals.apply(
        application,
        "approve",
        data={"planned_hours": mission.effort_hours, "automatic": True},
        update_fields=["planned_hours"],
    )
    application_join_if_under_way(mission, application)
    return application


@transaction.atomic
def application_refuse(*, application_id: int, actor: "Actor", reason: str) -> Application:
    """The employer refuses: the engagement cannot go ahead on work time."""
    mission, application = application_locked(application_id)
    require(
        _is_approver(actor, application),
        _("Seuls les managers et responsables de programme de l'employeur peuvent refuser."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du refus au salarié.")})
    Application.approvals.apply(application, "refuse", actor=actor, data={"reason": reason})
    if Application.states.can(application, "withdraw"):
        application.withdrawal_reason = Application.WithdrawalReason.APPROVAL_REFUSED
        application.state_message = reason
        Application.states.apply(
            application,
            "withdraw",
            actor=actor,
            update_fields=["withdrawal_reason", "state_message"],
        )
        application_promote_waitlisted(mission)
    return application
