"""Validators for French identifiers, with messages a person can act on."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren, siret

RNA_RE = re.compile(r"^W\d{9}$")
POSTCODE_RE = re.compile(r"^\d{5}$")
DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_rna(value: str) -> None:
    if not RNA_RE.match(compact(value)):
        raise ValidationError(
            _(
                "Le numéro RNA « %(value)s » n'est pas valide : il commence par W suivi de "
                "9 chiffres (par exemple W751234567)."
            ),
            code="invalid_rna",
            params={"value": value},
        )


def validate_siren(value: str) -> None:
    if not siren.is_valid(compact(value)):
        raise ValidationError(
            _(
                "Le numéro SIREN « %(value)s » n'est pas valide : il compte 9 chiffres et "
                "sa clé de contrôle doit être juste."
            ),
            code="invalid_siren",
            params={"value": value},
        )


def validate_siren_or_siret(value: str) -> None:
    number = compact(value)
    if len(number) == 14:
        if not siret.is_valid(number):
            raise ValidationError(
                _(
                    "Le numéro SIRET « %(value)s » n'est pas valide : il compte 14 chiffres "
                    "et sa clé de contrôle doit être juste."
                ),
                code="invalid_siret",
                params={"value": value},
            )
        return
    if len(number) != 9:
        raise ValidationError(
            _("« %(value)s » n'est ni un SIREN (9 chiffres) ni un SIRET (14 chiffres)."),
            code="invalid_siren_siret",
            params={"value": value},
        )
    validate_siren(value)


def departement_code_for_postcode(postcode: str) -> str | None:
    """The département a French postcode belongs to, or None if it is not one."""
    if not POSTCODE_RE.match(postcode or ""):
        return None
    if postcode.startswith("97"):
        code = postcode[:3]
        return code if code in {"971", "972", "973", "974", "976"} else None
    if postcode.startswith("20"):
        return "2A" if int(postcode) < 20200 else "2B"
    code = postcode[:2]
    return code if code not in {"00", "96", "98", "99"} else None


def validate_postcode(value: str) -> None:
    if departement_code_for_postcode(value) is None:
        raise ValidationError(
            _(
                "Le code postal « %(value)s » n'est pas valide : il compte 5 chiffres et "
                "commence par un numéro de département français (par exemple 69003)."
            ),
            code="invalid_postcode",
            params={"value": value},
        )


def validate_email_domain(value: str) -> None:
    if not DOMAIN_RE.match((value or "").lower()):
        raise ValidationError(
            _("« %(value)s » n'est pas un nom de domaine valide (par exemple entreprise.fr)."),
            code="invalid_domain",
            params={"value": value},
        )


def validate_https_url(value: str) -> None:
    """A link people will open (a LinkedIn profile, a CV): a complete https address."""
    try:
        _HTTPS_URL(value)
    except ValidationError:
        # Its own code: a form field would replace the code "invalid" by its own message.
        raise ValidationError(
            _("Saisissez une adresse complète commençant par https://."), code="not_https"
        ) from None


_HTTPS_URL = URLValidator(schemes=["https"])


PHONE_RE = re.compile(r"^\+?[\d\s.\-()]{8,25}$")


def validate_phone(value: str) -> None:
    digits = re.sub(r"\D", "", value or "")
    if not PHONE_RE.match(value or "") or not 9 <= len(digits) <= 15:
        raise ValidationError(
            _(
                "Le numéro « %(value)s » n'est pas valide : écrivez-le en chiffres, par "
                "exemple 06 12 34 56 78 ou +33 6 12 34 56 78."
            ),
            code="invalid_phone",
            params={"value": value},
        )
