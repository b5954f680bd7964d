"""Enumerations shared by volunteers and missions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


class LocationMode(models.TextChoices):
    REMOTE = "remote", _("À distance")
    ON_SITE = "on_site", _("Sur place")
    HYBRID = "hybrid", _("Hybride")


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    SPANISH = "es", _("Espagnol")
    GERMAN = "de", _("Allemand")
    ITALIAN = "it", _("Italien")
    PORTUGUESE = "pt", _("Portugais")
    ARABIC = "ar", _("Arabe")
    CHINESE = "zh", _("Chinois")
    RUSSIAN = "ru", _("Russe")
    UKRAINIAN = "uk", _("Ukrainien")
    TURKISH = "tr", _("Turc")
    FRENCH_SIGN_LANGUAGE = "fsl", _("Langue des signes française")


@deconstructible
class ChoiceListValidator:
    """Validate a JSON list whose items must belong to a set of choices, without repeats."""

    def __init__(self, allowed: list[str]):
        self.allowed = list(allowed)

    def __call__(self, value) -> None:
        if not isinstance(value, list):
            raise ValidationError(_("Une liste de valeurs est attendue."), code="invalid_list")
        unknown = [str(item) for item in value if item not in self.allowed]
        if unknown:
            raise ValidationError(
                _("Valeur inconnue : %(values)s."),
                code="unknown_value",
                params={"values": ", ".join(unknown)},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("Une valeur est répétée."), code="repeated_value")

    def __eq__(self, other) -> bool:
        return isinstance(other, ChoiceListValidator) and self.allowed == other.allowed
