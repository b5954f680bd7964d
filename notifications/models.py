from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def email_pending(self) -> Self:
        """Notifications whose recipient wanted an e-mail that has not gone yet."""
        return self.filter(email_wanted=True, emailed_at__isnull=True)


class Notification(models.Model):
    """Something a person would want to know about, shown in the app and maybe e-mailed.

    Nothing worded is stored: the message is written when shown (or e-mailed) from
    ``kind`` and ``context``, in the language of whoever reads it."""

    class Kind(models.TextChoices):
        APPLICATION_RECEIVED = "application_received", _("Candidature reçue")
        APPLICATION_ACCEPTED = "application_accepted", _("Candidature acceptée")
        APPLICATION_DECLINED = "application_declined", _("Candidature déclinée")
        APPLICATION_WAITING = "application_waiting", _("Candidature en attente de réponse")
        WAITLIST_PROMOTED = "waitlist_promoted", _("Place libérée sur liste d'attente")
        APPROVAL_NEEDED = "approval_needed", _("Accord de l'employeur demandé")
        APPROVAL_DECIDED = "approval_decided", _("Décision de l'employeur")
        HOURS_TO_VALIDATE = "hours_to_validate", _("Heures à valider")
        HOURS_DECIDED = "hours_decided", _("Heures validées ou refusées")
        MISSION_STARTING = "mission_starting", _("Mission qui commence demain")
        EVALUATION_DUE = "evaluation_due", _("Évaluation à remplir")
        ASSOCIATION_DECIDED = "association_decided", _("Vérification de l'association")
        MISSION_DECIDED = "mission_decided", _("Décision sur une mission")
        INVITATION_RECEIVED = "invitation_received", _("Invitation à une mission")
        MESSAGE_RECEIVED = "message_received", _("Nouveau message")
        SAVED_SEARCH_MATCH = "saved_search_match", _("Nouvelles missions pour une recherche")
        TESTIMONIAL_RECEIVED = "testimonial_received", _("Témoignage reçu")
        TEAM_PUBLISHED = "team_published", _("Équipe d'un événement publiée")
        WELCOME = "welcome", _("Conseils pour bien démarrer")
        IMPACT_REPORT = "impact_report", _("Rapport d'impact programmé")
        YEARLY_SUMMARY = "yearly_summary", _("Récapitulatif annuel du mécénat reçu")

    # E-mails of their own rather than notifications: never shown in the app, sent by
    # their own tasks (the welcome sequence, the reports people subscribe to), and
    # turned off in the same preferences as the notifications' e-mails.
    EMAIL_ONLY = frozenset({Kind.WELCOME, Kind.IMPACT_REPORT, Kind.YEARLY_SUMMARY})

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(_("lien"), max_length=300, blank=True)
    context = models.JSONField(_("détails"), default=dict, blank=True)
    key = models.CharField(
        _("clé d'unicité"),
        max_length=120,
        blank=True,
        help_text=_(
            "Un même événement (entrée du journal, rappel) ne crée qu'une notification "
            "par personne."
        ),
    )
    email_wanted = models.BooleanField(_("e-mail souhaité"), default=False)
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="one_notification_per_event_and_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How a person wants to be told by e-mail; in-app notifications always exist."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("À chaque notification")
        DAILY = "daily", _("Un récapitulatif par jour")
        NEVER = "never", _("Jamais")

    # Kinds that are never e-mailed from here (another e-mail already says it).
    IN_APP_ONLY = frozenset({Notification.Kind.ASSOCIATION_DECIDED})

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_frequency = models.CharField(
        _("fréquence des e-mails"),
        max_length=16,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATELY,
    )
    muted_kinds = models.JSONField(
        _("types sans e-mail"),
        default=list,
        blank=True,
        help_text=_("Les types de notification pour lesquels la personne ne veut pas d'e-mail."),
    )
    last_digest_on = models.DateField(_("dernier récapitulatif le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiées le"), auto_now=True)

    class Meta:
        verbose_name = _("préférences de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def emailable_kinds(cls) -> list[Notification.Kind]:
        return [kind for kind in Notification.Kind if kind not in cls.IN_APP_ONLY]

    def wants_email(self, kind: str) -> bool:
        return (
            self.email_frequency != self.Frequency.NEVER
            and kind not in self.IN_APP_ONLY
            and kind not in self.muted_kinds
        )


class WelcomeEmail(models.Model):
    """One step of a person's welcome sequence, decided once: sent, skipped because the
    person already took the step it leads to, or not sent because they turned the
    welcome e-mails off."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Envoyé")
        DONE = "done", _("Non envoyé : étape déjà faite")
        OFF = "off", _("Non envoyé : e-mails désactivés")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="welcome_emails",
    )
    sequence = models.CharField(_("parcours"), max_length=20)
    day = models.PositiveSmallIntegerField(_("jour"))
    outcome = models.CharField(_("résultat"), max_length=8, choices=Outcome.choices)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail de bienvenue")
        verbose_name_plural = _("e-mails de bienvenue")
        ordering = ["user", "day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_welcome_email_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} J+{self.day} {self.sequence}: {self.outcome}"


class Message(models.Model):
    """A message between a volunteer and the association about one application."""

    application = models.ForeignKey(
        "missions.Application",
        verbose_name=_("candidature"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="message_thread")]

    def __str__(self) -> str:
        return f"{self.author} → {self.application_id}: {self.body[:40]}"
