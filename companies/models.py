from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import compact, validate_email_domain, validate_siren


class Company(models.Model):
    """A company or a corporate foundation that sponsors its people's skills."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Entreprise")
        FOUNDATION = "foundation", _("Fondation d'entreprise")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.COMPANY)
    siren = models.CharField(_("SIREN"), max_length=9, validators=[validate_siren])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("entreprise fondatrice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="foundations",
        help_text=_("Pour une fondation : l'entreprise qui l'a créée."),
    )
    yearly_allowance_hours = models.PositiveIntegerField(
        _("heures de mécénat par salarié et par an"),
        default=0,
        help_text=_("Temps de travail que chaque salarié peut donner chaque année."),
    )
    work_time_requires_approval = models.BooleanField(
        _("engagements sur le temps de travail soumis à validation"), default=True
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("entreprise ou fondation")
        verbose_name_plural = _("entreprises et fondations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None):
        self.siren = compact(self.siren)
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Une structure ne peut pas se fonder elle-même.")})


class CompanyDomain(models.Model):
    """An e-mail domain whose confirmed users join the company as employees."""

    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(
        _("domaine e-mail"), max_length=253, unique=True, validators=[validate_email_domain]
    )

    class Meta:
        verbose_name = _("domaine e-mail")
        verbose_name_plural = _("domaines e-mail")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def clean_fields(self, exclude=None):
        self.domain = (self.domain or "").strip().lower()
        super().clean_fields(exclude=exclude)


class CompanyMember(models.Model):
    class Role(models.TextChoices):
        EMPLOYEE = "employee", _("Salarié")
        MANAGER = "manager", _("Manager")
        PROGRAMME_ADMIN = "programme_admin", _("Responsable des programmes")

    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="company_memberships",
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    allowance_hours_override = models.PositiveIntegerField(
        _("heures de mécénat annuelles (exception)"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour appliquer la règle de l'entreprise."),
    )
    joined_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'entreprise")
        verbose_name_plural = _("membres d'entreprises")
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="unique_company_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.company} ({self.get_role_display()})"

    @property
    def yearly_allowance_hours(self) -> int:
        if self.allowance_hours_override is not None:
            return self.allowance_hours_override
        return self.company.yearly_allowance_hours


class Programme(models.Model):
    """A company's or foundation's engagement programme: an event, a week, a campaign."""

    class Kind(models.TextChoices):
        MARATHON = "marathon", _("Probono Marathon")
        FACTORY = "factory", _("Probono Factory")
        WEEK = "week", _("Semaine du pro bono")
        END_OF_CAREER = "end_of_career", _("Mécénat de fin de carrière")
        CAMPAIGN = "campaign", _("Campagne annuelle autour d'une cause")

    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    hours_budget = models.PositiveIntegerField(
        _("budget d'heures"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    causes = models.ManyToManyField(
        "taxonomy.Cause",
        verbose_name=_("causes éligibles"),
        blank=True,
        help_text=_("Vide : toutes les causes."),
    )
    departements = models.ManyToManyField(
        "taxonomy.Departement",
        verbose_name=_("territoires éligibles"),
        blank=True,
        help_text=_("Vide : tous les territoires."),
    )
    invited_associations = models.ManyToManyField(
        "associations.Association",
        verbose_name=_("associations invitées"),
        blank=True,
        help_text=_("Vide : toute association vérifiée."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fin ne peut pas précéder le début.")})
