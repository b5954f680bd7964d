"""The ``seed_demo`` command: counts, consistency, validity, logins and idempotence."""

import datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from stdnum.fr import siren, siret

from accounts.models import User
from associations.models import Association, AssociationMember
from companies.models import Company, CompanyDomain, CompanyMember, Programme
from core.models import ActionLog
from core.validators import departement_code_for_postcode
from demo.options import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    ENGLISH_VOLUNTEER_EMAIL,
    MARKER_EMAIL,
    PENDING_ASSOCIATION_EMAIL,
    REJECTED_ASSOCIATION_EMAIL,
)
from missions.models import (
    Application,
    Evaluation,
    HoursEntry,
    Invitation,
    Mission,
    MissionSkill,
)
from notifications.models import Message, Notification, NotificationPreference
from search.models import SavedSearch
from volunteers.models import Favourite, VolunteerProfile, VolunteerSkill

SMALL = {"volunteers": 30, "missions": 15, "associations": 6, "companies": 2}
# Besides the requested ones: the listed accounts' pending and rejected associations.
STORY_ASSOCIATIONS = 2


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def fingerprint() -> dict:
    return {
        "associations": list(Association.objects.order_by("pk").values_list("name", "city")),
        "volunteers": list(
            VolunteerProfile.objects.order_by("pk").values_list("user__email", "headline")
        ),
        "missions": list(Mission.objects.order_by("pk").values_list("title", "state", "seats")),
        "applications": list(
            Application.objects.order_by("pk").values_list("volunteer__user__email", "state")
        ),
        "favourites": list(Favourite.objects.order_by("pk").values_list("mission__title")),
        "invitations": list(Invitation.objects.order_by("pk").values_list("mission__title")),
        "messages": list(Message.objects.order_by("pk").values_list("author__email", "body")),
    }


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """The default-size dataset, with what its transaction leaves for after the commit
    (the listeners of the logged actions), as ``seed_demo`` runs outside a test."""
    with django_capture_on_commit_callbacks(execute=True):
        return seed()


def test_small_run_creates_the_requested_counts_and_runs_once(db):
    output = seed(**SMALL, verbosity=2)
    assert "Demo data created" in output
    for account in DEMO_ACCOUNTS:
        assert account.email in output
    assert VolunteerProfile.objects.count() == 30
    assert Mission.objects.count() == 15 + 1  # and the pending association's draft
    assert Association.objects.count() == 6 + STORY_ASSOCIATIONS
    assert Company.objects.filter(kind=Company.Kind.COMPANY).count() == 2
    assert Company.objects.filter(kind=Company.Kind.FOUNDATION, parent__isnull=False).count() == 1
    assert CompanyDomain.objects.count() == 2
    # One admin per association; every user has a verified primary address.
    assert AssociationMember.objects.filter(role="admin").count() == 6 + STORY_ASSOCIATIONS
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == User.objects.count()
    assert "notifications.Message" in output  # what the services made is counted too
    assert output.rstrip().splitlines()[-1].startswith(f"  {DEMO_ACCOUNTS[-1].email}")

    def totals():
        return fingerprint() | {
            "users": User.objects.count(),
            "hours": HoursEntry.objects.count(),
            "logs": ActionLog.objects.count(),
            "notifications": Notification.objects.count(),
            "messages": Message.objects.count(),
        }

    before = totals()
    again = seed(**SMALL)
    assert "already present" in again
    seed()  # other sizes do not matter either: the marker user is there
    assert totals() == before


def test_the_same_seed_gives_the_same_data(db):
    with transaction.atomic():
        seed(**SMALL)
        first = fingerprint()
        transaction.set_rollback(True)
    assert not User.objects.exists()
    seed(**SMALL)
    assert fingerprint() == first


def test_every_state_is_represented(demo):
    assert set(Mission.objects.values_list("state", flat=True)) == set(Mission.State.values)
    assert set(Application.objects.values_list("state", flat=True)) == set(Application.State.values)
    assert set(Application.objects.values_list("approval_state", flat=True)) == set(
        Application.Approval.values
    )
    assert set(Association.objects.values_list("verification_state", flat=True)) == set(
        Association.State.values
    )
    assert HoursEntry.objects.filter(state=HoursEntry.State.VALIDATED).exists()
    assert set(Evaluation.objects.values_list("side", flat=True)) == set(Evaluation.Side.values)
    assert Mission.objects.values("format").distinct().count() == len(Mission.Format.values)
    assert Mission.objects.values("location_mode").distinct().count() == 3
    assert Programme.objects.exists() and Mission.objects.filter(programme__isnull=False).exists()


def test_default_counts(demo):
    assert VolunteerProfile.objects.count() == 200
    assert Mission.objects.count() == 80 + 1
    assert Association.objects.count() == 30 + STORY_ASSOCIATIONS
    assert Company.objects.filter(kind=Company.Kind.COMPANY).count() == 5
    employed = VolunteerProfile.objects.filter(employer__isnull=False).count()
    assert 0.25 * 200 < employed < 0.55 * 200
    assert VolunteerProfile.objects.filter(seniority="retiree", employer__isnull=False).count() == 0


def test_engagements_are_consistent(demo):
    overbooked = Mission.objects.with_taken_seats().filter(taken_seats__gt=F("seats"))
    assert not overbooked.exists()
    # Only verified associations have missions beyond drafts.
    assert not (
        Mission.objects.exclude(state=Mission.State.DRAFT)
        .exclude(association__verification_state=Association.State.VERIFIED)
        .exists()
    )
    assert not Mission.objects.filter(
        state__in=["draft", "submitted"], applications__isnull=False
    ).exists()
    today = timezone.localdate()
    assert not Mission.objects.filter(state="published", application_deadline__lt=today).exists()
    assert not Mission.objects.filter(
        state="expired", applications__state__in=Application.SEAT_STATES
    ).exists()
    # Waitlisted volunteers wait for a full mission.
    for mission in Mission.objects.with_taken_seats().filter(applications__state="waitlisted"):
        assert mission.taken_seats == mission.seats
    # Active and completed engagements are cleared by the employer; declines have reasons.
    assert not Application.objects.filter(
        state__in=["active", "completed"],
        approval_state__in=["pending", "refused"],
    ).exists()
    assert not Application.objects.filter(state="declined", decline_reason="").exists()
    assert not Application.objects.filter(state="withdrawn", withdrawal_reason="").exists()
    assert not Application.objects.filter(
        is_work_time=True, volunteer__employer__isnull=True
    ).exists()
    assert (
        not Application.objects.filter(
            approval_state="refused", withdrawal_reason="approval_refused"
        )
        .exclude(state="withdrawn")
        .exists()
    )
    # Hours on running or finished engagements only, never in the future.
    assert not HoursEntry.objects.exclude(application__state__in=["active", "completed"]).exists()
    assert not HoursEntry.objects.filter(date__gt=today).exists()
    for entry in HoursEntry.objects.select_related("application__mission"):
        assert entry.date >= entry.application.engagement_start, entry
    assert not HoursEntry.objects.filter(state="rejected", rejection_reason="").exists()
    assert not Evaluation.objects.exclude(application__state="completed").exists()
    # On-site and hybrid missions say where; every mission asks for a required skill.
    assert not Mission.objects.exclude(location_mode="remote").filter(city="").exists()
    assert (
        not Mission.objects.annotate(
            required=Count("skills", filter=Q(skills__importance="required"))
        )
        .filter(required=0)
        .exists()
    )


def test_a_year_of_activity(demo):
    """Applications, answers, hours and evaluations spread over the past year, each in
    its order: published, applied, answered, then hours given and evaluated."""
    now = timezone.now()
    for application in Application.objects.select_related("mission"):
        assert application.created_at <= now
        if application.mission.published_at:
            assert application.created_at >= application.mission.published_at, application
        if application.decided_at:
            assert application.created_at <= application.decided_at, application
    for entry in HoursEntry.objects.all():
        assert entry.created_at.date() >= entry.date and entry.created_at <= now

    def months(dates):
        return {(d.year, d.month) for d in dates}

    assert len(months(Application.objects.values_list("created_at", flat=True))) >= 9
    assert len(months(HoursEntry.objects.values_list("date", flat=True))) >= 9
    assert len(months(Evaluation.objects.values_list("created_at", flat=True))) >= 6


def test_identities_places_and_skills_look_real(demo):
    for association in Association.objects.all():
        assert association.rna or association.siret
        if len(association.siret) == 14:
            assert siret.is_valid(association.siret)
        elif association.siret:
            assert siren.is_valid(association.siret)
        assert departement_code_for_postcode(association.postcode) == association.departement.code
    for company in Company.objects.all():
        assert siren.is_valid(company.siren)
    for profile in VolunteerProfile.objects.select_related("departement"):
        assert departement_code_for_postcode(profile.postcode) == profile.departement.code
    per_volunteer = VolunteerSkill.objects.values("profile").annotate(n=Count("id"))
    assert {row["n"] for row in per_volunteer} <= set(range(2, 7))
    assert Association.objects.filter(city__in=["Paris", "Lyon", "Marseille"]).exists()
    # Demo e-mails never reach anyone real.
    for email in User.objects.values_list("email", flat=True):
        assert email.endswith((".test", "@example.org", "@example.net", "@example.com")), email


def test_a_sample_of_every_model_passes_validation(demo):
    for model in (
        User,
        Association,
        AssociationMember,
        Company,
        CompanyDomain,
        CompanyMember,
        Programme,
        VolunteerProfile,
        VolunteerSkill,
        Mission,
        MissionSkill,
        Application,
        HoursEntry,
        Evaluation,
    ):
        sample = list(model.objects.order_by("?")[:25])
        assert sample, model
        for obj in sample:
            obj.full_clean()


def test_demo_accounts_can_log_in(demo, client):
    for account in DEMO_ACCOUNTS:
        assert client.login(email=account.email, password=DEMO_PASSWORD), account.email
        client.logout()
        # Through allauth too: the address is verified, so no confirmation is asked.
        response = client.post(
            reverse("account_login"), {"login": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        assert "confirm" not in response.url
        client.logout()

    admin = User.objects.get(email=MARKER_EMAIL)
    assert admin.is_superuser and admin.is_staff
    referent = User.objects.get(email="referent@probono.test")
    assert referent.is_staff and referent.is_referent and not referent.is_platform_staff
    assert list(referent.referent_departements.values_list("code", flat=True)) == ["69"]
    assert list(referent.referent_regions.values_list("code", flat=True)) == ["11"]
    # The referent has something to do in the Rhône.
    assert Association.objects.in_staff_scope(referent).filter(verification_state="pending")
    membership = AssociationMember.objects.get(user__email="association@probono.test")
    assert membership.role == "admin"
    assert membership.association.is_verified
    assert membership.association.missions.values("state").distinct().count() >= 4
    volunteer = VolunteerProfile.objects.get(user__email="benevole@probono.test")
    assert set(volunteer.applications.values_list("state", flat=True)) >= {
        "applied",
        "accepted",
        "active",
        "completed",
    }
    company_admin = CompanyMember.objects.get(user__email="entreprise@probono.test")
    assert company_admin.role == CompanyMember.Role.PROGRAMME_ADMIN
    assert Application.objects.filter(
        volunteer__employer=company_admin.company, approval_state="pending"
    ).exists()


def test_every_user_signed_up_as_what_they_are(demo):
    roles = dict(User.objects.values_list("email", "signup_role"))
    for email in VolunteerProfile.objects.values_list("user__email", flat=True):
        assert roles[email] == "volunteer", email
    for email in AssociationMember.objects.values_list("user__email", flat=True):
        assert roles[email] == "association", email
    for email in CompanyMember.objects.exclude(role="employee").values_list(
        "user__email", flat=True
    ):
        assert roles[email] == "company", email
    for email in User.objects.filter(is_staff=True).values_list("email", flat=True):
        assert roles[email] == "", email
    assert set(roles.values()) == {"", "volunteer", "association", "company"}


def test_pending_and_rejected_associations_have_listed_admins(demo):
    referent = User.objects.get(email="referent@probono.test")
    pending = AssociationMember.objects.get(user__email=PENDING_ASSOCIATION_EMAIL, role="admin")
    assert pending.association.verification_state == "pending"
    assert pending.association.missions.filter(state="draft").exists()
    assert Association.objects.in_staff_scope(referent).filter(pk=pending.association_id)
    rejected = AssociationMember.objects.get(user__email=REJECTED_ASSOCIATION_EMAIL, role="admin")
    association = rejected.association
    assert association.verification_state == "rejected" and association.rejection_reason
    # Decided through the service: in the audit log, and told to the admin in the app.
    log = ActionLog.objects.get(action="association.reject", object_id=association.pk)
    assert log.actor == referent and log.data["reason"] == association.rejection_reason
    for email in (PENDING_ASSOCIATION_EMAIL, REJECTED_ASSOCIATION_EMAIL):
        assert email in {account.email for account in DEMO_ACCOUNTS}


def test_the_demo_volunteer_has_a_story(demo, client):
    from django.utils.html import escape

    from missions.models import Testimonial  # not at the top: pytest would collect it
    from missions.selectors import published_testimonials
    from search.services import saved_search_form

    profile = VolunteerProfile.objects.get(user__email="benevole@probono.test")
    user = profile.user
    assert Favourite.objects.filter(volunteer=profile).count() == 3
    assert not Favourite.objects.filter(volunteer=profile, mission__state__in=["draft"]).exists()

    waitlisted = Application.objects.get(volunteer=profile, state="waitlisted")
    mission = Mission.objects.with_taken_seats().get(pk=waitlisted.mission_id)
    assert mission.taken_seats == mission.seats
    assert ActionLog.objects.filter(action="application.create", object_id=waitlisted.pk)

    assert Application.objects.filter(
        volunteer=profile,
        is_work_time=True,
        approval_state="pending",
        volunteer__employer__work_time_requires_approval=True,
    ).exists()

    completed = Application.objects.get(volunteer=profile, state="completed")
    validated = completed.hours.filter(state="validated")
    assert validated.count() == completed.hours.count() >= 1
    assert set(completed.evaluations.values_list("side", flat=True)) == {"association", "volunteer"}
    testimonial = Testimonial.objects.get(application=completed)
    assert testimonial.is_published
    assert testimonial in published_testimonials(completed.mission.association)
    assert ActionLog.objects.filter(action="testimonial.publish", object_id=testimonial.pk)
    client.force_login(user)
    response = client.get(reverse("volunteers:attestation", args=[completed.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    response = client.get(completed.mission.association.get_absolute_url())
    assert escape(testimonial.text[:40]) in response.content.decode()

    searches = SavedSearch.objects.filter(user=user).order_by("pk")
    assert searches.count() == 2
    near_lyon = saved_search_form(searches[0])
    assert near_lyon.is_valid(), near_lyon.errors
    assert near_lyon.cleaned_data["q"] == "site" and near_lyon.cleaned_data["within_km"] == 30
    assert near_lyon.cleaned_data["location"] is not None
    assert saved_search_form(searches[1]).is_valid()


def test_the_demo_association_has_work_waiting(demo):
    from django.conf import settings

    from notifications.services import stale_applications_remind

    association = AssociationMember.objects.get(user__email="association@probono.test").association
    now = timezone.now()
    waited = now - datetime.timedelta(days=settings.NOTIFICATION_STALE_APPLICATION_DAYS)
    stale = Application.objects.get(
        mission__association=association,
        mission__state="published",
        state="applied",
        created_at__lt=waited,
    )
    assert not stale.messages.exists()
    # The reminder the platform sends for it finds it.
    assert stale_applications_remind(now=now) >= 1
    assert Notification.objects.filter(
        kind="application_waiting", recipient__email="association@probono.test"
    ).exists()

    submitted = HoursEntry.objects.filter(
        application__mission__association=association,
        application__state="active",
        state="submitted",
    )
    assert submitted.exists()
    assert ActionLog.objects.filter(
        action="hoursentry.create", object_id__in=submitted.values("pk")
    ).exists()

    invitations = Invitation.objects.filter(mission__association=association)
    assert invitations.count() == 2
    assert {i.volunteer.user.email for i in invitations} == {ENGLISH_VOLUNTEER_EMAIL}

    thread = Message.objects.filter(application__mission__association=association)
    application = thread.first().application
    assert application.volunteer.user.email == "benevole@probono.test"
    assert thread.count() >= 3 and thread.values("application").distinct().count() == 1
    authors = set(thread.values_list("author__email", flat=True))
    assert authors == {"association@probono.test", "benevole@probono.test"}
    last = thread.order_by("created_at").last()
    assert last.author.email == "association@probono.test" and last.read_at is None
    assert thread.order_by("created_at").first().created_at < now - datetime.timedelta(days=1)


def test_the_english_volunteer_gets_a_daily_digest(demo):
    user = User.objects.get(email=ENGLISH_VOLUNTEER_EMAIL)
    assert user.language == "en"
    assert "en" in user.volunteer_profile.languages
    preference = NotificationPreference.objects.get(user=user)
    assert preference.email_frequency == "daily"
    assert preference.wants_email("invitation_received")
    # Kept for the next digest, not e-mailed yet.
    invitations = Notification.objects.filter(recipient=user, kind="invitation_received")
    assert invitations.count() == 2
    assert all(n.email_wanted and n.emailed_at is None for n in invitations)
    # Nobody else is English among the listed accounts.
    listed = [account.email for account in DEMO_ACCOUNTS]
    assert set(
        User.objects.filter(email__in=listed, language="en").values_list("email", flat=True)
    ) == {ENGLISH_VOLUNTEER_EMAIL}


def test_what_the_audit_log_announces_follows_the_commit(db, django_capture_on_commit_callbacks):
    """Tasks run in-process: once committed, the listeners notify as they would live."""
    with django_capture_on_commit_callbacks(execute=True):
        output = seed(**SMALL, verbosity=2)
    assert "notifications.Notification" in output
    rejected = User.objects.get(email=REJECTED_ASSOCIATION_EMAIL)
    assert Notification.objects.filter(recipient=rejected, kind="association_decided").exists()
    assert Notification.objects.filter(
        recipient__email="benevole@probono.test", kind="message_received"
    ).exists()


def test_postgresql_copy_path(db, monkeypatch):
    """Big tables go through COPY on PostgreSQL: force it on a small run."""
    from django.db import connection

    from demo import bulk

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(bulk, "COPY_THRESHOLD", 1)
    seed(**SMALL)
    assert VolunteerProfile.objects.count() == 30
    assert EmailAddress.objects.filter(verified=True).count() == User.objects.count()
    assert VolunteerSkill.objects.count() >= 60
    assert CompanyMember.objects.filter(role="employee").count() == (
        VolunteerProfile.objects.filter(employer__isnull=False).count()
    )
    for model in (User, VolunteerProfile, VolunteerSkill, CompanyMember, MissionSkill, HoursEntry):
        for obj in model.objects.all()[:10]:
            obj.full_clean()
    assert client_login_works()


def client_login_works() -> bool:
    from django.test import Client

    return Client().login(email="benevole@probono.test", password=DEMO_PASSWORD)


def test_the_demo_association_gets_good_suggestions(demo, django_capture_on_commit_callbacks):
    from missions import suggestions

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute_suggestions", stdout=StringIO())
    association = AssociationMember.objects.get(user__email="association@probono.test").association
    today = timezone.localdate()
    open_missions = [
        mission
        for mission in Mission.objects.published()
        .with_taken_seats()
        .filter(association=association, taken_seats__lt=F("seats"))
        if mission.is_open_for_applications(today)
    ]
    assert open_missions
    for mission in open_missions:
        suggested = suggestions.for_mission(mission)
        assert len(suggested) >= 3, mission
        required = set(
            mission.skills.filter(importance="required").values_list("skill_id", flat=True)
        )
        for pair in suggested[:3]:
            held = set(
                VolunteerSkill.objects.filter(profile_id=pair.volunteer_id).values_list(
                    "skill_id", flat=True
                )
            )
            assert held & required, pair
            assert pair.score >= 0.8


def test_the_demo_company_has_event_teams_to_review(demo, client):
    from companies.models import TeamAssignment

    marathon = Programme.objects.get(kind=Programme.Kind.MARATHON)
    organiser = CompanyMember.objects.get(user__email="entreprise@probono.test")
    assert organiser.company_id == marathon.company_id
    assert organiser.role == CompanyMember.Role.PROGRAMME_ADMIN
    assert marathon.teams_state == Programme.Teams.PROPOSED
    registered = marathon.registrations.count()
    assert registered >= 8
    assert TeamAssignment.objects.filter(programme=marathon).count() == registered

    client.force_login(organiser.user)
    page = client.get(reverse("companies:programme", args=[marathon.pk]))
    assert page.status_code == 200
    assert "Publier" in page.content.decode()


def test_the_demo_association_is_led_to_a_programme(demo, client):
    client.force_login(User.objects.get(email="association@probono.test"))
    board = client.get(reverse("asso:dashboard")).content.decode()
    assert "vous sont ouverts" in board or "vous est ouvert" in board
    invitations = client.get(reverse("companies:programme_invitations")).content.decode()
    marathon = Programme.objects.get(kind=Programme.Kind.MARATHON)
    assert marathon.name in invitations


def test_the_console_summary_is_short_and_in_english(db):
    output = seed(**SMALL)
    lines = output.rstrip().splitlines()
    assert lines[0].startswith("Demo data created in ")
    assert lines[1] == f"Demo accounts (password {DEMO_PASSWORD}):"
    assert len(lines) == 2 + len(DEMO_ACCOUNTS)
    assert all(len(line) <= 100 for line in lines)
    quiet = seed(no_accounts=True)
    assert quiet.strip() == f"Demo data already present ({MARKER_EMAIL} exists)."


@pytest.mark.services
def test_the_planner_knows_the_tables_seeded_in_bulk(db, postgresql):
    """PostgreSQL plans with each table's statistics: after a bulk load they are made at
    once, not left to autovacuum (which may be late, or off), so that the first queries
    on the demo's data are not planned as if its tables were empty."""
    from django.db import connection

    seed(**SMALL)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [["missions_mission", "missions_application", "volunteers_volunteerprofile"]],
        )
        known = dict(cursor.fetchall())
    assert known["missions_mission"] == Mission.objects.count()
    assert known["missions_application"] == Application.objects.count()
    assert known["volunteers_volunteerprofile"] == VolunteerProfile.objects.count()
