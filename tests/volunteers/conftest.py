import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from missions.models import Application, HoursEntry, Mission
from taxonomy.models import Skill
from tests import factories


@pytest.fixture
def other_volunteer(db):
    return factories.VolunteerFactory(user__email="autre.benevole@example.org")


@pytest.fixture
def company_admin(db):
    return factories.CompanyMemberFactory(role="programme_admin").user


@pytest.fixture
def skill(db):
    return Skill.objects.order_by("pk").first()


@pytest.fixture
def completed_application(mission, volunteer):
    """A completed engagement of ``volunteer`` on ``mission``, with hours validated
    (6.5 h), submitted (2 h) and rejected (1 h)."""
    factories.VolunteerSkillFactory(profile=volunteer, skill=mission.skills.get().skill)
    mission.state = Mission.State.COMPLETED
    mission.start_date = timezone.localdate() - datetime.timedelta(days=60)
    mission.end_date = timezone.localdate() - datetime.timedelta(days=2)
    mission.save()
    application = factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.COMPLETED
    )
    day = timezone.localdate() - datetime.timedelta(days=10)
    for hours, state in (
        ("4", HoursEntry.State.VALIDATED),
        ("2.5", HoursEntry.State.VALIDATED),
        ("2", HoursEntry.State.SUBMITTED),
        ("1", HoursEntry.State.REJECTED),
    ):
        HoursEntry.objects.create(
            application=application, date=day, hours=Decimal(hours), state=state
        )
    return application


@pytest.fixture
def active_application(volunteer, association):
    mission = factories.MissionFactory(association=association, state=Mission.State.IN_PROGRESS)
    return factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.ACTIVE
    )


@pytest.fixture(autouse=True)
def _default_language():
    """Requests under /en/ leave English active in the thread: start and end in French."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")
