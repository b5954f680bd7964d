import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import Notification, NotificationPreference
from notifications.services import link, notify, preferences_update
from notifications.tasks import send_daily_digests, send_digest, send_notification_email
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
ACCEPTED_CONTEXT = {
    "mission": "Refonte du site",
    "association": "Les Ateliers du Quartier",
    "volunteer": "Alice Martin",
    "message": "Bienvenue dans l'équipe !",
}


def tell(recipient, run_on_commit, **kwargs):
    kwargs.setdefault("context", ACCEPTED_CONTEXT)
    kwargs.setdefault("url", link("notifications:list"))
    return run_on_commit(notify, recipient, kwargs.pop("kind", Kind.APPLICATION_ACCEPTED), **kwargs)


def test_notify_creates_an_in_app_notification_and_emails_it_at_once(outsider, run_on_commit):
    notification = tell(outsider, run_on_commit)
    assert notification.read_at is None and notification.email_wanted
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [outsider.email]
    assert "Candidature acceptée : Refonte du site" in email.subject
    assert "Les Ateliers du Quartier a accepté votre candidature" in email.body
    assert "Bienvenue dans l'équipe !" in email.body
    assert "http://127.0.0.1:8000/notifications/" in email.body


def test_the_email_has_a_text_and_an_html_part_in_french(outsider, run_on_commit):
    tell(outsider, run_on_commit)
    html, mimetype = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html
    assert "Les Ateliers du Quartier a accepté votre candidature" in html
    assert 'href="http://127.0.0.1:8000/notifications/"' in html
    assert "<" not in mail.outbox[0].body


def test_the_email_is_written_in_the_recipients_language(run_on_commit):
    english = factories.UserFactory(language="en")
    tell(english, run_on_commit)
    email = mail.outbox[0]
    with translation.override("en"):
        expected = (
            gettext(
                "Bonne nouvelle : %(association)s a accepté votre candidature à la mission "
                "« %(mission)s »."
            )
            % ACCEPTED_CONTEXT
        )
        title = gettext("Candidature acceptée : %(mission)s") % ACCEPTED_CONTEXT
    assert expected in email.body
    assert title in email.subject
    html = email.alternatives[0][0]
    assert '<html lang="en">' in html
    assert expected in html
    # Links lead to the English pages.
    assert "http://127.0.0.1:8000/en/notifications/" in email.body
    assert 'href="http://127.0.0.1:8000/en/notifications/preferences/"' in html
    # The sender's own language is left as it was.
    assert translation.get_language() != "en"


def test_the_actor_is_never_told_of_their_own_action(outsider, run_on_commit):
    assert tell(outsider, run_on_commit, actor=outsider) is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_same_event_notifies_a_person_once(outsider, run_on_commit):
    assert tell(outsider, run_on_commit, key="log:1:x") is not None
    assert tell(outsider, run_on_commit, key="log:1:x") is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_email_task_sends_once_however_often_it_runs(outsider, run_on_commit):
    notification = tell(outsider, run_on_commit)
    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_can_be_retried(outsider, run_on_commit, monkeypatch):
    from django.core.mail.message import EmailMultiAlternatives

    def fail(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", fail)
    notification = Notification.objects.create(
        recipient=outsider,
        kind=Kind.APPLICATION_ACCEPTED,
        context=ACCEPTED_CONTEXT,
        email_wanted=True,
    )
    with pytest.raises(OSError):
        send_notification_email.run(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    assert send_notification_email(notification.pk) is True
    assert len(mail.outbox) == 1


def test_a_kind_switched_off_is_not_emailed_but_still_shown(outsider, run_on_commit):
    emailable = [str(kind) for kind in NotificationPreference.emailable_kinds()]
    preferences_update(
        actor=outsider,
        email_frequency="immediately",
        emailed_kinds=[kind for kind in emailable if kind != Kind.APPLICATION_ACCEPTED],
    )
    notification = tell(outsider, run_on_commit)
    assert notification.pk and not notification.email_wanted
    assert mail.outbox == []
    tell(
        outsider,
        run_on_commit,
        kind=Kind.MISSION_STARTING,
        context={
            "mission": "Refonte",
            "association": "Asso",
            "date": "2026-12-01",
        },
    )
    assert len(mail.outbox) == 1


def test_never_means_no_email_at_all(outsider, run_on_commit):
    preferences_update(actor=outsider, email_frequency="never", emailed_kinds=[])
    tell(outsider, run_on_commit)
    assert Notification.objects.filter(recipient=outsider).count() == 1
    assert mail.outbox == []


def test_in_app_only_notifications_are_never_emailed(outsider, run_on_commit):
    tell(outsider, run_on_commit, email=False)
    assert mail.outbox == []


@pytest.fixture
def digest_reader(db):
    user = factories.UserFactory(first_name="Chloé")
    preferences_update(
        actor=user,
        email_frequency="daily",
        emailed_kinds=[str(kind) for kind in NotificationPreference.emailable_kinds()],
    )
    return user


def test_a_daily_digest_reader_gets_no_immediate_email(digest_reader, run_on_commit):
    tell(digest_reader, run_on_commit)
    assert mail.outbox == []
    assert Notification.objects.email_pending().filter(recipient=digest_reader).count() == 1


def test_the_digest_gathers_the_days_notifications_in_one_email(
    digest_reader, outsider, run_on_commit
):
    tell(digest_reader, run_on_commit)
    tell(
        digest_reader,
        run_on_commit,
        kind=Kind.MESSAGE_RECEIVED,
        context={"mission": "Refonte du site", "author": "Bruno", "message": "On se voit jeudi ?"},
    )
    tell(digest_reader, run_on_commit, email=False)  # in-app only: not in the digest
    tell(outsider, run_on_commit)  # immediate reader: already e-mailed
    mail.outbox.clear()

    assert run_on_commit(send_daily_digests) == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [digest_reader.email]
    assert "2 notifications" in email.subject
    assert "Bonjour Chloé" in email.body
    assert "Candidature acceptée : Refonte du site" in email.body
    assert "Bruno vous a écrit au sujet de la mission « Refonte du site »." in email.body
    assert "On se voit jeudi ?" in email.alternatives[0][0]
    assert not Notification.objects.email_pending().filter(recipient=digest_reader).exists()


def test_the_digest_is_sent_once_a_day(digest_reader, run_on_commit):
    tell(digest_reader, run_on_commit)
    assert send_digest(digest_reader.pk) == 1
    tell(digest_reader, run_on_commit)
    assert send_digest(digest_reader.pk) == 0  # a second run the same day sends nothing
    assert run_on_commit(send_daily_digests) == 1 and len(mail.outbox) == 1
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: tomorrow)
        assert send_digest(digest_reader.pk) == 1
    assert len(mail.outbox) == 2


def test_nobody_without_news_gets_a_digest(digest_reader):
    assert send_daily_digests() == 0
    assert send_digest(digest_reader.pk) == 0
    assert mail.outbox == []


def test_the_daily_digests_go_through_the_outbox_once(digest_reader, run_on_commit):
    from core.models import OutboxMessage

    tell(digest_reader, run_on_commit)
    mail.outbox.clear()
    # The fan-out runs twice (a retried beat task): one digest is recorded, one is sent.
    assert run_on_commit(send_daily_digests) == 1
    run_on_commit(send_daily_digests)
    assert OutboxMessage.objects.filter(task=send_digest.name).count() == 1
    assert len(mail.outbox) == 1
