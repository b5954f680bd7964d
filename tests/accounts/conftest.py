"""A volunteer with a trace in every app, and another whose data must never leak."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import User
from companies.models import CompanyMember, CostBand
from core.models import log_action
from matching.models import HiddenSuggestion, Proposal
from missions.models import Application, Evaluation, HoursEntry, Invitation, Mission, Testimonial
from missions.services import application_create
from notifications.services import message_post
from search.models import SavedSearch
from taxonomy.models import Cause
from tests import factories
from volunteers.models import Favourite


@dataclass
class Person:
    """A volunteer whose every personal field holds a marker no other row holds."""

    user: User
    markers: dict[str, str]
    application: Application


def _plant(marker: str, *, association, company, mission, other_mission, staff) -> Person:
    def m(field: str) -> str:
        return f"{marker}{field}"

    user = factories.UserFactory(
        email=f"{marker.lower()}@example.org",
        first_name=m("Prenom"),
        last_name=m("Nom"),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    cost_band = CostBand.objects.create(
        company=company, name=f"Experts {len(marker)}{marker[-1]}", hourly_cost=Decimal("90")
    )
    CompanyMember.objects.create(company=company, user=user, site="Lyon", cost_band=cost_band)
    profile = factories.VolunteerFactory(
        user=user,
        employer=company,
        headline=m("Titre"),
        bio=m("Presentation"),
        occupation=m("Metier"),
        city=m("Ville"),
        time_slots=["weekend"],
    )
    profile.causes.add(Cause.objects.order_by("pk").first())
    factories.VolunteerSkillFactory(profile=profile)
    Favourite.objects.create(volunteer=profile, mission=other_mission)
    SavedSearch.objects.create(user=user, name=m("Recherche"), params={"q": [m("Requete")]})

    application = application_create(
        mission_id=mission.pk,
        volunteer=profile,
        actor=user,
        message=m("Candidature texte libre assez long"),
        is_work_time=True,
    )
    Application.objects.filter(pk=application.pk).update(
        state=Application.State.COMPLETED,
        approval_state=Application.Approval.APPROVED,
        planned_hours=12,
        state_message=f"Bienvenue {user.first_name}, merci !",
        created_at=timezone.make_aware(datetime.datetime(2025, 3, 1, 10)),
    )
    application.refresh_from_db()
    for day, hours in ((3, "3.5"), (10, "4")):
        HoursEntry.objects.create(
            application=application,
            date=datetime.date(2025, 3, day),
            hours=Decimal(hours),
            description=m(f"Heures du {day} mars"),
            state=HoursEntry.State.VALIDATED,
        )
    Evaluation.objects.create(
        application=application,
        side=Evaluation.Side.VOLUNTEER,
        author=user,
        rating=5,
        objectives=Evaluation.Objectives.MET,
        skills_transferred=m("Competences transmises"),
        autonomy_gained=m("Autonomie gagnee"),
        comment=m("Commentaire benevole"),
    )
    Evaluation.objects.create(
        application=application,
        side=Evaluation.Side.ASSOCIATION,
        rating=4,
        objectives=Evaluation.Objectives.MET,
        can_continue_alone=True,
        created_at=timezone.make_aware(datetime.datetime(2025, 3, 20, 10)),
    )
    Evaluation.objects.filter(application=application).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 3, 20, 10))
    )
    Testimonial.objects.create(
        application=application, text=m("Temoignage"), published_at=timezone.now()
    )
    message_post(
        application_id=application.pk, actor=user, body=m("Message du benevole assez long")
    )
    owner = association.members.first().user
    message_post(
        application_id=application.pk,
        actor=owner,
        body=f"Bonjour {user.first_name}, à jeudi !",
    )
    Invitation.objects.create(mission=other_mission, volunteer=profile, message=m("Invitation"))
    HiddenSuggestion.objects.create(
        mission=other_mission, volunteer=profile, reason="other", comment=m("Ecartee")
    )
    Proposal.objects.create(mission=other_mission, volunteer=profile, note=m("Proposition"))
    # Staff edited the person in the admin; a company invited them by e-mail.
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=f"Changé pour {user.get_full_name()} ({user.email})",
        single_object=True,
    )
    log_action(company, "companymember.invite", actor=staff, data={"email": user.email})
    assert ContentType.objects.get_for_model(user)
    return Person(
        user=user,
        markers={
            "first_name": m("Prenom"),
            "last_name": m("Nom"),
            "email": user.email.split("@")[0],
            "headline": m("Titre"),
            "bio": m("Presentation"),
            "occupation": m("Metier"),
            "city": m("Ville"),
            "saved_search": m("Recherche"),
            "query": m("Requete"),
            "application": m("Candidature"),
            "hours": m("Heures"),
            "evaluation": m("Competences"),
            "autonomy": m("Autonomie"),
            "comment": m("Commentaire"),
            "testimonial": m("Temoignage"),
            "message": m("Message"),
            "invitation": m("Invitation"),
            "hidden": m("Ecartee"),
            "proposal": m("Proposition"),
        },
        application=application,
    )


@pytest.fixture
def world(db, staff, django_capture_on_commit_callbacks):
    """Two volunteers of one company engaged on one association's mission, with every
    kind of personal data, notifications sent for real by the listeners."""
    company = factories.CompanyFactory(
        name="Acme Conseil",
        loaded_hourly_cost=Decimal("50"),
        annual_turnover=Decimal("10000000"),
        verified_at=timezone.now(),
    )
    factories.CompanyMemberFactory(company=company, role=CompanyMember.Role.PROGRAMME_ADMIN)
    association = factories.AssociationFactory(name="Les Jardins Partagés")
    factories.AssociationMemberFactory(association=association)
    mission = factories.MissionFactory(association=association, seats=5)
    factories.MissionSkillFactory(mission=mission)
    other_mission = factories.MissionFactory(association=association)
    with django_capture_on_commit_callbacks(execute=True):
        person = _plant(
            "Zqxalice",
            association=association,
            company=company,
            mission=mission,
            other_mission=other_mission,
            staff=staff,
        )
        other = _plant(
            "Zqxbruno",
            association=association,
            company=company,
            mission=mission,
            other_mission=other_mission,
            staff=staff,
        )
    Mission.objects.filter(pk=mission.pk).update(state=Mission.State.COMPLETED)
    return {
        "person": person,
        "other": other,
        "company": company,
        "association": association,
        "mission": mission,
    }
