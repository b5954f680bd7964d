"""Workflows of companies and foundations: registration, verification, employees.

Approvals of work-time engagements live with the other engagement transitions in
``missions/services.py``; the rules they apply (who approves, what is left of an
allowance) are in ``companies/selectors.py``.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.models import log_action
from core.permissions import require

from .models import Company, CompanyDomain, CompanyMember


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "entreprise"
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def is_programme_admin(user, company_id: int) -> bool:
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
    actor,
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
def company_verify(*, company_id: int, actor) -> Company:
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
def company_join_by_email_domain(*, user, email: str) -> CompanyMember | None:
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


def _attach_employer(user, company_id: int) -> None:
    """A volunteer profile without an employer gets this one (never replaced silently)."""
    from volunteers.models import VolunteerProfile

    VolunteerProfile.objects.filter(user=user, employer__isnull=True).update(employer=company_id)


@transaction.atomic
def employee_invite(
    *,
    company_id: int,
    email: str,
    role: str,
    actor,
    allowance_hours_override: int | None = None,
) -> CompanyMember:
    """Invite someone into the company by e-mail (one by one, or from a CSV import).

    Creates the account if the address is unknown (without a password: the invitation
    tells them how to choose one), or reuses it; adds the membership, or updates the
    role and allowance of an existing one; e-mails the invitation after commit. Only the
    company's programme admins (and platform staff) may invite.
    """
    from accounts.models import User

    from .tasks import send_invitation

    require(
        is_programme_admin(actor, company_id)
        or (actor.is_authenticated and actor.is_platform_staff),
        _("Seuls les responsables des programmes de l'entreprise invitent des salariés."),
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
    company = Company.objects.select_for_update().get(pk=company_id)
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
        transaction.on_commit(lambda: send_invitation.delay(member.pk))
    return member


@transaction.atomic
def member_update(
    *,
    member_id: int,
    actor,
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
            role__in=(CompanyMember.Role.MANAGER, CompanyMember.Role.PROGRAMME_ADMIN),
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
