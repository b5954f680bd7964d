from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.images import ImageUploadField
from core.validators import validate_https_url, validate_phone, validate_postcode
from taxonomy.choices import ChoiceListValidator, Language, LocationMode
from taxonomy.models import Place


class SkillLevel(models.IntegerChoices):
    BEGINNER = 1, _("Notions")
    PRACTITIONER = 2, _("Pratique régulière")
    ADVANCED = 3, _("Confirmé")
    EXPERT = 4, _("Expert")


class TimeSlot(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", _("En semaine, en journée")
    WEEKDAY_EVENING = "weekday_evening", _("En semaine, en soirée")
    WEEKEND = "weekend", _("Le week-end")


class VolunteerProfileQuerySet(models.QuerySet["VolunteerProfile"]):
    def visible(self) -> Self:
        return self.filter(is_visible=True, user__is_active=True)


class VolunteerProfile(Place):
    """What a volunteer offers: skills with levels, causes, time, place and formats."""

    class Seniority(models.TextChoices):
        JUNIOR = "junior", _("Junior (moins de 5 ans d'expérience)")
        EXPERIENCED = "experienced", _("Expérimenté (5 à 15 ans)")
        SENIOR = "senior", _("Senior (plus de 15 ans)")
        RETIREE = "retiree", _("Retraité")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="volunteer_profile",
    )
    headline = models.CharField(_("titre"), max_length=160, blank=True)
    bio = models.TextField(_("présentation"), blank=True)
    occupation = models.CharField(_("métier actuel ou passé"), max_length=160, blank=True)
    experience = models.TextField(
        _("expérience"),
        blank=True,
        max_length=4000,
        help_text=_("Vos expériences utiles aux associations : postes, projets, engagements."),
    )
    profile_url = models.URLField(
        _("profil LinkedIn ou CV en ligne"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
    )
    photo = ImageUploadField(
        _("photo"),
        upload_to="volunteers/photos/",
        blank=True,
        help_text=_("JPEG, PNG ou WebP, 2 Mo et 2 000 pixels de côté au plus."),
    )
    phone = models.CharField(
        _("téléphone"),
        max_length=25,
        blank=True,
        validators=[validate_phone],
        help_text=_("Donné aux associations seulement quand elles acceptent votre candidature."),
    )
    seniority = models.CharField(
        _("séniorité"), max_length=16, choices=Seniority.choices, default=Seniority.EXPERIENCED
    )
    causes = models.ManyToManyField(
        "taxonomy.Cause", verbose_name=_("causes"), blank=True, related_name="volunteers"
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("heures disponibles par mois"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    available_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    time_slots = models.JSONField(
        _("créneaux"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(TimeSlot.values)],
    )
    accepts_remote = models.BooleanField(_("accepte les missions à distance"), default=True)
    accepts_on_site = models.BooleanField(_("accepte les missions sur place"), default=True)
    accepts_hybrid = models.BooleanField(_("accepte les missions hybrides"), default=True)
    max_distance_km = models.PositiveSmallIntegerField(
        _("distance maximale (km)"),
        default=30,
        validators=[MaxValueValidator(1000)],
    )
    languages = models.JSONField(
        _("langues"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(Language.values)],
    )
    employer = models.ForeignKey(
        "companies.Company",
        verbose_name=_("employeur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteers",
    )
    is_visible = models.BooleanField(
        _("visible des associations"),
        default=True,
        help_text=_("Les associations peuvent voir le profil et proposer des missions."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = VolunteerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profil bénévole")
        verbose_name_plural = _("profils bénévoles")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.user)

    def clean(self):
        super().clean()
        if (
            self.available_from
            and self.available_until
            and self.available_until < self.available_from
        ):
            raise ValidationError(
                {"available_until": _("La fin de disponibilité précède son début.")}
            )
        if not (self.accepts_remote or self.accepts_on_site or self.accepts_hybrid):
            raise ValidationError(
                _("Choisissez au moins un format : à distance, sur place ou hybride.")
            )
        if self.postcode:
            validate_postcode(self.postcode)

    def accepts(self, mode: str) -> bool:
        accepted: dict[str, bool] = {
            LocationMode.REMOTE: self.accepts_remote,
            LocationMode.ON_SITE: self.accepts_on_site,
            LocationMode.HYBRID: self.accepts_hybrid,
        }
        return accepted[mode]


class VolunteerSkill(models.Model):
    profile = models.ForeignKey(
        VolunteerProfile, verbose_name=_("profil"), on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.ForeignKey(
        "taxonomy.Skill", verbose_name=_("compétence"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("niveau"), choices=SkillLevel.choices, default=SkillLevel.PRACTITIONER
    )

    class Meta:
        verbose_name = _("compétence du bénévole")
        verbose_name_plural = _("compétences du bénévole")
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="unique_volunteer_skill"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="volunteer_skill_level_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"


class Favourite(models.Model):
    """A mission a volunteer keeps aside to come back to."""

    volunteer = models.ForeignKey(
        VolunteerProfile,
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="favourites",
    )
    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mission favorite")
        verbose_name_plural = _("missions favorites")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "mission"], name="one_favourite_per_mission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} ♥ {self.mission_id}"
