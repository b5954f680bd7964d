"""A believable French demo dataset, generated fast and deterministically.

``python manage.py seed_demo`` calls :func:`seed_demo`. Everything is drawn from one
``random.Random`` seeded with a fixed number, so two runs on empty databases on the
same day produce the same data. Faker is only used to fill small pools of names and
street addresses up front; the hot loops pick from those pools and from the catalogues
(``demo.catalogue``), and every table is written with ``bulk_create`` (many-to-many
links through their ``through`` models), or COPY on PostgreSQL for the big ones
(``demo.bulk``), so 100,000 volunteers take a couple of minutes.

What the listed demo accounts show on top of that (a registration refused by the
referent, a waitlisted application, hours to validate, evaluations, a published
testimonial, invitations, messages, favourites, saved searches, e-mail preferences) is
then made through the services, as people would, so that the audit log and the
notifications follow; a few of those steps are moved into the past afterwards.

Every e-mail address is at a reserved domain (``.test`` or ``example.org``) so that
the platform's notifications never reach a real person.

The steps, in the order :meth:`DemoBuilder.run` takes them, each in its module:
``organisations`` (companies, associations), ``people`` (volunteers, company staff),
``programmes`` (the companies' programmes, settings, track record and approvals),
``missions``, ``engagements`` (applications, hours, evaluations), then ``stories`` and
``inbox`` through the services. ``base`` holds what they share.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import override_settings

from associations.models import Association, AssociationMember
from core.models import ActionLog
from demo.engagements import EngagementsMixin
from demo.inbox import InboxMixin
from demo.missions import MissionsMixin
from demo.options import DEMO_ACCOUNTS, MARKER_EMAIL, DemoOptions, DemoResult
from demo.organisations import OrganisationsMixin
from demo.people import PeopleMixin
from demo.programmes import ProgrammesMixin
from demo.stories import StoriesMixin
from missions.models import (
    Application,
    Evaluation,
    HoursEntry,
    Invitation,
    Mission,
    MissionSkill,
    Testimonial,
)
from notifications.models import Message, Notification, NotificationPreference
from search.models import SavedSearch
from volunteers.models import Favourite

QUIET_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


def demo_data_exists() -> bool:
    return get_user_model().objects.filter(email=MARKER_EMAIL).exists()


def seed_demo(options: DemoOptions | None = None, log: Callable[[str], None] | None = None):
    """Create the demo dataset unless it is already there; returns a :class:`DemoResult`."""
    if demo_data_exists():
        return DemoResult(created=False, accounts=list(DEMO_ACCOUNTS))
    return DemoBuilder(options or DemoOptions(), log=log).run()


@contextlib.contextmanager
def _quietly():
    """The stories go through the services, which e-mail whoever they concern once the
    transaction commits, by in-process tasks that log each run: nobody reads those
    e-mails, so they are not sent (the notifications are in the app, and those of a daily
    digest wait for its next run), and the tasks' logs do not drown the command's output."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(max(level, logging.WARNING))
    try:
        with override_settings(EMAIL_BACKEND=QUIET_EMAIL_BACKEND):
            yield
    finally:
        trace.setLevel(level)


class DemoBuilder(
    OrganisationsMixin,
    PeopleMixin,
    ProgrammesMixin,
    MissionsMixin,
    EngagementsMixin,
    StoriesMixin,
    InboxMixin,
):
    def run(self) -> DemoResult:
        started = time.perf_counter()
        with _quietly(), transaction.atomic():
            self._prepare()
            self._tick("pools and reference data")
            self._companies()
            self._tick("companies")
            self._associations()
            self._tick("associations")
            self._volunteers()
            self._tick("volunteers")
            self._programmes()
            self._missions()
            self._tick("missions")
            self._applications()
            self._tick("applications")
            self._hours_and_evaluations()
            self._tick("hours and evaluations")
            self._company_settings()
            self._company_track_record()
            self._company_approvals()
            self._event_registrations()
            self._tick("company settings and event registrations")
            self._staff()
            self._story_accounts()
            self._email_addresses()
            self._consents()
            self._tick("staff and e-mail addresses")
            before = self._story_counts()
            self._stories()
        # After the commit: the notifications heard from the audit log are there too
        # (when tasks run in-process).
        first_steps: dict = {}
        for target, when in self.backdated:
            first_steps.setdefault((type(target), target.pk), (target, when))
        self._realign_notifications(list(first_steps.values()))
        for label, count in self._story_counts().items():
            if count != before[label]:
                self.result.counts[label] = self.result.counts.get(label, 0) + count - before[label]
        self._tick("stories (through the services)")
        self._analyze()
        self._tick("statistics for the query planner")
        self.result.seconds = time.perf_counter() - started
        return self.result

    def _analyze(self) -> None:
        """PostgreSQL's statistics of every table, made now, as its manual advises after
        a bulk load: left to autovacuum (later, or never where it is off), the first
        queries would be planned as if the tables were empty (a full recompute of
        100,000 volunteers then took four times as long)."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def _story_counts(self) -> dict[str, int]:
        story_models = (
            Association,
            Association.causes.through,
            AssociationMember,
            Mission,
            MissionSkill,
            Application,
            HoursEntry,
            Evaluation,
            Testimonial,
            Invitation,
            Favourite,
            Message,
            SavedSearch,
            NotificationPreference,
            Notification,
            ActionLog,
        )
        return {model._meta.label: model.objects.count() for model in story_models}

    def _stories(self) -> None:
        """Registrations, decisions, applications, hours, evaluations, testimonials,
        invitations, messages, favourites and saved searches made as people make them,
        through the services: the audit log and the notifications follow. Each piece
        is skipped when a small dataset lacks what it needs."""
        self._story_associations()
        self._story_candidates()
        self._story_event()
        self._story_preferences()  # before anything is sent to that person
        self._story_volunteer()
        self._story_association()
        self._story_messages()
        self._story_saved_searches()
