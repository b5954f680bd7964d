"""Company single sign-on: a verified company's programme admin turns on sign-in through
the company's identity provider, by OpenID Connect or SAML 2.0, for some of its verified
e-mail domains, and may make it mandatory for them.

Each company has one allauth ``SocialApp`` (provider ``openid_connect`` or ``saml``,
provider id ``company-<pk>``) that allauth reads to sign people in; ``CompanySSO`` holds
the company's rules. The allauth side (which addresses a provider vouches for, joining the
company) is in ``sso_adapter.py``; the password rule that a mandatory sign-in imposes
is registered with accounts from ``apps.py``.
"""

import base64
import binascii
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from allauth.socialaccount.models import SocialApp
from cryptography import x509
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from accounts.models import User
from core.models import log_action
from core.permissions import Actor, require
from core.site import absolute_url

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
OIDC = CompanySSO.Protocol.OPENID_CONNECT
SAML = CompanySSO.Protocol.SAML

# Where the usual providers put the address and the names (Entra ID's claims, the
# standard OIDs, Okta's and Google Workspace's plain names); the NameID stands for the
# address when its format is emailAddress.
SAML_ATTRIBUTE_MAPPING = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "givenName",
        "firstName",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "sn",
        "lastName",
    ],
}


def _clean_address(value: str, field: str, *, strip: Iterable[str] = ()) -> str:
    """An https address of the provider's (plain HTTP only on the same machine, for
    development and tests), or a French error on ``field``."""
    address = (value or "").strip()
    for suffix in strip:
        address = address.removesuffix(suffix)
    try:
        URLValidator(schemes=["https", "http"])(address)
    except ValidationError as error:
        raise ValidationError({field: _("Saisissez l'adresse complète, en https://.")}) from error
    parts = urlsplit(address)
    if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
        raise ValidationError({field: _("L'adresse doit commencer par https://.")})
    return address


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


def _oidc_settings(
    *, issuer_url: str, client_id: str, client_secret: str, existing: CompanySSO | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The OpenID Connect provider's settings as allauth reads them, and the errors."""
    errors: dict[str, Any] = {}
    issuer = ""
    if not (issuer_url or "").strip():
        errors["issuer_url"] = _("Indiquez l'adresse de l'émetteur.")
    else:
        try:
            issuer = _clean_address(
                issuer_url, "issuer_url", strip=("/.well-known/openid-configuration", "/")
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if not client_id:
        errors["client_id"] = _("Indiquez l'identifiant client donné par le fournisseur.")
    elif len(client_id) > SocialApp._meta.get_field("client_id").max_length:
        errors["client_id"] = _("Cet identifiant client est trop long.")
    has_secret = existing is not None and existing.protocol == OIDC and bool(existing.app.secret)
    if not client_secret and not has_secret:
        errors["client_secret"] = _("Indiquez le secret client donné par le fournisseur.")
    return {"server_url": issuer}, errors


def _clean_certificate(text: str) -> str:
    """The base64 body of a PEM (or bare base64) X.509 certificate still valid today."""
    body = re.sub(r"-----(BEGIN|END) CERTIFICATE-----|\s", "", text or "")
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(body, validate=True))
    except (ValueError, binascii.Error) as error:
        raise ValidationError(
            {
                "saml_certificate": _(
                    "Ce certificat n'est pas lisible : collez le certificat de signature "
                    "X.509 du fournisseur, au format PEM (« -----BEGIN CERTIFICATE----- »)."
                )
            }
        ) from error
    if certificate.not_valid_after_utc < timezone.now():
        raise ValidationError(
            {
                "saml_certificate": _(
                    "Ce certificat a expiré le %(date)s : demandez le nouveau certificat de "
                    "signature du fournisseur."
                )
                % {"date": date_format(certificate.not_valid_after_utc, "DATE_FORMAT")}
            }
        )
    return body


def _fetch_saml_metadata(url: str, entity_id: str) -> dict[str, Any]:
    """The IdP described by the metadata at ``url`` (the one of ``entity_id``, if given),
    as python3-saml parses it: a wrong address is caught here rather than at an
    employee's first sign-in."""
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse_remote(
            url, entity_id=entity_id or None, timeout=10
        )
    except Exception as error:  # urllib's and the XML parser's errors alike
        raise ValidationError(
            {
                "saml_metadata_url": _(
                    "Les métadonnées du fournisseur d'identité ne répondent pas à cette "
                    "adresse, ou ne sont pas du XML SAML : vérifiez l'adresse."
                )
            }
        ) from error
    idp = parsed.get("idp") or {}
    if not idp.get("entityId"):
        if entity_id:
            raise ValidationError(
                {
                    "saml_entity_id": _(
                        "Les métadonnées ne décrivent pas de fournisseur d'identité "
                        "« %(entity)s » : copiez l'identifiant d'entité qu'elles indiquent, "
                        "ou laissez ce champ vide."
                    )
                    % {"entity": entity_id}
                }
            )
        raise ValidationError(
            {
                "saml_metadata_url": _(
                    "Ces métadonnées ne décrivent pas de fournisseur d'identité SAML."
                )
            }
        )
    if not (idp.get("singleSignOnService") or {}).get("url"):
        raise ValidationError(
            {
                "saml_metadata_url": _(
                    "Ce fournisseur n'annonce pas de connexion par redirection HTTP "
                    "(HTTP-Redirect) : activez-la chez lui."
                )
            }
        )
    if not (idp.get("x509cert") or (idp.get("x509certMulti") or {}).get("signing")):
        raise ValidationError(
            {
                "saml_metadata_url": _(
                    "Ces métadonnées ne donnent pas le certificat de signature du fournisseur."
                )
            }
        )
    return idp


def saml_metadata_cache_key(url: str, entity_id: str) -> str:
    """allauth's cache of a provider's metadata (see its ``fetch_metadata_url_config``)."""
    return f"saml.metadata.{url}.{entity_id}"


def saml_service_provider_urls(company_id: int) -> dict[str, str]:
    """What the company's IdP is told about the platform: its entity id (the address of
    its metadata) and where responses are posted. Sign-ins go through the French
    addresses (the default language, without prefix), so that the provider knows a
    single address."""
    slug = sso_provider_id(company_id)
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "entity_id": absolute_url(reverse("saml_metadata", args=[slug])),
            "metadata_url": absolute_url(reverse("saml_metadata", args=[slug])),
            "acs_url": absolute_url(reverse("saml_acs", args=[slug])),
        }


def _saml_settings(
    *,
    company_id: int,
    metadata_url: str,
    entity_id: str,
    sso_url: str,
    certificate: str,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The SAML 2.0 provider's settings as allauth reads them, and the errors: either the
    address of its metadata (Entra ID, Okta...), or its entity id, sign-in address and
    signing certificate (Google Workspace...)."""
    errors: dict[str, Any] = {}
    idp: dict[str, Any] = {}
    if len(entity_id) > 500:
        errors["saml_entity_id"] = _("Cet identifiant d'entité est trop long.")
    elif metadata_url:
        try:
            idp["metadata_url"] = _clean_address(metadata_url, "saml_metadata_url")
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            try:
                parsed = _fetch_saml_metadata(idp["metadata_url"], entity_id)
            except ValidationError as error:
                errors.update(error.message_dict)
            else:
                idp["entity_id"] = parsed["entityId"]
                cache.delete(saml_metadata_cache_key(idp["metadata_url"], idp["entity_id"]))
    else:
        if not entity_id:
            errors["saml_entity_id"] = _(
                "Indiquez l'identifiant d'entité du fournisseur, ou l'adresse de ses métadonnées."
            )
        idp["entity_id"] = entity_id
        if not sso_url:
            errors["saml_sso_url"] = _("Indiquez l'adresse de connexion unique (SSO).")
        else:
            try:
                idp["sso_url"] = _clean_address(sso_url, "saml_sso_url")
            except ValidationError as error:
                errors.update(error.message_dict)
        try:
            idp["x509cert"] = _clean_certificate(certificate)
        except ValidationError as error:
            errors.update(error.message_dict)
    config = {
        "idp": idp,
        "sp": {"entity_id": saml_service_provider_urls(company_id)["entity_id"]},
        "attribute_mapping": SAML_ATTRIBUTE_MAPPING,
        # Only signed assertions are believed, and only in answer to a sign-in started
        # here (an unsolicited response could sign someone into another's account).
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            # Addresses on an intranet host ("sso", "localhost") are addresses too.
            "allow_single_label_domains": True,
        },
    }
    return config, errors


def company_sso_update(
    *,
    company_id: int,
    actor: "Actor",
    domain_ids: Iterable[int],
    is_enabled: bool,
    is_mandatory: bool,
    protocol: str = OIDC,
    issuer_url: str = "",
    client_id: str = "",
    client_secret: str = "",
    saml_metadata_url: str = "",
    saml_entity_id: str = "",
    saml_sso_url: str = "",
    saml_certificate: str = "",
) -> CompanySSO:
    """A programme admin of a verified company configures its sign-in through its
    identity provider (Microsoft Entra ID, Google Workspace, Okta...): by OpenID Connect
    (the issuer, the client id and secret; an empty secret keeps the current one) or by
    SAML 2.0 (the address of the provider's metadata, or its entity id, sign-in address
    and certificate); which of the company's verified domains may sign in that way, and
    whether they must.

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
    client_id = (client_id or "").strip()
    client_secret = (client_secret or "").strip()
    if protocol == OIDC:
        provider_settings, errors = _oidc_settings(
            issuer_url=issuer_url,
            client_id=client_id,
            client_secret=client_secret,
            existing=existing,
        )
    elif protocol == SAML:
        provider_settings, errors = _saml_settings(
            company_id=company.pk,
            metadata_url=(saml_metadata_url or "").strip(),
            entity_id=(saml_entity_id or "").strip(),
            sso_url=(saml_sso_url or "").strip(),
            certificate=saml_certificate or "",
        )
        client_id, client_secret = sso_provider_id(company.pk), ""
    else:
        provider_settings = {}
        errors["protocol"] = _("Choisissez OpenID Connect ou SAML 2.0.")
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
    if is_enabled and protocol == OIDC:
        _check_discovery(provider_settings["server_url"])
    return _company_sso_save(
        company=company,
        actor=actor,
        protocol=protocol,
        provider_settings=provider_settings,
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
    protocol: str,
    provider_settings: dict[str, Any],
    client_id: str,
    client_secret: str,
    domains: list[CompanyDomain],
    is_enabled: bool,
    is_mandatory: bool,
) -> CompanySSO:
    Company.objects.select_for_update().get(pk=company.pk)
    sso = CompanySSO.objects.filter(company=company).select_related("app").first()
    app = sso.app if sso else SocialApp()
    if app.provider != protocol:
        app.secret = ""  # another protocol's secret is no use
    app.provider = protocol
    app.provider_id = sso_provider_id(company.pk)
    app.name = company.name
    app.client_id = client_id
    if client_secret:
        app.secret = client_secret
    app.settings = provider_settings
    app.save()
    app.sites.add(Site.objects.get_current())
    if sso is None:
        sso = CompanySSO(company=company, app=app)
    sso.is_enabled = is_enabled
    sso.is_mandatory = is_mandatory
    sso.save()
    sso.domains.set(domains)
    described = (
        {"issuer_url": provider_settings["server_url"], "client_id": client_id}
        if protocol == OIDC
        else {"idp": {k: v for k, v in provider_settings["idp"].items() if k != "x509cert"}}
    )
    log_action(
        company,
        "company.update_sso",
        actor=actor,
        data={
            "protocol": protocol,
            **described,
            "secret_changed": bool(client_secret),
            "domains": sorted(domain.domain for domain in domains),
            "is_enabled": is_enabled,
            "is_mandatory": is_mandatory,
        },
    )
    return sso
