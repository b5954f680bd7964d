import datetime

import pytest
from django.utils import timezone

from taxonomy.models import Cause
from tests import factories
from volunteers.completion import profile_completion

pytestmark = pytest.mark.django_db

PROFILE = "/benevole/profil/"
SUGGESTIONS = "/benevole/missions-pour-vous/"


def keys(items):
    return [item.key for item in items]


def test_nothing_is_filled_before_the_profile_exists():
    completion = profile_completion(None)
    assert completion.done_count == 0
    assert completion.percent == 0
    assert keys(completion.missing) == [
        "skills",
        "causes",
        "place",
        "availability",
        "languages",
        "visibility",
    ]


def test_a_new_profile_lacks_its_skills_and_causes(volunteer):
    completion = profile_completion(volunteer)
    assert keys(completion.missing) == ["skills", "causes"]
    assert completion.done_count == 4 and completion.total == 6
    assert completion.percent == 67
    skills = completion.missing[0]
    assert skills.blocking and skills.anchor == "profile-skills"
    assert "compétences" in str(skills.why)


def test_a_profile_with_what_the_matching_reads_is_complete(volunteer, skill):
    factories.VolunteerSkillFactory(profile=volunteer, skill=skill)
    volunteer.causes.add(Cause.objects.order_by("pk").first())
    completion = profile_completion(volunteer)
    assert completion.is_complete
    assert completion.percent == 100


def test_a_hidden_profile_past_dates_and_no_language_are_missing(volunteer, skill):
    factories.VolunteerSkillFactory(profile=volunteer, skill=skill)
    volunteer.causes.add(Cause.objects.order_by("pk").first())
    volunteer.is_visible = False
    volunteer.languages = []
    volunteer.available_until = timezone.localdate() - datetime.timedelta(days=1)
    volunteer.save()
    completion = profile_completion(volunteer)
    assert keys(completion.missing) == ["availability", "languages", "visibility"]
    assert "passées" in str(completion.missing[0].todo)
    assert completion.missing[2].blocking


def test_a_place_is_needed_unless_only_remote_missions_are_accepted(volunteer):
    volunteer.latitude = volunteer.longitude = None
    volunteer.save()
    assert "place" in keys(profile_completion(volunteer).missing)
    volunteer.accepts_on_site = volunteer.accepts_hybrid = False
    volunteer.save()
    assert "place" not in keys(profile_completion(volunteer).missing)


def test_counts_given_by_the_caller_save_the_queries(volunteer, django_assert_num_queries):
    with django_assert_num_queries(0):
        completion = profile_completion(volunteer, skill_count=2, cause_count=1)
    assert completion.is_complete


def test_the_profile_page_shows_the_meter_with_links_to_the_fields(client, volunteer):
    client.force_login(volunteer.user)
    content = client.get(PROFILE).content.decode()
    assert '<meter id="completion-meter"' in content
    assert 'min="0" max="6" value="4"' in content
    assert "4 éléments sur 6 renseignés (67 %)" in content
    assert 'href="#profile-skills"' in content
    assert 'href="#profile-causes"' in content
    assert 'id="profile-skills"' in content and 'id="profile-causes"' in content


def test_the_new_volunteer_page_has_no_meter(client, outsider):
    client.force_login(outsider)
    assert "completion-meter" not in client.get(PROFILE).content.decode()


def test_the_suggestions_page_links_what_is_missing_to_the_profile(client, volunteer):
    client.force_login(volunteer.user)
    content = client.get(SUGGESTIONS).content.decode()
    assert f'href="{PROFILE}#profile-skills"' in content
    assert "Sans cela, aucune suggestion." in content


def test_the_suggestions_page_hides_the_meter_once_complete(client, volunteer, skill):
    factories.VolunteerSkillFactory(profile=volunteer, skill=skill)
    volunteer.causes.add(Cause.objects.order_by("pk").first())
    client.force_login(volunteer.user)
    assert "completion-meter" not in client.get(SUGGESTIONS).content.decode()


def test_the_profile_page_counts_the_saved_skills_and_causes(client, volunteer, skill):
    factories.VolunteerSkillFactory(profile=volunteer, skill=skill)
    volunteer.causes.add(Cause.objects.order_by("pk").first())
    client.force_login(volunteer.user)
    content = client.get(PROFILE).content.decode()
    assert "6 éléments sur 6 renseignés (100 %)" in content
    # A form sent back with an error still measures the profile as saved.
    content = client.post(PROFILE, {"first_name": "", "hours_per_month": "x"}).content.decode()
    assert "6 éléments sur 6 renseignés (100 %)" in content
