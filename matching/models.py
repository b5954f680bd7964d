"""What the matching service stores: suggestions, the people's signals on them, runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Suggestion(models.Model):
    """A volunteer suggested for a mission (or a mission for a volunteer), with its reasons."""

    class Direction(models.TextChoices):
        FOR_MISSION = "for_mission", _("Bénévole suggéré pour la mission")
        FOR_VOLUNTEER = "for_volunteer", _("Mission suggérée au bénévole")

    class Source(models.TextChoices):
        ENGINE = "engine", _("Calculée")
        STAFF = "staff", _("Proposée par l'équipe")

    direction = models.CharField(_("sens"), max_length=16, choices=Direction.choices)
    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="suggestions",
        db_index=False,  # the (mission, direction, rank) index serves
    )
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile",
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="suggestions",
        db_index=False,  # the (volunteer, direction, rank) index serves
    )
    source = models.CharField(
        _("origine"), max_length=16, choices=Source.choices, default=Source.ENGINE
    )
    rank = models.PositiveSmallIntegerField(_("rang"))
    score = models.FloatField(_("score"))
    factors = models.JSONField(_("facteurs"), default=dict, blank=True)
    explanation_fr = models.TextField(_("explication (français)"), blank=True)
    explanation_en = models.TextField(_("explication (anglais)"), blank=True)
    note = models.TextField(_("note de l'équipe"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed below for staff proposals only
    )
    engine_version = models.CharField(_("version du moteur"), max_length=20, blank=True)
    computed_at = models.DateTimeField(_("calculée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["direction", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "mission", "volunteer"], name="one_suggestion_per_pair"
            )
        ]
        # Millions of rows are rewritten each night: every index costs on each insert,
        # so there is none that another one already covers.
        indexes = [
            models.Index(fields=["mission", "direction", "rank"]),
            models.Index(fields=["volunteer", "direction", "rank"]),
            models.Index(
                fields=["proposed_by"],
                condition=models.Q(proposed_by__isnull=False),
                name="suggestion_proposed_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} ↔ {self.mission} ({self.score:.2f})"

    @property
    def explanation(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "fr").startswith("en")
        return self.explanation_en if english else self.explanation_fr


class HiddenSuggestion(models.Model):
    """An association said this volunteer is not relevant for this mission: never again."""

    class Reason(models.TextChoices):
        SKILLS = "skills", _("Compétences insuffisantes pour ce besoin")
        LOCATION = "location", _("Trop loin")
        AVAILABILITY = "availability", _("Disponibilités incompatibles")
        ALREADY_KNOWN = "already_known", _("Déjà en contact par ailleurs")
        OTHER = "other", _("Autre raison")

    mission = models.ForeignKey(
        "missions.Mission", verbose_name=_("mission"), on_delete=models.CASCADE, related_name="+"
    )
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile",
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("motif"), max_length=16, choices=Reason.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    factors = models.JSONField(
        _("facteurs au moment du refus"),
        default=dict,
        blank=True,
        help_text=_("Pour mesurer plus tard quels facteurs mènent à des suggestions écartées."),
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("écartée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion écartée")
        verbose_name_plural = _("suggestions écartées")
        constraints = [
            models.UniqueConstraint(fields=["mission", "volunteer"], name="hide_suggestion_once")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} ✕ {self.mission}"


class MatchingRun(models.Model):
    """One computation of suggestions, followed by staff in the admin."""

    class Scope(models.TextChoices):
        FULL = "full", _("Recalcul complet")
        MISSION = "mission", _("Une mission")
        VOLUNTEER = "volunteer", _("Un bénévole")

    class State(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        SUCCEEDED = "succeeded", _("Terminé")
        FAILED = "failed", _("Échec")

    scope = models.CharField(_("portée"), max_length=16, choices=Scope.choices)
    target_id = models.PositiveBigIntegerField(_("objet"), null=True, blank=True)
    state = models.CharField(
        _("état"), max_length=16, choices=State.choices, default=State.QUEUED, db_index=True
    )
    chunks_total = models.PositiveIntegerField(_("lots"), default=1)
    chunks_done = models.PositiveIntegerField(_("lots terminés"), default=0)
    missions_count = models.PositiveIntegerField(_("missions"), default=0)
    volunteers_count = models.PositiveIntegerField(_("bénévoles"), default=0)
    suggestions_count = models.PositiveIntegerField(_("suggestions écrites"), default=0)
    engine_version = models.CharField(_("version du moteur"), max_length=20, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fini le"), null=True, blank=True)

    class Meta:
        verbose_name = _("calcul de suggestions")
        verbose_name_plural = _("calculs de suggestions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} #{self.pk} ({self.get_state_display()})"

    @property
    def progress(self) -> int:
        """Percentage of chunks done."""
        if not self.chunks_total:
            return 0
        return min(100, round(100 * self.chunks_done / self.chunks_total))

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
