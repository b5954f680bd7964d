"""Reference data every other app speaks in: skills, causes, régions and départements."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    name_fr = models.CharField(_("nom (français)"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class SkillFamily(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("famille de compétences")
        verbose_name_plural = _("familles de compétences")
        ordering = ["name_fr"]


class Skill(BilingualName):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    family = models.ForeignKey(
        SkillFamily, verbose_name=_("famille"), on_delete=models.PROTECT, related_name="skills"
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("compétences proches"), blank=True, symmetrical=True
    )
    synonyms = models.TextField(
        _("synonymes"),
        blank=True,
        help_text=_(
            "Mots ou expressions que l'on tape pour cette compétence (abréviations, métiers, "
            "jargon), séparés par des virgules : « compta, comptable, expert-comptable ». "
            "La recherche de missions les comprend."
        ),
    )

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["name_fr"]

    def clean(self) -> None:
        super().clean()
        self.synonyms = ", ".join(self.synonym_list())

    def synonym_list(self) -> list[str]:
        """The synonyms, trimmed, without blanks or repeats, in their order."""
        return split_synonyms(self.synonyms)


def split_synonyms(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in text.split(","):
        word = " ".join(part.split())
        if word and word.casefold() not in {known.casefold() for known in seen}:
            seen[word] = None
    return list(seen)


class Cause(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    sdgs = models.JSONField(
        _("objectifs de développement durable"),
        default=list,
        help_text=_("Numéros des ODD de l'ONU (1 à 17) que la cause sert."),
    )

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["name_fr"]


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=80)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departements"
    )
    latitude = models.FloatField(_("latitude du centre"))
    longitude = models.FloatField(_("longitude du centre"))

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Place(models.Model):
    """A located address: what associations, missions and volunteers have in common."""

    city = models.CharField(_("ville"), max_length=120, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    departement = models.ForeignKey(
        Departement,
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None
