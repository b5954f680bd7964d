import pytest

from taxonomy.models import Skill
from tests import factories


@pytest.fixture
def member_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def other_association_member(db):
    return factories.AssociationMemberFactory().user


@pytest.fixture
def skill():
    return Skill.objects.get(code="website_creation")


def skills(*codes):
    by_code = Skill.objects.in_bulk(codes, field_name="code")
    return [by_code[code] for code in codes]


@pytest.fixture
def completed_application(mission):
    return factories.ApplicationFactory(mission=mission, state="completed")
