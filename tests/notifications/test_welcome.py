import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from accounts.models import SignupRole
from companies.models import CompanyMember, ReportSubscription
from missions.models import Mission
from notifications.models import Notification, NotificationPreference, WelcomeEmail
from notifications.services import preferences_update
from notifications.tasks import send_welcome_emails
from notifications.welcome import sequence_for, welcome_email_send, welcome_emails_enqueue
from taxonomy.models import Cause, Skill
from tests import factories

pytestmark = pytest.mark.django_db

Outcome = WelcomeEmail.Outcome


def newcomer(days_ago: float = 0, **fields):
    """A person who joined ``days_ago`` days ago and has signed in (address confirmed)."""
    joined = timezone.now() - datetime.timedelta(days=days_ago, minutes=5)
    fields.setdefault("first_name", "Camille")
    return factories.UserFactory(date_joined=joined, last_login=joined, **fields)


def run_beat(run_on_commit, **kwargs):
    return run_on_commit(send_welcome_emails, **kwargs)


def test_a_new_volunteer_gets_the_first_email_once(run_on_commit):
    user = newcomer(signup_role=SignupRole.VOLUNTEER)

    assert run_beat(run_on_commit) == 1
    assert run_beat(run_on_commit) == 0

    (email,) = mail.outbox
    assert email.to == [user.email]
    assert email.subject == "[probono] Bienvenue : créez votre profil de bénévole"
    assert "Bonjour Camille," in email.body
    assert "http://127.0.0.1:8000/benevole/profil/" in email.body
    assert "conseil n° 1 sur 3" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and '<html lang="fr">' in html
    assert 'href="http://127.0.0.1:8000/benevole/profil/"' in html
    assert "Créer mon profil de bénévole" in html
    assert "<" not in email.body
    assert WelcomeEmail.objects.get(user=user).outcome == Outcome.SENT


def test_the_email_is_written_in_the_recipients_language(run_on_commit):
    newcomer(language="en")
    run_beat(run_on_commit)
    (email,) = mail.outbox
    with translation.override("en"):
        assert email.subject == "[probono] Welcome: create your volunteer profile"
    assert "http://127.0.0.1:8000/en/" in email.body
    assert '<html lang="en">' in email.alternatives[0][0]


def test_an_incomplete_profile_is_told_what_is_missing(run_on_commit):
    user = newcomer()
    factories.VolunteerFactory(user=user)
    run_beat(run_on_commit)
    (email,) = mail.outbox
    assert email.subject == "[probono] Bienvenue : complétez votre profil de bénévole"
    assert "Indiquez au moins une compétence et votre niveau." in email.body
    assert "Choisissez les causes qui vous tiennent à cœur." in email.body


def test_a_step_already_taken_is_skipped(run_on_commit):
    user = newcomer()
    profile = factories.VolunteerFactory(user=user)
    factories.VolunteerSkillFactory(profile=profile, skill=Skill.objects.order_by("pk").first())
    profile.causes.add(Cause.objects.order_by("pk").first())

    run_beat(run_on_commit)

    assert mail.outbox == []
    assert WelcomeEmail.objects.get(user=user, day=0).outcome == Outcome.DONE


def test_day_three_leads_to_applying_unless_done(run_on_commit):
    waiting = newcomer(days_ago=3)
    factories.VolunteerFactory(user=waiting)
    applied = newcomer(days_ago=3)
    factories.ApplicationFactory(volunteer=factories.VolunteerFactory(user=applied))

    run_beat(run_on_commit)

    (email,) = mail.outbox
    assert email.to == [waiting.email]
    assert email.subject == "[probono] Des missions vous attendent"
    assert "http://127.0.0.1:8000/benevole/missions-pour-vous/" in email.body
    assert WelcomeEmail.objects.get(user=applied, day=3).outcome == Outcome.DONE


def test_day_ten_leads_to_the_search(run_on_commit):
    newcomer(days_ago=10)
    run_beat(run_on_commit)
    (email,) = mail.outbox
    assert email.subject == "[probono] Pas encore trouvé votre mission ?"
    assert "conseil n° 3 sur 3" in email.body


def test_switched_off_in_the_preferences_nothing_is_sent(run_on_commit):
    user = newcomer()
    emailable = [str(kind) for kind in NotificationPreference.emailable_kinds()]
    assert Notification.Kind.WELCOME in emailable
    preferences_update(
        actor=user,
        email_frequency="immediately",
        emailed_kinds=[kind for kind in emailable if kind != Notification.Kind.WELCOME],
    )
    run_beat(run_on_commit)
    assert mail.outbox == []
    assert WelcomeEmail.objects.get(user=user).outcome == Outcome.OFF


def test_the_preferences_page_offers_to_turn_them_off(client, outsider):
    client.force_login(outsider)
    content = client.get("/notifications/preferences/").content.decode()
    assert 'value="welcome"' in content and "Conseils pour bien démarrer" in content


def test_only_newcomers_who_signed_in_are_greeted(run_on_commit):
    newcomer(days_ago=30)  # long-standing: never greeted, whenever the sequence started
    newcomer(days_ago=6)  # between two e-mails
    factories.UserFactory(last_login=None)  # address never confirmed
    newcomer(is_staff=True)
    newcomer(is_active=False)
    assert run_beat(run_on_commit) == 0


def test_a_late_run_still_sends_within_the_catch_up_window(run_on_commit):
    newcomer(days_ago=1.5)
    newcomer(days_ago=2.5)
    assert run_beat(run_on_commit) == 1


def test_a_failed_send_is_not_recorded_and_is_sent_on_retry(run_on_commit, monkeypatch):
    user = newcomer()

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(OSError):
        welcome_email_send(user_id=user.pk, day=0)
    assert not WelcomeEmail.objects.filter(user=user).exists()
    monkeypatch.undo()

    assert welcome_email_send(user_id=user.pk, day=0) == Outcome.SENT
    assert welcome_email_send(user_id=user.pk, day=0) == ""
    assert len(mail.outbox) == 1


def test_an_association_is_first_asked_to_register(run_on_commit):
    newcomer(signup_role=SignupRole.ASSOCIATION)
    run_beat(run_on_commit)
    (email,) = mail.outbox
    assert email.subject == "[probono] Bienvenue : enregistrez votre association"
    assert "http://127.0.0.1:8000/association/inscription/" in email.body


def test_an_association_member_is_led_to_the_diagnosis_then_to_publishing(run_on_commit):
    member = newcomer(signup_role=SignupRole.ASSOCIATION)
    association = factories.AssociationFactory(verified_at=None, verification_state="pending")
    factories.AssociationMemberFactory(association=association, user=member)
    run_beat(run_on_commit)
    (email,) = mail.outbox
    assert email.subject == "[probono] Bienvenue : commencez par le diagnostic de vos besoins"
    assert f"/association/{association.slug}/diagnostic/" in email.body

    mail.outbox.clear()
    WelcomeEmail.objects.all().delete()
    member.date_joined = member.last_login = timezone.now() - datetime.timedelta(days=3, hours=1)
    member.save()
    factories.MissionFactory(association=association, state=Mission.State.DRAFT)
    run_beat(run_on_commit)
    (email,) = mail.outbox
    assert email.subject == "[probono] Publiez votre première mission"
    assert "en cours de vérification" in email.body


def test_a_programme_admin_follows_the_company_sequence(run_on_commit):
    admin = newcomer(days_ago=10, signup_role=SignupRole.COMPANY)
    membership = factories.CompanyMemberFactory(user=admin, role=CompanyMember.Role.PROGRAMME_ADMIN)
    factories.VolunteerFactory(user=admin)  # volunteering too: the company's sequence first
    assert sequence_for(admin).role == "company"

    run_beat(run_on_commit)

    (email,) = mail.outbox
    assert email.subject == "[probono] Recevez votre rapport d'impact chaque mois"
    assert "http://127.0.0.1:8000/entreprise/rapports/" in email.body

    other_admin = newcomer(days_ago=10, signup_role=SignupRole.COMPANY)
    factories.CompanyMemberFactory(
        user=other_admin, company=membership.company, role=CompanyMember.Role.PROGRAMME_ADMIN
    )
    ReportSubscription.objects.create(
        user=other_admin,
        company=membership.company,
        frequency="quarterly",
        since=timezone.localdate(),
    )
    mail.outbox.clear()
    run_beat(run_on_commit)
    assert mail.outbox == []
    assert WelcomeEmail.objects.get(user=other_admin).outcome == Outcome.DONE


def test_an_employee_follows_the_volunteer_sequence_told_of_the_employer(run_on_commit):
    employee = newcomer()
    membership = factories.CompanyMemberFactory(user=employee)
    assert sequence_for(employee).role == "volunteer"
    run_beat(run_on_commit)
    (email,) = mail.outbox
    assert f"Votre employeur, {membership.company.name}, soutient" in email.body


def test_the_due_emails_are_asked_through_the_outbox_once_per_day_and_person():
    user = newcomer()
    now = timezone.now()
    assert welcome_emails_enqueue(now=now) == 1
    # Asked again before the first ran: the outbox keeps one.
    assert welcome_emails_enqueue(now=now) == 1
    from core.models import OutboxMessage

    assert OutboxMessage.objects.filter(key=f"welcome:{user.pk}:0").count() == 1
