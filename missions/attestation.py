"""The attestation of a completed engagement, as a PDF (reportlab), in the active language."""

import datetime
import hashlib
import hmac
import io

from django.conf import settings
from django.utils import formats, timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from core.documents import plain
from volunteers.templatetags.volunteers_tags import hours as format_hours

from .figures import engagement_record
from .models import Application

# The purpose of the keyed hash: a value signed for anything else never checks here.
ATTESTATION_SALT = "probono.missions.attestation"


def _secret_keys() -> list[str]:
    """The current key first, then the retired ones still accepted (SECRET_KEY_FALLBACKS)."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def _digest(application_id: int, volunteer_id: int, secret: str) -> str:
    value = f"{application_id}:{volunteer_id}"
    mac = salted_hmac(ATTESTATION_SALT, value, secret=secret, algorithm="sha256")
    return mac.hexdigest()[:10].upper()


def _legacy_digest(application_id: int, volunteer_id: int, secret: str) -> str:
    """The keyed hash of the first attestations (an HMAC under the raw key, no salt):
    kept so that the references they print can still be checked."""
    message = f"attestation:{application_id}:{volunteer_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:10].upper()


def attestation_reference(application: Application) -> str:
    """A reference printed on the attestation that the platform can check: the
    application's id and a keyed hash of it, which nobody can forge without the key."""
    digest = _digest(application.pk, application.volunteer_id, settings.SECRET_KEY)
    return f"PB-{application.pk}-{digest}"


def reference_is_valid(reference: str) -> bool:
    """True if ``reference`` is the one printed on a completed engagement's attestation,
    signed with the current key or one of ``SECRET_KEY_FALLBACKS`` (key rotation), by
    the current scheme or the first one."""
    try:
        prefix, pk, digest = reference.strip().upper().split("-")
        application = Application.objects.get(pk=int(pk), state=Application.State.COMPLETED)
    except (ValueError, Application.DoesNotExist):
        return False
    if prefix != "PB":
        return False
    return any(
        constant_time_compare(scheme(application.pk, application.volunteer_id, secret), digest)
        for secret in _secret_keys()
        for scheme in (_digest, _legacy_digest)
    )


def attestation_facts(application: Application) -> dict:
    """What the attestation states, computed from the engagement's rows: the period
    and the hours are those actually given (validated), not the mission's planned dates."""
    record = engagement_record(application)
    mission = application.mission
    volunteer_levels = dict(application.volunteer.skills.values_list("skill_id", "level"))
    mission_skills = list(mission.skills.select_related("skill").order_by("skill__name_fr"))
    used = [item.skill for item in mission_skills if item.skill_id in volunteer_levels]
    association = mission.association
    identifiers = []
    if association.rna:
        identifiers.append(f"RNA {association.rna}")
    if association.siret:
        label = "SIRET" if len(association.siret) == 14 else "SIREN"
        identifiers.append(f"{label} {association.siret}")
    user = application.volunteer.user
    return {
        "volunteer": user.full_name,
        "association": association.name,
        "identifiers": ", ".join(identifiers),
        "mission": mission.title,
        "start": record.first_day,
        "end": record.last_day,
        "hours": record.hours,
        "skills": [skill.name for skill in (used or [item.skill for item in mission_skills])],
        "reference": attestation_reference(application),
        "issued": timezone.localdate(),
    }


def _period(start: datetime.date | None, end: datetime.date | None) -> str:
    """The days the validated hours span, in words."""
    if start is None or end is None:
        return "—"
    if start == end:
        return _("le %(day)s") % {"day": formats.date_format(start, "DATE_FORMAT")}
    return _("du %(start)s au %(end)s") % {
        "start": formats.date_format(start, "DATE_FORMAT"),
        "end": formats.date_format(end, "DATE_FORMAT"),
    }


def render_attestation(application: Application, *, compress: bool = True) -> bytes:
    facts = attestation_facts(application)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
        title=_("Attestation d'engagement bénévole"),
        author="probono",
        pageCompression=1 if compress else 0,
        invariant=0 if compress else 1,
    )
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=11, leading=16)
    small = ParagraphStyle("small", parent=body, fontSize=9, textColor=colors.HexColor("#4f5b68"))
    date = formats.date_format
    hours = format_hours(facts["hours"])
    story = [
        plain("probono", styles["Title"]),
        plain(_("Attestation d'engagement bénévole"), styles["Heading1"]),
        Spacer(1, 6 * mm),
        plain(
            _(
                "La plateforme probono atteste que %(volunteer)s s'est engagé(e) "
                "bénévolement auprès de l'association %(association)s pour la "
                "mission décrite ci-dessous, menée à son terme."
            )
            % {"volunteer": facts["volunteer"], "association": facts["association"]},
            body,
        ),
        Spacer(1, 6 * mm),
    ]
    rows = [
        (_("Bénévole"), facts["volunteer"]),
        (_("Association"), facts["association"]),
        (_("Identifiant légal"), facts["identifiers"] or "—"),
        (_("Mission"), facts["mission"]),
        (_("Période de l'engagement"), _period(facts["start"], facts["end"])),
        (_("Heures validées par l'association"), f"{hours} h"),
        (_("Compétences mobilisées"), ", ".join(facts["skills"]) or "—"),
    ]
    table = Table(
        [[plain(k, body), plain(v, body)] for k, v in rows],
        colWidths=[55 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#dde2e8")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e7f1f5")),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 8 * mm),
        plain(
            _("Délivrée le %(date)s.") % {"date": date(facts["issued"], "DATE_FORMAT")},
            body,
        ),
        plain(
            _(
                "Référence de vérification : %(reference)s. L'équipe probono peut "
                "confirmer l'authenticité de cette attestation à partir de cette référence."
            )
            % {"reference": facts["reference"]},
            small,
        ),
    ]
    document.build(story)
    return buffer.getvalue()
