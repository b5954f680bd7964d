import datetime

import pytest
from django.core.exceptions import ValidationError

from associations.models import Association
from companies.models import Company, CompanyDomain
from taxonomy.models import Cause, Skill
from tests import factories

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_reference_data_is_loaded_by_the_migrations():
    assert Skill.objects.count() >= 100
    assert Skill.objects.values("family").distinct().count() == 12
    assert Cause.objects.count() >= 15
    assert all(1 <= sdg <= 17 for cause in Cause.objects.all() for sdg in cause.sdgs)
    website = Skill.objects.get(code="website_creation")
    assert website.related.exists()
    assert website in website.related.first().related.all()


def test_names_follow_the_active_language():
    from django.utils import translation

    skill = Skill.objects.get(code="website_creation")
    with translation.override("en"):
        assert skill.name == "Website creation"
    assert skill.name == "Création de site web"


def test_an_association_cannot_be_founded_in_the_future():
    association = factories.AssociationFactory.build(
        founded_year=datetime.date.today().year + 1, departement=None
    )
    assert "futur" in errors_of(association)["founded_year"][0]


def test_an_association_postcode_is_checked():
    association = factories.AssociationFactory.build(postcode="6900", departement=None)
    assert "code postal" in errors_of(association)["__all__"][0]


def test_the_rna_is_stored_compact():
    association = factories.AssociationFactory.build(rna="w 691 234 567", departement=None)
    association.full_clean()
    assert association.rna == "W691234567"


def test_a_volunteer_accepts_at_least_one_format():
    profile = factories.VolunteerFactory()
    profile.accepts_remote = profile.accepts_on_site = profile.accepts_hybrid = False
    assert "format" in errors_of(profile)["__all__"][0]


def test_volunteer_languages_and_time_slots_are_checked():
    profile = factories.VolunteerFactory()
    profile.languages = ["fr", "klingon"]
    profile.time_slots = ["weekend", "weekend"]
    errors = errors_of(profile)
    assert "klingon" in errors["languages"][0]
    assert "répétée" in errors["time_slots"][0]


def test_availability_ends_after_it_starts():
    profile = factories.VolunteerFactory(
        available_from=datetime.date(2026, 6, 1), available_until=datetime.date(2026, 5, 1)
    )
    assert "available_until" in errors_of(profile)


def test_company_siren_and_domains_are_checked():
    company = Company(name="Acme", slug="acme", siren="123456789")
    assert "SIREN" in errors_of(company)["siren"][0]
    domain = CompanyDomain(company=factories.CompanyFactory(), domain="pas un domaine")
    assert "domaine" in errors_of(domain)["domain"][0]


def test_an_employee_allowance_can_be_overridden():
    member = factories.CompanyMemberFactory(company__yearly_allowance_hours=35)
    assert member.yearly_allowance_hours == 35
    member.allowance_hours_override = 70
    assert member.yearly_allowance_hours == 70


def test_small_associations_are_flagged_for_fairness():
    assert factories.AssociationFactory(size_band=Association.SizeBand.SMALL).is_small
    assert not factories.AssociationFactory(size_band=Association.SizeBand.LARGE).is_small


def test_free_seats_count_accepted_active_and_completed_volunteers(mission):
    mission.seats = 3
    mission.save()
    for state in ("accepted", "active", "applied", "waitlisted", "declined"):
        factories.ApplicationFactory(mission=mission, state=state)
    assert mission.free_seats == 1
