from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Departement


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class SignupRole(models.TextChoices):
    """Who a person said they were when signing up: it decides their first steps."""

    VOLUNTEER = "volunteer", _("Je suis bénévole")
    ASSOCIATION = "association", _("Je représente une association")
    COMPANY = "company", _("Je représente une entreprise")


class User(AbstractUser):
    """A person, who logs in with an e-mail address.

    Staff are platform staff (they see everything) unless they are territorial
    referents, who only act on the départements they are given, or on whole régions.
    """

    # Django's way to drop a field of AbstractUser; the stubs type it as str.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse e-mail"), unique=True)
    language = models.CharField(
        _("langue"),
        max_length=5,
        choices=[("fr", _("Français")), ("en", _("English"))],
        default="fr",
        help_text=_("Langue des e-mails envoyés à cette personne."),
    )
    is_referent = models.BooleanField(
        _("référent territorial"),
        default=False,
        help_text=_(
            "Membre de l'équipe limité aux départements et régions ci-dessous : il y vérifie "
            "les associations et modère les missions."
        ),
    )
    signup_role = models.CharField(
        _("profil choisi à l'inscription"),
        max_length=16,
        choices=SignupRole.choices,
        blank=True,
        help_text=_("Décide de la page d'accueil proposée tant que l'espace n'est pas créé."),
    )
    referent_departements = models.ManyToManyField(
        "taxonomy.Departement",
        verbose_name=_("départements suivis"),
        blank=True,
        related_name="referents",
    )
    referent_regions = models.ManyToManyField(
        "taxonomy.Region", verbose_name=_("régions suivies"), blank=True, related_name="referents"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # A manager for e-mail logins; the stubs pin AbstractUser's to Django's UserManager.
    objects = UserManager()  # type: ignore[misc, assignment]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name

    # One display rule for a person's name, so that no page shows an e-mail address
    # instead. A person without a name (an account older than the names) gets a
    # neutral label until they give it: they are asked at their next sign-in.

    @property
    def has_name(self) -> bool:
        return bool(self.first_name.strip() and self.last_name.strip())

    @property
    def full_name(self) -> str:
        """The name shown to those who work with the person: the association to its
        applicants and volunteers, the company to its employees, staff."""
        return " ".join(self.get_full_name().split()) or self.unnamed_label

    @property
    def public_name(self) -> str:
        """The name shown to the public and to other volunteers: "Prénom N."."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if not first:
            return self.unnamed_label
        return f"{first} {last[:1].upper()}." if last else first

    @property
    def unnamed_label(self) -> str:
        if self.signup_role in (SignupRole.ASSOCIATION, SignupRole.COMPANY):
            return _("Membre n° %(number)s") % {"number": self.pk}
        return _("Bénévole n° %(number)s") % {"number": self.pk}

    @property
    def is_platform_staff(self) -> bool:
        return self.is_active and (self.is_superuser or (self.is_staff and not self.is_referent))

    def staff_departement_ids(self) -> set[int] | None:
        """Départements this staff member may act on; None means all of them."""
        if not (self.is_active and self.is_staff):
            return set()
        if self.is_platform_staff:
            return None

        return set(
            Departement.objects.filter(
                models.Q(pk__in=self.referent_departements.all())
                | models.Q(region__in=self.referent_regions.all())
            ).values_list("pk", flat=True)
        )

    def can_moderate_departement(self, departement_id: int | None) -> bool:
        scope = self.staff_departement_ids()
        return scope is None or (departement_id is not None and departement_id in scope)


class AccountRetention(models.Model):
    """How long a person's account is kept while they are away, and what they were told.

    An account nobody signs in to for ``ACCOUNT_RETENTION_YEARS`` is anonymised
    (``accounts.retention``), after two e-mails; staff may keep it longer. Anonymised
    accounts keep this row, which says when that happened."""

    user = models.OneToOneField(
        User,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="retention",
    )
    keep_until = models.DateField(
        _("conserver au moins jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Le compte n'est pas anonymisé pour inactivité avant cette date."),
    )
    warned_deadline = models.DateField(
        _("date d'anonymisation annoncée"),
        null=True,
        blank=True,
        help_text=_("L'échéance dont les e-mails de prévenance ci-dessous parlaient."),
    )
    first_warning_at = models.DateTimeField(_("premier e-mail envoyé le"), null=True, blank=True)
    last_warning_at = models.DateTimeField(_("dernier e-mail envoyé le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("conservation du compte")
        verbose_name_plural = _("conservation des comptes")

    def __str__(self) -> str:
        return str(self.user)


class CalendarFeed(models.Model):
    """A person's secret calendar address: calendar software subscribes to it without
    signing in, so the address itself is the key. Only its SHA-256 is kept (the address
    is shown once); regenerating replaces it and revoking deletes it, after which the
    old address answers 404."""

    user = models.OneToOneField(
        User,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("dernière lecture le"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda personnel")
        verbose_name_plural = _("agendas personnels")

    def __str__(self) -> str:
        return str(self.user)
