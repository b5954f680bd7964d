"""Workflows of the API app: keys, webhook endpoints, bulk imports. Each checks that the
actor administers the organisation concerned."""

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from associations.models import Association
from companies.services import employee_invite
from core import outbox
from core.permissions import Actor, require
from missions.models import MISSION_INPUT_FIELDS
from missions.services import mission_create

from .models import ApiKey, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .scope import is_organisation_admin
from .webhooks import address_refusal

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User
    from companies.models import Company, CompanyMember
    from missions.models import Mission


def _require_admin(actor: "Actor", organisation: "Association | Company") -> None:
    require(
        is_organisation_admin(actor, organisation),
        _("Seuls les responsables de l'organisation gèrent ses accès à l'API."),
    )


@transaction.atomic
def api_key_issue(
    *, organisation: "Association | Company", actor: "Actor", name: str, scope: str
) -> tuple[ApiKey, str]:
    """Create a key for ``organisation``; returns it with the full key, shown once."""
    _require_admin(actor, organisation)
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"name": _("Donnez un nom à la clé, par exemple l'outil qui l'utilise.")}
        )
    if scope not in ApiKey.Scope.values:
        raise ValidationError({"scope": _("Choisissez des droits dans la liste.")})
    return ApiKey.issue(organisation=organisation, name=name[:100], scope=scope, created_by=actor)


@transaction.atomic
def api_key_revoke(*, key_id: int, actor: "Actor") -> ApiKey:
    key = (
        ApiKey.objects.select_for_update(of=("self",))
        .select_related("association", "company")
        .get(pk=key_id)
    )
    _require_admin(actor, key.organisation)
    key.revoke()
    return key


def _clean_events(events: Iterable[str] | None) -> list[str]:
    events = [str(event) for event in events or []]
    if not events:
        raise ValidationError({"events": _("Choisissez au moins un événement.")})
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise ValidationError(
            {"events": _("Événement inconnu : %(events)s.") % {"events": ", ".join(unknown)}}
        )
    return sorted(set(events))


@transaction.atomic
def webhook_endpoint_create(
    *, organisation: "Association | Company", actor: "User", url: str, events: Iterable[str] | None
) -> WebhookEndpoint:
    """Register a URL for the organisation's events; its signing secret is on the object."""
    _require_admin(actor, organisation)
    endpoint = WebhookEndpoint(
        url=(url or "").strip(),
        events=_clean_events(events),
        secret=WebhookEndpoint.new_secret(),
        created_by=actor,
    )
    if isinstance(organisation, Association):
        endpoint.association = organisation
    else:
        endpoint.company = organisation
    endpoint.full_clean()
    refusal = address_refusal(endpoint.url)
    if refusal:
        raise ValidationError({"url": refusal})
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint_id: int, actor: "Actor") -> None:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    _require_admin(actor, endpoint.organisation)
    endpoint.delete()


def webhook_delivery_replay(*, delivery_id: int, actor: "Actor") -> WebhookDelivery:
    """Send a delivery again (staff, from the admin), whatever its previous outcome."""
    from .tasks import deliver_webhook

    require(
        actor.is_authenticated and actor.is_platform_staff,
        _("Seule l'équipe de la plateforme renvoie un webhook."),
    )
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.state = WebhookDelivery.State.PENDING
        delivery.save(update_fields=["state"])
        outbox.enqueue(deliver_webhook, delivery.pk)
    return delivery


# --- Bulk imports ---------------------------------------------------------------------


class ImportRejected(Exception):
    """Nothing was imported; ``errors`` lists ``(row number, {field: [messages]})``."""

    def __init__(self, errors: list[tuple[int, dict[str, list[str]]]]):
        self.errors = errors
        super().__init__(f"{len(errors)} row(s) rejected")


class _Rollback(Exception):
    pass


FORMULA_STARTS = ("=", "+", "-", "@")


def _formula_errors(row: dict[str, Any]) -> dict[str, list[str]]:
    """The row's cells that hold a spreadsheet formula rather than a value (a leading
    "=", or "+", "-", "@" before a call or a link such as ``+HYPERLINK(`` or ``-cmd|``)."""
    errors = {}
    for column, value in row.items():
        text = str(value or "").lstrip()
        if text.startswith("=") or (
            text.startswith(FORMULA_STARTS) and any(mark in text for mark in "(|!")
        ):
            errors[column or "?"] = [
                _(
                    "Cette cellule contient une formule (« %(start)s… ») : remplacez-la par "
                    "sa valeur."
                )
                % {"start": text[:20]}
            ]
    return errors


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("ligne" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {"ligne": [str(m) for m in error.messages]}


def _serializer_messages(errors: Mapping[str, Any]) -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    for field, value in errors.items():
        if isinstance(value, dict):
            flat[field] = [str(m) for messages in value.values() for m in messages]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            flat[field] = [str(m) for item in value for ms in item.values() for m in ms]
        else:
            flat[field] = [str(m) for m in value]
    return flat


MISSION_COLUMNS = [*MISSION_INPUT_FIELDS, "skills"]


def _mission_row(row: dict[str, Any]) -> dict[str, Any]:
    """A file row as the API's mission payload: empty cells are absent; ``skills`` is
    ``code:level:importance`` separated by ``|`` (level 1-4, importance
    ``required``/``nice_to_have``, both optional)."""
    data: dict[str, Any] = {}
    for column in MISSION_COLUMNS:
        value = row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            value = value.isoformat()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        data[column] = value.strip() if isinstance(value, str) else value
    if "languages" in data:
        data["languages"] = [v.strip() for v in str(data["languages"]).split(",") if v.strip()]
    skills = []
    for item in str(data.pop("skills", "")).split("|"):
        if not item.strip():
            continue
        code, *rest = [part.strip() for part in item.split(":")]
        skill = {"skill": code}
        if rest and rest[0]:
            skill["min_level"] = rest[0]
        if len(rest) > 1 and rest[1]:
            skill["importance"] = rest[1]
        skills.append(skill)
    data["skills"] = skills
    return data


def import_missions(
    *, association: "Association", actor: "Actor", rows: list[tuple[int, dict[str, Any]]]
) -> list["Mission"]:
    """Create draft missions from file rows, all or nothing.

    Raises ``ImportRejected`` with every row's errors if any row is wrong: nothing is
    kept. Each row goes through ``missions.services.mission_create``.
    """
    from .serializers import MissionWriteSerializer, skills_as_tuples

    require(
        association.has_member(actor),
        _("Seuls les membres de l'association importent ses missions."),
    )
    if not rows:
        raise ValidationError({"file": _("Le fichier ne contient aucune ligne à importer.")})
    errors: list[tuple[int, dict[str, list[str]]]] = []
    created = []
    try:
        with transaction.atomic():
            for number, row in rows:
                if formulas := _formula_errors(row):
                    errors.append((number, formulas))
                    continue
                serializer = MissionWriteSerializer(data=_mission_row(row))
                if not serializer.is_valid():
                    errors.append((number, _serializer_messages(serializer.errors)))
                    continue
                data = dict(serializer.validated_data)
                data.pop("association", None)
                skills = skills_as_tuples(data.pop("skills"))
                try:
                    with transaction.atomic():
                        created.append(
                            mission_create(
                                association=association, actor=actor, skills=skills, **data
                            )
                        )
                except ValidationError as error:
                    errors.append((number, _messages(error)))
            if errors:
                raise _Rollback
    except _Rollback:
        raise ImportRejected(errors) from None
    return created


EMPLOYEE_COLUMNS = ["email", "role", "allowance_hours_override"]


def import_employees(
    *, company: "Company", actor: "Actor", rows: list[tuple[int, dict[str, Any]]]
) -> list["CompanyMember"]:
    """Invite employees from file rows (``email``, ``role``: employee / manager /
    programme_admin, optional ``allowance_hours_override``), all or nothing, through
    ``companies.services.employee_invite``; invitations leave only once all rows pass."""
    require(
        is_organisation_admin(actor, company),
        _("Seuls les responsables de l'entreprise importent ses salariés."),
    )
    if not rows:
        raise ValidationError({"file": _("Le fichier ne contient aucune ligne à importer.")})
    errors: list[tuple[int, dict[str, list[str]]]] = []
    created = []
    try:
        with transaction.atomic():
            for number, row in rows:
                if formulas := _formula_errors(row):
                    errors.append((number, formulas))
                    continue
                override = row.get("allowance_hours_override")
                hours = None
                if override not in (None, ""):
                    try:
                        hours = int(float(str(override).replace(",", ".")))
                    except ValueError:
                        errors.append(
                            (
                                number,
                                {"allowance_hours_override": [_("Indiquez un nombre d'heures.")]},
                            )
                        )
                        continue
                try:
                    with transaction.atomic():
                        created.append(
                            employee_invite(
                                company_id=company.pk,
                                email=str(row.get("email") or ""),
                                role=str(row.get("role") or "employee").strip(),
                                actor=actor,
                                allowance_hours_override=hours,
                            )
                        )
                except ValidationError as error:
                    errors.append((number, _messages(error)))
            if errors:
                raise _Rollback
    except _Rollback:
        raise ImportRejected(errors) from None
    return created


def read_rows(upload: "UploadedFile") -> list[tuple[int, dict[str, Any]]]:
    """Rows of an uploaded CSV or XLSX file as ``(line number, {column: value})``."""
    import codecs
    import csv
    import io

    from django.conf import settings

    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            # Formulas are read as written ("=..."), to be refused row by row.
            sheet = load_workbook(upload, read_only=True, data_only=False).active
            lines = list(sheet.iter_rows(values_only=True))
        except Exception as error:  # openpyxl raises many kinds on a broken file
            raise ValidationError(
                {"file": _("Ce fichier XLSX est illisible.")}, code="unreadable_file"
            ) from error
    elif name.endswith(".csv"):
        raw = upload.read()
        try:
            if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode"
                text = raw.decode("utf-16")
            else:
                text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", "replace")  # French Windows exports
        if "\x00" in text:  # no text file holds NUL: an image, an archive, a document...
            raise ValidationError(
                {"file": _("Ce fichier n'est pas un CSV : il contient des données binaires.")},
                code="unreadable_file",
            )
        # Any line ending: Windows (CRLF), Unix (LF) or old Mac (CR).
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        first_line = text.split("\n", 1)[0]
        dialect: type[csv.Dialect] = csv.excel
        if first_line.count(";") > first_line.count(","):  # French Excel exports use ";"
            dialect = type("Semicolon", (csv.excel,), {"delimiter": ";"})
        try:
            lines = list(csv.reader(io.StringIO(text, newline=""), dialect))
        except csv.Error as error:
            raise ValidationError(
                {"file": _("Ce fichier CSV est illisible.")}, code="unreadable_file"
            ) from error
    else:
        raise ValidationError(
            {"file": _("Envoyez un fichier CSV ou XLSX.")}, code="unsupported_file"
        )
    if not lines:
        return []
    header = [str(cell or "").strip().lower() for cell in lines[0]]
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell not in (None, "") for cell in line):
            continue
        rows.append((number, dict(zip(header, line, strict=False))))
    if len(rows) > settings.API_IMPORT_MAX_ROWS:
        raise ValidationError(
            {
                "file": _("Pas plus de %(max)s lignes par import.")
                % {"max": settings.API_IMPORT_MAX_ROWS}
            }
        )
    return rows
