"""Schemathesis against the live schema, once per persona: zero 5xx, zero answers that
violate the schema. Prints how many requests it generated for each persona."""

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from api.models import ApiKey
from companies.models import CompanyMember
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class _ManyWithMore:
    """hypothesis-jsonschema 0.23 drives ``many()`` with the ``more()`` method that newer
    Hypothesis releases replaced by iteration; give it back on top of the new one."""

    @staticmethod
    def install(monkeypatch):
        from hypothesis.internal.conjecture import utils

        if hasattr(utils.many, "more"):
            return

        class many(utils.many):
            def more(self) -> bool:
                if self._depth is None:
                    self._depth = self.data.depth
                if self._in_element:
                    self._finish_element()
                if not self._decide():
                    return False
                self.count += 1
                self._in_element = True
                self._rejected = False
                return True

        monkeypatch.setattr(utils, "many", many)


# Examples per operation and persona: about 45 operations × 5 personas stay near 2 minutes.
MAX_EXAMPLES = 4
PERSONAS = ["anonymous", "volunteer", "association_key", "company_admin", "staff"]


def _session_headers(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


def _headers_for(persona: str, live_server) -> dict:
    mission = factories.MissionFactory()
    factories.MissionSkillFactory(mission=mission)
    if persona == "anonymous":
        return {}
    if persona == "volunteer":
        volunteer = factories.VolunteerFactory()
        factories.ApplicationFactory(mission=mission, volunteer=volunteer)
        return _session_headers(live_server, volunteer.user)
    if persona == "association_key":
        member = factories.AssociationMemberFactory(association=mission.association)
        _key, secret = ApiKey.issue(
            organisation=mission.association, name="Fuzz", scope="write", created_by=member.user
        )
        return {"Authorization": f"Bearer {secret}"}
    if persona == "company_admin":
        admin = factories.CompanyMemberFactory(role=CompanyMember.Role.PROGRAMME_ADMIN)
        return _session_headers(live_server, admin.user)
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    return _session_headers(live_server, staff)


@pytest.mark.parametrize("persona", PERSONAS)
def test_fuzzing_finds_no_server_error_nor_schema_violation(
    persona, live_server, settings, monkeypatch, capsys
):
    _ManyWithMore.install(monkeypatch)
    settings.API_THROTTLE_RATES = {"key": "100000/min", "user": "100000/min", "anon": "100000/min"}
    headers = _headers_for(persona, live_server)
    schema = schemathesis.from_uri(f"{live_server.url}/api/schema/", base_url=live_server.url)
    requests = 0
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            nonlocal requests
            requests += 1
            response = case.call(headers=headers, timeout=30)
            try:
                case.validate_response(
                    response, checks=(not_a_server_error, response_schema_conformance)
                )
            except AssertionError as error:
                failures.append(f"{case.operation.verbose_name}: {str(error)[:400]}")
                print(failures[-1])

        check()
    with capsys.disabled():  # shown in the CI log, not only on failure
        print(f"\nschemathesis [{persona}]: {requests} requests, {len(failures)} failures")
    assert failures == []
