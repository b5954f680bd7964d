"""Who sees and who does what: the endpoints against the personas (healthchecks'
alice/bob/charlie).

A key or a person sees only its own organisation's private data; an object outside
one's scope answers 404, an action one may not take on a visible object 403. A refused
write leaves the database as it was.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from api.models import ApiKey, WebhookEndpoint
from companies.models import CompanyMember, Programme
from core.models import ActionLog
from missions.models import Application, Evaluation, HoursEntry, Mission
from missions.outreach import mission_etag
from taxonomy.models import Cause, Skill
from tests import factories
from tests.suggestions import store_list

from .conftest import client_for

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "volunteer",
    "owner",
    "colleague",
    "outsider",
    "owner_key",
    "company_admin",
    "company_key",
    "staff",
]


@pytest.fixture
def world(association, owner, colleague, outsider, staff, volunteer, company, company_admin):
    staff.is_superuser = False
    staff.save()
    published = factories.MissionFactory(association=association, seats=2)
    factories.MissionSkillFactory(mission=published)
    draft = factories.MissionFactory(association=association, state=Mission.State.DRAFT)
    application = factories.ApplicationFactory(
        mission=published, volunteer=volunteer, state=Application.State.COMPLETED
    )
    hours = HoursEntry.objects.create(
        application=application, date=datetime.date(2026, 1, 5), hours=Decimal("3")
    )
    evaluation = Evaluation.objects.create(
        application=application, side="association", author=owner, rating=5, objectives="met"
    )
    hidden = factories.VolunteerFactory(is_visible=False)
    store_list(mission=published, others=[volunteer])
    programme = Programme.objects.create(
        company=company,
        name="Semaine solidaire",
        kind="week",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 7),
    )
    employee = factories.CompanyMemberFactory(company=company)
    endpoint = WebhookEndpoint.objects.create(
        association=association, url="https://crm.example.org/hook", events=["mission.published"]
    )
    _k, owner_secret = ApiKey.issue(
        organisation=association, name="CRM", scope="write", created_by=owner
    )
    _k, company_secret = ApiKey.issue(
        organisation=company, name="SIRH", scope="write", created_by=company_admin
    )
    clients = {
        "anonymous": client_for(),
        "volunteer": client_for(volunteer.user),
        "owner": client_for(owner),
        "colleague": client_for(colleague),
        "outsider": client_for(outsider),
        "owner_key": client_for(secret=owner_secret),
        "company_admin": client_for(company_admin),
        "company_key": client_for(secret=company_secret),
        "staff": client_for(staff),
    }
    return {
        "clients": clients,
        "published": published,
        "draft": draft,
        "application": application,
        "hours": hours,
        "evaluation": evaluation,
        "volunteer": volunteer,
        "hidden": hidden,
        "company": company,
        "programme": programme,
        "employee": employee,
        "endpoint": endpoint,
        "association": association,
    }


# url template, then the expected status per persona, in PERSONAS order.
DETAIL_TABLE = {
    "public mission": (
        "/api/v1/missions/{published.pk}/",
        [200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    "draft mission": (
        "/api/v1/missions/{draft.pk}/",
        [404, 404, 200, 200, 404, 200, 404, 404, 200],
    ),
    "suggested volunteers": (
        "/api/v1/missions/{published.pk}/suggestions/",
        [401, 403, 200, 200, 403, 200, 403, 403, 200],
    ),
    "application": (
        "/api/v1/applications/{application.pk}/",
        [401, 200, 200, 200, 404, 200, 404, 404, 200],
    ),
    "hours": ("/api/v1/hours/{hours.pk}/", [401, 200, 200, 200, 404, 200, 404, 404, 200]),
    "evaluation": (
        "/api/v1/evaluations/{evaluation.pk}/",
        [401, 200, 200, 200, 404, 200, 404, 404, 200],
    ),
    "visible volunteer": (
        "/api/v1/volunteers/{volunteer.pk}/",
        [401, 200, 200, 200, 404, 200, 404, 404, 200],
    ),
    "hidden volunteer": (
        "/api/v1/volunteers/{hidden.pk}/",
        [401, 404, 404, 404, 404, 404, 404, 404, 200],
    ),
    "own volunteer profile": (
        "/api/v1/volunteers/me/",
        [401, 200, 404, 404, 404, 404, 404, 404, 404],
    ),
    "company": ("/api/v1/companies/{company.pk}/", [401, 404, 404, 404, 404, 404, 200, 200, 200]),
    "employee": (
        "/api/v1/employees/{employee.pk}/",
        [401, 404, 404, 404, 404, 404, 200, 200, 200],
    ),
    "programme": (
        "/api/v1/programmes/{programme.pk}/",
        [401, 404, 404, 404, 404, 404, 200, 200, 200],
    ),
    "webhook endpoint": (
        "/api/v1/webhooks/{endpoint.pk}/",
        [401, 404, 200, 404, 404, 200, 404, 404, 200],
    ),
    "webhook deliveries": (
        "/api/v1/webhooks/{endpoint.pk}/deliveries/",
        [401, 404, 200, 404, 404, 200, 404, 404, 200],
    ),
    "association": (
        "/api/v1/associations/{association.pk}/",
        [200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    "skills": ("/api/v1/skills/", [200] * 9),
    "causes": ("/api/v1/causes/", [200] * 9),
    "territories": ("/api/v1/territories/", [200] * 9),
}


@pytest.mark.parametrize("name", list(DETAIL_TABLE))
def test_each_persona_reaches_only_what_it_may(world, name):
    template, expected = DETAIL_TABLE[name]
    url = template.format(**world)
    got = [world["clients"][persona].get(url).status_code for persona in PERSONAS]
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))


# list url, then the number of rows each persona sees.
LIST_TABLE = {
    "missions": ("/api/v1/missions/", [1, 1, 2, 2, 1, 2, 1, 1, 2]),
    "applications": ("/api/v1/applications/", [None, 1, 1, 1, 0, 1, 0, 0, 1]),
    "hours": ("/api/v1/hours/", [None, 1, 1, 1, 0, 1, 0, 0, 1]),
    "evaluations": ("/api/v1/evaluations/", [None, 1, 1, 1, 0, 1, 0, 0, 1]),
    # Only verified associations browse profiles; a volunteer lists their own.
    "volunteers": ("/api/v1/volunteers/", [None, 1, 1, 1, 403, 1, 403, 403, 2]),
    "companies": ("/api/v1/companies/", [None, 0, 0, 0, 0, 0, 1, 1, 1]),
    "employees": ("/api/v1/employees/", [None, 0, 0, 0, 0, 0, 2, 2, 2]),
    "programmes": ("/api/v1/programmes/", [None, 0, 0, 0, 0, 0, 1, 1, 1]),
    "webhooks": ("/api/v1/webhooks/", [None, 0, 1, 0, 0, 1, 0, 0, 1]),
}


@pytest.mark.parametrize("name", list(LIST_TABLE))
def test_each_persona_lists_only_its_scope(world, name):
    url, expected = LIST_TABLE[name]
    got = []
    for persona in PERSONAS:
        response = world["clients"][persona].get(url)
        if response.status_code in (401, 403):
            got.append(None if response.status_code == 401 else 403)
        else:
            assert response.status_code == 200, (persona, response.json())
            got.append(response.json()["count"])
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))


def test_a_key_never_acts_beyond_its_organisation_even_if_its_creator_could(world, owner):
    """The key's creator also belongs to another association: the key cannot touch it."""
    other = factories.AssociationFactory()
    factories.AssociationMemberFactory(association=other, user=owner)
    theirs = factories.MissionFactory(association=other, state=Mission.State.DRAFT)
    key = world["clients"]["owner_key"]
    assert key.get(f"/api/v1/missions/{theirs.pk}/").status_code == 404
    answer = key.post(f"/api/v1/missions/{theirs.pk}/submit/")
    assert answer.status_code == 404
    # The same person, signed in, does see it.
    assert client_for(owner).get(f"/api/v1/missions/{theirs.pk}/").status_code == 200


def test_a_read_only_key_cannot_write(world, association, owner):
    _key, secret = ApiKey.issue(
        organisation=association, name="Lecture", scope="read", created_by=owner
    )
    client = client_for(secret=secret)
    assert client.get("/api/v1/missions/").status_code == 200
    answer = client.post(f"/api/v1/missions/{world['draft'].pk}/submit/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    assert world["draft"].state == Mission.State.DRAFT


def test_company_admins_read_their_impact_report(world, company):
    url = f"/api/v1/companies/{company.pk}/report/"
    got = {persona: world["clients"][persona].get(url).status_code for persona in PERSONAS}
    assert got == {
        "anonymous": 401,
        "volunteer": 404,
        "owner": 404,
        "colleague": 404,
        "outsider": 404,
        "owner_key": 404,
        "company_admin": 200,
        "company_key": 200,
        "staff": 200,
    }
    report = world["clients"]["company_key"].get(url, {"start": "2026-01-01", "end": "2026-12-31"})
    body = report.json()
    assert body["start"] == "2026-01-01" and body["employees"] >= 1
    assert {"hours_validated", "by_cause", "tax", "valuation"} <= set(body)
    wrong = world["clients"]["company_key"].get(url, {"start": "2026-12-31", "end": "2026-01-01"})
    assert wrong.status_code == 400 and "end" in wrong.json()["errors"]


# --- Writes ---------------------------------------------------------------------------


@pytest.fixture
def writes(world, association, company, volunteer):
    """The world, plus what the writes act on: a draft ready to submit, a pending
    application of the volunteer, an employee's work-time application awaiting the
    employer, and a completed engagement nobody has evaluated yet."""
    factories.MissionSkillFactory(mission=world["draft"])  # ready to be submitted
    other = factories.MissionFactory(association=association, seats=3)
    factories.MissionSkillFactory(mission=other)
    pending = factories.ApplicationFactory(mission=other, volunteer=volunteer)
    employee = factories.VolunteerFactory(
        user=world["employee"].user, employer=company, is_visible=True
    )
    work_time = factories.ApplicationFactory(
        mission=other,
        volunteer=employee,
        is_work_time=True,
        approval_state=Application.Approval.PENDING,
    )
    finished = factories.MissionFactory(association=association, state=Mission.State.COMPLETED)
    unevaluated = factories.ApplicationFactory(
        mission=finished, volunteer=volunteer, state=Application.State.COMPLETED
    )
    return {**world, "pending": pending, "work_time": work_time, "unevaluated": unevaluated}


def _mission_body(w):
    skill = Skill.objects.order_by("pk").first()
    return {
        "association": w["association"].slug,
        "title": "Tableau de bord des dons",
        "summary": "Suivre les dons mois par mois.",
        "cause": Cause.objects.order_by("pk").first().code,
        "location_mode": "remote",
        "effort_hours": 20,
        "seats": 1,
        "skills": [{"skill": skill.code, "min_level": 3, "importance": "required"}],
    }


def _missions_csv(w):
    skill = Skill.objects.order_by("pk").first().code
    cause = Cause.objects.order_by("pk").first().code
    text = f"title;summary;cause;skills;location_mode\nSite;Refaire le site;{cause};{skill};remote"
    return {
        "file": SimpleUploadedFile("missions.csv", text.encode(), "text/csv"),
        "association": w["association"].slug,
    }


def _employees_csv(w):
    text = "email,role\nnouvelle@acme.example,employee"
    return {
        "file": SimpleUploadedFile("salaries.csv", text.encode(), "text/csv"),
        "company": w["company"].slug,
    }


HOOK = {"url": "https://93.184.216.34/hook", "events": ["mission.published"]}

# name: (method, url template, body(world) or None, extra request options(world),
#        the expected status per persona, in PERSONAS order)
#        anonymous, volunteer, owner, colleague, outsider, owner_key, company_admin,
#        company_key, staff
WRITE_TABLE = {
    "mission create": (
        "post",
        "/api/v1/missions/",
        _mission_body,
        None,
        [401, 403, 201, 201, 403, 201, 403, 403, 201],
    ),
    "mission update": (
        "patch",
        "/api/v1/missions/{draft.pk}/",
        lambda w: {"title": "Nouveau titre"},
        lambda w: {"HTTP_IF_MATCH": mission_etag(w["draft"])},
        [401, 404, 200, 200, 404, 200, 404, 404, 403],
    ),
    "mission submit": (
        "post",
        "/api/v1/missions/{draft.pk}/submit/",
        None,
        None,
        [401, 404, 200, 200, 404, 200, 404, 404, 403],
    ),
    "mission cancel": (
        "post",
        "/api/v1/missions/{published.pk}/cancel/",
        lambda w: {"reason": "Plus besoin"},
        None,
        [401, 403, 200, 200, 403, 200, 403, 403, 200],
    ),
    "application accept": (
        "post",
        "/api/v1/applications/{pending.pk}/accept/",
        lambda w: {"message": "Bienvenue"},
        None,
        [401, 403, 200, 200, 404, 200, 404, 404, 403],
    ),
    "application withdraw": (
        "post",
        "/api/v1/applications/{pending.pk}/withdraw/",
        lambda w: {"reason": "found_other_mission"},
        None,
        [401, 200, 403, 403, 404, 403, 404, 404, 403],
    ),
    "application approve": (
        "post",
        "/api/v1/applications/{work_time.pk}/approve/",
        lambda w: {"planned_hours": 10},
        None,
        [401, 404, 403, 403, 404, 403, 200, 200, 403],
    ),
    "hours validate": (
        "post",
        "/api/v1/hours/{hours.pk}/validate/",
        None,
        None,
        [401, 403, 200, 200, 404, 200, 404, 404, 403],
    ),
    "hours reject": (
        "post",
        "/api/v1/hours/{hours.pk}/reject/",
        lambda w: {"reason": "Pas sur cette mission"},
        None,
        [401, 403, 200, 200, 404, 200, 404, 404, 403],
    ),
    "evaluation create": (
        "post",
        "/api/v1/evaluations/",
        lambda w: {"application": w["unevaluated"].pk, "rating": 4, "objectives": "met"},
        None,
        [401, 201, 201, 201, 404, 403, 404, 403, 403],
    ),
    "webhook create": (
        "post",
        "/api/v1/webhooks/?association={association.slug}",
        lambda w: HOOK,
        None,
        [401, 403, 201, 403, 403, 201, 403, 403, 403],
    ),
    "webhook delete": (
        "delete",
        "/api/v1/webhooks/{endpoint.pk}/",
        None,
        None,
        [401, 404, 204, 404, 404, 204, 404, 404, 403],
    ),
    "mission import": (
        "post",
        "/api/v1/imports/missions/",
        _missions_csv,
        lambda w: {"format": "multipart"},
        [401, 403, 201, 201, 403, 201, 403, 403, 403],
    ),
    "employee import": (
        "post",
        "/api/v1/imports/employees/",
        _employees_csv,
        lambda w: {"format": "multipart"},
        [401, 403, 403, 403, 403, 403, 201, 201, 403],
    ),
}


def _database_state() -> dict:
    """What any of the writes could change, to compare before and after a refusal."""
    return {
        "missions": list(
            Mission.objects.order_by("pk").values_list("pk", "state", "title", "updated_at")
        ),
        "applications": list(
            Application.objects.order_by("pk").values_list(
                "pk", "state", "approval_state", "planned_hours", "updated_at"
            )
        ),
        "hours": list(
            HoursEntry.objects.order_by("pk").values_list("pk", "state", "rejection_reason")
        ),
        "evaluations": list(Evaluation.objects.order_by("pk").values_list("pk", flat=True)),
        "webhooks": list(WebhookEndpoint.objects.order_by("pk").values_list("pk", flat=True)),
        "employees": list(CompanyMember.objects.order_by("pk").values_list("pk", flat=True)),
        "users": User.objects.count(),
        "actions": ActionLog.objects.count(),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(WRITE_TABLE))
def test_each_persona_writes_only_what_it_may(writes, name, persona):
    method, template, body, options, expected = WRITE_TABLE[name]
    expected_status = dict(zip(PERSONAS, expected, strict=True))[persona]
    before = _database_state()
    request = getattr(writes["clients"][persona], method)
    answer = request(
        template.format(**writes),
        body(writes) if body else None,
        **(options(writes) if options else {}),
    )
    assert answer.status_code == expected_status, answer.content
    if expected_status >= 400:
        assert set(answer.json()) == {"code", "message", "errors"}
        assert _database_state() == before, "a refused write changed the database"
    else:
        assert _database_state() != before, "an accepted write changed nothing"
