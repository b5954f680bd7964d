from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """A mission search someone named, to run again and to hear about new matches."""

    MAX_PER_USER = 20

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("nom"), max_length=100)
    # The search form's GET parameters, as lists of strings (QueryDict.lists()).
    params = models.JSONField(_("critères"), default=dict)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("recherche enregistrée")
        verbose_name_plural = _("recherches enregistrées")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class SavedSearchMatch(models.Model):
    """A published mission a saved search's owner was told about: never twice."""

    saved_search = models.ForeignKey(
        SavedSearch,
        verbose_name=_("recherche enregistrée"),
        on_delete=models.CASCADE,
        related_name="matches",
    )
    mission = models.ForeignKey(
        "missions.Mission",
        verbose_name=_("mission"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("signalée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mission signalée")
        verbose_name_plural = _("missions signalées")
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "mission"], name="one_alert_per_saved_search_and_mission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.saved_search} → {self.mission_id}"


class MissionDocumentQuerySet(models.QuerySet["MissionDocument"]):
    def open_for_applications(self) -> "MissionDocumentQuerySet":
        """As ``Mission.objects.open_for_applications()``, read from the documents."""
        today = timezone.localdate()
        return self.filter(state="published").filter(
            models.Q(application_deadline__isnull=True) | models.Q(application_deadline__gte=today)
        )


class MissionDocument(models.Model):
    """What the search reads of a mission: one row per mission, written by the
    database's triggers only (see :mod:`search.documents`), never by the application.

    A search reads this table alone (its text, filters, facets and ranking), and the
    missions of the rows it shows: so it holds a copy of every mission column a search
    filters on, under the mission's own names. ``title`` and ``keywords`` (the skills'
    names, synonyms and families) are folded (lower case, no accents) for typo
    tolerance on both databases; ``document`` is PostgreSQL's weighted French text
    vector (title A, skills B, summary and cause C, description, association and city
    D); ``stems`` holds the same four sections' stems for SQLite, which has no text
    vector (each database leaves the other's column empty)."""

    mission = models.OneToOneField(
        "missions.Mission",
        verbose_name=_("mission"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    association_id = models.BigIntegerField(_("association"))
    state = models.CharField(_("état"), max_length=16)
    application_deadline = models.DateField(_("date limite de candidature"), null=True)
    published_at = models.DateTimeField(_("publiée le"), null=True)
    created_at = models.DateTimeField(_("créée le"), null=True)
    cause_id = models.BigIntegerField(_("cause"))
    departement_id = models.BigIntegerField(_("département"), null=True)
    format = models.CharField(_("format"), max_length=16)
    location_mode = models.CharField(_("lieu"), max_length=16)
    latitude = models.FloatField(_("latitude"), null=True)
    longitude = models.FloatField(_("longitude"), null=True)
    start_date = models.DateField(_("début"), null=True)
    end_date = models.DateField(_("fin"), null=True)
    hours_per_week = models.DecimalField(
        _("heures par semaine"), max_digits=4, decimal_places=1, null=True
    )
    title = models.TextField(_("titre replié"), blank=True)
    keywords = models.TextField(_("compétences repliées"), blank=True)
    stems = models.TextField(_("racines (SQLite)"), blank=True)
    document = SearchVectorField(_("document (PostgreSQL)"), null=True)

    objects = MissionDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document de recherche")
        verbose_name_plural = _("documents de recherche")
        indexes = [
            # Browsing without words reads the open ones' filters from the index alone
            # (PostgreSQL; SQLite keeps the two columns).
            models.Index(
                fields=["state", "application_deadline"],
                include=[
                    "mission_id",
                    "cause_id",
                    "format",
                    "departement_id",
                    "location_mode",
                    "latitude",
                    "longitude",
                    "published_at",
                ],
                name="search_doc_open",
            ),
            # The distance filter: a bounding box on these, then the exact distance.
            models.Index(fields=["latitude", "longitude"], name="search_doc_latitude_longitude"),
            models.Index(fields=["state", "-published_at"], name="search_doc_newest"),
        ]

    def __str__(self) -> str:
        return self.title
