import pytest

from tests import factories


@pytest.fixture
def company_admin(db):
    return factories.CompanyMemberFactory(role="programme_admin").user


@pytest.fixture
def make_mission(association):
    """A published mission of ``association``, remote unless told otherwise."""

    def make(**fields):
        fields.setdefault("association", association)
        fields.setdefault("summary", "Un besoin bien délimité de l'association.")
        return factories.MissionFactory(**fields)

    return make
