import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from associations.models import Association
from associations.services import (
    association_register,
    association_reinstate,
    association_reject,
    association_resubmit,
    association_suspend,
    association_verify,
)
from associations.tasks import notify_verification_decision
from core.models import ActionLog
from core.states import TransitionNotAllowed
from taxonomy.models import Departement
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(owner, association):
    association.verification_state = Association.State.PENDING
    association.save()
    return association


@pytest.fixture
def referent_69(db):
    user = factories.UserFactory(is_staff=True, is_referent=True)
    user.referent_departements.add(Departement.objects.get(code="69"))
    return user


def test_registration_creates_a_pending_association_located_from_its_city(outsider):
    association = association_register(
        user=outsider,
        name="Les Jardins du Partage",
        rna="W691234567",
        city="Villeurbanne",
        postcode="69100",
    )
    assert association.verification_state == Association.State.PENDING
    assert association.departement.code == "69"
    assert association.latitude is not None
    assert association.has_member(outsider, admin_only=True)


def test_registration_requires_a_legal_identity(outsider):
    with pytest.raises(ValidationError) as error:
        association_register(user=outsider, name="Sans numéro")
    assert "RNA" in str(error.value)
    assert not Association.objects.filter(name="Sans numéro").exists()


def test_registration_refuses_a_bad_siret_with_a_french_message(outsider):
    with pytest.raises(ValidationError) as error:
        association_register(user=outsider, name="Mauvais numéro", siret="73282932000075")
    assert "SIRET" in error.value.message_dict["siret"][0]


def test_staff_verifies_a_pending_association_and_its_admins_are_told(
    pending, staff, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        association_verify(association_id=pending.pk, actor=staff)
    pending.refresh_from_db()
    assert pending.is_verified and pending.verified_at is not None
    log = ActionLog.objects.for_object(pending).get()
    assert (log.action, log.from_state, log.to_state, log.actor) == (
        "association.verify",
        "pending",
        "verified",
        staff,
    )
    assert log.notified_at is not None
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "vérifiée" in mail.outbox[0].subject


def test_the_decision_email_is_sent_once_with_its_reason(
    pending, staff, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        association_reject(association_id=pending.pk, actor=staff, reason="Numéro RNA introuvable")
    log = ActionLog.objects.for_object(pending).get()
    assert notify_verification_decision(log.pk) == 0  # a retried task sends nothing twice
    assert len(mail.outbox) == 1
    assert "Numéro RNA introuvable" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_rejection_needs_a_reason(pending, staff):
    with pytest.raises(ValidationError) as error:
        association_reject(association_id=pending.pk, actor=staff, reason="  ")
    assert "motif" in error.value.message_dict["reason"][0]
    pending.refresh_from_db()
    assert pending.verification_state == Association.State.PENDING


def test_full_verification_cycle(pending, staff, owner):
    association_reject(association_id=pending.pk, actor=staff, reason="Statuts manquants")
    association_resubmit(association_id=pending.pk, actor=owner)
    association_verify(association_id=pending.pk, actor=staff)
    association_suspend(association_id=pending.pk, actor=staff, reason="Signalements répétés")
    association_reinstate(association_id=pending.pk, actor=staff)
    pending.refresh_from_db()
    assert pending.verification_state == Association.State.VERIFIED
    assert list(
        ActionLog.objects.for_object(pending).order_by("pk").values_list("action", flat=True)
    ) == [
        "association.reject",
        "association.resubmit",
        "association.verify",
        "association.suspend",
        "association.reinstate",
    ]


@pytest.mark.parametrize(
    "state, service, kwargs",
    [
        ("verified", association_verify, {}),
        ("verified", association_reject, {"reason": "x"}),
        ("pending", association_suspend, {"reason": "x"}),
        ("pending", association_reinstate, {}),
        ("suspended", association_reject, {"reason": "x"}),
        ("rejected", association_suspend, {"reason": "x"}),
    ],
)
def test_refused_transitions_leave_the_state_unchanged(association, staff, state, service, kwargs):
    association.verification_state = state
    association.save()
    with pytest.raises(TransitionNotAllowed) as error:
        service(association_id=association.pk, actor=staff, **kwargs)
    assert "Impossible" in error.value.messages[0]
    association.refresh_from_db()
    assert association.verification_state == state
    assert not ActionLog.objects.for_object(association).exists()


def test_only_staff_may_verify(pending, owner, outsider):
    for person in (owner, outsider):
        with pytest.raises(PermissionDenied):
            association_verify(association_id=pending.pk, actor=person)


def test_referent_verifies_only_in_their_departements(pending, referent_69):
    elsewhere = factories.AssociationFactory(
        verification_state=Association.State.PENDING,
        departement=Departement.objects.get(code="75"),
    )
    with pytest.raises(PermissionDenied):
        association_verify(association_id=elsewhere.pk, actor=referent_69)
    association_verify(association_id=pending.pk, actor=referent_69)
    pending.refresh_from_db()
    assert pending.is_verified


def test_referent_of_a_region_covers_its_departements(pending):
    referent = factories.UserFactory(is_staff=True, is_referent=True)
    referent.referent_regions.add(Departement.objects.get(code="69").region)
    association_verify(association_id=pending.pk, actor=referent)


def test_only_the_admin_resubmits(association, colleague, owner):
    association.verification_state = Association.State.REJECTED
    association.save()
    with pytest.raises(PermissionDenied):
        association_resubmit(association_id=association.pk, actor=colleague)
    association_resubmit(association_id=association.pk, actor=owner)
