import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiKey
from companies.models import CompanyMember
from tests import factories


@pytest.fixture
def api():
    return APIClient()


def client_for(user=None, secret: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if secret is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def owner_key(association, owner):
    """A read-write key of ``association``, issued by its admin."""
    _key, secret = ApiKey.issue(
        organisation=association, name="CRM", scope=ApiKey.Scope.WRITE, created_by=owner
    )
    return secret


@pytest.fixture
def read_key(association, owner):
    _key, secret = ApiKey.issue(
        organisation=association, name="Site", scope=ApiKey.Scope.READ, created_by=owner
    )
    return secret


@pytest.fixture
def company(db):
    return factories.CompanyFactory(slug="acme", verified_at=timezone.now())


@pytest.fixture
def company_admin(company):
    return factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user


@pytest.fixture
def company_key(company, company_admin):
    _key, secret = ApiKey.issue(
        organisation=company, name="SIRH", scope=ApiKey.Scope.WRITE, created_by=company_admin
    )
    return secret


@pytest.fixture
def employee(company):
    """A volunteer employed by ``company`` (work time needs approval)."""
    member = factories.CompanyMemberFactory(company=company)
    return factories.VolunteerFactory(user=member.user, employer=company)
