import datetime
from decimal import Decimal

import factory
import pytest
from django.utils import timezone
from factory.django import DjangoModelFactory

from companies.models import CompanyMember, CostBand
from missions.models import Application, Evaluation, HoursEntry
from tests import factories
from tests.sso_idp.fixtures import identity_provider  # noqa: F401  (a fixture)


class HoursFactory(DjangoModelFactory):
    class Meta:
        model = HoursEntry

    date = datetime.date(2025, 3, 10)
    hours = Decimal("2")
    state = HoursEntry.State.VALIDATED


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    side = Evaluation.Side.ASSOCIATION
    rating = 4
    objectives = Evaluation.Objectives.MET


class CostBandFactory(DjangoModelFactory):
    class Meta:
        model = CostBand

    name = factory.Sequence(lambda n: f"Tranche {n}")
    hourly_cost = Decimal("80")


@pytest.fixture
def company(db):
    """A company verified by platform staff (an unverified one cannot invite anyone)."""
    return factories.CompanyFactory(
        name="Acme Conseil",
        yearly_allowance_hours=35,
        loaded_hourly_cost=Decimal("50"),
        annual_turnover=Decimal("10000000"),
        verified_at=timezone.now(),
    )


@pytest.fixture
def programme_admin(company):
    return factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user


@pytest.fixture
def manager(company):
    return factories.CompanyMemberFactory(company=company, role=CompanyMember.Role.MANAGER).user


@pytest.fixture
def employee(company):
    """An employee of ``company`` with a volunteer profile."""
    member = factories.CompanyMemberFactory(company=company)
    factories.VolunteerFactory(user=member.user, employer=company)
    return member.user


@pytest.fixture
def other_company_admin(db):
    return factories.CompanyMemberFactory(role=CompanyMember.Role.PROGRAMME_ADMIN).user


def work_time_application(user, mission, **fields) -> Application:
    defaults = {
        "is_work_time": True,
        "approval_state": Application.Approval.PENDING,
        "state": Application.State.APPLIED,
    }
    defaults.update(fields)
    return factories.ApplicationFactory(
        volunteer=user.volunteer_profile, mission=mission, **defaults
    )
