import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.images import ImageUploadField
from core.states import StateMachine
from core.validators import compact, validate_postcode, validate_rna, validate_siren_or_siret
from taxonomy.models import Place

if TYPE_CHECKING:
    from accounts.models import User


class AssociationQuerySet(models.QuerySet["Association"]):
    def verified(self) -> Self:
        return self.filter(verification_state=Association.State.VERIFIED)

    def in_staff_scope(self, user: "User") -> Self:
        scope = user.staff_departement_ids()
        return self if scope is None else self.filter(departement_id__in=scope)


class Association(Place):
    """A social-purpose structure, verified by staff before it can publish missions."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente de vérification")
        VERIFIED = "verified", _("Vérifiée")
        REJECTED = "rejected", _("Refusée")
        SUSPENDED = "suspended", _("Suspendue")

    class SizeBand(models.TextChoices):
        VOLUNTEERS_ONLY = "0", _("Bénévoles uniquement")
        SMALL = "1-9", _("1 à 9 salariés")
        MEDIUM = "10-49", _("10 à 49 salariés")
        LARGE = "50-249", _("50 à 249 salariés")
        VERY_LARGE = "250+", _("250 salariés ou plus")

    SMALL_SIZE_BANDS = {SizeBand.VOLUNTEERS_ONLY, SizeBand.SMALL}

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, unique=True)
    rna = models.CharField(
        _("numéro RNA"),
        max_length=10,
        blank=True,
        validators=[validate_rna],
        help_text=_("W suivi de 9 chiffres, pour une association déclarée en préfecture."),
    )
    siret = models.CharField(
        _("SIREN ou SIRET"),
        max_length=14,
        blank=True,
        validators=[validate_siren_or_siret],
        help_text=_("9 chiffres (SIREN) ou 14 chiffres (SIRET)."),
    )
    summary = models.CharField(_("en une phrase"), max_length=280, blank=True)
    description = models.TextField(_("description"), blank=True)
    causes = models.ManyToManyField(
        "taxonomy.Cause", verbose_name=_("causes"), blank=True, related_name="associations"
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    size_band = models.CharField(
        _("taille"), max_length=8, choices=SizeBand.choices, default=SizeBand.VOLUNTEERS_ONLY
    )
    founded_year = models.PositiveSmallIntegerField(
        _("année de création"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800)],
    )
    website = models.URLField(_("site web"), blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    logo = ImageUploadField(
        _("logo"),
        upload_to="associations/logos/",
        blank=True,
        help_text=_("JPEG, PNG ou WebP, 2 Mo et 2 000 pixels de côté au plus."),
    )

    verification_state = models.CharField(
        _("vérification"), max_length=16, choices=State.choices, default=State.PENDING
    )
    rejection_reason = models.TextField(_("motif du refus ou de la suspension"), blank=True)
    verified_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = AssociationQuerySet.as_manager()

    # Set on the associations of a member's board (missions.selectors.dashboard).
    is_admin: bool

    states = StateMachine(
        "verification_state",
        _("l'association"),
        [
            ("verify", [State.PENDING, State.REJECTED], State.VERIFIED),
            ("reject", [State.PENDING], State.REJECTED),
            ("resubmit", [State.REJECTED], State.PENDING),
            ("suspend", [State.VERIFIED], State.SUSPENDED),
            ("reinstate", [State.SUSPENDED], State.VERIFIED),
        ],
    )

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]
        indexes = [models.Index(fields=["verification_state", "departement"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("associations:detail", kwargs={"slug": self.slug})

    def clean_fields(self, exclude=None):
        # People type identifiers with spaces and dots; store and check them compact.
        self.rna = compact(self.rna)
        self.siret = compact(self.siret)
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        if not self.rna and not self.siret:
            raise ValidationError(
                _("Indiquez le numéro RNA ou le SIREN/SIRET de l'association."),
                code="legal_identity_required",
            )
        if self.founded_year and self.founded_year > datetime.date.today().year:
            raise ValidationError(
                {"founded_year": _("L'année de création ne peut pas être dans le futur.")}
            )
        if self.postcode:
            validate_postcode(self.postcode)

    @property
    def is_verified(self) -> bool:
        return self.verification_state == self.State.VERIFIED

    @property
    def is_small(self) -> bool:
        return self.size_band in self.SMALL_SIZE_BANDS

    def has_member(self, user, *, admin_only: bool = False) -> bool:
        if not user.is_authenticated:
            return False
        members = self.members.filter(user=user)
        if admin_only:
            members = members.filter(role=AssociationMember.Role.ADMIN)
        return members.exists()


class AssociationMember(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Responsable")
        MEMBER = "member", _("Membre")

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="association_memberships",
    )
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'association")
        verbose_name_plural = _("membres d'associations")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"], name="unique_association_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.association} ({self.get_role_display()})"
