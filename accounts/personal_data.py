"""Everything the platform holds about one person, asked of each app that holds a part.

``accounts`` sits below the apps that store a person's profile, engagements, messages
or memberships and may not import them. Each of those apps registers a
:class:`PersonalDataProvider` from its ``AppConfig.ready()``: what it exports of a
person (the right of access and portability), what it erases when the person leaves
(the right to erasure, see :mod:`accounts.erasure`) and, optionally, why the person
may not leave yet (a sole administrator must hand over first).
"""

import datetime
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ActionLog

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import User

# What replaces a text a person wrote once they are anonymised: the row stays (an
# engagement, an evaluation, a message in a thread), its words do not.
ERASED = "[effacé]"

# Excerpts of a text (a notification quotes the first 500 characters of a message) are
# recognised from this length on; shorter strings must equal the text to be erased, so
# that a state or a code that happens to appear in a message is left alone.
EXCERPT_MIN_LENGTH = 20


@dataclass
class Section:
    """One part of a person's data: a title, its columns and one dict per row."""

    key: str
    title: "StrOrPromise"
    columns: list[tuple[str, "StrOrPromise"]]
    rows: list[dict[str, Any]]
    # For the readable page: the label of each stored code, per column that has choices.
    choices: dict[str, dict[Any, "StrOrPromise"]] = field(default_factory=dict)

    def label(self, column: str, value: Any) -> Any:
        if column not in self.choices or isinstance(value, list | dict):
            return value
        return self.choices[column].get(value, value)


def _field_of(model: type[models.Model], lookup: str) -> Any:
    found: Any = None
    for part in lookup.split("__"):
        found = model._meta.get_field(part)
        model = found.related_model or model
    return found


def section(
    key: str,
    title: "StrOrPromise",
    queryset: models.QuerySet[Any],
    columns: Mapping[str, "StrOrPromise"],
) -> Section:
    """A section read from ``queryset``: ``columns`` maps each lookup (``"mission__title"``)
    to its label. Values are converted to what JSON holds (dates as ISO strings)."""
    rows = [
        json.loads(json.dumps(row, cls=DjangoJSONEncoder))
        for row in queryset.values(*columns).order_by("pk")
    ]
    choices = {}
    for column in columns:
        model_field = _field_of(queryset.model, column)
        if getattr(model_field, "choices", None):
            choices[column] = dict(model_field.flatchoices)
    return Section(key=key, title=title, columns=list(columns.items()), rows=rows, choices=choices)


@dataclass
class Erasure:
    """One person being anonymised: who they were, and the texts they wrote, so that
    copies of them elsewhere (notifications, the audit log) can be scrubbed too.

    Providers erase their own rows first (``erase``) and add the texts they erased
    with :meth:`forget`; then every provider scrubs the copies it holds (``scrub``).
    ``identifiers`` (the full name, the e-mail address) are replaced wherever they are
    found; ``names`` (the first and the last name alone) only in rows known to be about
    the person, since other people share them.
    """

    user: "User"
    identifiers: tuple[str, ...]
    names: tuple[str, ...]
    replacement: str
    texts: set[str] = field(default_factory=set)

    def forget(self, *texts: str) -> None:
        self.texts.update(text for text in texts if text and text.strip() and text != ERASED)

    def scrub(self, value: Any, *, about_them: bool = False) -> Any:
        """``value`` (a string or JSON) without the person's identifiers and texts."""
        if isinstance(value, str):
            return self._scrub_text(value, about_them)
        if isinstance(value, list):
            return [self.scrub(item, about_them=about_them) for item in value]
        if isinstance(value, dict):
            return {key: self.scrub(item, about_them=about_them) for key, item in value.items()}
        return value

    def _scrub_text(self, text: str, about_them: bool) -> str:
        for written in self.texts:
            if text == written or (
                len(text) >= EXCERPT_MIN_LENGTH and (written.startswith(text) or written in text)
            ):
                return ERASED
        words = self.identifiers + (self.names if about_them else ())
        # Longest first: the full name goes before the first name it contains.
        for word in sorted((w for w in words if len(w) >= 2), key=len, reverse=True):
            if word.lower() in text.lower():
                text = _replace_insensitive(text, word, self.replacement)
        return text

    def scrub_rows(
        self, queryset: models.QuerySet[Any], *fields: str, about_them: bool = False
    ) -> int:
        """Scrub ``fields`` on each row of ``queryset``; returns how many rows changed."""
        changed = 0
        for row in queryset.only("pk", *fields).iterator():
            updates = {}
            for name in fields:
                before = getattr(row, name)
                after = self.scrub(before, about_them=about_them)
                if after != before:
                    updates[name] = after
            if updates:
                type(row)._default_manager.filter(pk=row.pk).update(**updates)
                changed += 1
        return changed

    def mentions(self, *lookups: str) -> models.Q:
        """Rows whose ``lookups`` (text or JSON columns) may mention the person: their
        e-mail address or full name, as stored in text and in escaped JSON."""
        query = models.Q(pk__in=[])
        for identifier in self.identifiers:
            if len(identifier) < 5:
                continue  # too short to tell the person from anyone else
            forms = {identifier, json.dumps(identifier)[1:-1]}
            for lookup in lookups:
                for form in forms:
                    query |= models.Q(**{f"{lookup}__icontains": form})
        return query


def _replace_insensitive(text: str, old: str, new: str) -> str:
    lowered, target = text.lower(), old.lower()
    pieces, start = [], 0
    while (found := lowered.find(target, start)) != -1:
        pieces.append(text[start:found])
        pieces.append(new)
        start = found + len(old)
    pieces.append(text[start:])
    return "".join(pieces)


@dataclass(frozen=True)
class PersonalDataProvider:
    """What one app holds of a person.

    ``export(user)`` returns that app's sections; ``objects(user)`` the querysets of rows
    that are the person's (their audit-log entries are those about these rows);
    ``erase(erasure)`` anonymises or drops the app's rows, adding the texts it erased to
    ``erasure``; ``scrub(erasure)`` removes copies of the person's identity and texts
    from the app's stored JSON and text; ``refusals(user)`` says why the person may not
    delete their account yet.
    """

    app: str
    export: Callable[["User"], list[Section]]
    erase: Callable[[Erasure], None]
    objects: Callable[["User"], Iterable[models.QuerySet[Any]]] = lambda user: ()
    scrub: Callable[[Erasure], None] = lambda erasure: None
    refusals: Callable[["User"], list["StrOrPromise"]] = lambda user: []


# Filled by each app from its ``ready()``, in INSTALLED_APPS order.
PROVIDERS: dict[str, PersonalDataProvider] = {}


def register_personal_data(provider: PersonalDataProvider) -> None:
    PROVIDERS[provider.app] = provider


def providers() -> list[PersonalDataProvider]:
    return list(PROVIDERS.values())


# --- What accounts itself holds: the account and the audit log ------------------------


def _account_section(user: "User") -> Section:
    from .models import User

    return section(
        "account",
        _("Compte"),
        User.objects.filter(pk=user.pk),
        {
            "email": _("adresse e-mail"),
            "first_name": _("prénom"),
            "last_name": _("nom"),
            "language": _("langue"),
            "signup_role": _("profil choisi à l'inscription"),
            "date_joined": _("inscrit le"),
            "last_login": _("dernière connexion"),
        },
    )


def _calendar_section(user: "User") -> Section:
    from .models import CalendarFeed

    return section(
        "calendar_feed",
        _("Agenda personnel"),
        CalendarFeed.objects.filter(user=user),
        {"created_at": _("adresse créée le"), "last_read_at": _("dernière lecture le")},
    )


def audit_entries(user: "User") -> models.QuerySet[ActionLog]:
    """The audit-log entries about the person: what they did, and what was done to
    their account or to rows that are theirs."""
    query = models.Q(actor=user) | models.Q(
        content_type=ContentType.objects.get_for_model(user, for_concrete_model=False),
        object_id=user.pk,
    )
    for provider in providers():
        for queryset in provider.objects(user):
            ids = list(queryset.values_list("pk", flat=True))
            if ids:
                content_type = ContentType.objects.get_for_model(
                    queryset.model, for_concrete_model=False
                )
                query |= models.Q(content_type=content_type, object_id__in=ids)
    return ActionLog.objects.filter(query)


def _object_name(content_type: ContentType) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else content_type.model


def _audit_section(user: "User") -> Section:
    entries = audit_entries(user).select_related("content_type").order_by("created_at", "pk")
    rows = [
        {
            "created_at": entry.created_at.isoformat(),
            "action": entry.action,
            "object": _object_name(entry.content_type),
            "from_state": entry.from_state,
            "to_state": entry.to_state,
            "by_you": entry.actor_id == user.pk,
            "data": json.loads(json.dumps(entry.data, cls=DjangoJSONEncoder)),
        }
        for entry in entries
    ]
    return Section(
        key="audit_log",
        title=_("Journal des actions"),
        columns=[
            ("created_at", _("date")),
            ("action", _("action")),
            ("object", _("objet")),
            ("from_state", _("état de départ")),
            ("to_state", _("état d'arrivée")),
            ("by_you", _("par vous")),
            ("data", _("détails")),
        ],
        rows=rows,
    )


def collect(user: "User") -> list[Section]:
    """Every section of the person's data: their account, each app's part, the audit log."""
    sections = [_account_section(user), _calendar_section(user)]
    for provider in providers():
        sections.extend(provider.export(user))
    sections.append(_audit_section(user))
    return sections


def export_document(user: "User", *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The person's data as one JSON document (the right to data portability)."""
    now = now or timezone.now()
    return {
        "format": "probono-personal-data/1",
        "exported_at": now.isoformat(),
        "sections": {item.key: item.rows for item in collect(user)},
    }
