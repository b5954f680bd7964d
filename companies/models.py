import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
    auto_approval_max_hours = models.PositiveIntegerField(
        _("validation automatique jusqu'à (heures)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Une mission dont la charge ne dépasse pas ce nombre d'heures, et qui tient dans "
            "l'enveloppe restante du salarié, est validée sans attendre. Vide : jamais."
        ),
    )
    year_start_month = models.PositiveSmallIntegerField(
        _("premier mois de l'année de mécénat"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("1 : année civile ; un autre mois : exercice décalé."),
    )
    loaded_hourly_cost = models.DecimalField(
        _("coût horaire chargé moyen (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Salaire et charges d'une heure de travail, pour valoriser le mécénat."),
    )
    annual_turnover = models.DecimalField(
        _("chiffre d'affaires annuel hors taxes (€)"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Sert au plafond de la réduction d'impôt."),
    )
    verified_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
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

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def allowance_year(self, day: datetime.date) -> tuple[datetime.date, datetime.date]:
        """First and last day of the allowance year that contains ``day``."""
        month = self.year_start_month or 1
        year = day.year if day.month >= month else day.year - 1
        start = datetime.date(year, month, 1)
        end = datetime.date(year + 1, month, 1) - datetime.timedelta(days=1)
        return start, end


class CostBand(models.Model):
    """A band of employees with its own loaded hourly cost (e.g. "Cadres", "Experts")."""

    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="cost_bands"
    )
    name = models.CharField(_("nom"), max_length=100)
    hourly_cost = models.DecimalField(
        _("coût horaire chargé (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("tranche de coût horaire")
        verbose_name_plural = _("tranches de coût horaire")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="unique_cost_band_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hourly_cost} €/h)"


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

    # The company's staff: they approve work-time engagements (a manager those of the
    # employees they manage or of anyone without a manager, see companies.selectors).
    STAFF_ROLES = (Role.MANAGER, Role.PROGRAMME_ADMIN)

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
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Valide ses engagements sur le temps de travail, avec les responsables."),
    )
    site = models.CharField(_("site"), max_length=100, blank=True)
    invitation_sent_at = models.DateTimeField(_("invitation envoyée le"), null=True, blank=True)
    cost_band = models.ForeignKey(
        CostBand,
        verbose_name=_("tranche de coût horaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
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

    @property
    def is_company_staff(self) -> bool:
        return self.role in self.STAFF_ROLES


class ApprovalReminder(models.Model):
    """When approvers were last reminded of a work-time application still waiting."""

    application = models.OneToOneField(
        "missions.Application",
        verbose_name=_("candidature"),
        on_delete=models.CASCADE,
        related_name="approval_reminder",
    )
    sent_at = models.DateTimeField(_("dernière relance le"))
    count = models.PositiveSmallIntegerField(_("relances"), default=0)

    class Meta:
        verbose_name = _("relance de validation")
        verbose_name_plural = _("relances de validation")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.count}"


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
    registrations_open = models.BooleanField(
        _("inscriptions ouvertes"),
        default=True,
        help_text=_(
            "Décochez pour fermer les inscriptions avant le début. Elles ferment de toute "
            "façon au début du programme et à la publication des équipes."
        ),
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

    class Teams(models.TextChoices):
        NONE = "", _("Pas encore constituées")
        PROPOSED = "proposed", _("Proposées, à ajuster")
        PUBLISHED = "published", _("Publiées")

    teams_state = models.CharField(
        _("équipes"), max_length=16, choices=Teams.choices, default=Teams.NONE, blank=True
    )
    teams_published_at = models.DateTimeField(_("équipes publiées le"), null=True, blank=True)
    # Calendars that subscribed to it learn of an edit through this (core.calendars).
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

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

    @property
    def is_event(self) -> bool:
        """Short events whose volunteers are assigned to mission teams."""
        return self.kind in (self.Kind.MARATHON, self.Kind.FACTORY)

    def registration_open(self, today: datetime.date) -> bool:
        return (
            self.registrations_open
            and today <= self.starts_on
            and self.teams_state != self.Teams.PUBLISHED
        )


class ProgrammeRegistration(models.Model):
    """An employee signed up for a programme (for an event: to be put in a team)."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile",
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="programme_registrations",
    )
    registered_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscription à un programme")
        verbose_name_plural = _("inscriptions aux programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "volunteer"], name="one_registration_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} – {self.programme}"


class TeamAssignment(models.Model):
    """A registered volunteer placed in a mission's team for an event."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="teams"
    )
    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="team_assignments",
    )
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile",
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="team_assignments",
    )
    is_manual = models.BooleanField(_("ajustée à la main"), default=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("affectation à une équipe")
        verbose_name_plural = _("affectations aux équipes")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "volunteer"], name="one_team_per_volunteer_and_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.mission}"


class CompanySSO(models.Model):
    """A company's sign-in through its own identity provider, by OpenID Connect or SAML 2.0.

    The provider's settings live in allauth's ``SocialApp`` (``app``, whose ``provider`` is
    the protocol: ``openid_connect`` or ``saml``), as allauth reads them; this row holds
    the company's rules: which of its verified domains may sign in that way, and whether
    those domains must."""

    class Protocol(models.TextChoices):
        OPENID_CONNECT = "openid_connect", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    company = models.OneToOneField(
        Company, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="sso"
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp",
        verbose_name=_("application du fournisseur d'identité"),
        on_delete=models.PROTECT,
        related_name="company_sso",
    )
    domains = models.ManyToManyField(
        CompanyDomain, verbose_name=_("domaines autorisés"), related_name="sso", blank=True
    )
    is_enabled = models.BooleanField(_("connexion d'entreprise activée"), default=False)
    is_mandatory = models.BooleanField(
        _("obligatoire pour ces domaines"),
        default=False,
        help_text=_(
            "Les personnes de ces domaines ne peuvent plus se connecter ni s'inscrire "
            "avec un mot de passe."
        ),
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("connexion d'entreprise")
        verbose_name_plural = _("connexions d'entreprise")

    def __str__(self) -> str:
        return str(self.company)

    @property
    def protocol(self) -> str:
        return self.app.provider


class ReportSubscription(models.Model):
    """A person asks for a report by e-mail at the end of each period: their company's
    impact report (monthly or quarterly, the quarters following the company's year), or
    their association's yearly summary of the sponsorship it received (in January).

    It goes out while the person is still on the company's staff or a member of the
    association, and wants that kind of e-mail (``notifications`` preferences); turning
    it off deletes the row."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Chaque mois")
        QUARTERLY = "quarterly", _("Chaque trimestre")
        YEARLY = "yearly", _("Chaque année")

    COMPANY_FREQUENCIES = (Frequency.MONTHLY, Frequency.QUARTERLY)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("entreprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    frequency = models.CharField(_("fréquence"), max_length=16, choices=Frequency.choices)
    since = models.DateField(
        _("depuis le"), help_text=_("Les périodes finies avant cette date ne sont pas envoyées.")
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement à un rapport")
        verbose_name_plural = _("abonnements aux rapports")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        company__isnull=False,
                        association__isnull=True,
                        frequency__in=["monthly", "quarterly"],
                    )
                    | models.Q(company__isnull=True, association__isnull=False, frequency="yearly")
                ),
                name="report_subscription_company_or_association",
            ),
            models.UniqueConstraint(
                fields=["user", "company"],
                condition=models.Q(company__isnull=False),
                name="one_report_subscription_per_company",
            ),
            models.UniqueConstraint(
                fields=["user", "association"],
                condition=models.Q(association__isnull=False),
                name="one_report_subscription_per_association",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.company or self.association} ({self.frequency})"

    def last_period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The last period over by ``today``: the previous month, the previous quarter
        of the company's year, or the previous calendar year."""
        if self.frequency == self.Frequency.YEARLY:
            return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
        length = 1 if self.frequency == self.Frequency.MONTHLY else 3
        first_month = self.company.year_start_month if self.company else 1
        # Months since the start of a period (0 for a month; 0-2 within a quarter).
        into = (today.month - first_month) % length
        current = _add_months(today.replace(day=1), -into)
        start = _add_months(current, -length)
        return start, current - datetime.timedelta(days=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first of the month ``months`` after ``day``'s month (``day`` is a first)."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


class ReportDelivery(models.Model):
    """A scheduled report sent to a person for one period: sent once, whatever runs the
    task and however often."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="report_deliveries",
    )
    company = models.ForeignKey(
        Company, verbose_name=_("entreprise"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association"),
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rapport envoyé")
        verbose_name_plural = _("rapports envoyés")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company", "period_start", "period_end"],
                condition=models.Q(company__isnull=False),
                name="one_company_report_per_person_and_period",
            ),
            models.UniqueConstraint(
                fields=["user", "association", "period_start", "period_end"],
                condition=models.Q(association__isnull=False),
                name="one_association_summary_per_person_and_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.period_start} – {self.period_end}"
