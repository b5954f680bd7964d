"""Schemathesis against the live schema, once per persona: zero 5xx, zero answers that
violate the schema (body, status code, content type). Session personas send a CSRF
token, so their writes are exercised rather than refused. Prints how many requests it
generated for each persona."""

import pytest
import requests as requests_lib
import schemathesis
from django.conf import settings as django_settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

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


# Examples per operation and persona: about 56 operations × 5 personas stay under 2 minutes.
MAX_EXAMPLES = 4
PERSONAS = ["anonymous", "volunteer", "association_key", "company_admin", "staff"]


CHECKS = (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
)


def _session_headers(live_server, user) -> dict:
    """A signed-in browser's credentials: the session cookie, and the CSRF cookie with
    its matching header, without which DRF refuses every write of a session (403)."""
    client = Client()
    client.force_login(user)
    request = HttpRequest()
    token = get_token(request)  # masked, as a page would embed it
    cookies = {
        django_settings.SESSION_COOKIE_NAME: client.cookies[
            django_settings.SESSION_COOKIE_NAME
        ].value,
        django_settings.CSRF_COOKIE_NAME: request.META["CSRF_COOKIE"],
    }
    return {
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "X-CSRFToken": token,
    }


def _drop_generated_credentials(case) -> None:
    """Schemathesis fills the documented security schemes (a bearer header, a ``sessionid``
    cookie) with random values: they would answer 401 before any view runs, and its
    cookie would override the persona's. Each persona brings its own credentials."""
    if case.headers:
        case.headers = {k: v for k, v in case.headers.items() if k.lower() != "authorization"}
    if case.cookies:
        case.cookies = {
            k: v for k, v in case.cookies.items() if k != django_settings.SESSION_COOKIE_NAME
        }


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
    if persona != "anonymous":  # else every request would only exercise the 401
        probe = requests_lib.get(f"{live_server.url}/api/v1/applications/", headers=headers)
        assert probe.status_code == 200, probe.content
    schema = schemathesis.from_uri(f"{live_server.url}/api/schema/", base_url=live_server.url)
    requests = 0
    writes = accepted = 0  # write requests, and those answered 2xx
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
            nonlocal requests, writes, accepted
            requests += 1
            _drop_generated_credentials(case)
            response = case.call(headers=headers, timeout=30)
            if case.method.upper() not in ("GET", "HEAD", "OPTIONS"):
                writes += 1
                accepted += 200 <= response.status_code < 300
                if b"CSRF" in response.content:
                    failures.append(f"{case.operation.verbose_name}: refused by the CSRF check")
            try:
                case.validate_response(response, checks=CHECKS)
            except AssertionError as error:
                failures.append(f"{case.operation.verbose_name}: {str(error)[:400]}")
                print(failures[-1])

        check()
    with capsys.disabled():  # shown in the CI log, not only on failure
        print(
            f"\nschemathesis [{persona}]: {requests} requests ({writes} writes, "
            f"{accepted} of them 2xx), {len(failures)} failures"
        )
    assert failures == []
