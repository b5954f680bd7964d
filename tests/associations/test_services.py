import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from associations import services
from associations.diagnosis import DOMAINS, QUESTIONS, templates_for
from associations.models import Association, AssociationMember
from missions import figures, outreach, selectors
from missions.models import Mission, MissionTemplate
from taxonomy.models import Cause
from tests import factories

pytestmark = pytest.mark.django_db


def test_register_makes_the_creator_admin_of_a_pending_association(outsider):
    causes = list(Cause.objects.order_by("pk")[:2])
    association = services.association_register(
        user=outsider,
        name="Les Amis du Jardin",
        rna="W 751 234 567",
        city="Lyon",
        postcode="69003",
        causes=causes,
    )
    assert association.verification_state == Association.State.PENDING
    assert association.rna == "W751234567"
    assert association.departement.code == "69"
    assert set(association.causes.all()) == set(causes)
    assert AssociationMember.objects.get(association=association, user=outsider).role == "admin"


def test_register_refuses_an_invalid_siret(outsider):
    with pytest.raises(ValidationError) as refused:
        services.association_register(user=outsider, name="X", siret="12345678901234")
    assert "siret" in refused.value.error_dict


def test_every_diagnosis_answer_points_to_existing_templates():
    codes = set(MissionTemplate.objects.values_list("code", flat=True))
    for domain in DOMAINS:
        for question in domain.questions:
            for option in question.options:
                assert set(option.templates) <= codes
    assert {t.domain for t in MissionTemplate.objects.all()} == {d.code for d in DOMAINS}


def test_templates_for_follows_the_answers_without_repeats():
    answers = {
        "digital_website": ["missing"],
        "digital_tools": ["spreadsheets"],
        "finance_budget": ["yes"],
        "legal_needs": ["gdpr", "statutes"],
    }
    assert templates_for(answers) == [
        "website_creation",
        "crm_setup",
        "statutes_review",
        "gdpr_compliance",
    ]
    assert QUESTIONS["digital_tools"].multiple


def test_diagnosis_creates_drafts_from_templates(association, colleague):
    cause = Cause.objects.order_by("pk").last()
    drafts = outreach.diagnosis_create_drafts(
        association_id=association.pk,
        actor=colleague,
        template_codes=["crm_setup", "budget_treasury"],
        cause=cause,
    )
    assert [d.title for d in drafts] == [
        "Mettre en place un outil de suivi des adhérents",
        "Construire notre budget et notre plan de trésorerie",
    ]
    crm = drafts[0]
    assert crm.state == Mission.State.DRAFT and crm.cause == cause
    assert crm.effort_hours == 40
    assert set(crm.skills.values_list("skill__code", "importance")) == {
        ("crm", "required"),
        ("no_code", "nice_to_have"),
        ("gdpr_digital", "nice_to_have"),
    }


def test_diagnosis_without_need_or_by_outsider_is_refused(association, owner, outsider):
    cause = Cause.objects.first()
    with pytest.raises(ValidationError):
        outreach.diagnosis_create_drafts(
            association_id=association.pk, actor=owner, template_codes=[], cause=cause
        )
    with pytest.raises(PermissionDenied):
        outreach.diagnosis_create_drafts(
            association_id=association.pk, actor=outsider, template_codes=["crm_setup"], cause=cause
        )


def _application(mission, *, days_ago, answered_after_days=None):
    now = timezone.now()
    application = factories.ApplicationFactory(mission=mission)
    created = now - datetime.timedelta(days=days_ago)
    decided = (
        created + datetime.timedelta(days=answered_after_days)
        if answered_after_days is not None
        else None
    )
    type(application).objects.filter(pk=application.pk).update(
        created_at=created, decided_at=decided
    )
    return application


def test_responsiveness_against_hand_computed_figures(association, settings):
    settings.RESPONSIVENESS_MIN_ANSWERED = 3
    mission = factories.MissionFactory(association=association, seats=10)
    _application(mission, days_ago=30, answered_after_days=2)
    _application(mission, days_ago=40, answered_after_days=6)
    _application(mission, days_ago=50, answered_after_days=1)
    _application(mission, days_ago=20)  # not answered yet
    _application(mission, days_ago=400, answered_after_days=90)  # older than 12 months
    other = factories.MissionFactory()
    _application(other, days_ago=5, answered_after_days=0)  # another association's

    responsiveness = figures.association_responsiveness(association)

    assert responsiveness.received == 4
    assert responsiveness.answered == 3
    assert responsiveness.timed == 3
    assert responsiveness.answered_percent == 75
    assert responsiveness.median_days == pytest.approx(2)
    assert responsiveness.enough_data


def test_responsiveness_needs_the_minimum_of_answers(association, settings):
    settings.RESPONSIVENESS_MIN_ANSWERED = 3
    mission = factories.MissionFactory(association=association, seats=10)
    _application(mission, days_ago=3, answered_after_days=1)
    _application(mission, days_ago=4, answered_after_days=1)
    for _ in range(3):
        _application(mission, days_ago=3)
    assert not figures.association_responsiveness(association).enough_data


def test_dashboard_flags_applications_waiting_more_than_7_days(association, owner, mission):
    slow = _application(mission, days_ago=8)
    recent = _application(mission, days_ago=2)
    factories.MissionFactory(association=association, state=Mission.State.DRAFT)
    [board] = selectors.dashboard(owner)
    waiting = {a.pk: a.is_slow for a in board.waiting}
    assert waiting == {slow.pk: True, recent.pk: False}
    assert dict(board.counts) == {"Brouillon": 1, "Publiée": 1}
    assert board.association.is_admin
