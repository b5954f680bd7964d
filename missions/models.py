import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.states import StateMachine
from core.validators import validate_postcode
from taxonomy.choices import ChoiceListValidator, Language, LocationMode
from taxonomy.models import Place
from volunteers.models import SkillLevel, VolunteerProfile

if TYPE_CHECKING:
    from accounts.models import User


class MissionQuerySet(models.QuerySet["Mission"]):
    def published(self) -> Self:
        return self.filter(state=Mission.State.PUBLISHED)

    def public(self) -> Self:
        """Missions anyone may look at: on the public pages, in the API, to apply to."""
        return self.filter(state__in=Mission.PUBLIC_STATES)

    def open_for_applications(self) -> Self:
        today = timezone.localdate()
        return self.published().filter(
            models.Q(application_deadline__isnull=True) | models.Q(application_deadline__gte=today)
        )

    def in_staff_scope(self, user: "User") -> Self:
        scope = user.staff_departement_ids()
        if scope is None:
            return self
        return self.filter(
            models.Q(departement_id__in=scope)
            | models.Q(departement__isnull=True, association__departement_id__in=scope)
        )

    def newest_first(self) -> Self:
        return self.order_by("-published_at", "-pk")

    def with_taken_seats(self) -> Self:
        return self.annotate(taken_seats=taken_seats())


def taken_seats() -> Coalesce:
    """The seats taken on the mission of the outer query, as a correlated subquery (not
    a join and a GROUP BY): a page of the newest missions counts the applications of its
    few rows only, not of every mission before the LIMIT."""
    taken = (
        Application.objects.filter(mission=models.OuterRef("pk"), state__in=Application.SEAT_STATES)
        .order_by()
        .values("mission")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    return Coalesce(models.Subquery(taken, output_field=models.IntegerField()), models.Value(0))


# What an association writes on a mission, in the order its forms, imports and the API
# show them. The city and postcode only locate it (the services find its place).
MISSION_INPUT_FIELDS = (
    "title",
    "summary",
    "description",
    "deliverable",
    "cause",
    "format",
    "location_mode",
    "address",
    "city",
    "postcode",
    "start_date",
    "end_date",
    "application_deadline",
    "effort_hours",
    "hours_per_week",
    "seats",
    "languages",
    "preferred_seniority",
)


class Mission(Place):
    """A need an association posts, with the skills it asks for."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumise à validation")
        PUBLISHED = "published", _("Publiée")
        IN_PROGRESS = "in_progress", _("En cours")
        COMPLETED = "completed", _("Terminée")
        CANCELLED = "cancelled", _("Annulée")
        EXPIRED = "expired", _("Expirée")

    # The states in which anyone may see a mission; drafts, missions under moderation,
    # cancelled and expired ones stay with their association (and staff).
    PUBLIC_STATES = (State.PUBLISHED, State.IN_PROGRESS, State.COMPLETED)

    class Format(models.TextChoices):
        MISSION = "mission", _("Mission pro bono")
        MARATHON = "marathon", _("Probono Marathon")
        MENTORING = "mentoring", _("Mentorat")
        WORKSHOP = "workshop", _("Atelier")

    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="missions",
    )
    title = models.CharField(_("titre"), max_length=160)
    summary = models.CharField(_("résumé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    deliverable = models.TextField(_("livrable attendu"), blank=True)
    cause = models.ForeignKey(
        "taxonomy.Cause",
        verbose_name=_("cause"),
        on_delete=models.PROTECT,
        related_name="missions",
    )
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.MISSION
    )
    location_mode = models.CharField(
        _("lieu"), max_length=16, choices=LocationMode.choices, default=LocationMode.REMOTE
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    application_deadline = models.DateField(_("date limite de candidature"), null=True, blank=True)
    effort_hours = models.PositiveIntegerField(
        _("charge totale (heures)"), validators=[MinValueValidator(1)], default=10
    )
    hours_per_week = models.DecimalField(
        _("heures par semaine"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    seats = models.PositiveSmallIntegerField(
        _("nombre de bénévoles recherchés"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    languages = models.JSONField(
        _("langues requises"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(Language.values)],
    )
    preferred_seniority = models.CharField(
        _("séniorité souhaitée"),
        max_length=16,
        blank=True,
        choices=VolunteerProfile.Seniority.choices,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("mission d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text=_("Pour une mission issue du découpage d'une mission trop large."),
    )
    programme = models.ForeignKey(
        "companies.Programme",
        verbose_name=_("programme d'entreprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="missions",
    )
    state = models.CharField(
        _("état"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_reason = models.TextField(_("motif"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = MissionQuerySet.as_manager()

    # Set on the rows read through with_taken_seats() (the queryset's or the selector's).
    taken_seats: int

    states = StateMachine(
        "state",
        _("la mission"),
        [
            ("submit", [State.DRAFT], State.SUBMITTED),
            ("request_changes", [State.SUBMITTED], State.DRAFT),
            ("publish", [State.SUBMITTED], State.PUBLISHED),
            ("start", [State.PUBLISHED], State.IN_PROGRESS),
            ("complete", [State.IN_PROGRESS], State.COMPLETED),
            (
                "cancel",
                [State.DRAFT, State.SUBMITTED, State.PUBLISHED, State.IN_PROGRESS],
                State.CANCELLED,
            ),
            ("expire", [State.PUBLISHED], State.EXPIRED),
        ],
    )

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["state", "application_deadline"]),
            # The newest published missions (home page, lists) without sorting them all.
            models.Index(fields=["state", "-published_at", "-id"], name="mission_state_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("missions:detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La fin de la mission précède son début.")
        if (
            self.application_deadline
            and self.end_date
            and self.application_deadline > self.end_date
        ):
            errors["application_deadline"] = _(
                "La date limite de candidature doit précéder la fin de la mission."
            )
        if self.location_mode != LocationMode.REMOTE and not (self.city or self.postcode):
            errors["city"] = _("Indiquez où se déroule une mission sur place ou hybride.")
        if self.postcode:
            try:
                validate_postcode(self.postcode)
            except ValidationError as error:
                errors["postcode"] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def is_remote(self) -> bool:
        return self.location_mode == LocationMode.REMOTE

    def taken_seat_count(self) -> int:
        if hasattr(self, "taken_seats"):
            return self.taken_seats
        return self.applications.filter(state__in=Application.SEAT_STATES).count()

    @property
    def free_seats(self) -> int:
        return max(self.seats - self.taken_seat_count(), 0)

    def is_open_for_applications(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.state == self.State.PUBLISHED and (
            self.application_deadline is None or self.application_deadline >= today
        )


class MissionSkill(models.Model):
    class Importance(models.TextChoices):
        REQUIRED = "required", _("Indispensable")
        NICE_TO_HAVE = "nice_to_have", _("Souhaitée")

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="skills"
    )
    skill = models.ForeignKey(
        "taxonomy.Skill", verbose_name=_("compétence"), on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField(
        _("niveau minimum"), choices=SkillLevel.choices, default=SkillLevel.PRACTITIONER
    )
    importance = models.CharField(
        _("importance"), max_length=16, choices=Importance.choices, default=Importance.REQUIRED
    )

    class Meta:
        verbose_name = _("compétence recherchée")
        verbose_name_plural = _("compétences recherchées")
        constraints = [
            models.UniqueConstraint(fields=["mission", "skill"], name="unique_mission_skill")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ≥ {self.get_min_level_display()} ({self.get_importance_display()})"


class Application(models.Model):
    """A volunteer's engagement on a mission, from application to completion."""

    class State(models.TextChoices):
        APPLIED = "applied", _("Candidature envoyée")
        WAITLISTED = "waitlisted", _("Sur liste d'attente")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")
        WITHDRAWN = "withdrawn", _("Retirée")
        ACTIVE = "active", _("En cours")
        COMPLETED = "completed", _("Terminée")
        ABANDONED = "abandoned", _("Abandonnée")

    class Origin(models.TextChoices):
        APPLIED = "applied", _("Candidature spontanée")
        SUGGESTED = "suggested", _("Suggestion de la plateforme")
        INVITED = "invited", _("Invitation de l'association")
        STAFF = "staff", _("Proposée par l'équipe")

    class DeclineReason(models.TextChoices):
        SKILLS_MISMATCH = "skills_mismatch", _("Compétences ne correspondant pas au besoin")
        AVAILABILITY = "availability", _("Disponibilités incompatibles")
        LOCATION = "location", _("Lieu incompatible")
        MISSION_FILLED = "mission_filled", _("Mission déjà pourvue")
        MISSION_CHANGED = "mission_changed", _("Le besoin a changé")
        OTHER = "other", _("Autre raison")

    class WithdrawalReason(models.TextChoices):
        NO_LONGER_AVAILABLE = "no_longer_available", _("Plus disponible")
        FOUND_OTHER_MISSION = "found_other_mission", _("Engagé sur une autre mission")
        MISSION_NOT_AS_EXPECTED = (
            "not_as_expected",
            _("La mission ne correspond pas à mes attentes"),
        )
        NO_ANSWER = "no_answer", _("Pas de réponse de l'association")
        APPROVAL_REFUSED = "approval_refused", _("Refusée par l'employeur")
        OTHER = "other", _("Autre raison")

    class Approval(models.TextChoices):
        NOT_REQUIRED = "not_required", _("Sans objet")
        PENDING = "pending", _("En attente de l'employeur")
        APPROVED = "approved", _("Validée par l'employeur")
        REFUSED = "refused", _("Refusée par l'employeur")

    # States in which the volunteer holds one of the mission's seats.
    SEAT_STATES = (State.ACCEPTED, State.ACTIVE, State.COMPLETED)
    # Set on the rows of an association's board (selectors.dashboard).
    is_slow: bool
    # States after which the same volunteer may not apply to the same mission again.
    OPEN_STATES = (State.APPLIED, State.WAITLISTED, State.ACCEPTED, State.ACTIVE)

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="applications"
    )
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile",
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    origin = models.CharField(
        _("origine"), max_length=16, choices=Origin.choices, default=Origin.APPLIED
    )
    suggestion_factors = models.JSONField(
        _("facteurs de la suggestion"),
        default=dict,
        blank=True,
        help_text=_(
            "Quand la plateforme suggérait cette mise en relation : ses facteurs au moment "
            "de la candidature, pour mesurer quels facteurs mènent aux engagements."
        ),
    )
    message = models.TextField(_("message"), blank=True)
    state = models.CharField(
        _("état"), max_length=16, choices=State.choices, default=State.APPLIED, db_index=True
    )
    decline_reason = models.CharField(
        _("motif du refus"), max_length=24, choices=DeclineReason.choices, blank=True
    )
    withdrawal_reason = models.CharField(
        _("motif du retrait"), max_length=24, choices=WithdrawalReason.choices, blank=True
    )
    state_message = models.TextField(_("message accompagnant la décision"), blank=True)
    is_work_time = models.BooleanField(_("sur le temps de travail"), default=False)
    approval_state = models.CharField(
        _("validation employeur"),
        max_length=16,
        choices=Approval.choices,
        default=Approval.NOT_REQUIRED,
    )
    planned_hours = models.PositiveIntegerField(_("heures prévues"), null=True, blank=True)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    states = StateMachine(
        "state",
        _("la candidature"),
        [
            ("accept", [State.APPLIED], State.ACCEPTED),
            ("waitlist", [State.APPLIED], State.WAITLISTED),
            ("promote", [State.WAITLISTED], State.APPLIED),
            ("decline", [State.APPLIED, State.WAITLISTED], State.DECLINED),
            ("withdraw", [State.APPLIED, State.WAITLISTED, State.ACCEPTED], State.WITHDRAWN),
            ("activate", [State.ACCEPTED], State.ACTIVE),
            ("complete", [State.ACTIVE], State.COMPLETED),
            ("abandon", [State.ACCEPTED, State.ACTIVE], State.ABANDONED),
        ],
    )
    approvals = StateMachine(
        "approval_state",
        _("la validation employeur"),
        [
            ("approve", [Approval.PENDING], Approval.APPROVED),
            ("refuse", [Approval.PENDING], Approval.REFUSED),
        ],
    )

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "volunteer"], name="one_application_per_volunteer_and_mission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.mission}"

    @property
    def is_cleared_by_employer(self) -> bool:
        return self.approval_state in (self.Approval.NOT_REQUIRED, self.Approval.APPROVED)

    @property
    def engagement_start(self) -> datetime.date | None:
        """The first day hours may be given: not before the volunteer was accepted, nor
        before the mission starts (a mission started early moves its start to that day)."""
        days = [self.mission.start_date]
        if self.decided_at is not None:
            days.append(timezone.localdate(self.decided_at))
        known = [day for day in days if day is not None]
        return max(known) if known else None


class HoursEntry(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("À valider")
        VALIDATED = "validated", _("Validées")
        REJECTED = "rejected", _("Refusées")

    application = models.ForeignKey(
        Application,
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="hours",
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("heures"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    description = models.CharField(_("travail réalisé"), max_length=300, blank=True)
    state = models.CharField(
        _("état"), max_length=16, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    rejection_reason = models.CharField(_("motif du refus"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("saisies le"), auto_now_add=True)

    states = StateMachine(
        "state",
        _("les heures"),
        [
            ("validate", [State.SUBMITTED], State.VALIDATED),
            ("reject", [State.SUBMITTED], State.REJECTED),
        ],
    )

    class Meta:
        verbose_name = _("heures déclarées")
        verbose_name_plural = _("heures déclarées")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.hours} h le {self.date:%d/%m/%Y}"


class Evaluation(models.Model):
    """How the engagement went, from one side; the association says what it can now do alone."""

    class Side(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        VOLUNTEER = "volunteer", _("Bénévole")

    class Objectives(models.TextChoices):
        MET = "met", _("Atteints")
        PARTLY = "partly", _("Partiellement atteints")
        NOT_MET = "not_met", _("Non atteints")

    application = models.ForeignKey(
        Application,
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    side = models.CharField(_("point de vue"), max_length=16, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(
        _("note sur 5"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    objectives = models.CharField(_("objectifs"), max_length=16, choices=Objectives.choices)
    skills_transferred = models.TextField(_("compétences transmises"), blank=True)
    autonomy_gained = models.TextField(
        _("ce que l'association sait désormais faire seule"), blank=True
    )
    can_continue_alone = models.BooleanField(
        _("l'association peut poursuivre seule"), null=True, blank=True
    )
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [
            models.UniqueConstraint(fields=["application", "side"], name="one_evaluation_per_side"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.get_side_display()} ({self.rating}/5)"


class MissionTemplate(models.Model):
    """A typical need, offered by the needs diagnosis as a ready-to-review mission draft."""

    class Domain(models.TextChoices):
        DIGITAL = "digital", _("Numérique")
        COMMUNICATION = "communication", _("Communication")
        FINANCE = "finance", _("Finances")
        LEGAL = "legal", _("Juridique")
        HR = "hr", _("Ressources humaines")
        STRATEGY = "strategy", _("Stratégie")
        FUNDRAISING = "fundraising", _("Collecte de fonds")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    domain = models.CharField(_("domaine"), max_length=20, choices=Domain.choices)
    title_fr = models.CharField(_("titre (français)"), max_length=160)
    title_en = models.CharField(_("titre (anglais)"), max_length=160)
    summary_fr = models.CharField(_("résumé (français)"), max_length=300)
    summary_en = models.CharField(_("résumé (anglais)"), max_length=300)
    deliverable_fr = models.TextField(_("livrable (français)"), blank=True)
    deliverable_en = models.TextField(_("livrable (anglais)"), blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=Mission.Format.choices, default=Mission.Format.MISSION
    )
    location_mode = models.CharField(
        _("lieu"), max_length=16, choices=LocationMode.choices, default=LocationMode.REMOTE
    )
    effort_hours = models.PositiveIntegerField(
        _("charge totale (heures)"), validators=[MinValueValidator(1)], default=20
    )
    hours_per_week = models.DecimalField(
        _("heures par semaine"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    is_active = models.BooleanField(_("proposé par le diagnostic"), default=True)

    class Meta:
        verbose_name = _("modèle de mission")
        verbose_name_plural = _("modèles de mission")
        ordering = ["domain", "code"]

    def __str__(self) -> str:
        return self.title

    def _localised(self, field: str) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "fr").startswith("en")
        return getattr(self, f"{field}_en" if english else f"{field}_fr")

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def summary(self) -> str:
        return self._localised("summary")

    @property
    def deliverable(self) -> str:
        return self._localised("deliverable")


class MissionTemplateSkill(models.Model):
    template = models.ForeignKey(
        MissionTemplate,
        verbose_name=_("modèle"),
        on_delete=models.CASCADE,
        related_name="skills",
    )
    skill = models.ForeignKey(
        "taxonomy.Skill", verbose_name=_("compétence"), on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField(
        _("niveau minimum"), choices=SkillLevel.choices, default=SkillLevel.PRACTITIONER
    )
    importance = models.CharField(
        _("importance"),
        max_length=16,
        choices=MissionSkill.Importance.choices,
        default=MissionSkill.Importance.REQUIRED,
    )

    class Meta:
        verbose_name = _("compétence du modèle")
        verbose_name_plural = _("compétences du modèle")
        constraints = [
            models.UniqueConstraint(fields=["template", "skill"], name="unique_template_skill")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_importance_display()})"


class Invitation(models.Model):
    """An association invites a suggested volunteer to apply to one of its missions."""

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="invitations"
    )
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile",
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "volunteer"], name="invite_once_per_mission")
        ]
        indexes = [models.Index(fields=["volunteer", "created_at"])]

    def __str__(self) -> str:
        return f"{self.mission} → {self.volunteer}"


class Testimonial(models.Model):
    """What a volunteer says of a completed engagement; the association chooses to publish it."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="testimonial",
    )
    text = models.TextField(_("témoignage"), max_length=2000)
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("témoignage")
        verbose_name_plural = _("témoignages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.application}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
