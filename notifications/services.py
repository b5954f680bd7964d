"""Telling people what happened: in-app notifications, their e-mails, reminders, and
the messages of an application's thread.

Other apps call ``notify()`` for the events they create; state transitions are heard
from the audit log by ``notifications.listeners``."""

import datetime
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from associations.models import AssociationMember
from core import outbox
from core.permissions import Actor, require
from missions.access import applications_visible_to
from missions.models import Application, Mission

from . import unsubscribe
from .models import Message, Notification, NotificationPreference

if TYPE_CHECKING:
    from accounts.models import User

    # The model under another name, for where a function names its own copy Application.
    from missions.models import Application as ApplicationRow


def link(view_name: str, *args: Any) -> str:
    """The language-neutral path of a page, "" if that page does not exist (yet)."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return reverse(view_name, args=args)
        except NoReverseMatch:
            return ""


def localized_url(url: str, language: str) -> str:
    """``url``, a path of this site in any language, as the same page in ``language``;
    left as it is if it is not one of our pages."""
    if not url.startswith("/"):
        return url
    parsed = urlsplit(url)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                match = resolve(unquote(parsed.path))
            except Resolver404:
                continue
        with translation.override(language):
            try:
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return url
        return urlunsplit(("", "", path, parsed.query, parsed.fragment))
    return url


def absolute_url(url: str, language: str) -> str:
    url = localized_url(url, language)
    if url.startswith("/"):
        site: str = settings.SITE_URL
        return site.rstrip("/") + url
    return url


def preferences_for(user: "User") -> NotificationPreference:
    """``user``'s preferences, the defaults (every e-mail, immediately) if never set."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


def notify(
    recipient: "User | None",
    kind: Notification.Kind,
    *,
    target: models.Model | None = None,
    actor: "Actor | None" = None,
    url: str = "",
    context: dict[str, Any] | None = None,
    key: str = "",
    email: bool = True,
) -> Notification | None:
    """Tell ``recipient`` about an event: an in-app notification, and an e-mail if they
    want one (at once, or in their daily digest).

    ``context`` holds the JSON-serialisable facts the message is worded from (titles,
    names, codes, ISO dates: see ``notifications.wording``), so that it is worded in
    the reader's language when shown. ``url`` is a path in the default language (see
    ``link()``). Nobody is notified of their own action. With a ``key``, the same
    event notifies each person once (None the second time); ``email=False`` keeps the
    notification in the app only."""
    if kind in Notification.EMAIL_ONLY:
        raise ValueError(f"{kind} is an e-mail of its own, not a notification.")
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    preference = preferences_for(recipient)
    notification = Notification(
        recipient=recipient,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        url=localized_url(url, settings.LANGUAGE_CODE),
        context=context or {},
        key=key,
        email_wanted=email and preference.wants_email(kind),
    )
    if key:
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            return None
    else:
        notification.save()
    if (
        notification.email_wanted
        and preference.email_frequency == NotificationPreference.Frequency.IMMEDIATELY
    ):
        from .tasks import send_notification_email

        outbox.enqueue(send_notification_email, notification.pk)
    return notification


# --- Reading notifications ------------------------------------------------------------


def notification_mark_read(*, notification_id: int, actor: "User") -> Notification:
    """Mark one of ``actor``'s notifications read; someone else's does not exist."""
    notification = Notification.objects.get(pk=notification_id, recipient=actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, actor: "User") -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_update(
    *, actor: "Actor", email_frequency: str, emailed_kinds: list[str]
) -> NotificationPreference:
    """Save how ``actor`` wants e-mails: their frequency and which kinds."""
    if email_frequency not in NotificationPreference.Frequency.values:
        raise ValidationError({"email_frequency": _("Choisissez une fréquence dans la liste.")})
    emailable = [str(kind) for kind in NotificationPreference.emailable_kinds()]
    unknown = set(emailed_kinds) - set(emailable)
    if unknown:
        raise ValidationError({"emailed_kinds": _("Choisissez des types dans la liste.")})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=actor
    )
    preference.email_frequency = email_frequency
    preference.muted_kinds = [kind for kind in emailable if kind not in emailed_kinds]
    preference.save(update_fields=["email_frequency", "muted_kinds", "updated_at"])
    return preference


@transaction.atomic
def email_kind_enable(*, actor: "User", kind: Notification.Kind) -> None:
    """``actor`` asked for e-mails of ``kind`` again (subscribed to a report, say): the
    kind is no longer muted in their preferences."""
    preference = NotificationPreference.objects.select_for_update().filter(user=actor).first()
    if preference is not None and kind in preference.muted_kinds:
        preference.muted_kinds = [muted for muted in preference.muted_kinds if muted != kind]
        preference.save(update_fields=["muted_kinds", "updated_at"])


# --- Messages on an application -------------------------------------------------------


def threads_visible_to(user: "Actor") -> QuerySet[Application]:
    """The applications whose thread ``user`` may read (``missions.access``)."""
    return applications_visible_to(user)


def thread_side(application: Application, user: "User") -> str:
    """ "volunteer", "association" or "" (may read, not write: staff)."""
    if application.volunteer.user_id == user.pk:
        return "volunteer"
    if application.mission.association.has_member(user):
        return "association"
    return ""


def message_post(*, application_id: int, actor: "User", body: str) -> Message:
    """``actor`` (the applicant or a member of the mission's association) writes on the
    application's thread; the other side is notified."""
    application = (
        Application.objects.select_related("mission__association", "volunteer__user")
        .filter(pk=application_id)
        .first()
    )
    require(
        application is not None and bool(actor.is_authenticated),
        _("Seuls le bénévole et l'association écrivent sur cette candidature."),
    )
    application = cast("ApplicationRow", application)  # refused above when not found
    side = thread_side(application, actor)
    require(side != "", _("Seuls le bénévole et l'association écrivent sur cette candidature."))
    body = (body or "").strip()
    limit = settings.NOTIFICATION_MESSAGE_MAX_LENGTH
    if not body:
        raise ValidationError({"body": _("Écrivez votre message avant de l'envoyer.")})
    if len(body) > limit:
        raise ValidationError(
            {
                "body": _(
                    "Votre message fait %(length)s caractères : %(limit)s au plus, "
                    "raccourcissez-le ou envoyez-le en plusieurs fois."
                )
                % {"length": len(body), "limit": limit}
            }
        )
    with transaction.atomic():
        message = Message.objects.create(application=application, author=actor, body=body)
        mission = application.mission
        context = {
            "mission": mission.title,
            "association": mission.association.name,
            "author": actor.full_name,
            "message": body[:500],
        }
        url = link("notifications:thread", application.pk)
        if side == "volunteer":
            recipients = [
                membership.user for membership in mission.association.members.select_related("user")
            ]
        else:
            recipients = [application.volunteer.user]
        for recipient in recipients:
            notify(
                recipient,
                Notification.Kind.MESSAGE_RECEIVED,
                target=application,
                actor=actor,
                url=url,
                context=context,
            )
    return message


def thread_mark_read(*, application: Application, reader: "User", side: str) -> None:
    """``reader`` opened the thread: the other side's messages and the reader's message
    notifications for it are read."""
    if not side:
        return
    now = timezone.now()
    messages = Message.objects.filter(application=application, read_at__isnull=True)
    volunteer_user_id = application.volunteer.user_id
    if side == "volunteer":
        messages = messages.exclude(author_id=volunteer_user_id)
    else:
        messages = messages.filter(author_id=volunteer_user_id)
    messages.update(read_at=now)
    Notification.objects.filter(
        recipient=reader,
        kind=Notification.Kind.MESSAGE_RECEIVED,
        target_type=ContentType.objects.get_for_model(application),
        target_id=application.pk,
        read_at__isnull=True,
    ).update(read_at=now)


# --- Reminders ------------------------------------------------------------------------


def association_members(association_id: int) -> list["User"]:
    return [
        membership.user
        for membership in AssociationMember.objects.filter(
            association_id=association_id, user__is_active=True
        ).select_related("user")
    ]


def missions_starting_remind(*, today: datetime.date | None = None) -> int:
    """The day before a mission starts, remind its accepted volunteers and its
    association. Safe to run again: each person is reminded once per start date."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    missions = Mission.objects.filter(
        start_date=tomorrow, state__in=(Mission.State.PUBLISHED, Mission.State.IN_PROGRESS)
    ).select_related("association")
    sent = 0
    for mission in missions:
        context = {
            "mission": mission.title,
            "association": mission.association.name,
            "date": tomorrow.isoformat(),
        }
        key = f"mission_starting:{mission.pk}:{tomorrow.isoformat()}"
        engaged = Application.objects.filter(
            mission=mission, state__in=(Application.State.ACCEPTED, Application.State.ACTIVE)
        ).select_related("volunteer__user")
        recipients = [
            (application.volunteer.user, "volunteers:engagements") for application in engaged
        ]
        recipients += [
            (user, "asso:dashboard") for user in association_members(mission.association_id)
        ]
        for user, view_name in recipients:
            if notify(
                user,
                Notification.Kind.MISSION_STARTING,
                target=mission,
                url=link(view_name) or link("missions:detail", mission.pk),
                context=context,
                key=key,
            ):
                sent += 1
    return sent


def stale_applications_remind(*, now: datetime.datetime | None = None) -> int:
    """Nudge the association about applications left without an answer for
    ``NOTIFICATION_STALE_APPLICATION_DAYS`` days, at most once per application every
    ``NOTIFICATION_STALE_REMINDER_EVERY_DAYS`` days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waited = datetime.timedelta(days=settings.NOTIFICATION_STALE_APPLICATION_DAYS)
    every = settings.NOTIFICATION_STALE_REMINDER_EVERY_DAYS
    recently_reminded = Notification.objects.filter(
        kind=Notification.Kind.APPLICATION_WAITING,
        target_type=ContentType.objects.get_for_model(Application),
        target_id=OuterRef("pk"),
        created_at__date__gt=today - datetime.timedelta(days=every),
    )
    stale = (
        Application.objects.filter(
            state=Application.State.APPLIED,
            created_at__lte=now - waited,
            mission__state=Mission.State.PUBLISHED,
        )
        .exclude(Exists(recently_reminded))
        .select_related("mission__association", "volunteer__user")
    )
    sent = 0
    for application in stale:
        mission = application.mission
        context = {
            "mission": mission.title,
            "association": mission.association.name,
            "volunteer": application.volunteer.user.full_name,
            "days": (now - application.created_at).days,
        }
        url = link("asso:mission_pipeline", mission.pk) or link(
            "notifications:thread", application.pk
        )
        for user in association_members(mission.association_id):
            if notify(
                user,
                Notification.Kind.APPLICATION_WAITING,
                target=application,
                url=url,
                context=context,
                key=f"application_waiting:{application.pk}:{today.isoformat()}",
            ):
                sent += 1
    return sent


# --- Unsubscribing from an e-mail's link ----------------------------------------------


@transaction.atomic
def preferences_unsubscribe(*, user_id: int, what: str) -> NotificationPreference | None:
    """Turn off what an e-mail's unsubscribe link names for ``user_id``: one kind of
    notification e-mail (muted), or the daily digest (no more e-mails: the digest
    carried them all). Safe to repeat; None if the person no longer exists."""
    if what not in unsubscribe.subjects():
        raise ValidationError(_("Ce lien de désabonnement ne correspond à aucun e-mail."))
    if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
        return None
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user_id=user_id
    )
    if what == unsubscribe.DIGEST:
        if preference.email_frequency == NotificationPreference.Frequency.DAILY:
            preference.email_frequency = NotificationPreference.Frequency.NEVER
            preference.save(update_fields=["email_frequency", "updated_at"])
    elif what not in preference.muted_kinds:
        preference.muted_kinds = [*preference.muted_kinds, what]
        preference.save(update_fields=["muted_kinds", "updated_at"])
    return preference
