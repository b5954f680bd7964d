"""What the matching service stores: suggestions, the people's signals on them, runs."""

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .storage import StoredList


class SuggestionSource(models.TextChoices):
    ENGINE = "engine", _("Calculée")
    STAFF = "staff", _("Proposée par l'équipe")


class SuggestionList(models.Model):
    """The engine's best matches of one mission (volunteers) or one volunteer (missions).

    One row per owner, replaced whole: a reader sees the old list or the new one, never
    a mix, and a pair is never listed twice. ``items`` holds each pair's rank, score,
    factors and the facts its explanation is worded from (see :mod:`matching.storage`);
    :mod:`matching.selectors` reads them with the current state of the pairs (a mission
    closed, an application made, a suggestion hidden since).
    """

    class Direction(models.TextChoices):
        FOR_MISSION = "for_mission", _("Bénévoles suggérés pour la mission")
        FOR_VOLUNTEER = "for_volunteer", _("Missions suggérées au bénévole")

    mission = models.OneToOneField(
        "missions.Mission",
        verbose_name=_("mission"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="suggestion_list",
    )
    volunteer = models.OneToOneField(
        "volunteers.VolunteerProfile",
        verbose_name=_("bénévole"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="suggestion_list",
    )
    size = models.PositiveSmallIntegerField(_("suggestions"))
    items = models.BinaryField(_("suggestions (format compact)"))
    # What a refresh of one mission (volunteer) needs to find the lists it enters or
    # leaves without decoding them all: the other side's keys, their scores in the same
    # order (rounded, see ``storage.SCORE_DIGITS``), and the lowest score.
    others = models.JSONField(_("suggérés"), default=list)
    scores = models.JSONField(_("scores des suggérés"), default=list)
    floor = models.FloatField(_("score le plus bas"), default=0.0)
    engine_version = models.CharField(_("version du moteur"), max_length=20)
    computed_at = models.DateTimeField(_("calculées le"))

    class Meta:
        verbose_name = _("liste de suggestions")
        verbose_name_plural = _("listes de suggestions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(mission__isnull=False, volunteer__isnull=True)
                    | models.Q(mission__isnull=True, volunteer__isnull=False)
                ),
                name="suggestion_list_one_owner",
            )
        ]

    def __str__(self) -> str:
        return str(self.mission if self.mission_id else self.volunteer)

    @property
    def direction(self) -> str:
        return self.Direction.FOR_MISSION if self.mission_id else self.Direction.FOR_VOLUNTEER

    def get_direction_display(self) -> "StrOrPromise":
        return self.Direction(self.direction).label

    def decoded(self) -> "StoredList":
        from .storage import decode

        return decode(self.items)


class Proposal(models.Model):
    """Staff (or a territorial referent) propose a volunteer for a mission by hand."""

    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile",
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.TextField(_("note de l'équipe"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposition de l'équipe")
        verbose_name_plural = _("propositions de l'équipe")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "volunteer"], name="propose_once")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.mission}"


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
    traceback = models.TextField(
        _("trace de l'erreur"),
        blank=True,
        help_text=_("Où l'erreur s'est produite dans le code, pour l'équipe technique."),
    )
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
        indexes = [
            # The last run of each scope in each state (the metrics read it at each scrape).
            models.Index(fields=["scope", "state", "-finished_at"], name="matching_run_last"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} #{self.pk} ({self.get_state_display()})"

    @property
    def progress(self) -> int:
        """Percentage of chunks done."""
        if not self.chunks_total:
            return 0
        return min(100, round(100 * self.chunks_done / self.chunks_total))

    @property
    def duration(self) -> dt.timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
