import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from associations.models import Association
from matching.models import HiddenSuggestion
from missions.models import (
    Application,
    HoursEntry,
    Invitation,
    Mission,
    MissionSkill,
)
from missions.models import (
    Testimonial as MissionTestimonial,
)
from taxonomy.models import Cause, Skill
from tests import factories
from tests.suggestions import store_list

pytestmark = pytest.mark.django_db


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- Personas -------------------------------------------------------------------------


@pytest.fixture
def persona(request, association, db):
    """The user of each persona; the member belongs to ``association``."""
    name = request.param
    if name == "anonymous":
        return None
    if name == "volunteer":
        return factories.VolunteerFactory().user
    if name == "member":
        return factories.AssociationMemberFactory(association=association, role="member").user
    if name == "other_member":
        return factories.AssociationMemberFactory().user
    if name == "staff":
        return factories.UserFactory(is_staff=True)
    raise AssertionError(name)


EXPECTED = {"anonymous": 302, "volunteer": 404, "member": 200, "other_member": 404, "staff": 404}


@pytest.mark.parametrize("persona", list(EXPECTED), indirect=True)
@pytest.mark.parametrize("page", ["pipeline", "edit", "diagnosis", "create"])
def test_only_members_open_the_association_pages(client, persona, request, mission, page):
    mission.state = Mission.State.DRAFT
    mission.save()
    association = mission.association
    url = {
        "pipeline": reverse("asso:mission_pipeline", args=[mission.pk]),
        "edit": reverse("asso:mission_edit", args=[mission.pk]),
        "diagnosis": reverse("asso:diagnosis", args=[association.slug]),
        "create": reverse("asso:mission_create", args=[association.slug]),
    }[page]
    name = request.node.callspec.params["persona"]
    response = _login(client, persona).get(url)
    assert response.status_code == EXPECTED[name]


@pytest.mark.parametrize("persona", ["volunteer", "other_member", "staff"], indirect=True)
def test_non_members_cannot_act_on_applications(client, persona, mission):
    application = factories.ApplicationFactory(mission=mission)
    response = _login(client, persona).post(
        reverse("asso:accept", args=[mission.pk, application.pk]), {}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == Application.State.APPLIED


def test_dashboard_sends_people_without_association_to_register(client, outsider):
    response = _login(client, outsider).get(reverse("asso:dashboard"))
    assert response.url == reverse("asso:register")


def test_navigation_shows_my_association_to_members_only(client, owner, outsider):
    label = "Mon association"
    assert label in _login(client, owner).get(reverse("missions:list")).content.decode()
    client.logout()
    assert label not in _login(client, outsider).get(reverse("missions:list")).content.decode()


# --- Onboarding -----------------------------------------------------------------------


def test_register_then_dashboard_explains_the_pending_verification(client, outsider):
    cause = Cause.objects.first()
    response = _login(client, outsider).post(
        reverse("asso:register"),
        {
            "name": "Jardins partagés",
            "rna": "W691234567",
            "city": "Lyon",
            "postcode": "69003",
            "size_band": "0",
            "causes": [cause.pk],
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("asso:dashboard")
    page = response.content.decode()
    assert "En attente de vérification" in page
    assert "préparer vos missions en brouillon" in page


def test_register_keeps_what_was_typed_and_says_what_is_wrong(client, outsider):
    response = _login(client, outsider).post(
        reverse("asso:register"),
        {"name": "Jardins partagés", "rna": "", "siret": "123", "city": "Lyon", "postcode": "6"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Jardins partagés"' in page
    assert "ni un SIREN" in page
    assert 'role="alert"' in page
    assert 'aria-describedby="id_siret_helptext id_siret_error"' in page
    assert not Association.objects.filter(name="Jardins partagés").exists()


def test_rejected_association_shows_the_reason_and_resubmits(client, association, owner):
    association.verification_state = Association.State.REJECTED
    association.rejection_reason = "Le numéro RNA ne correspond pas au nom."
    association.save()
    page = _login(client, owner).get(reverse("asso:dashboard")).content.decode()
    assert "Le numéro RNA ne correspond pas au nom." in page
    client.post(reverse("asso:resubmit", args=[association.slug]))
    association.refresh_from_db()
    assert association.verification_state == Association.State.PENDING


def test_dashboard_query_budget(client, association, owner, django_assert_max_num_queries):
    for _ in range(4):
        mission = factories.MissionFactory(association=association, seats=5)
        factories.ApplicationFactory(mission=mission)
        active = factories.ApplicationFactory(mission=mission, state="active")
        HoursEntry.objects.create(application=active, date=timezone.localdate(), hours=2)
    _login(client, owner)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("asso:dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count("Suivi") >= 4


# --- Diagnosis and editor -------------------------------------------------------------


def test_diagnosis_drafts_land_in_the_editor(client, association, owner):
    cause = Cause.objects.first()
    response = _login(client, owner).post(
        reverse("asso:diagnosis", args=[association.slug]),
        {"digital_tools": ["spreadsheets"], "legal_needs": ["gdpr"], "cause": cause.pk},
    )
    drafts = Mission.objects.filter(association=association, state="draft").order_by("pk")
    assert drafts.count() == 2
    assert response.url == reverse("asso:mission_edit", args=[drafts[0].pk])
    page = client.get(response.url).content.decode()
    assert "Mettre en place un outil de suivi des adhérents" in page


def test_diagnosis_without_answer_says_so(client, association, owner):
    response = _login(client, owner).post(
        reverse("asso:diagnosis", args=[association.slug]), {"cause": Cause.objects.first().pk}
    )
    assert "aucun besoin" in response.content.decode()


def _editor_data(**overrides):
    skill = Skill.objects.get(code="website_creation")
    data = {
        "title": "Refaire notre site",
        "summary": "Un site simple pour présenter nos actions.",
        "cause": Cause.objects.first().pk,
        "format": "mission",
        "location_mode": "remote",
        "effort_hours": "20",
        "seats": "1",
        "skills-TOTAL_FORMS": "2",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": str(skill.pk),
        "skills-0-importance": "required",
        "skills-0-min_level": "3",
        "skills-1-skill": "",
        "skills-1-importance": "required",
        "skills-1-min_level": "2",
    }
    data.update(overrides)
    return data


def test_editor_saves_a_draft_with_its_skills(client, association, owner):
    response = _login(client, owner).post(
        reverse("asso:mission_create", args=[association.slug]), _editor_data(save="1")
    )
    mission = Mission.objects.get(title="Refaire notre site")
    assert response.url == reverse("asso:mission_edit", args=[mission.pk])
    assert mission.state == Mission.State.DRAFT
    assert list(mission.skills.values_list("skill__code", "min_level", "importance")) == [
        ("website_creation", 3, "required")
    ]


def test_editor_keeps_input_on_error(client, association, owner):
    response = _login(client, owner).post(
        reverse("asso:mission_create", args=[association.slug]),
        _editor_data(title="Mon titre gardé", location_mode="on_site", save="1"),
    )
    page = response.content.decode()
    assert 'value="Mon titre gardé"' in page
    assert "Indiquez où se déroule" in page
    assert not Mission.objects.filter(title="Mon titre gardé").exists()


def test_unverified_association_saves_but_cannot_submit(client, association, owner):
    association.verification_state = Association.State.PENDING
    association.save()
    response = _login(client, owner).post(
        reverse("asso:mission_create", args=[association.slug]),
        _editor_data(submit="1"),
        follow=True,
    )
    mission = Mission.objects.get(title="Refaire notre site")
    assert mission.state == Mission.State.DRAFT
    assert "doit être vérifiée" in response.content.decode()


def test_verified_association_submits(client, association, owner):
    response = _login(client, owner).post(
        reverse("asso:mission_create", args=[association.slug]), _editor_data(submit="1")
    )
    mission = Mission.objects.get(title="Refaire notre site")
    assert mission.state == Mission.State.SUBMITTED
    assert response.url == reverse("asso:mission_pipeline", args=[mission.pk])


def test_editor_warns_of_a_too_wide_mission_and_splits_it(client, association, owner):
    codes = ["website_creation", "accounting", "recruitment"]
    mission = factories.MissionFactory(association=association, state=Mission.State.DRAFT)
    for code in codes:
        MissionSkill.objects.create(mission=mission, skill=Skill.objects.get(code=code))
    _login(client, owner)
    page = client.get(reverse("asso:mission_edit", args=[mission.pk])).content.decode()
    assert "mouton à 5 pattes" in page
    response = client.post(reverse("asso:mission_split", args=[mission.pk]), follow=True)
    page = response.content.decode()
    assert mission.parts.count() == 2
    assert "Missions liées" in page
    assert "mouton à 5 pattes" not in page


# --- Pipeline -------------------------------------------------------------------------


@pytest.fixture
def busy_mission(association):
    mission = factories.MissionFactory(association=association, seats=5)
    factories.MissionSkillFactory(mission=mission)
    # Four volunteers at 10, 20, 30 and 40 km, and a hidden profile at 90 km.
    mission.suggested_volunteers = [factories.VolunteerFactory() for _ in range(4)]
    hidden = factories.VolunteerFactory(is_visible=False)
    store_list(
        mission=mission, others=[*mission.suggested_volunteers, hidden], ranks=[1, 2, 3, 4, 9]
    )
    for state in ("applied", "applied", "waitlisted", "active", "completed"):
        application = factories.ApplicationFactory(mission=mission, state=state)
    HoursEntry.objects.create(application=application, date=timezone.localdate(), hours=3)
    MissionTestimonial.objects.create(application=application, text="Super expérience")
    Application.objects.filter(mission=mission, state="applied").update(
        approval_state=Application.Approval.PENDING, is_work_time=True
    )
    return mission


def test_pipeline_shows_suggestions_applications_and_hours_within_budget(
    client, busy_mission, owner, django_assert_max_num_queries
):
    _login(client, owner)
    # The budget counts the navigation's (its badges: notifications, open programmes).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("asso:mission_pipeline", args=[busy_mission.pk]))
    page = response.content.decode()
    assert "Mission ouverte à tous les profils · sur place, à 10 km, dans les 30 km" in page
    assert "Mission ouverte à tous les profils · sur place, à 40 km, au-delà des 30 km" in page
    assert "90 km" not in page  # the hidden profile
    assert "Correspondance : 90 %" in page
    assert "Compétences : 2 % du score" in page
    assert "Super expérience" in page
    assert "Liste d'attente" in page
    assert "Valider" in page
    assert "Accord de l'employeur en attente" in page


def test_pipeline_explanations_follow_the_language(client, busy_mission, owner):
    _login(client, owner)
    # The override also restores the language the request activates for later tests.
    with translation.override("en"):
        page = client.get(reverse("asso:mission_pipeline", args=[busy_mission.pk]))
    assert "Open to every profile · on-site, 10 km away, within the volunteer" in (
        page.content.decode()
    )
    assert "Skills: 2% of the score" in page.content.decode()


def test_pipeline_reasons_are_about_the_volunteer_not_the_own_mission(client, association, owner):
    mission = factories.MissionFactory(association=association)
    store_list(mission=mission, others=[factories.VolunteerFactory()], small=True)
    _login(client, owner)
    page = client.get(reverse("asso:mission_pipeline", args=[mission.pk])).content.decode()
    assert "dans les 30 km du bénévole" in page
    assert "petite association" not in page and "aucun candidat pour l" not in page


def test_accept_with_a_message(client, mission, owner, django_capture_on_commit_callbacks):
    application = factories.ApplicationFactory(mission=mission)
    key = f"accept-{application.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = _login(client, owner).post(
            reverse("asso:accept", args=[mission.pk, application.pk]),
            {f"{key}-message": "Bienvenue ! Appelons-nous lundi."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.ACCEPTED
    assert application.state_message == "Bienvenue ! Appelons-nous lundi."


def test_decline_needs_a_reason_and_keeps_the_message(client, mission, owner):
    application = factories.ApplicationFactory(mission=mission)
    key = f"decline-{application.pk}"
    response = _login(client, owner).post(
        reverse("asso:decline", args=[mission.pk, application.pk]),
        {f"{key}-reason": "", f"{key}-message": "Merci beaucoup"},
    )
    assert response.status_code == 400
    assert "Merci beaucoup" in response.content.decode()
    response = client.post(
        reverse("asso:decline", args=[mission.pk, application.pk]),
        {f"{key}-reason": "availability", f"{key}-message": "Merci beaucoup"},
    )
    application.refresh_from_db()
    assert application.state == Application.State.DECLINED
    assert application.decline_reason == "availability"


def test_hours_validated_and_rejected_with_a_reason(client, mission, owner):
    application = factories.ApplicationFactory(mission=mission, state="active")
    first = HoursEntry.objects.create(application=application, date=timezone.localdate(), hours=2)
    second = HoursEntry.objects.create(
        application=application, date=timezone.localdate(), hours=Decimal("1.5")
    )
    _login(client, owner)
    client.post(reverse("asso:hours_validate", args=[mission.pk, first.pk]))
    response = client.post(reverse("asso:hours_reject", args=[mission.pk, second.pk]), {})
    assert response.status_code == 400
    client.post(
        reverse("asso:hours_reject", args=[mission.pk, second.pk]),
        {f"reject-{second.pk}-reason": "Déjà comptées"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == HoursEntry.State.VALIDATED
    assert (second.state, second.rejection_reason) == (HoursEntry.State.REJECTED, "Déjà comptées")


def test_invite_over_the_cap_shows_a_clear_message(client, busy_mission, owner, settings):
    settings.INVITATIONS_PER_VOLUNTEER_PER_MONTH = 1
    volunteer = busy_mission.suggested_volunteers[0]
    Invitation.objects.create(mission=factories.MissionFactory(), volunteer=volunteer)
    response = _login(client, owner).post(
        reverse("asso:invite", args=[busy_mission.pk, volunteer.pk]),
        {f"invite-{volunteer.pk}-message": "Votre profil nous plaît"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "30 derniers jours" in page
    assert "Votre profil nous plaît" in page


def test_invite_and_hide_from_the_pipeline(client, busy_mission, owner):
    first, second = busy_mission.suggested_volunteers[:2]
    _login(client, owner)
    client.post(reverse("asso:invite", args=[busy_mission.pk, first.pk]), {})
    assert Invitation.objects.filter(mission=busy_mission, volunteer=first).exists()
    client.post(
        reverse("asso:hide", args=[busy_mission.pk, second.pk]),
        {f"hide-{second.pk}-reason": "location"},
    )
    assert HiddenSuggestion.objects.filter(mission=busy_mission, volunteer=second).exists()
    page = client.get(reverse("asso:mission_pipeline", args=[busy_mission.pk])).content.decode()
    assert "Invitation envoyée" in page


def test_association_evaluates_a_completed_engagement(client, mission, owner):
    application = factories.ApplicationFactory(mission=mission, state="completed")
    key = f"evaluate-{application.pk}"
    _login(client, owner).post(
        reverse("asso:evaluate", args=[mission.pk, application.pk]),
        {
            f"{key}-rating": "4",
            f"{key}-objectives": "met",
            f"{key}-autonomy_gained": "Mettre à jour le site seuls",
            f"{key}-can_continue_alone": "true",
        },
    )
    evaluation = application.evaluations.get()
    assert (evaluation.side, evaluation.rating, evaluation.can_continue_alone) == (
        "association",
        4,
        True,
    )


# --- Public profile -------------------------------------------------------------------


def test_public_profile_shows_published_testimonials_and_responsiveness(
    client, association, busy_mission, owner
):
    testimonial = MissionTestimonial.objects.get(application__mission=busy_mission)
    url = association.get_absolute_url()
    assert "Super expérience" not in client.get(url).content.decode()
    _login(client, owner).post(
        reverse("asso:testimonial_toggle", args=[busy_mission.pk, testimonial.application_id])
    )
    client.logout()
    page = client.get(url).content.decode()
    assert "Super expérience" in page
    assert "Réactivité" in page


def test_public_profile_says_when_there_is_too_little_data(client, association):
    page = client.get(association.get_absolute_url()).content.decode()
    assert "Pas encore assez de candidatures" in page


def test_public_profile_query_budget(
    client, association, busy_mission, django_assert_max_num_queries
):
    MissionTestimonial.objects.update(published_at=timezone.now())
    now = timezone.now()
    Application.objects.update(decided_at=now, created_at=now - datetime.timedelta(days=2))
    with django_assert_max_num_queries(10):
        response = client.get(association.get_absolute_url())
    assert "100 %" in response.content.decode()


def test_editor_and_diagnosis_query_budgets(
    client, association, owner, django_assert_max_num_queries
):
    mission = factories.MissionFactory(association=association, state=Mission.State.DRAFT)
    for code in ["website_creation", "wordpress", "accounting", "recruitment", "crm"]:
        MissionSkill.objects.create(mission=mission, skill=Skill.objects.get(code=code))
    factories.MissionFactory(association=association, state=Mission.State.DRAFT, parent=mission)
    _login(client, owner)
    # The budget counts the navigation's (its badges: notifications, open programmes).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("asso:mission_edit", args=[mission.pk]))
    assert "mouton à 5 pattes" in response.content.decode()
    with django_assert_max_num_queries(11):
        assert client.get(reverse("asso:diagnosis", args=[association.slug])).status_code == 200


def test_suspended_association_sees_the_reason_without_resubmit(client, association, owner):
    association.verification_state = Association.State.SUSPENDED
    association.rejection_reason = "Signalements répétés."
    association.save()
    page = _login(client, owner).get(reverse("asso:dashboard")).content.decode()
    assert "Association suspendue" in page
    assert "Signalements répétés." in page
    assert "Redemander une vérification" not in page


def test_association_pages_render_in_english(client, busy_mission, owner):
    _login(client, owner)
    with translation.override("en"):
        urls = [
            reverse("asso:dashboard"),
            reverse("asso:mission_pipeline", args=[busy_mission.pk]),
            reverse("asso:diagnosis", args=[busy_mission.association.slug]),
            reverse("asso:mission_create", args=[busy_mission.association.slug]),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200
            assert '<html lang="en">' in response.content.decode()


def test_ending_a_mission_asks_for_a_confirmation(client, association, owner):
    mission = factories.MissionFactory(association=association, state=Mission.State.IN_PROGRESS)
    active = factories.ApplicationFactory(mission=mission, state="active")
    _login(client, owner)
    page = client.get(reverse("asso:mission_pipeline", args=[mission.pk])).content.decode()
    assert "Oui, terminer la mission" in page and "ne pourra plus déclarer" in page

    url = reverse("asso:mission_transition", args=[mission.pk, "complete"])
    client.post(url)
    mission.refresh_from_db()
    assert mission.state == Mission.State.IN_PROGRESS

    client.post(url, {"confirm": "1"})
    mission.refresh_from_db()
    active.refresh_from_db()
    assert mission.state == Mission.State.COMPLETED and active.state == "completed"
