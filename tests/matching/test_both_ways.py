"""Each change refreshes both directions at once: the changed volunteer (mission) gets its
own list, and enters or leaves the other side's lists; a full mission leaves every list
and comes back when a seat frees; a process's arrays follow the changes, not an age."""

import datetime as dt

import pytest
from django.utils import timezone

from matching.models import SuggestionList
from matching.selectors import mission_suggestions, volunteer_suggestions
from matching.services import current_arrays
from matching.tasks import refresh_mission, refresh_volunteer
from missions.models import Mission, MissionSkill
from missions.services import application_accept, application_create, application_withdraw
from taxonomy.models import Skill
from tests import factories
from volunteers.services import volunteer_profile_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_coalescing(settings):
    settings.MATCHING_COALESCE_SECONDS = 0


@pytest.fixture
def web():
    return Skill.objects.get(code="website_creation")


@pytest.fixture
def payroll():
    return Skill.objects.get(code="payroll")


def stored(*, mission=None, volunteer=None) -> list[int]:
    row = SuggestionList.objects.filter(mission=mission, volunteer=volunteer).first()
    return row.decoded().others if row else []


def sign_up(web, **place) -> tuple:
    user = factories.UserFactory()
    profile = volunteer_profile_save(
        actor=user,
        city="Lyon",
        postcode="69001",
        skills={web.pk: 3},
        causes=[],
        headline="Développeuse",
        **place,
    )
    return user, profile


def open_mission(association, skill, *, seats=1, importance=MissionSkill.Importance.REQUIRED):
    mission = factories.MissionFactory(association=association, seats=seats)
    factories.MissionSkillFactory(mission=mission, skill=skill, min_level=2, importance=importance)
    return mission


def test_a_volunteer_who_signs_up_enters_a_fitting_missions_list_at_once(
    association, web, django_capture_on_commit_callbacks
):
    mission = open_mission(association, web)
    refresh_mission(mission.pk)
    current_arrays()  # this process's arrays predate the volunteer
    assert stored(mission=mission) == []
    with django_capture_on_commit_callbacks(execute=True):
        _user, profile = sign_up(web)
    assert stored(mission=mission) == [profile.pk]
    assert [pair.volunteer_id for pair in mission_suggestions(mission)] == [profile.pk]
    assert stored(volunteer=profile) == [mission.pk]


def test_a_nice_to_have_skill_alone_never_makes_a_candidate(association, web, payroll):
    mission = open_mission(association, payroll)
    factories.MissionSkillFactory(
        mission=mission, skill=web, min_level=1, importance=MissionSkill.Importance.NICE_TO_HAVE
    )
    only_nice = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=only_nice, skill=web, level=4)
    both = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=both, skill=web, level=4)
    factories.VolunteerSkillFactory(profile=both, skill=payroll, level=3)
    refresh_mission(mission.pk)
    assert stored(mission=mission) == [both.pk]
    assert refresh_volunteer(only_nice.pk) == 0
    assert mission.pk not in stored(volunteer=only_nice)


def test_a_volunteer_who_loses_the_required_skill_leaves_the_missions_list(
    association, web, payroll, django_capture_on_commit_callbacks
):
    mission = open_mission(association, web)
    with django_capture_on_commit_callbacks(execute=True):
        user, profile = sign_up(web)
    assert stored(mission=mission) == [profile.pk]
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_profile_save(
            actor=user,
            city="Lyon",
            postcode="69001",
            skills={payroll.pk: 3},
            causes=[],
            headline="Gestionnaire de paie",
        )
    assert stored(mission=mission) == []
    assert not SuggestionList.objects.filter(mission=mission).exists()


def test_a_new_mission_enters_volunteers_lists_keeping_their_size(
    association, web, settings, staff, django_capture_on_commit_callbacks
):
    from missions.services import mission_publish

    settings.MATCHING_TOP_K = 2
    volunteer = factories.VolunteerFactory(hours_per_month=10)
    factories.VolunteerSkillFactory(profile=volunteer, skill=web, level=2)
    weaker = []
    for _ in range(2):
        mission = factories.MissionFactory(association=association, languages=["fr", "en"])
        factories.MissionSkillFactory(mission=mission, skill=web, min_level=4)
        weaker.append(mission)
    refresh_volunteer(volunteer.pk)
    assert sorted(stored(volunteer=volunteer)) == sorted(m.pk for m in weaker)
    better = factories.MissionFactory(
        association=association, state=Mission.State.SUBMITTED, published_at=None
    )
    factories.MissionSkillFactory(mission=better, skill=web, min_level=2)
    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=better.pk, actor=staff)
    listed = stored(volunteer=volunteer)
    assert len(listed) == 2 and listed[0] == better.pk
    (row,) = SuggestionList.objects.filter(volunteer=volunteer)
    assert row.others == listed and row.size == 2
    assert [pair.rank for pair in volunteer_suggestions(volunteer)] == [1, 2]


def test_a_filled_mission_leaves_every_list_and_comes_back_when_a_seat_frees(
    association, owner, web, django_capture_on_commit_callbacks
):
    mission = open_mission(association, web, seats=1)
    applicant = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=applicant, skill=web, level=3)
    others = []
    for _ in range(3):
        other = factories.VolunteerFactory()
        factories.VolunteerSkillFactory(profile=other, skill=web, level=3)
        others.append(other)
    refresh_mission(mission.pk)
    for other in others:
        assert stored(volunteer=other) == [mission.pk]
    with django_capture_on_commit_callbacks(execute=True):
        application = application_create(
            mission_id=mission.pk, volunteer=applicant, actor=applicant.user
        )
    with django_capture_on_commit_callbacks(execute=True):
        application_accept(application_id=application.pk, actor=owner)
    for other in others:
        assert volunteer_suggestions(other) == []
        assert stored(volunteer=other) == []
    assert stored(mission=mission) == []

    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(
            application_id=application.pk, actor=applicant.user, reason="no_longer_available"
        )
    for other in others:
        assert [pair.mission_id for pair in volunteer_suggestions(other)] == [mission.pk]
    assert sorted(stored(mission=mission)) == sorted(o.pk for o in others)


def test_a_full_mission_is_not_shown_even_before_its_refresh(association, web):
    mission = open_mission(association, web, seats=1)
    volunteer = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=volunteer, skill=web, level=3)
    refresh_volunteer(volunteer.pk)
    assert [pair.mission_id for pair in volunteer_suggestions(volunteer)] == [mission.pk]
    factories.ApplicationFactory(mission=mission, state="accepted")  # no refresh yet
    assert volunteer_suggestions(volunteer) == []


def test_a_process_reads_again_the_rows_changed_since_it_loaded(association, web):
    mission = open_mission(association, web)
    arrays = current_arrays()
    volunteer = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=volunteer, skill=web, level=3)
    from core.models import log_action

    log_action(volunteer, "volunteerprofile.change")  # as the admin does
    refresh_mission(mission.pk)  # no reload by age: the logged change is read
    assert current_arrays() is arrays
    assert volunteer.pk in arrays.volunteer_pks
    assert stored(mission=mission) == [volunteer.pk]


def test_each_list_keeps_its_members_scores_and_is_rewritten_only_when_one_moves(association, web):
    mission = open_mission(association, web)
    volunteer = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=volunteer, skill=web, level=3)
    refresh_volunteer(volunteer.pk)
    row = SuggestionList.objects.get(volunteer=volunteer)
    assert row.others == [mission.pk]
    assert row.scores == row.decoded().scores and 0 < row.scores[0] <= 1

    # A refresh of the mission that changes nothing for this volunteer leaves the row.
    refresh_mission(mission.pk)
    assert SuggestionList.objects.get(volunteer=volunteer).computed_at == row.computed_at

    # A row stored before the scores were kept beside the members is written again.
    SuggestionList.objects.filter(pk=row.pk).update(scores=[])
    refresh_mission(mission.pk)
    again = SuggestionList.objects.get(volunteer=volunteer)
    assert again.scores == row.scores and again.computed_at > row.computed_at


def test_a_mission_put_forward_for_a_programme_leaves_the_lists_of_people_outside_it(
    association, owner, web, django_capture_on_commit_callbacks
):
    from companies.models import Programme
    from companies.programmes import programme_submit_mission

    company = factories.CompanyFactory()
    programme = Programme.objects.create(
        company=company,
        name="Marathon pro bono",
        kind=Programme.Kind.MARATHON,
        starts_on=timezone.localdate() + dt.timedelta(days=10),
        ends_on=timezone.localdate() + dt.timedelta(days=11),
    )
    programme.invited_associations.add(association)
    mission = open_mission(association, web)
    outside = factories.VolunteerFactory()
    employee = factories.VolunteerFactory(employer=company)
    for volunteer in (outside, employee):
        factories.VolunteerSkillFactory(profile=volunteer, skill=web, level=3)
    refresh_mission(mission.pk)  # this process's arrays know the mission as open to all
    assert sorted(stored(mission=mission)) == sorted([outside.pk, employee.pk])
    assert mission.pk in stored(volunteer=outside)

    with django_capture_on_commit_callbacks(execute=True):
        programme_submit_mission(programme_id=programme.pk, mission_id=mission.pk, actor=owner)

    assert mission.pk not in stored(volunteer=outside)
    assert mission.pk in stored(volunteer=employee)
    assert stored(mission=mission) == [employee.pk]
    refresh_volunteer(outside.pk)  # from this process's arrays, caught up by the log
    assert mission.pk not in stored(volunteer=outside)


def test_a_taxonomy_change_loads_every_process_arrays_again(association, web, payroll):
    before = current_arrays().base
    assert current_arrays().base is before
    web.related.add(payroll)
    assert current_arrays().base is not before
    after = current_arrays().base
    Skill.objects.filter(pk=payroll.pk).update(name_fr="Paie")  # not through a save: unseen
    assert current_arrays().base is after


def test_a_list_shrunk_by_a_filled_mission_is_computed_again(
    association, owner, web, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_TOP_K = 2
    settings.MATCHING_REFILL_BELOW = 2
    volunteer = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=volunteer, skill=web, level=3)
    # Three fitting missions, the third asking a higher level than the volunteer's: it
    # scores lower, and waits outside the list.
    missions = [open_mission(association, web) for _ in range(2)]
    weaker = factories.MissionFactory(association=association, seats=1)
    factories.MissionSkillFactory(mission=weaker, skill=web, min_level=4)
    missions.append(weaker)
    refresh_volunteer(volunteer.pk)
    first, second = stored(volunteer=volunteer)
    assert {first, second} == {missions[0].pk, missions[1].pk}
    applicant = factories.VolunteerFactory()
    application = factories.ApplicationFactory(
        mission_id=first, volunteer=applicant, state="applied"
    )

    with django_capture_on_commit_callbacks(execute=True):
        application_accept(application_id=application.pk, actor=owner)

    assert stored(volunteer=volunteer) == [second, missions[2].pk]


def test_the_nightly_sweep_drops_the_lists_of_closed_missions_and_hidden_volunteers(
    association, web
):
    from matching.services import suggestions_drop_out_of_scope

    kept, closed = open_mission(association, web), open_mission(association, web)
    shown, hidden = factories.VolunteerFactory(), factories.VolunteerFactory()
    for volunteer in (shown, hidden):
        factories.VolunteerSkillFactory(profile=volunteer, skill=web, level=3)
    for mission in (kept, closed):
        refresh_mission(mission.pk)
    for volunteer in (shown, hidden):
        refresh_volunteer(volunteer.pk)
    Mission.objects.filter(pk=closed.pk).update(state=Mission.State.COMPLETED)
    type(hidden).objects.filter(pk=hidden.pk).update(is_visible=False)

    assert suggestions_drop_out_of_scope() == 2

    assert SuggestionList.objects.filter(mission=kept).exists()
    assert SuggestionList.objects.filter(volunteer=shown).exists()
    assert not SuggestionList.objects.filter(mission=closed).exists()
    assert not SuggestionList.objects.filter(volunteer=hidden).exists()
