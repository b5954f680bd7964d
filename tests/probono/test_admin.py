import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from associations.models import Association
from associations.services import association_verify
from core.models import ActionLog
from missions.models import Application, Mission
from taxonomy.models import Departement, Skill
from tests import factories

pytestmark = pytest.mark.django_db


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def referent_69(db):
    user = factories.UserFactory(email="referent69@probono.test", is_staff=True, is_referent=True)
    user.referent_departements.add(Departement.objects.get(code="69"))
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def referent_client(client, referent_69):
    client.force_login(referent_69)
    return client


@pytest.fixture
def pending(db):
    return factories.AssociationFactory(
        name="Les Jardins du Partage", verification_state=Association.State.PENDING
    )


@pytest.fixture
def paris_pending(db):
    return factories.AssociationFactory(
        name="Solidarité Belleville",
        city="Paris",
        postcode="75020",
        departement=Departement.objects.get(code="75"),
        latitude=48.87,
        longitude=2.38,
        verification_state=Association.State.PENDING,
    )


@pytest.fixture
def submitted_mission(association):
    mission = factories.MissionFactory(
        association=association, state=Mission.State.SUBMITTED, published_at=None
    )
    factories.MissionSkillFactory(mission=mission)
    return mission


def run_action(client, model, action: str, objects, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], "index": 0}
    return client.post(changelist(model), {**data, **extra}, follow=True)


def confirm_reason(client, model, action: str, objects, reason: str):
    data = {
        "action": action,
        ACTION_CHECKBOX_NAME: [obj.pk for obj in objects],
        "apply_reason": "1",
        "reason": reason,
    }
    return client.post(changelist(model), data, follow=True)


# --- Platform staff -------------------------------------------------------------------


def test_platform_staff_opens_every_changelist_and_add_page(staff_client, staff, mission):
    # Some rows, so that every column is rendered at least once.
    factories.ApplicationFactory(mission=mission)
    factories.CompanyMemberFactory()
    association_verify(
        association_id=factories.AssociationFactory(
            verification_state=Association.State.PENDING
        ).pk,
        actor=staff,
    )
    request = RequestFactory().get("/")
    request.user = staff
    for model, model_admin in admin.site._registry.items():
        response = staff_client.get(changelist(model))
        assert response.status_code == 200, model._meta.label
        add_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert staff_client.get(add_url).status_code == expected, model._meta.label


def test_platform_staff_does_not_need_django_permissions(staff):
    assert not staff.is_superuser
    assert not staff.user_permissions.exists()
    request = RequestFactory().get("/")
    request.user = staff
    model_admin = admin.site._registry[Association]
    assert model_admin.has_delete_permission(request)
    assert model_admin.has_change_permission(request)


def test_change_pages_show_the_transition_history(staff_client, staff, pending, volunteer):
    association_verify(association_id=pending.pk, actor=staff)
    response = staff_client.get(change(pending))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Historique des changements d&#x27;état" in content
    assert "En attente de vérification → Vérifiée" in content

    mission = factories.MissionFactory(association=pending)
    application = factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    assert staff_client.get(change(mission)).status_code == 200
    assert staff_client.get(change(application)).status_code == 200


def test_mission_changelist_queries_do_not_grow_with_rows(staff_client, association):
    factories.MissionFactory.create_batch(2, association=association)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(changelist(Mission))
    for _ in range(5):
        factories.MissionFactory(association=factories.AssociationFactory())
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(changelist(Mission)).status_code == 200
    assert len(many) == len(few)


def test_action_log_is_read_only(staff_client, staff, pending):
    association_verify(association_id=pending.pk, actor=staff)
    log = ActionLog.objects.for_object(pending).get()
    response = staff_client.get(changelist(ActionLog))
    assert "Les Jardins du Partage" in response.content.decode()
    assert staff_client.get(change(log)).status_code == 200
    assert staff_client.post(change(log), {"action": "x"}).status_code == 403
    delete_url = reverse("admin:core_actionlog_delete", args=[log.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert ActionLog.objects.filter(pk=log.pk).exists()


def test_staff_creates_a_user_with_an_email_and_a_password(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nouvelle@Example.org",
            "usable_password": "true",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.org")
    assert user.check_password("un-mot-de-passe-solide-42")


def test_platform_staff_cannot_make_anyone_superuser(staff_client, outsider):
    response = staff_client.get(change(outsider))
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()


# --- Association actions --------------------------------------------------------------


def test_verify_action_verifies_a_pending_association_and_logs_it(staff_client, staff, pending):
    response = run_action(staff_client, Association, "verify", [pending])

    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.verification_state == Association.State.VERIFIED
    log = ActionLog.objects.for_object(pending).get()
    assert (log.action, log.from_state, log.to_state) == (
        "association.verify",
        "pending",
        "verified",
    )
    assert log.actor == staff
    assert "1 association vérifiée." in messages_of(response)


def test_reject_action_asks_for_a_reason_first(staff_client, pending):
    response = run_action(staff_client, Association, "reject", [pending])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/action_reason.html"
    content = response.content.decode()
    assert "Motif" in content
    assert f'name="{ACTION_CHECKBOX_NAME}" value="{pending.pk}"' in content
    pending.refresh_from_db()
    assert pending.verification_state == Association.State.PENDING


def test_reject_action_without_a_reason_shows_the_form_again(staff_client, pending):
    response = confirm_reason(staff_client, Association, "reject", [pending], reason="   ")

    assert response.status_code == 200
    assert response.templates[0].name == "admin/action_reason.html"
    assert response.context["form"].errors["reason"] == ["Indiquez le motif : il est obligatoire."]
    content = response.content.decode()
    assert "Indiquez le motif : il est obligatoire." in content
    assert f'name="{ACTION_CHECKBOX_NAME}" value="{pending.pk}"' in content
    pending.refresh_from_db()
    assert pending.verification_state == Association.State.PENDING
    assert not ActionLog.objects.for_object(pending).exists()


def test_reject_action_with_a_reason_rejects(staff_client, pending):
    response = confirm_reason(
        staff_client, Association, "reject", [pending], reason="Numéro RNA introuvable."
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(changelist(Association))
    pending.refresh_from_db()
    assert pending.verification_state == Association.State.REJECTED
    assert pending.rejection_reason == "Numéro RNA introuvable."
    log = ActionLog.objects.for_object(pending).get()
    assert log.data == {"reason": "Numéro RNA introuvable."}
    assert "1 association refusée." in messages_of(response)


def test_suspend_action_with_a_reason_suspends(staff_client, association):
    confirm_reason(staff_client, Association, "suspend", [association], reason="Signalement.")

    association.refresh_from_db()
    assert association.verification_state == Association.State.SUSPENDED


def test_refused_transition_is_reported_per_object_without_error_page(
    staff_client, association, pending
):
    response = run_action(staff_client, Association, "verify", [association, pending])

    assert response.status_code == 200
    errors = messages_of(response)
    assert (
        f"« {association.name} » : Impossible de passer l'association de « Vérifiée » "
        "à « Vérifiée »." in errors
    )
    assert "1 association vérifiée." in errors
    pending.refresh_from_db()
    assert pending.verification_state == Association.State.VERIFIED
    assert not ActionLog.objects.for_object(association).exists()


def test_verification_state_cannot_be_changed_through_the_form(staff_client, pending):
    response = staff_client.get(change(pending))
    assert 'name="verification_state"' not in response.content.decode()


# --- Mission actions ------------------------------------------------------------------


def test_publish_action_publishes_a_submitted_mission(staff_client, submitted_mission):
    response = run_action(staff_client, Mission, "publish", [submitted_mission])

    submitted_mission.refresh_from_db()
    assert submitted_mission.state == Mission.State.PUBLISHED
    assert submitted_mission.published_at is not None
    assert ActionLog.objects.for_object(submitted_mission).get().action == "mission.publish"
    assert "1 mission publiée." in messages_of(response)


def test_publish_action_refuses_a_mission_of_an_unverified_association(staff_client, pending):
    mission = factories.MissionFactory(
        association=pending, state=Mission.State.SUBMITTED, published_at=None
    )
    response = run_action(staff_client, Mission, "publish", [mission])

    assert response.status_code == 200
    assert any("n'est pas vérifiée" in message for message in messages_of(response))
    mission.refresh_from_db()
    assert mission.state == Mission.State.SUBMITTED


def test_request_changes_action_needs_a_reason(staff_client, submitted_mission):
    response = confirm_reason(staff_client, Mission, "request_changes", [submitted_mission], "")
    assert response.context["form"].errors["reason"]
    submitted_mission.refresh_from_db()
    assert submitted_mission.state == Mission.State.SUBMITTED

    confirm_reason(
        staff_client, Mission, "request_changes", [submitted_mission], "Précisez le livrable."
    )
    submitted_mission.refresh_from_db()
    assert submitted_mission.state == Mission.State.DRAFT
    assert submitted_mission.state_reason == "Précisez le livrable."


def test_cancel_action_cancels_with_its_reason(staff_client, mission):
    application = factories.ApplicationFactory(mission=mission)
    confirm_reason(staff_client, Mission, "cancel", [mission], "Projet abandonné.")

    mission.refresh_from_db()
    application.refresh_from_db()
    assert mission.state == Mission.State.CANCELLED
    assert application.state == Application.State.DECLINED


# --- Territorial referents ------------------------------------------------------------


def test_referent_sees_only_the_associations_of_their_departements(
    referent_client, pending, paris_pending
):
    response = referent_client.get(changelist(Association))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Les Jardins du Partage" in content
    assert "Solidarité Belleville" not in content
    assert referent_client.get(change(pending)).status_code == 200
    assert referent_client.get(change(paris_pending)).status_code == 302


def test_referent_sees_only_the_missions_of_their_departements(
    referent_client, association, paris_pending
):
    lyon = factories.MissionFactory(association=association, title="Site web lyonnais")
    paris = factories.MissionFactory(association=paris_pending, title="Site web parisien")

    response = referent_client.get(changelist(Mission))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Site web lyonnais" in content
    assert "Site web parisien" not in content
    assert referent_client.get(change(lyon)).status_code == 200
    assert referent_client.get(change(paris)).status_code == 302


def test_referent_can_only_move_a_mission_within_their_departements(
    referent_client, association, paris_pending
):
    mission = factories.MissionFactory(association=association)

    form = referent_client.get(change(mission)).context["adminform"].form

    assert set(form.fields["departement"].queryset.values_list("code", flat=True)) == {"69"}
    assert list(form.fields["association"].queryset) == [association]
    assert "programme" not in form.fields


def test_referent_verifies_an_association_of_their_departement(referent_client, pending):
    run_action(referent_client, Association, "verify", [pending])

    pending.refresh_from_db()
    assert pending.verification_state == Association.State.VERIFIED


def test_referent_cannot_verify_an_association_outside_their_departements(
    referent_client, paris_pending
):
    response = run_action(referent_client, Association, "verify", [paris_pending])

    assert response.status_code == 200
    paris_pending.refresh_from_db()
    assert paris_pending.verification_state == Association.State.PENDING
    assert not ActionLog.objects.for_object(paris_pending).exists()
    assert "Solidarité Belleville" not in response.content.decode()
    assert messages_of(response) == [
        "1 élément sélectionné est introuvable ou hors de votre territoire."
    ]


def test_referent_reads_reference_data_but_not_people_or_companies(referent_client):
    skill = Skill.objects.order_by("pk").first()
    assert referent_client.get(changelist(Skill)).status_code == 200
    assert referent_client.get(change(skill)).status_code == 200
    assert referent_client.post(change(skill), {"name_fr": "Autre"}).status_code == 403
    assert referent_client.get(reverse("admin:taxonomy_skill_add")).status_code == 403
    assert referent_client.get(changelist(User)).status_code == 403
    assert referent_client.get(reverse("admin:companies_company_changelist")).status_code == 403
    assert referent_client.get(changelist(ActionLog)).status_code == 403
    assert referent_client.get(reverse("admin:associations_association_add")).status_code == 403


def test_referent_cannot_delete_associations(referent_client, pending):
    delete_url = reverse("admin:associations_association_delete", args=[pending.pk])
    assert referent_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Association.objects.filter(pk=pending.pk).exists()


# --- Outsiders ------------------------------------------------------------------------


def test_non_staff_is_sent_to_the_login_page(client, outsider):
    client.force_login(outsider)
    for url in (reverse("admin:index"), changelist(Association)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_non_staff_cannot_run_an_action(client, outsider, pending):
    client.force_login(outsider)
    response = client.post(
        changelist(Association), {"action": "verify", ACTION_CHECKBOX_NAME: [pending.pk]}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.verification_state == Association.State.PENDING


def test_correcting_a_city_in_the_admin_locates_the_place_again(staff, association):
    from types import SimpleNamespace

    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from associations.models import Association

    request = RequestFactory().post("/")
    request.user = staff
    association.city, association.postcode = "Brest", "29200"
    form = SimpleNamespace(changed_data=["city", "postcode"])
    site._registry[Association].save_model(request, association, form, change=True)
    association.refresh_from_db()
    assert association.departement.code == "29"
    assert 48.3 < association.latitude < 48.5

    association.city, association.postcode = "Nulle-Part", ""
    site._registry[Association].save_model(request, association, form, change=True)
    association.refresh_from_db()
    assert association.departement is None and association.latitude is None
