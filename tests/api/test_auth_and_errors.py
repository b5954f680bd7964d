import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiKey, hash_secret
from associations.models import AssociationMember

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_hashed_and_shown_only_once(association, owner):
    key, secret = ApiKey.issue(organisation=association, name="CRM", scope="read", created_by=owner)
    stored = ApiKey.objects.get(pk=key.pk)
    assert secret.startswith(f"pb_{stored.prefix}_")
    assert secret.split("_", 2)[2] not in str(stored.__dict__)
    assert stored.hashed_secret == hash_secret(secret.split("_", 2)[2])


def test_a_used_key_records_its_last_use(association, owner, read_key):
    key = ApiKey.objects.get()
    assert key.last_used_at is None
    client_for(secret=read_key).get("/api/v1/missions/")
    key.refresh_from_db()
    assert key.last_used_at is not None and key.last_used_at <= timezone.now()
    # Within the minute, a call reads the key and writes nothing.
    with CaptureQueriesContext(connection) as queries:
        client_for(secret=read_key).get("/api/v1/missions/")
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"]]
    # A minute later, the use is recorded again.
    ApiKey.objects.update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    client_for(secret=read_key).get("/api/v1/missions/")
    key.refresh_from_db()
    assert timezone.now() - key.last_used_at < datetime.timedelta(seconds=30)


@pytest.mark.parametrize(
    "header",
    ["Bearer pb_unknown_secret", "Bearer nonsense", "Bearer pb_{prefix}_wrong-secret"],
)
def test_a_wrong_key_is_refused_with_401(read_key, header):
    prefix = read_key.split("_")[1]
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=header.format(prefix=prefix))
    answer = client.get("/api/v1/missions/")
    assert answer.status_code == 401
    assert answer.json()["code"] == "authentication_failed"
    assert answer["WWW-Authenticate"] == "Bearer"


def test_a_revoked_key_stops_working(read_key):
    ApiKey.objects.get().revoke()
    answer = client_for(secret=read_key).get("/api/v1/missions/")
    assert answer.status_code == 401
    assert "révoquée" in answer.json()["message"]


def test_a_key_stops_working_when_its_creator_is_no_longer_admin(read_key, owner):
    AssociationMember.objects.filter(user=owner).update(role=AssociationMember.Role.MEMBER)
    assert client_for(secret=read_key).get("/api/v1/missions/").status_code == 401


def test_errors_have_one_shape_in_the_requesters_language(owner_key):
    client = client_for(secret=owner_key)
    french = client.post("/api/v1/missions/", {})
    english = client.post("/api/v1/missions/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert french.status_code == english.status_code == 400
    assert set(french.json()) == {"code", "message", "errors"}
    assert french.json()["errors"]["title"] == ["Ce champ est obligatoire."]
    assert english.json()["errors"]["title"] == ["This field is required."]
    missing = client.get("/api/v1/missions/999999/")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": "Introuvable.", "errors": {}}
    anonymous = client_for().get("/api/v1/applications/")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"


def test_throttling_answers_429_with_retry_after(settings, read_key, volunteer):
    settings.API_THROTTLE_RATES = {"key": "3/min", "user": "2/min", "anon": "1/min"}
    client = client_for(secret=read_key)
    statuses = [client.get("/api/v1/skills/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    answer = client.get("/api/v1/skills/")
    assert answer.json()["code"] == "throttled"
    assert 0 < int(answer["Retry-After"]) <= 60
    # Each key and each person has a budget of its own.
    person = client_for(volunteer.user)
    assert [person.get("/api/v1/skills/").status_code for _ in range(3)] == [200, 200, 429]


def test_a_huge_or_malformed_id_is_a_404_not_a_crash(read_key):
    client = client_for(secret=read_key)
    assert client.get(f"/api/v1/missions/{10**30}/").status_code == 404
    assert client.get("/api/v1/applications/abc/").status_code == 404
    assert client.get("/api/v1/applications/", {"mission": 10**30}).status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/nothing-here/", "/api/v1/missions/1/unknown-action/", "/api/v1/x/y"],
)
def test_an_unknown_address_answers_the_apis_404_in_the_requesters_language(path):
    client = client_for()
    for method in ("get", "post", "delete"):
        french = getattr(client, method)(path)
        assert french.status_code == 404, (method, french.content)
        assert french["Content-Type"] == "application/json"
        assert french.json() == {"code": "not_found", "message": "Introuvable.", "errors": {}}
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404
    assert english.json() == {"code": "not_found", "message": "Not found.", "errors": {}}


def test_a_known_address_without_its_slash_is_still_redirected():
    answer = client_for().get("/api/v1/skills?ordering=code")
    assert answer.status_code == 301
    assert answer["Location"] == "/api/v1/skills/?ordering=code"
