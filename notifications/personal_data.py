"""What the notifications app holds of a person: their notifications, e-mail
preferences and the messages of their threads (see :mod:`accounts.personal_data`)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import ERASED, Erasure, PersonalDataProvider, Section, section
from missions.models import Application, HoursEntry, Testimonial

from .models import Message, Notification, NotificationPreference, WelcomeEmail


def _messages(user):
    """The messages the person wrote, and those of their applications' threads."""
    return Message.objects.filter(Q(author=user) | Q(application__volunteer__user=user))


def export(user) -> list[Section]:
    messages = section(
        "messages",
        _("Messages"),
        _messages(user),
        {
            "application__mission__title": _("mission"),
            "body": _("message"),
            "created_at": _("envoyé le"),
            "read_at": _("lu le"),
        },
    )
    # Whether the person wrote each message, without naming the other side.
    authors = dict(_messages(user).values_list("pk", "author_id"))
    for row, pk in zip(
        messages.rows, _messages(user).order_by("pk").values_list("pk", flat=True), strict=True
    ):
        row["written_by_you"] = authors[pk] == user.pk
    messages.columns.append(("written_by_you", _("écrit par vous")))
    return [
        section(
            "notifications",
            _("Notifications"),
            Notification.objects.filter(recipient=user),
            {
                "kind": _("type"),
                "context": _("détails"),
                "url": _("lien"),
                "created_at": _("créée le"),
                "read_at": _("lue le"),
                "emailed_at": _("envoyée par e-mail le"),
            },
        ),
        section(
            "notification_preferences",
            _("Préférences de notification"),
            NotificationPreference.objects.filter(user=user),
            {
                "email_frequency": _("fréquence des e-mails"),
                "muted_kinds": _("types sans e-mail"),
                "updated_at": _("modifiées le"),
            },
        ),
        messages,
        section(
            "welcome_emails",
            _("E-mails de bienvenue"),
            WelcomeEmail.objects.filter(user=user),
            {"day": _("jour"), "outcome": _("résultat"), "created_at": _("le")},
        ),
    ]


def erase(erasure: Erasure) -> None:
    user = erasure.user
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    WelcomeEmail.objects.filter(user=user).delete()
    written = Message.objects.filter(author=user).exclude(body=ERASED)
    erasure.forget(*written.values_list("body", flat=True))
    written.update(body=ERASED)


def _about(user) -> Q:
    """Other people's notifications about the person: their actions, their engagements."""
    query = Q(actor=user)
    for model, rows in (
        (Application, Application.objects.filter(volunteer__user=user)),
        (HoursEntry, HoursEntry.objects.filter(application__volunteer__user=user)),
        (Testimonial, Testimonial.objects.filter(application__volunteer__user=user)),
    ):
        query |= Q(
            target_type=ContentType.objects.get_for_model(model),
            target_id__in=rows.values("pk"),
        )
    return query


def scrub(erasure: Erasure) -> None:
    user = erasure.user
    erasure.scrub_rows(Notification.objects.filter(_about(user)), "context", about_them=True)
    erasure.scrub_rows(Notification.objects.filter(erasure.mentions("context")), "context")
    # What the association wrote to them is the association's, but not their name in it.
    erasure.scrub_rows(
        Message.objects.filter(application__volunteer__user=user), "body", about_them=True
    )


def objects(user):
    return [Message.objects.filter(author=user)]


PROVIDER = PersonalDataProvider(
    app="notifications", export=export, erase=erase, scrub=scrub, objects=objects
)
