"""Programmes and events: registration, mission submission, teams computed, adjusted,
published and announced."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from companies import programmes
from companies.models import CompanyMember, Programme, TeamAssignment
from notifications.models import Notification
from notifications.wording import word
from taxonomy.models import Skill
from tests import factories


@pytest.fixture
def marathon(company):
    today = timezone.localdate()
    return Programme.objects.create(
        company=company,
        name="Probono Marathon Lyon",
        kind=Programme.Kind.MARATHON,
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=11),
    )


@pytest.fixture
def event(marathon, company, association, owner):
    """Two missions needing different skills, four registered employees."""
    marathon.invited_associations.add(association)
    skills = list(Skill.objects.order_by("pk")[:2])
    missions = []
    for i, skill in enumerate(skills):
        mission = factories.MissionFactory(
            association=association, programme=marathon, seats=2, title=f"Défi {i}"
        )
        factories.MissionSkillFactory(mission=mission, skill=skill, min_level=2)
        missions.append(mission)
    people = []
    for i in range(4):
        member = factories.CompanyMemberFactory(company=company)
        profile = factories.VolunteerFactory(user=member.user, employer=company)
        factories.VolunteerSkillFactory(profile=profile, skill=skills[i % 2], level=3)
        programmes.programme_register(programme_id=marathon.pk, actor=member.user)
        people.append(member.user)
    return {"programme": marathon, "missions": missions, "people": people, "skills": skills}


def test_employees_register_once_and_outsiders_cannot(marathon, employee, outsider):
    programmes.programme_register(programme_id=marathon.pk, actor=employee)
    programmes.programme_register(programme_id=marathon.pk, actor=employee)
    assert marathon.registrations.count() == 1
    with pytest.raises(PermissionDenied):
        programmes.programme_register(programme_id=marathon.pk, actor=outsider)


def test_registration_closes_when_the_event_starts(marathon, employee):
    marathon.starts_on = timezone.localdate() - datetime.timedelta(days=1)
    marathon.save()
    with pytest.raises(ValidationError):
        programmes.programme_register(programme_id=marathon.pk, actor=employee)


def test_invited_associations_submit_missions(marathon, association, owner, outsider):
    marathon.invited_associations.add(association)
    mission = factories.MissionFactory(association=association, state="draft")
    programmes.programme_submit_mission(
        programme_id=marathon.pk, mission_id=mission.pk, actor=owner
    )
    mission.refresh_from_db()
    assert mission.programme == marathon
    other = factories.AssociationMemberFactory()
    stranger_mission = factories.MissionFactory(association=other.association)
    with pytest.raises(PermissionDenied):
        programmes.programme_submit_mission(
            programme_id=marathon.pk, mission_id=stranger_mission.pk, actor=other.user
        )
    with pytest.raises(PermissionDenied):
        programmes.programme_submit_mission(
            programme_id=marathon.pk, mission_id=mission.pk, actor=outsider
        )


def test_a_mission_outside_the_programmes_causes_is_refused(marathon, association, owner):
    from taxonomy.models import Cause

    first, second = Cause.objects.order_by("pk")[:2]
    marathon.causes.add(second)
    mission = factories.MissionFactory(association=association, cause=first)
    with pytest.raises(ValidationError):
        programmes.programme_submit_mission(
            programme_id=marathon.pk, mission_id=mission.pk, actor=owner
        )


def test_teams_cover_each_missions_skills(event, programme_admin):
    result = programmes.teams_propose(programme_id=event["programme"].pk, actor=programme_admin)
    assert len(result.pairs) == 4 and not result.unassigned
    for mission, skill in zip(event["missions"], event["skills"], strict=True):
        team = TeamAssignment.objects.filter(mission=mission)
        assert team.count() == 2
        # Each team holds the two people who have its skill.
        assert all(
            a.volunteer.skills.filter(skill=skill).exists()
            for a in team.select_related("volunteer")
        )
    event["programme"].refresh_from_db()
    assert event["programme"].teams_state == Programme.Teams.PROPOSED


def test_only_organisers_compute_teams(event, manager, employee):
    for actor in (manager, employee):
        with pytest.raises(PermissionDenied):
            programmes.teams_propose(programme_id=event["programme"].pk, actor=actor)


def test_staff_adjust_by_hand_within_the_seats(event, staff):
    programme = event["programme"]
    programmes.teams_propose(programme_id=programme.pk, actor=staff)
    first, second = event["missions"]
    volunteer = TeamAssignment.objects.filter(mission=first).first().volunteer
    with pytest.raises(ValidationError):  # the other team is full
        programmes.team_move(
            programme_id=programme.pk, volunteer_id=volunteer.pk, mission_id=second.pk, actor=staff
        )
    programmes.team_move(
        programme_id=programme.pk, volunteer_id=volunteer.pk, mission_id=None, actor=staff
    )
    programmes.team_move(
        programme_id=programme.pk, volunteer_id=volunteer.pk, mission_id=first.pk, actor=staff
    )
    assert TeamAssignment.objects.get(volunteer=volunteer).is_manual


def test_publishing_tells_everyone_their_team(
    event, programme_admin, owner, django_capture_on_commit_callbacks
):
    programme = event["programme"]
    programmes.teams_propose(programme_id=programme.pk, actor=programme_admin)
    with django_capture_on_commit_callbacks(execute=True):
        programmes.teams_publish(programme_id=programme.pk, actor=programme_admin)
    for person in event["people"]:
        notification = Notification.objects.get(recipient=person)
        assert notification.kind == Notification.Kind.TEAM_PUBLISHED
        assert notification.context["programme"] == programme.name
        assert (
            person.email in notification.context["names"]
            or person.get_full_name() in (notification.context["names"])
        )
        wording = word(notification.kind, notification.context)
        assert "Vous faites partie de l'équipe" in wording.text
    assert Notification.objects.filter(recipient=owner).count() == 2  # one per mission
    with pytest.raises(ValidationError):
        programmes.teams_propose(programme_id=programme.pk, actor=programme_admin)
    # Running the announcement again sends nothing new.
    assert programmes.notify_programme_teams(programme.pk) == 0


def test_a_registrant_left_without_a_team_is_told(
    event, programme_admin, company, django_capture_on_commit_callbacks
):
    """Four seats for five registrants: the fifth hears that the teams are out."""
    programme = event["programme"]
    member = factories.CompanyMemberFactory(company=company)
    factories.VolunteerFactory(user=member.user, employer=company)
    programmes.programme_register(programme_id=programme.pk, actor=member.user)
    programmes.teams_propose(programme_id=programme.pk, actor=programme_admin)
    (left_out,) = [
        r.volunteer.user
        for r in programme.registrations.select_related("volunteer__user")
        if not TeamAssignment.objects.filter(programme=programme, volunteer=r.volunteer).exists()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        programmes.teams_publish(programme_id=programme.pk, actor=programme_admin)
    notification = Notification.objects.get(recipient=left_out)
    wording = word(notification.kind, notification.context)
    assert "pas eu de place pour vous" in wording.text and programme.name in wording.title
    with translation.override("en"):
        assert "no room for you" in word(notification.kind, notification.context).text
    assert programmes.notify_programme_teams(programme.pk) == 0


def test_the_programme_page_by_persona(client, event, programme_admin, owner, outsider, volunteer):
    url = reverse("companies:programme", args=[event["programme"].pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(volunteer.user)
    assert client.get(url).status_code == 404
    client.force_login(owner)  # an invited association
    assert client.get(url).status_code == 200
    client.force_login(event["people"][0])
    page = client.get(url).content.decode()
    assert "Vous êtes inscrit" in page and "Calculer les équipes" not in page
    client.force_login(programme_admin)
    assert "Calculer les équipes" in client.get(url).content.decode()


def test_the_team_workflow_through_the_pages(
    client, event, programme_admin, django_assert_max_num_queries
):
    programme = event["programme"]
    url = reverse("companies:programme_teams", args=[programme.pk])
    client.force_login(programme_admin)
    assert client.post(url, {"operation": "publish"}).status_code == 302  # nothing to publish
    page = client.get(reverse("companies:programme", args=[programme.pk])).content.decode()
    assert 'role="alert"' in page
    client.post(url, {"operation": "propose"})
    with django_assert_max_num_queries(10):
        page = client.get(reverse("companies:programme", args=[programme.pk])).content.decode()
    assert "Équipes proposées" in page
    client.post(url, {"operation": "publish"})
    programme.refresh_from_db()
    assert programme.teams_state == Programme.Teams.PUBLISHED


def test_a_foundation_programme_is_open_to_the_founders_people(company, employee):
    foundation = factories.CompanyFactory(kind="foundation", parent=company)
    programme = Programme.objects.create(
        company=foundation,
        name="Semaine",
        kind="week",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    programmes.programme_register(programme_id=programme.pk, actor=employee)
    assert CompanyMember.objects.filter(company=foundation).count() == 0


def test_associations_find_the_programmes_open_to_them(
    client, marathon, association, owner, outsider, django_assert_max_num_queries
):
    other = factories.CompanyFactory()
    Programme.objects.create(  # open to every verified association
        company=other,
        name="Campagne ouverte",
        kind="campaign",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    closed = Programme.objects.create(
        company=other,
        name="Sur invitation",
        kind="week",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=9),
    )
    closed.invited_associations.add(factories.AssociationFactory())
    marathon.invited_associations.add(association)
    client.force_login(owner)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("companies:programme_invitations")).content.decode()
    assert marathon.name in page and "Campagne ouverte" in page
    assert "Sur invitation" not in page
    year = timezone.localdate().year
    assert reverse("companies:association_summary", args=[association.slug, year]) in page
    client.force_login(outsider)
    assert client.get(reverse("companies:programme_invitations")).status_code == 403


def test_the_programme_page_shows_the_hours_budget(client, event, programme_admin):
    from decimal import Decimal

    from missions.models import Application, HoursEntry

    programme = event["programme"]
    programme.hours_budget = 400
    programme.save()
    employee = event["people"][0]
    application = factories.ApplicationFactory(
        mission=event["missions"][0], volunteer=employee.volunteer_profile, state="active"
    )
    HoursEntry.objects.create(
        application=application, date=timezone.localdate(), hours=Decimal("7.5"), state="validated"
    )
    assert Application.objects.count() == 1
    client.force_login(programme_admin)
    page = client.get(reverse("companies:programme", args=[programme.pk])).content.decode()
    assert "Budget : 392,5 h restantes sur 400 h (7,5 h validées, 0 h accordées à venir)." in page
