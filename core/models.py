import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import events

if TYPE_CHECKING:
    from .permissions import Actor


class ActionLogQuerySet(models.QuerySet["ActionLog"]):
    def for_object(self, obj: models.Model) -> "ActionLogQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
        )


class ActionLog(models.Model):
    """One thing someone (or the system) did to an object: the audit trail of transitions."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("état de départ"), max_length=32, blank=True)
    to_state = models.CharField(_("état d'arrivée"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(_("détails"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(
        _("personnes prévenues le"),
        null=True,
        blank=True,
        help_text=_("Date d'envoi des e-mails annonçant cette action, s'il y en a."),
    )

    objects = ActionLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des actions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} ({self.from_state} → {self.to_state})"

    def claim_notification(self) -> bool:
        """Take the right to notify about this action; False if someone already did."""
        claimed = ActionLog.objects.filter(pk=self.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        return claimed == 1

    def release_notification(self) -> None:
        ActionLog.objects.filter(pk=self.pk).update(notified_at=None)


def log_action(
    obj: models.Model,
    action: str,
    *,
    actor: "Actor | None" = None,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> ActionLog:
    """Record that ``actor`` (None: the system) did ``action`` to ``obj``; once the
    transaction commits, the action's listeners (``core.events``) are told."""
    entry = ActionLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )
    events.announce(entry)
    return entry


class PersonalDataAccess(models.Model):
    """A staff member looked at, searched or exported a person's data in the admin.

    Only what locates the data (its kind and number, the search typed) is kept, never a
    copy of it; who looked is kept by e-mail as well, so the line survives their account.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("consultation")
        SEARCH = "search", _("recherche")
        EXPORT = "export", _("export")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre de l'équipe"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_email = models.EmailField(_("adresse du membre de l'équipe"), blank=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type de données"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("numéro"), max_length=64, blank=True)
    query = models.CharField(_("recherche"), max_length=200, blank=True)
    result_count = models.PositiveIntegerField(_("résultats"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("accès aux données personnelles")
        verbose_name_plural = _("journal des accès aux données personnelles")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id}"


def log_personal_data_access(
    actor: "Actor",
    model: type[models.Model],
    action: str,
    *,
    object_id: object = "",
    query: str = "",
    result_count: int | None = None,
) -> PersonalDataAccess:
    """Record that ``actor`` (staff) viewed, searched or exported ``model``'s rows."""
    return PersonalDataAccess.objects.create(
        actor=actor if actor.is_authenticated else None,
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(object_id)[:64],
        query=query[:200],
        result_count=result_count,
    )


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def pending(self) -> "OutboxMessageQuerySet":
        """Not delivered yet and not given up on."""
        return self.filter(delivered_at__isnull=True, abandoned_at__isnull=True)

    def due(self, now: datetime.datetime) -> "OutboxMessageQuerySet":
        return self.pending().filter(available_at__lte=now)


class OutboxMessage(models.Model):
    """A side effect (a Celery task and its arguments) recorded in the transaction that
    causes it, delivered after the commit and retried until it succeeds: see
    ``core.outbox``."""

    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    key = models.CharField(
        _("clé"),
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Un même effet n'est enregistré qu'une fois par clé."),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    available_at = models.DateTimeField(_("à faire à partir du"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("confié aux workers le"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    delivered_at = models.DateTimeField(_("effectué le"), null=True, blank=True)
    abandoned_at = models.DateTimeField(_("abandonné le"), null=True, blank=True)
    request_id = models.CharField(
        _("identifiant de la requête"),
        max_length=128,
        blank=True,
        help_text=_("La requête qui a causé cet effet : ses journaux portent le même."),
    )

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("effet en attente")
        verbose_name_plural = _("effets à livrer (outbox)")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=models.Q(delivered_at__isnull=True, abandoned_at__isnull=True),
                name="core_outbox_pending",
            ),
            models.Index(fields=["delivered_at"], name="core_outbox_delivered"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
