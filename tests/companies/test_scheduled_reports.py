import datetime
from decimal import Decimal
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from companies.models import CompanyMember, ReportDelivery, ReportSubscription
from companies.subscriptions import (
    report_subscription_set,
    scheduled_report_send,
    summary_subscription_set,
)
from companies.tasks import send_scheduled_reports
from missions.models import Mission
from notifications.models import Notification, NotificationPreference
from notifications.services import preferences_update
from tests import factories

from .conftest import HoursFactory, work_time_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run ``func`` and what it left for after the commit: the outbox's tasks."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


D = datetime.date
Frequency = ReportSubscription.Frequency


def period(frequency: str, today: D, year_start_month: int = 1):
    company = factories.CompanyFactory.build(year_start_month=year_start_month)
    subscription = ReportSubscription(
        frequency=frequency, company=None if frequency == "yearly" else company
    )
    return subscription.last_period(today)


@pytest.mark.parametrize(
    ("frequency", "today", "start_month", "expected"),
    [
        ("monthly", D(2026, 4, 1), 1, (D(2026, 3, 1), D(2026, 3, 31))),
        ("monthly", D(2026, 1, 15), 1, (D(2025, 12, 1), D(2025, 12, 31))),
        ("quarterly", D(2026, 4, 2), 1, (D(2026, 1, 1), D(2026, 3, 31))),
        ("quarterly", D(2026, 6, 30), 1, (D(2026, 1, 1), D(2026, 3, 31))),
        ("quarterly", D(2026, 2, 1), 1, (D(2025, 10, 1), D(2025, 12, 31))),
        # A fiscal year from September: quarters Sep-Nov, Dec-Feb, Mar-May, Jun-Aug.
        ("quarterly", D(2026, 9, 1), 9, (D(2026, 6, 1), D(2026, 8, 31))),
        ("quarterly", D(2026, 3, 10), 9, (D(2025, 12, 1), D(2026, 2, 28))),
        ("yearly", D(2027, 1, 1), 1, (D(2026, 1, 1), D(2026, 12, 31))),
    ],
)
def test_the_last_period_over(frequency, today, start_month, expected):
    assert period(frequency, today, start_month) == expected


# --- The beat task ----------------------------------------------------------------------


def first_of_last_month(today: D) -> D:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.fixture
def hours_by_month(company, employee):
    """Validated work-time hours of ``employee``: 3 h last month, 2 h the month before,
    5 h this month."""
    today = timezone.localdate()
    last_month = first_of_last_month(today)
    month_before = first_of_last_month(last_month)
    mission = factories.MissionFactory(state=Mission.State.COMPLETED)
    factories.MissionSkillFactory(mission=mission)
    application = work_time_application(
        employee, mission, state="completed", approval_state="approved", planned_hours=10
    )
    for day, hours in ((last_month, "3"), (month_before, "2"), (today, "5")):
        HoursFactory(application=application, date=day, hours=Decimal(hours))
    return last_month


def subscribe(user, company, frequency, since):
    return ReportSubscription.objects.create(
        user=user, company=company, frequency=frequency, since=since
    )


def pdf_of(email):
    ((name, content, mimetype),) = email.attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    return name


def test_the_beat_task_sends_last_months_figures_and_pdf_once_to_subscribers_only(
    company, programme_admin, employee, hours_by_month, run_on_commit
):
    last_month = hours_by_month
    former = factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user
    muted = factories.CompanyMemberFactory(company=company, role=CompanyMember.Role.MANAGER).user
    outsider_admin = factories.CompanyMemberFactory(role=CompanyMember.Role.PROGRAMME_ADMIN)
    for user in (programme_admin, former, muted):
        subscribe(user, company, Frequency.MONTHLY, since=last_month)
    subscribe(outsider_admin.user, outsider_admin.company, Frequency.MONTHLY, since=last_month)
    # Left the company after subscribing: the reports stop.
    CompanyMember.objects.filter(user=former, company=company).delete()
    emailable = [str(kind) for kind in NotificationPreference.emailable_kinds()]
    preferences_update(
        actor=muted,
        email_frequency="immediately",
        emailed_kinds=[k for k in emailable if k != Notification.Kind.IMPACT_REPORT],
    )

    run_on_commit(send_scheduled_reports)
    run_on_commit(send_scheduled_reports)  # beat ran twice: nothing more

    by_recipient = {email.to[0]: email for email in mail.outbox}
    assert set(by_recipient) == {programme_admin.email, outsider_admin.user.email}
    email = by_recipient[programme_admin.email]
    assert email.subject.startswith("[probono] Rapport d'impact de Acme Conseil : ")
    end = (last_month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
    assert "* Heures validées : 3\n" in email.body  # last month's only
    assert "* Heures prévues : " in email.body
    assert f"?start={last_month.isoformat()}&end={end.isoformat()}" in email.body
    assert pdf_of(email) == f"rapport-impact-{company.slug}-{last_month}-{end}.pdf"
    html = email.alternatives[0][0]
    assert "Heures validées</th>" in html
    # The other company's report holds its own figures, not Acme's.
    other = by_recipient[outsider_admin.user.email]
    assert outsider_admin.company.name in other.subject
    assert "* Heures validées : 0\n" in other.body
    assert ReportDelivery.objects.filter(user=programme_admin).count() == 1


def test_a_quarterly_subscriber_gets_the_last_quarter_of_the_companys_year(
    company, manager, hours_by_month, run_on_commit
):
    today = timezone.localdate()
    subscription = subscribe(manager, company, Frequency.QUARTERLY, since=D(2000, 1, 1))
    start, end = subscription.last_period(today)
    run_on_commit(send_scheduled_reports)
    (email,) = mail.outbox
    assert email.to == [manager.email]
    assert pdf_of(email) == f"rapport-impact-{company.slug}-{start}-{end}.pdf"
    expected = sum(
        hours
        for day, hours in (
            (hours_by_month, 3),
            (first_of_last_month(hours_by_month), 2),
        )
        if start <= day <= end
    )
    assert f"* Heures validées : {expected}\n" in email.body


def test_nothing_is_sent_for_a_period_over_before_subscribing(
    company, programme_admin, hours_by_month, run_on_commit
):
    subscribe(programme_admin, company, Frequency.MONTHLY, since=timezone.localdate())
    run_on_commit(send_scheduled_reports)
    assert mail.outbox == []


def test_switching_to_quarterly_sends_the_quarter_that_starts_like_a_month_sent(
    company, manager, hours_by_month, run_on_commit
):
    subscription = subscribe(manager, company, Frequency.QUARTERLY, since=D(2000, 1, 1))
    start, end = subscription.last_period(timezone.localdate())
    # The first month of that quarter went out while the person was on monthly reports.
    first_month_end = (start + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(
        days=1
    )
    ReportDelivery.objects.create(
        user=manager, company=company, period_start=start, period_end=first_month_end
    )
    run_on_commit(send_scheduled_reports)
    (email,) = mail.outbox
    assert pdf_of(email) == f"rapport-impact-{company.slug}-{start}-{end}.pdf"


def test_the_reports_one_click_unsubscribe_stops_the_next_reports(
    client, company, programme_admin, hours_by_month
):
    subscription = subscribe(programme_admin, company, Frequency.MONTHLY, since=hours_by_month)
    start, end = subscription.last_period(timezone.localdate())
    assert scheduled_report_send(subscription_id=subscription.pk, start=start, end=end)
    (email,) = mail.outbox
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in email.body
    page = client.get(urlsplit(url).path)
    assert "« Rapport d'impact programmé »" in unescape(page.content.decode())

    # What a mail client sends (RFC 8058): no cookie, no CSRF token.
    client.post(urlsplit(url).path, {"List-Unsubscribe": "One-Click"})

    assert NotificationPreference.objects.get(user=programme_admin).muted_kinds == [
        Notification.Kind.IMPACT_REPORT
    ]
    next_start = end + datetime.timedelta(days=1)
    assert not scheduled_report_send(
        subscription_id=subscription.pk, start=next_start, end=next_start + datetime.timedelta(27)
    )
    assert len(mail.outbox) == 1


def test_a_report_sent_once_is_not_sent_again_by_a_second_task(
    company, programme_admin, hours_by_month
):
    subscription = subscribe(programme_admin, company, Frequency.MONTHLY, since=hours_by_month)
    start, end = subscription.last_period(timezone.localdate())
    assert scheduled_report_send(subscription_id=subscription.pk, start=start, end=end)
    assert not scheduled_report_send(subscription_id=subscription.pk, start=start, end=end)
    assert len(mail.outbox) == 1


def test_a_failed_send_records_nothing_and_the_retry_sends(
    company, programme_admin, hours_by_month, monkeypatch
):
    subscription = subscribe(programme_admin, company, Frequency.MONTHLY, since=hours_by_month)
    start, end = subscription.last_period(timezone.localdate())

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(OSError):
        scheduled_report_send(subscription_id=subscription.pk, start=start, end=end)
    assert not ReportDelivery.objects.exists()
    monkeypatch.undo()
    assert scheduled_report_send(subscription_id=subscription.pk, start=start, end=end)
    assert len(mail.outbox) == 1


def test_the_report_is_written_in_the_recipients_language(
    company, programme_admin, hours_by_month, run_on_commit
):
    programme_admin.language = "en"
    programme_admin.save()
    subscribe(programme_admin, company, Frequency.MONTHLY, since=hours_by_month)
    run_on_commit(send_scheduled_reports)
    (email,) = mail.outbox
    assert "* Hours approved: 3\n" in email.body
    assert email.subject.startswith("[probono] Acme Conseil impact report: ")
    assert "http://127.0.0.1:8000/en/" in email.body
    assert '<html lang="en">' in email.alternatives[0][0]


@pytest.fixture
def summary_year_hours(association, company, employee):
    """6 h of ``employee``'s work time validated by ``association`` last year."""
    year = timezone.localdate().year - 1
    mission = factories.MissionFactory(association=association, state=Mission.State.COMPLETED)
    application = work_time_application(
        employee, mission, state="completed", approval_state="approved"
    )
    HoursFactory(application=application, date=D(year, 6, 15), hours=Decimal("6"))
    return year


def test_the_association_gets_last_years_summary_in_january_once(
    association, owner, colleague, company, summary_year_hours, run_on_commit
):
    year = summary_year_hours
    since = D(year, 3, 1)
    ReportSubscription.objects.create(
        user=owner, association=association, frequency=Frequency.YEARLY, since=since
    )
    ReportSubscription.objects.create(
        user=colleague, association=association, frequency=Frequency.YEARLY, since=since
    )
    # The colleague left the association: the summary stops.
    association.members.filter(user=colleague).delete()

    run_on_commit(send_scheduled_reports)
    run_on_commit(send_scheduled_reports)

    (email,) = mail.outbox
    assert email.to == [owner.email]
    assert email.subject == (
        f"[probono] Mécénat de compétences reçu en {year} : {association.name}"
    )
    assert f"* {company.name} : 6 h, 300,00 €" in email.body
    assert pdf_of(email) == f"mecenat-competences-{association.slug}-{year}.pdf"


# --- Subscribing on the pages -------------------------------------------------------------


def subscription_url(company_id):
    return reverse("companies:report_subscription", args=[company_id])


def test_a_programme_admin_subscribes_on_the_report_page(client, company, programme_admin):
    client.force_login(programme_admin)
    page = client.get(reverse("companies:reports")).content.decode()
    assert f'action="{subscription_url(company.pk)}"' in page
    assert "À quel rythme ?" in page

    response = client.post(subscription_url(company.pk), {"subscription-frequency": "quarterly"})

    assert response.status_code == 302
    assert response["Location"].endswith("#co-subscription-title")
    subscription = ReportSubscription.objects.get(user=programme_admin)
    assert subscription.company == company and subscription.frequency == "quarterly"
    assert subscription.since == timezone.localdate()
    page = client.get(reverse("companies:reports")).content.decode()
    assert 'value="quarterly" id="id_subscription-frequency_2" checked>' in page

    client.post(subscription_url(company.pk), {"subscription-frequency": ""})
    assert not ReportSubscription.objects.exists()


def test_a_manager_may_subscribe_too(client, company, manager):
    client.force_login(manager)
    client.post(subscription_url(company.pk), {"subscription-frequency": "monthly"})
    assert ReportSubscription.objects.get(user=manager).frequency == "monthly"


def test_another_companys_id_is_not_found(client, company, programme_admin, other_company_admin):
    other = CompanyMember.objects.get(user=other_company_admin).company
    client.force_login(programme_admin)
    response = client.post(subscription_url(other.pk), {"subscription-frequency": "monthly"})
    assert response.status_code == 404
    assert not ReportSubscription.objects.exists()


def test_an_employee_cannot_subscribe(client, company, employee):
    client.force_login(employee)
    response = client.post(subscription_url(company.pk), {"subscription-frequency": "monthly"})
    assert response.status_code == 404
    assert not ReportSubscription.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, company):
    response = client.post(subscription_url(company.pk), {"subscription-frequency": "monthly"})
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_a_frequency_not_offered_is_refused_in_french(client, company, programme_admin):
    client.force_login(programme_admin)
    response = client.post(subscription_url(company.pk), {"subscription-frequency": "daily"})
    assert response.status_code == 400
    assert "Choisissez une fréquence dans la liste." in response.content.decode()
    assert not ReportSubscription.objects.exists()


def test_subscribing_turns_the_kind_back_on(company, programme_admin):
    emailable = [str(kind) for kind in NotificationPreference.emailable_kinds()]
    preferences_update(
        actor=programme_admin,
        email_frequency="immediately",
        emailed_kinds=[k for k in emailable if k != Notification.Kind.IMPACT_REPORT],
    )
    report_subscription_set(actor=programme_admin, company_id=company.pk, frequency="monthly")
    preference = NotificationPreference.objects.get(user=programme_admin)
    assert preference.wants_email(Notification.Kind.IMPACT_REPORT)


def test_subscribing_warns_when_the_preferences_refuse_every_email(
    client, company, programme_admin
):
    preferences_update(actor=programme_admin, email_frequency="never", emailed_kinds=[])
    client.force_login(programme_admin)
    response = client.post(
        subscription_url(company.pk), {"subscription-frequency": "monthly"}, follow=True
    )
    assert "Vos préférences de notification ne permettent aucun e-mail" in (
        response.content.decode()
    )


def summary_url(slug):
    return reverse("companies:summary_subscription", args=[slug])


def test_an_association_member_subscribes_to_the_yearly_summary(client, association, owner):
    client.force_login(owner)
    page = client.get(reverse("companies:programme_invitations")).content.decode()
    assert f'action="{summary_url(association.slug)}"' in page

    response = client.post(summary_url(association.slug), {"subscribed": "on"})

    assert response.status_code == 302
    subscription = ReportSubscription.objects.get(user=owner)
    assert subscription.association == association and subscription.frequency == "yearly"
    page = client.get(reverse("companies:programme_invitations")).content.decode()
    assert "vous le recevez chaque année" in page

    client.post(summary_url(association.slug), {})
    assert not ReportSubscription.objects.exists()


def test_another_associations_summary_is_not_found(client, owner):
    other = factories.AssociationFactory()
    client.force_login(owner)
    assert client.post(summary_url(other.slug), {"subscribed": "on"}).status_code == 404
    assert not ReportSubscription.objects.exists()


def test_the_services_refuse_outsiders(company, association, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report_subscription_set(actor=outsider, company_id=company.pk, frequency="monthly")
    with pytest.raises(PermissionDenied):
        summary_subscription_set(actor=outsider, association_id=association.pk, subscribed=True)
