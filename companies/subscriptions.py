"""Scheduled reports: a company's staff subscribe to its impact report every month or
quarter, an association's members to its yearly summary of the sponsorship received.

Each morning a beat task (``companies.tasks.send_scheduled_reports``) asks, for every
subscription whose person is still on the company's staff (or a member of the
association), for the last period that is over; one task per subscription sends it
through the outbox. The report is the impact report's own (``reports.impact_report``,
``pdf.report_pdf``) or the yearly summary's (``reports.association_yearly_summary``,
``pdf.association_summary_pdf``): the e-mail shows its key figures and attaches its PDF.
What was sent is recorded (``ReportDelivery``, one row per person and period) in the
transaction that sends it, so that a period goes once to each person, however often the
tasks run. Membership and the person's e-mail preferences are checked again when sending.
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from associations.models import Association, AssociationMember
from core import outbox
from core.permissions import Actor, require
from notifications.emails import own_email
from notifications.models import Notification
from notifications.services import absolute_url, email_kind_enable, link, preferences_for

from . import access
from .models import CompanyMember, ReportDelivery, ReportSubscription
from .pdf import association_summary_pdf, report_pdf
from .reports import ImpactReport, ReportScope, association_yearly_summary, impact_report

if TYPE_CHECKING:
    from django.core.mail import EmailMultiAlternatives

    from accounts.models import User

Frequency = ReportSubscription.Frequency
PDF = "application/pdf"


# --- Subscribing ------------------------------------------------------------------------


@transaction.atomic
def report_subscription_set(
    *, actor: "Actor", company_id: int, frequency: str
) -> ReportSubscription | None:
    """Subscribe ``actor``, a manager or programme admin of the company, to its impact
    report every month or quarter (``frequency``); "" turns the subscription off. The
    first report is that of the first period to end from today on."""
    require(
        access.staff_membership(actor, company_id=company_id) is not None,
        _("Le rapport d'impact est réservé aux équipes de l'entreprise."),
    )
    user = cast("User", actor)  # signed in: a staff membership was found
    if not frequency:
        ReportSubscription.objects.filter(user=user, company_id=company_id).delete()
        return None
    if frequency not in ReportSubscription.COMPANY_FREQUENCIES:
        raise ValidationError({"frequency": _("Choisissez une fréquence dans la liste.")})
    today = timezone.localdate()
    subscription = (
        ReportSubscription.objects.select_for_update()
        .filter(user=user, company_id=company_id)
        .first()
    )
    if subscription is None:
        subscription = ReportSubscription.objects.create(
            user=user, company_id=company_id, frequency=frequency, since=today
        )
    elif subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.since = today
        subscription.save(update_fields=["frequency", "since"])
    email_kind_enable(actor=user, kind=Notification.Kind.IMPACT_REPORT)
    return subscription


@transaction.atomic
def summary_subscription_set(
    *, actor: "Actor", association_id: int, subscribed: bool
) -> ReportSubscription | None:
    """Subscribe ``actor``, a member of the association, to its yearly summary of the
    work-time engagements it received (sent in January for the year before), or not."""
    require(
        actor.is_authenticated
        and AssociationMember.objects.filter(association_id=association_id, user=actor).exists(),
        _("Le récapitulatif est réservé aux membres de l'association."),
    )
    user = cast("User", actor)  # signed in: a membership was found
    if not subscribed:
        ReportSubscription.objects.filter(user=user, association_id=association_id).delete()
        return None
    subscription, _created = ReportSubscription.objects.get_or_create(
        user=user,
        association_id=association_id,
        defaults={"frequency": Frequency.YEARLY, "since": timezone.localdate()},
    )
    email_kind_enable(actor=user, kind=Notification.Kind.YEARLY_SUMMARY)
    return subscription


# --- Sending ----------------------------------------------------------------------------


def _still_entitled() -> Q:
    """The subscriptions whose person is still on the company's staff or a member of the
    association (leaving stops the reports)."""
    staff = CompanyMember.objects.filter(
        company_id=OuterRef("company_id"),
        user_id=OuterRef("user_id"),
        role__in=CompanyMember.STAFF_ROLES,
    )
    member = AssociationMember.objects.filter(
        association_id=OuterRef("association_id"), user_id=OuterRef("user_id")
    )
    return (Q(company__isnull=False) & Q(Exists(staff))) | (
        Q(association__isnull=False) & Q(Exists(member))
    )


def scheduled_reports_enqueue(*, today: datetime.date | None = None) -> int:
    """Ask for the report of the last period over by ``today`` for every subscription
    that has not had it yet; returns how many."""
    today = today or timezone.localdate()
    subscriptions = list(
        ReportSubscription.objects.filter(_still_entitled(), user__is_active=True)
        .select_related("company")
        .order_by("pk")
    )
    # A year and a quarter back covers the last period of every frequency.
    sent = set(
        ReportDelivery.objects.filter(period_end__gte=today - datetime.timedelta(days=460))
        .values_list("user_id", "company_id", "association_id", "period_start", "period_end")
        .order_by()
    )
    count = 0
    with transaction.atomic():
        for subscription in subscriptions:
            start, end = subscription.last_period(today)
            key = (subscription.user_id, subscription.company_id, subscription.association_id)
            if end < subscription.since or (*key, start, end) in sent:
                continue
            outbox.enqueue(
                "companies.tasks.send_scheduled_report",
                subscription.pk,
                start.isoformat(),
                end.isoformat(),
                key=f"report:{subscription.pk}:{start.isoformat()}:{end.isoformat()}",
            )
            count += 1
    return count


def scheduled_report_send(
    *, subscription_id: int, start: datetime.date, end: datetime.date
) -> bool:
    """Send ``subscription``'s report for the period, once, if its person may and wants
    to receive it; whether it was sent."""
    subscription = (
        ReportSubscription.objects.select_related("user", "company", "association")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        return False
    user = subscription.user
    if not (user.is_active and user.email):
        return False
    company, association = subscription.company, subscription.association
    if company is not None:
        kind = Notification.Kind.IMPACT_REPORT
        entitled = access.staff_membership(user, company_id=company.pk) is not None
    else:
        kind = Notification.Kind.YEARLY_SUMMARY
        entitled = AssociationMember.objects.filter(association=association, user=user).exists()
    if not entitled or not preferences_for(user).wants_email(kind):
        return False
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReportDelivery.objects.create(
                    user=user,
                    company=company,
                    association=association,
                    period_start=start,
                    period_end=end,
                )
        except IntegrityError:
            return False
        # Sent inside the transaction: if sending fails, nothing is recorded and the
        # task's retry sends it.
        with translation.override(user.language):
            if company is not None:
                scope = ReportScope(company=company, start=start, end=end)
                message = impact_report_email(user, impact_report(scope), subscription)
            else:
                assert association is not None  # a subscription is to one or the other
                message = yearly_summary_email(user, association, start.year)
        message.send()
    return True


# --- The e-mails ------------------------------------------------------------------------


def _hours(value: Decimal) -> str:
    return floatformat(value, "-1")


def _euros(value: Decimal) -> str:
    return _("%(amount)s €") % {"amount": floatformat(value, "2g")}


def _share(value: Decimal | None) -> str:
    return "—" if value is None else f"{floatformat(value * 100, 0)} %"


def impact_key_figures(report: ImpactReport) -> list[tuple[str, str]]:
    """The figures of the impact report an e-mail shows, labelled and formatted in the
    active language (the values are the report's own)."""
    rating = report.average_rating
    return [
        (_("Heures validées"), _hours(report.hours_validated)),
        (_("Heures prévues"), _hours(report.hours_planned)),
        (_("Salariés engagés"), f"{report.employees_engaged} / {report.employees}"),
        (_("Taux de participation"), _share(report.participation_rate)),
        (_("Associations aidées"), str(report.associations_helped)),
        (_("Missions terminées"), str(report.missions_completed)),
        (_("Note moyenne des associations (sur 5)"), "—" if rating is None else str(rating)),
        (_("Valorisation au coût horaire chargé"), _euros(report.valuation)),
        (_("Réduction d'impôt estimée"), _euros(report.tax.reduction)),
    ]


def period_label(start: datetime.date, end: datetime.date) -> str:
    """ "mars 2026", or "janvier 2026 – mars 2026", in the active language."""
    first = formats.date_format(start, "YEAR_MONTH_FORMAT")
    if (start.year, start.month) == (end.year, end.month):
        return first
    return f"{first} – {formats.date_format(end, 'YEAR_MONTH_FORMAT')}"


def impact_report_email(
    user: "User", report: ImpactReport, subscription: ReportSubscription
) -> "EmailMultiAlternatives":
    """The impact report of ``report``'s period for ``user``, in the active language."""
    scope = report.scope
    company = scope.company
    language = user.language
    period = period_label(scope.start, scope.end)
    reports_url = absolute_url(link("companies:reports"), language)
    query = f"?start={scope.start.isoformat()}&end={scope.end.isoformat()}"
    stem = f"rapport-impact-{company.slug}-{scope.start}-{scope.end}"
    return own_email(
        user,
        kind=Notification.Kind.IMPACT_REPORT,
        subject=_("Rapport d'impact de %(company)s : %(period)s")
        % {"company": company.name, "period": period},
        template="impact_report",
        context={
            "company": company,
            "report": report,
            "period": period,
            "figures": impact_key_figures(report),
            "report_url": reports_url + query,
            "subscription_url": reports_url + "#co-subscription-title",
        },
        reason=_(
            "Vous recevez cet e-mail parce que vous êtes abonné(e) au rapport d'impact de "
            "%(company)s (%(frequency)s)."
        )
        % {"company": company.name, "frequency": subscription.get_frequency_display().lower()},
        attachments=[(f"{stem}.pdf", report_pdf(report), PDF)],
    )


def yearly_summary_email(
    user: "User", association: Association, year: int
) -> "EmailMultiAlternatives":
    """``association``'s summary of ``year`` for ``user``, in the active language."""
    rows = association_yearly_summary(association, year)
    summaries_url = absolute_url(link("companies:programme_invitations"), user.language)
    return own_email(
        user,
        kind=Notification.Kind.YEARLY_SUMMARY,
        subject=_("Mécénat de compétences reçu en %(year)s : %(association)s")
        % {"year": year, "association": association.name},
        template="yearly_summary",
        context={
            "association": association,
            "year": year,
            "rows": [
                {
                    "company": row["company"].name,
                    "volunteers": row["volunteers"],
                    "hours": _hours(row["hours"]),
                    "valuation": _euros(row["valuation"]),
                }
                for row in rows
            ],
            "total_hours": _hours(sum((row["hours"] for row in rows), Decimal(0))),
            "total_valuation": _euros(sum((row["valuation"] for row in rows), Decimal(0))),
            "summaries_url": summaries_url,
            "subscription_url": summaries_url + "#co-summaries-title",
        },
        reason=_(
            "Vous recevez cet e-mail parce que vous êtes abonné(e) au récapitulatif annuel de "
            "%(association)s."
        )
        % {"association": association.name},
        attachments=[
            (
                f"mecenat-competences-{association.slug}-{year}.pdf",
                association_summary_pdf(association, year, rows),
                PDF,
            )
        ],
    )
