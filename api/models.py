"""What partner tools need from us: API keys, webhook endpoints and deliveries, and the
responses kept for ``Idempotency-Key`` replays.

An API key and a webhook endpoint belong to one organisation: an association or a
company (exactly one of the two foreign keys is set).
"""

import datetime
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association

if TYPE_CHECKING:
    from companies.models import Company

KEY_PREFIX = "pb"


def hash_secret(secret: str) -> str:
    # Keys are 32 random bytes: a fast hash is enough, as for GitHub tokens.
    return hashlib.sha256(secret.encode()).hexdigest()


class OrganisationOwned(models.Model):
    association = models.ForeignKey(
        "associations.Association",
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("entreprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def organisation(self):
        return self.association or self.company


def one_organisation(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            models.Q(association__isnull=False, company__isnull=True)
            | models.Q(association__isnull=True, company__isnull=False)
        ),
        name=name,
    )


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)

    def for_organisation(self, organisation: "Association | Company") -> Self:
        if isinstance(organisation, Association):
            return self.filter(association=organisation)
        return self.filter(company=organisation)


class ApiKey(OrganisationOwned):
    """A key a partner tool sends as ``Authorization: Bearer pb_<prefix>_<secret>``.

    Only the hash of the secret is stored: the full key is shown once, at creation.
    Requests made with it act as the person who created it, within its organisation
    only, and stop working as soon as that person is no longer an admin there.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Lecture")
        WRITE = "write", _("Lecture et écriture")

    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("préfixe"), max_length=12, unique=True, editable=False)
    hashed_secret = models.CharField(_("empreinte"), max_length=64, editable=False)
    scope = models.CharField(_("droits"), max_length=8, choices=Scope.choices, default=Scope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")
        ordering = ["-created_at"]
        constraints = [one_organisation("api_key_one_organisation")]

    def __str__(self) -> str:
        return f"{self.name} ({KEY_PREFIX}_{self.prefix}_…)"

    @classmethod
    def issue(cls, *, organisation, name: str, scope: str, created_by) -> tuple["ApiKey", str]:
        """Create a key; returns it with the full key, which nobody can see again."""
        prefix = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        key = cls(
            name=name,
            scope=scope,
            created_by=created_by,
            prefix=prefix,
            hashed_secret=hash_secret(secret),
        )
        if isinstance(organisation, Association):
            key.association = organisation
        else:
            key.company = organisation
        key.save()
        return key, f"{KEY_PREFIX}_{prefix}_{secret}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.hashed_secret, hash_secret(secret))

    def touch(self) -> None:
        """Record the use, at most once a minute (a key may serve many calls a second)."""
        now = timezone.now()
        recent = now - datetime.timedelta(minutes=1)
        if self.last_used_at is not None and self.last_used_at >= recent:
            return  # as read with the key: no write to ask for
        ApiKey.objects.filter(pk=self.pk).filter(
            models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lt=recent)
        ).update(last_used_at=now)

    def revoke(self) -> None:
        ApiKey.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.refresh_from_db(fields=["revoked_at"])


class WebhookEvent(models.TextChoices):
    MISSION_PUBLISHED = "mission.published", _("Mission publiée")
    APPLICATION_CREATED = "application.created", _("Candidature reçue")
    APPLICATION_STATE_CHANGED = (
        "application.state_changed",
        _("Candidature : changement d'état"),
    )
    HOURS_VALIDATED = "hours.validated", _("Heures validées")


class WebhookEndpoint(OrganisationOwned):
    """A URL of a partner tool that receives the organisation's events, signed."""

    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("événements"), default=list)
    secret = models.CharField(
        _("secret de signature"),
        max_length=64,
        editable=False,
        help_text=_("Clé HMAC-SHA256 propre à cette adresse."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("adresse de webhook")
        verbose_name_plural = _("adresses de webhook")
        ordering = ["-created_at"]
        constraints = [one_organisation("webhook_endpoint_one_organisation")]

    def __str__(self) -> str:
        return self.url

    @staticmethod
    def new_secret() -> str:
        return "whsec_" + secrets.token_hex(24)


class WebhookDelivery(models.Model):
    """One event sent to one endpoint, with every attempt's outcome."""

    class State(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SUCCEEDED = "succeeded", _("Reçue")
        FAILED = "failed", _("Échec")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("adresse"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("événement"), max_length=40, choices=WebhookEvent.choices)
    action_log = models.ForeignKey(
        "core.ActionLog",
        verbose_name=_("action à l'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    payload = models.JSONField(_("contenu"), default=dict)
    state = models.CharField(
        _("état"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    response_status = models.PositiveSmallIntegerField(_("code de réponse"), null=True, blank=True)
    response_body = models.TextField(_("début de la réponse"), blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("reçue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhooks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "action_log", "event"], name="one_delivery_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class IdempotentRequest(models.Model):
    """A POST answered once, replayed to whoever sends the same ``Idempotency-Key``."""

    owner = models.CharField(_("demandeur"), max_length=40)
    key = models.CharField(_("clé"), max_length=255)
    fingerprint = models.CharField(_("empreinte de la requête"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("code de réponse"))
    body = models.JSONField(_("réponse"), null=True)
    headers = models.JSONField(_("en-têtes de la réponse"), default=dict, blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("requête idempotente")
        verbose_name_plural = _("requêtes idempotentes")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
