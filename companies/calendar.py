"""What companies put on a calendar: their programmes and events, and the day an
employee's sponsorship year closes (the hours given on work time count in that year's
impact report and tax figures, so they are best declared before). Written out by
:mod:`core.calendars`; worded in the active language."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.calendars import CalendarEvent
from core.links import absolute_url
from core.permissions import Actor

from .models import CompanyMember, Programme

# A person's feed leaves out programmes that ended longer ago than this.
FEED_HISTORY = datetime.timedelta(days=365)


def programme_event(programme: Programme) -> CalendarEvent:
    """The programme from its first to its last day. ``programme.company`` is read."""
    description = [programme.description] if programme.description else []
    description.append(
        _("Programme de %(company)s : %(url)s")
        % {
            "company": programme.company.name,
            "url": absolute_url(reverse("companies:programme", args=[programme.pk])),
        }
    )
    return CalendarEvent(
        uid=f"programme-{programme.pk}",
        summary=_("%(kind)s : %(name)s (%(company)s)")
        % {
            "kind": programme.get_kind_display(),
            "name": programme.name,
            "company": programme.company.name,
        },
        start=programme.starts_on,
        end=programme.ends_on,
        modified=programme.updated_at,
        description="\n".join(description),
        url=absolute_url(reverse("companies:programme", args=[programme.pk])),
    )


def hours_deadline_event(member: CompanyMember, *, today: datetime.date) -> CalendarEvent | None:
    """The last day of the member's current sponsorship year, when they have work time
    to give. ``member.company`` is read."""
    if member.yearly_allowance_hours <= 0:
        return None
    company = member.company
    start, end = company.allowance_year(today)
    return CalendarEvent(
        uid=f"hours-deadline-{company.pk}-{end:%Y%m%d}",
        summary=_("Clôture de l'année de mécénat (%(company)s) : déclarez vos heures")
        % {"company": company.name},
        start=end,
        modified=company.created_at,
        description=_(
            "Les heures données sur le temps de travail du %(start)s au %(end)s comptent "
            "dans le bilan de %(company)s pour cette année : déclarez-les avant cette date. "
            "Votre enveloppe : %(url)s"
        )
        % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
            "company": company.name,
            "url": absolute_url(reverse("companies:my_allowance")),
        },
        url=absolute_url(reverse("companies:my_allowance")),
    )


def events_for_user(user: Actor, *, today: datetime.date) -> list[CalendarEvent]:
    """Everything of companies on ``user``'s own calendar: the programmes they registered
    for, every programme of a company whose programmes they run, and the close of their
    sponsorship year. Two queries."""
    if not user.is_authenticated:
        return []
    members = list(CompanyMember.objects.filter(user=user).select_related("company"))
    events = [
        event
        for member in members
        if (event := hours_deadline_event(member, today=today)) is not None
    ]
    run_by_them = [m.company_id for m in members if m.role == CompanyMember.Role.PROGRAMME_ADMIN]
    programmes = (
        Programme.objects.filter(
            Q(registrations__volunteer__user=user) | Q(company_id__in=run_by_them)
        )
        .filter(ends_on__gte=today - FEED_HISTORY)
        .select_related("company")
        .distinct()
        .order_by("pk")
    )
    events.extend(programme_event(programme) for programme in programmes)
    return events
