import pytest

from companies.models import CompanyMember
from missions.models import Application
from tests import factories


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run ``func`` and what it left for after the commit: listeners, e-mails."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


@pytest.fixture
def application(mission, volunteer):
    return factories.ApplicationFactory(mission=mission, volunteer=volunteer)


@pytest.fixture
def employee(db):
    """A volunteer whose company requires approval of work-time engagements."""
    membership = factories.CompanyMemberFactory()
    return factories.VolunteerFactory(user=membership.user, employer=membership.company)


@pytest.fixture
def manager(employee):
    return factories.CompanyMemberFactory(
        company=employee.employer, role=CompanyMember.Role.MANAGER
    ).user


@pytest.fixture
def accepted(mission, volunteer):
    return factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.ACCEPTED
    )


@pytest.fixture(autouse=True)
def _french():
    """Tests read French words: start each in French whatever a previous request left."""
    from django.utils import translation

    with translation.override("fr"):
        yield
