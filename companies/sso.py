"""Company single sign-on: a verified company's programme admin turns on sign-in through
the company's OpenID Connect provider, for some of its verified e-mail domains, and may
make it mandatory for them.

Each company has one allauth ``SocialApp`` (provider ``openid_connect``, provider id
``company-<pk>``) that allauth reads to sign people in; ``CompanySSO`` holds the
company's rules. The allauth side (which addresses a provider vouches for, joining the
company) is in ``sso_adapter.py``; the password rule that a mandatory sign-in imposes
is registered with accounts from ``apps.py``.
"""

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.models import log_action
from core.permissions import Actor, require

from .models import Company, CompanyDomain, CompanyMember, CompanySSO
from .selectors import email_domain, sso_allowed_domains, sso_mandatory_company, sso_provider_id
from .services import _attach_employer, is_programme_admin


def password_refusal(emails: Iterable[str]) -> str | None:
    """Why a person with these addresses may not use a password (sign-in, sign-up,
    reset), or None: their company requires its own sign-in for one of them."""
    company = sso_mandatory_company(emails)
    if company is None:
        return None
    return _(
        "%(company)s demande à ses salariés de se connecter avec leur compte "
        "d'entreprise, sans mot de passe : choisissez « Se connecter avec le compte de mon "
        "entreprise » sur la page de connexion et saisissez votre adresse professionnelle."
    ) % {"company": company.name}


@transaction.atomic
def company_join_by_sso(*, user: User, sso: CompanySSO, email: str) -> CompanyMember:
    """Make ``user``, who just signed in through the company's identity provider with
    ``email``, an employee of that company (an existing membership keeps its role).

    The provider vouches only for the company's allowed domains: any other address is
    refused here too, whatever the caller checked."""
    if email_domain(email) not in sso_allowed_domains(sso):
        raise ValidationError(
            _("Cette adresse n'appartient pas aux domaines de votre entreprise."),
            code="sso_domain",
        )
    member, created = CompanyMember.objects.get_or_create(company_id=sso.company_id, user=user)
    _attach_employer(user, sso.company_id)
    if created:
        log_action(
            member,
            "companymember.join_sso",
            actor=user,
            data={"company": sso.company_id, "domain": email_domain(email)},
        )
    return member


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _clean_issuer_url(value: str) -> str:
    issuer = (value or "").strip()
    for suffix in ("/.well-known/openid-configuration", "/"):
        issuer = issuer.removesuffix(suffix)
    try:
        URLValidator(schemes=["https", "http"])(issuer)
    except ValidationError as error:
        raise ValidationError(
            {"issuer_url": _("Saisissez l'adresse complète de l'émetteur, en https://.")}
        ) from error
    parts = urlsplit(issuer)
    # Plain HTTP only for a provider on the same machine (development and tests).
    if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
        raise ValidationError(
            {"issuer_url": _("L'adresse de l'émetteur doit commencer par https://.")}
        )
    return issuer


def _check_discovery(issuer: str) -> None:
    """The provider must answer its discovery document, for this very issuer: a typo
    is caught here rather than at an employee's first sign-in."""
    message = _(
        "Le fournisseur d'identité ne répond pas à cette adresse "
        "(%(url)s/.well-known/openid-configuration) : vérifiez l'adresse de l'émetteur."
    ) % {"url": issuer}
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ValidationError({"issuer_url": message}) from error
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ValidationError(
            {
                "issuer_url": _(
                    "Le fournisseur d'identité annonce un autre émetteur (%(issuer)s) : "
                    "copiez exactement l'adresse qu'il indique."
                )
                % {"issuer": str(document.get("issuer", "")) if isinstance(document, dict) else ""}
            }
        )
    if not all(document.get(key) for key in ("authorization_endpoint", "token_endpoint")):
        raise ValidationError({"issuer_url": message})


def company_sso_update(
    *,
    company_id: int,
    actor: "Actor",
    issuer_url: str,
    client_id: str,
    client_secret: str,
    domain_ids: Iterable[int],
    is_enabled: bool,
    is_mandatory: bool,
) -> CompanySSO:
    """A programme admin of a verified company configures its sign-in through its
    OpenID Connect provider (Microsoft Entra ID, Google Workspace, Okta...): the issuer,
    the client id and secret (an empty secret keeps the current one), which of the
    company's verified domains may sign in that way, and whether they must.

    The provider's settings go into allauth's ``SocialApp`` of the company, the secret
    as allauth stores it; it never reaches the audit log."""
    require(
        is_programme_admin(actor, company_id),
        _("Seuls les responsables des programmes configurent la connexion d'entreprise."),
    )
    company = Company.objects.get(pk=company_id)
    if not company.is_verified:
        raise ValidationError(
            _(
                "Votre structure n'est pas encore vérifiée par l'équipe de la plateforme : "
                "la connexion d'entreprise s'active une fois son numéro SIREN confirmé."
            ),
            code="company_unverified",
        )
    existing = CompanySSO.objects.filter(company=company).select_related("app").first()
    errors: dict[str, Any] = {}
    try:
        issuer = _clean_issuer_url(issuer_url)
    except ValidationError as error:
        errors.update(error.message_dict)
        issuer = ""
    client_id = (client_id or "").strip()
    if not client_id:
        errors["client_id"] = _("Indiquez l'identifiant client donné par le fournisseur.")
    elif len(client_id) > SocialApp._meta.get_field("client_id").max_length:
        errors["client_id"] = _("Cet identifiant client est trop long.")
    client_secret = (client_secret or "").strip()
    if not client_secret and existing is None:
        errors["client_secret"] = _("Indiquez le secret client donné par le fournisseur.")
    domain_ids = set(domain_ids or ())
    domains = list(CompanyDomain.objects.filter(company=company, pk__in=domain_ids))
    if len(domains) != len(domain_ids):
        errors["domains"] = _("Choisissez des domaines de votre entreprise.")
    elif is_enabled and not domains:
        errors["domains"] = _("Choisissez au moins un domaine autorisé.")
    if is_mandatory and not is_enabled:
        errors["is_mandatory"] = _(
            "Activez la connexion d'entreprise avant de la rendre obligatoire."
        )
    if errors:
        raise ValidationError(errors)
    if is_enabled:
        _check_discovery(issuer)
    return _company_sso_save(
        company=company,
        actor=actor,
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        domains=domains,
        is_enabled=bool(is_enabled),
        is_mandatory=bool(is_mandatory),
    )


@transaction.atomic
def _company_sso_save(
    *,
    company: Company,
    actor: "Actor",
    issuer: str,
    client_id: str,
    client_secret: str,
    domains: list[CompanyDomain],
    is_enabled: bool,
    is_mandatory: bool,
) -> CompanySSO:
    Company.objects.select_for_update().get(pk=company.pk)
    sso = CompanySSO.objects.filter(company=company).select_related("app").first()
    app = sso.app if sso else SocialApp(provider="openid_connect")
    app.provider_id = sso_provider_id(company.pk)
    app.name = company.name
    app.client_id = client_id
    if client_secret:
        app.secret = client_secret
    app.settings = {"server_url": issuer}
    app.save()
    app.sites.add(Site.objects.get_current())
    if sso is None:
        sso = CompanySSO(company=company, app=app)
    sso.is_enabled = is_enabled
    sso.is_mandatory = is_mandatory
    sso.save()
    sso.domains.set(domains)
    log_action(
        company,
        "company.update_sso",
        actor=actor,
        data={
            "issuer_url": issuer,
            "client_id": client_id,
            "secret_changed": bool(client_secret),
            "domains": sorted(domain.domain for domain in domains),
            "is_enabled": is_enabled,
            "is_mandatory": is_mandatory,
        },
    )
    return sso
