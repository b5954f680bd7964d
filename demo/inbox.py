"""What lands in the listed people's inboxes, made through the services: the English
volunteer's e-mail preferences, a message thread between the demo volunteer and the demo
association, and the demo volunteer's saved searches."""

from __future__ import annotations

import datetime

from django.db import models

from demo.base import BuilderBase
from demo.catalogue.occupations import OCCUPATIONS
from missions.models import Application
from notifications.models import Notification, NotificationPreference
from notifications.services import message_post, preferences_update, thread_mark_read
from search.services import saved_search_create


class InboxMixin(BuilderBase):
    def _story_preferences(self) -> None:
        """The English-speaking volunteer wants one e-mail a day, without search alerts."""
        profile = self._listed_volunteer(1)
        if profile is None:
            return
        muted = {Notification.Kind.SAVED_SEARCH_MATCH}
        preferences_update(
            actor=profile.user,
            email_frequency=NotificationPreference.Frequency.DAILY,
            emailed_kinds=[
                str(kind) for kind in NotificationPreference.emailable_kinds() if kind not in muted
            ],
        )

    def _story_messages(self) -> None:
        """A conversation between the demo volunteer and the demo association, on an
        engagement of theirs; the association's last message is still unread."""
        profile = self._listed_volunteer(0)
        preference = [Application.State.ACCEPTED, Application.State.ACTIVE]
        preference += [Application.State.APPLIED]
        application = (
            profile.applications.filter(
                mission__association=self.associations[0], state__in=preference
            )
            .order_by(
                models.Case(
                    *(models.When(state=state, then=n) for n, state in enumerate(preference))
                ),
                "pk",
            )
            .first()
        )
        if application is None:
            return
        member = self._admin_of(self.associations[0])
        user = profile.user
        thread = [
            (
                "association",
                52,
                "Bonjour, et merci ! Seriez-vous disponible pour un appel la semaine "
                "prochaine, pour faire le point sur vos disponibilités et nos attentes ?",
            ),
            (
                "volunteer",
                30,
                "Bonjour, avec plaisir. Mardi ou jeudi à partir de 18 h, cela vous convient ?",
            ),
            (
                "association",
                4,
                "Jeudi 18 h, c'est parfait. Je vous envoie le lien de la visio et les "
                "documents à parcourir avant.",
            ),
        ]
        for side, hours_ago, body in thread:
            author = member if side == "association" else user
            # Whoever answers has read the thread first.
            thread_mark_read(application=application, reader=author, side=side)
            message = message_post(application_id=application.pk, actor=author, body=body)
            self._backdate(
                message, self.now - datetime.timedelta(hours=hours_ago), about=application
            )

    def _story_saved_searches(self) -> None:
        """The demo volunteer keeps two searches."""
        profile = self._listed_volunteer(0)
        data_skill = OCCUPATIONS["data"][0][2][0]
        for name, params in (
            (
                "Sites web autour de Lyon",
                {"q": ["site"], "near": ["Lyon"], "within_km": ["30"]},
            ),
            (
                "Missions data à distance",
                {"skill": [self.skills[data_skill].code], "remote_only": ["on"]},
            ),
        ):
            saved_search_create(actor=profile.user, name=name, params=params)
