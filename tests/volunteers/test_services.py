import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matching.selectors import volunteer_suggestions
from matching.services import forget_index
from missions.models import Mission
from missions.services import favourite_toggle
from taxonomy.models import Cause, Skill
from tests import factories
from volunteers.models import Favourite, VolunteerProfile
from volunteers.services import volunteer_profile_save

pytestmark = pytest.mark.django_db


def save(user, **overrides):
    fields = {
        "skills": {},
        "causes": [],
        "city": "Lyon",
        "postcode": "69003",
        "headline": "Juriste en droit associatif",
        "hours_per_month": 8,
    }
    fields.update(overrides)
    return volunteer_profile_save(actor=user, **fields)


def test_first_save_creates_the_profile_with_skills_causes_and_located_place(outsider):
    skills = list(Skill.objects.order_by("pk")[:2])
    cause = Cause.objects.order_by("pk").first()

    profile = save(outsider, skills={skills[0].pk: 4, skills[1].pk: 2}, causes=[cause])

    assert profile.user == outsider
    assert dict(profile.skills.values_list("skill_id", "level")) == {
        skills[0].pk: 4,
        skills[1].pk: 2,
    }
    assert list(profile.causes.all()) == [cause]
    assert profile.departement.code == "69"
    assert profile.has_coordinates
    assert profile.hours_per_month == 8


def test_saving_again_updates_levels_and_drops_unchosen_skills(volunteer):
    first, second, third = Skill.objects.order_by("pk")[:3]
    factories.VolunteerSkillFactory(profile=volunteer, skill=first, level=1)
    factories.VolunteerSkillFactory(profile=volunteer, skill=second, level=2)

    save(volunteer.user, skills={first.pk: 3, third.pk: 2})

    assert dict(volunteer.skills.values_list("skill_id", "level")) == {first.pk: 3, third.pk: 2}
    assert VolunteerProfile.objects.filter(user=volunteer.user).count() == 1


def test_an_unknown_place_keeps_the_text_without_coordinates(outsider):
    profile = save(outsider, city="Nullepartville", postcode="")

    assert profile.city == "Nullepartville"
    assert not profile.has_coordinates
    assert profile.departement is None


def test_a_profile_needs_at_least_one_format(outsider):
    with pytest.raises(ValidationError):
        save(outsider, accepts_remote=False, accepts_on_site=False, accepts_hybrid=False)
    assert not VolunteerProfile.objects.filter(user=outsider).exists()


def test_availability_cannot_end_before_it_starts(outsider):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        save(
            outsider,
            available_from=today,
            available_until=today - datetime.timedelta(days=1),
        )
    assert "available_until" in error.value.error_dict


def test_an_invalid_level_is_refused(outsider):
    skill = Skill.objects.first()
    with pytest.raises(ValidationError):
        save(outsider, skills={skill.pk: 9})


def test_anonymous_cannot_save_a_profile():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        save(AnonymousUser())


def test_saving_the_profile_refreshes_the_volunteers_suggestions(
    outsider, mission, django_capture_on_commit_callbacks
):
    skill = mission.skills.get().skill
    forget_index()  # arrays an earlier test may have loaded in this process

    with django_capture_on_commit_callbacks(execute=True):
        profile = save(outsider, skills={skill.pk: 3}, causes=[mission.cause])

    (suggestion,) = volunteer_suggestions(profile)
    assert suggestion.mission == mission
    assert "compétence requise" in suggestion.explanation_fr


def test_favourite_toggle_adds_then_removes(volunteer, mission):
    assert favourite_toggle(actor=volunteer.user, mission_id=mission.pk) is True
    assert Favourite.objects.filter(volunteer=volunteer, mission=mission).exists()

    assert favourite_toggle(actor=volunteer.user, mission_id=mission.pk) is False
    assert not Favourite.objects.exists()


def test_a_draft_mission_cannot_become_a_favourite(volunteer, association):
    draft = factories.MissionFactory(association=association, state=Mission.State.DRAFT)
    with pytest.raises(Mission.DoesNotExist):
        favourite_toggle(actor=volunteer.user, mission_id=draft.pk)


def test_favourites_need_a_volunteer_profile(outsider, mission):
    with pytest.raises(PermissionDenied):
        favourite_toggle(actor=outsider, mission_id=mission.pk)


def test_a_company_employee_gets_the_company_as_employer(outsider):
    company = factories.CompanyFactory()
    factories.CompanyMemberFactory(company=company, user=outsider)

    assert save(outsider).employer == company


def test_someone_outside_any_company_has_no_employer(outsider):
    assert save(outsider).employer is None
