import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ActionLog
from matching.models import HiddenSuggestion
from missions.models import Mission
from taxonomy.models import Cause, Skill
from tests import factories
from tests.suggestions import store_list

from .conftest import client_for

pytestmark = pytest.mark.django_db


def mission_payload(**changes):
    skill = Skill.objects.order_by("pk").first()
    data = {
        "title": "Tableau de bord des dons",
        "summary": "Suivre les dons mois par mois.",
        "cause": Cause.objects.order_by("pk").first().code,
        "location_mode": "remote",
        "effort_hours": 20,
        "seats": 2,
        "skills": [{"skill": skill.code, "min_level": 3, "importance": "required"}],
    }
    data.update(changes)
    return data


def test_a_partner_tool_drafts_a_mission_with_its_key(association, owner, owner_key):
    answer = client_for(secret=owner_key).post("/api/v1/missions/", mission_payload())
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    mission = Mission.objects.get(pk=body["id"])
    assert mission.association == association
    assert mission.state == Mission.State.DRAFT
    assert mission.created_by == owner
    assert body["skills"][0]["min_level"] == 3
    assert answer["ETag"] and answer["Location"].endswith(f"/api/v1/missions/{mission.pk}/")


def test_a_mission_goes_through_its_states_through_the_services(mission, owner_key, staff):
    client = client_for(secret=owner_key)
    draft = client.post("/api/v1/missions/", mission_payload()).json()
    submitted = client.post(f"/api/v1/missions/{draft['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    again = client.post(f"/api/v1/missions/{draft['id']}/submit/")
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"
    published = client_for(staff).post(f"/api/v1/missions/{draft['id']}/cancel/", {"reason": ""})
    assert published.status_code == 400
    assert "reason" in published.json()["errors"]
    cancelled = client.post(f"/api/v1/missions/{draft['id']}/cancel/", {"reason": "Plus besoin"})
    assert cancelled.json()["state"] == "cancelled"
    actions = ActionLog.objects.filter(object_id=draft["id"]).values_list("action", flat=True)
    assert set(actions) >= {"mission.submit", "mission.cancel"}


def test_an_invalid_mission_is_refused_field_by_field(owner_key):
    answer = client_for(secret=owner_key).post(
        "/api/v1/missions/",
        mission_payload(location_mode="on_site", skills=[{"skill": "nope"}]),
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid" and "skills" in body["errors"]
    answer = client_for(secret=owner_key).post(
        "/api/v1/missions/", mission_payload(location_mode="on_site")
    )
    assert answer.status_code == 400
    assert "city" in answer.json()["errors"]  # the model's rule, through the service


def test_an_update_needs_the_current_etag(owner_key):
    client = client_for(secret=owner_key)
    created = client.post("/api/v1/missions/", mission_payload())
    url = f"/api/v1/missions/{created.json()['id']}/"
    etag = client.get(url)["ETag"]
    assert etag == created["ETag"]

    missing = client.patch(url, {"title": "Sans version"})
    assert missing.status_code == 428
    assert missing.json()["code"] == "precondition_required"

    first = client.patch(url, {"title": "Version A"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    assert first.json()["title"] == "Version A"
    assert first.json()["skills"], "a partial update keeps the skills"

    lost = client.patch(url, {"title": "Version B"}, HTTP_IF_MATCH=etag)
    assert lost.status_code == 412
    assert client.get(url).json()["title"] == "Version A"

    fresh = client.patch(url, {"title": "Version B"}, HTTP_IF_MATCH=first["ETag"])
    assert fresh.status_code == 200 and fresh.json()["title"] == "Version B"


def test_a_published_mission_cannot_be_edited(mission, owner_key):
    client = client_for(secret=owner_key)
    etag = client.get(f"/api/v1/missions/{mission.pk}/")["ETag"]
    answer = client.patch(f"/api/v1/missions/{mission.pk}/", {"title": "x"}, HTTP_IF_MATCH=etag)
    assert answer.status_code == 400
    assert answer.json()["code"] == "not_a_draft"


def test_a_colleague_of_another_association_cannot_edit(mission, outsider):
    other = factories.AssociationMemberFactory(user=outsider)
    answer = client_for(outsider).post(
        "/api/v1/missions/", mission_payload(association=mission.association.slug)
    )
    assert answer.status_code == 403
    assert other.association.missions.count() == 0


def test_idempotency_key_replays_the_first_answer(owner_key, association):
    client = client_for(secret=owner_key)
    first = client.post("/api/v1/missions/", mission_payload(), HTTP_IDEMPOTENCY_KEY="abc-1")
    second = client.post("/api/v1/missions/", mission_payload(), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert association.missions.count() == 1
    other = client.post(
        "/api/v1/missions/", mission_payload(title="Autre"), HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert association.missions.count() == 1


def test_missions_filter_like_the_search_page(association):
    skills = list(Skill.objects.order_by("pk")[:2])
    causes = list(Cause.objects.order_by("pk")[:2])
    web = factories.MissionFactory(association=association, title="Site vitrine", cause=causes[0])
    factories.MissionSkillFactory(mission=web, skill=skills[0])
    compta = factories.MissionFactory(
        association=association,
        title="Comptabilité",
        cause=causes[1],
        location_mode="on_site",
        city="Lyon",
        postcode="69003",
    )
    factories.MissionSkillFactory(mission=compta, skill=skills[1])
    client = client_for()

    def titles(**params):
        return [m["title"] for m in client.get("/api/v1/missions/", params).json()["results"]]

    assert titles(q="vitrine") == ["Site vitrine"]
    assert titles(skill=skills[1].code) == ["Comptabilité"]
    assert titles(cause=causes[0].code) == ["Site vitrine"]
    assert titles(location_mode="on_site") == ["Comptabilité"]
    assert titles(ordering="title") == ["Comptabilité", "Site vitrine"]
    assert client.get("/api/v1/missions/", {"location_mode": "moon"}).status_code == 400


def test_missions_near_a_city_like_the_search_page(association):
    # Lyon (45.76, 4.84): Villeurbanne 4 km away, Vienne about 27 km, Paris about 390 km.
    for title, mode, latitude, longitude in (
        ("Villeurbanne", "on_site", 45.7667, 4.8803),
        ("Vienne", "hybrid", 45.5255, 4.8741),
        ("Paris", "on_site", 48.8534, 2.3488),
        ("À distance", "remote", None, None),
    ):
        factories.MissionFactory(
            association=association,
            title=title,
            location_mode=mode,
            latitude=latitude,
            longitude=longitude,
        )
    client = client_for()

    def titles(**params):
        answer = client.get("/api/v1/missions/", {**params, "ordering": "title"})
        assert answer.status_code == 200, answer.json()
        return [m["title"] for m in answer.json()["results"]]

    assert titles(near="Lyon", within_km=10) == ["Villeurbanne", "À distance"]
    assert titles(near="lyon") == ["Vienne", "Villeurbanne", "À distance"]  # 30 km
    assert titles(near="69001", within_km=500) == ["Paris", "Vienne", "Villeurbanne", "À distance"]


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"near": "Atlantide"}, "near", "Nous ne trouvons pas la ville « Atlantide »"),
        ({"within_km": "10"}, "near", "Indiquez la ville autour de laquelle chercher."),
        ({"near": "Lyon", "within_km": "0"}, "within_km", "1"),
    ],
)
def test_a_place_that_cannot_be_used_is_a_field_error(association, params, field, message):
    answer = client_for().get("/api/v1/missions/", params)
    assert answer.status_code == 400
    body = answer.json()
    assert message in str(body), body
    assert field in str(body)


def test_lists_cost_a_bounded_number_of_queries(
    association, owner_key, django_assert_max_num_queries
):
    for _ in range(6):
        mission = factories.MissionFactory(association=association)
        factories.MissionSkillFactory(mission=mission)
    client = client_for(secret=owner_key)
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/missions/?page_size=100").json()["count"] == 6


def test_a_ranked_search_reads_each_page_with_its_total(association, owner_key):
    for n in range(5):
        factories.MissionFactory(association=association, title=f"Comptabilité {n}")
    factories.MissionFactory(association=association, title="Site vitrine")
    client = client_for(secret=owner_key)
    seen = []
    with CaptureQueriesContext(connection) as queries:
        for page in (1, 2, 3):
            answer = client.get(
                "/api/v1/missions/", {"q": "comptabilite", "page_size": 2, "page": page}
            )
            assert answer.status_code == 200, answer.json()
            body = answer.json()
            assert body["count"] == 5
            assert (body["next"] is None) == (page == 3) and (body["previous"] is None) == (
                page == 1
            )
            seen += [mission["title"] for mission in body["results"]]
    assert sorted(seen) == [f"Comptabilité {n}" for n in range(5)]
    # The total rides on the ranked page: no COUNT query beside it.
    assert not [q for q in queries.captured_queries if "__count" in q["sql"]]
    past = client.get("/api/v1/missions/", {"q": "comptabilite", "page_size": 2, "page": 4})
    assert past.status_code == 404
    nothing = client.get("/api/v1/missions/", {"q": "Quillévéré"}).json()
    assert (nothing["count"], nothing["results"]) == (0, [])


def test_pages_of_an_ordering_with_ties_never_repeat_nor_skip(association):
    same_time = timezone.now()
    made = [
        factories.MissionFactory(association=association, published_at=same_time).pk
        for _ in range(5)
    ]
    client = client_for()
    seen = []
    for page in (1, 2, 3):
        params = {"ordering": "-published_at", "page_size": 2, "page": page}
        seen += [m["id"] for m in client.get("/api/v1/missions/", params).json()["results"]]
    assert seen == sorted(made, reverse=True)


def test_a_search_reaches_what_each_requester_may_see_and_no_more(association, owner, staff):
    def make(title, state, owner_association=association):
        return factories.MissionFactory(
            association=owner_association, title=f"Comptabilité {title}", state=state
        )

    make("publiée", Mission.State.PUBLISHED)
    make("en cours", Mission.State.IN_PROGRESS)
    make("brouillon maison", Mission.State.DRAFT)
    make("brouillon d'ailleurs", Mission.State.DRAFT, factories.AssociationFactory())
    make("annulée", Mission.State.CANCELLED, factories.AssociationFactory())

    def titles(client, **params):
        answer = client.get("/api/v1/missions/", {"q": "comptabilite", **params})
        assert answer.status_code == 200, answer.json()
        body = answer.json()
        assert body["count"] == len(body["results"])
        return sorted(m["title"].removeprefix("Comptabilité ") for m in body["results"])

    def facets_count(client):
        return client.get("/api/v1/missions/facets/", {"q": "comptabilite"}).json()["count"]

    public = ["en cours", "publiée"]
    anonymous = client_for()
    assert titles(anonymous) == public and facets_count(anonymous) == 2
    with CaptureQueriesContext(connection) as queries:
        titles(anonymous)
    ranked = [q["sql"] for q in queries.captured_queries if "OVER" in q["sql"]]
    assert ranked and "missions_mission" not in ranked[0]  # the documents alone
    member = client_for(owner)
    assert titles(member) == ["brouillon maison", *public] and facets_count(member) == 3
    with CaptureQueriesContext(connection) as queries:
        titles(member)
    ranked = [q["sql"] for q in queries.captured_queries if "OVER" in q["sql"]]
    assert ranked and "missions_mission" not in ranked[0]  # its drafts too
    everything = ["annulée", "brouillon d'ailleurs", "brouillon maison", *public]
    assert titles(client_for(staff)) == everything and facets_count(client_for(staff)) == 5
    # A filter the search does not know narrows the reach: still exact.
    assert titles(anonymous, state="draft") == []
    assert titles(member, state="draft") == ["brouillon maison"]
    assert titles(client_for(staff), association=association.slug) == [
        "brouillon maison",
        *public,
    ]


def test_page_size_is_capped(association):
    answer = client_for().get("/api/v1/missions/", {"page_size": 5000})
    assert answer.status_code == 200
    assert len(answer.json()["results"]) <= 100


def test_an_association_sees_its_missions_top_volunteers_with_reasons(
    mission, owner_key, django_assert_max_num_queries
):
    volunteers = [factories.VolunteerFactory() for _ in range(4)]
    factories.VolunteerSkillFactory(profile=volunteers[0])
    store_list(mission=mission, others=volunteers, scores=[0.9, 0.8, 0.7, 0.6])
    HiddenSuggestion.objects.create(mission=mission, volunteer=volunteers[1], reason="skills")
    volunteers[2].is_visible = False
    volunteers[2].save()
    client = client_for(secret=owner_key)
    with django_assert_max_num_queries(10):
        answer = client.get(f"/api/v1/missions/{mission.pk}/suggestions/")
    rows = answer.json()["results"]
    assert [row["rank"] for row in rows] == [1, 4]
    assert [row["score"] for row in rows] == [0.9, 0.6]
    assert rows[0]["explanation"] == (
        "Mission ouverte à tous les profils · sur place, à 10 km, dans les 30 km du bénévole"
        " · disponible, mission sans dates fixes"
    )
    assert rows[1]["explanation"].startswith(
        "Mission ouverte à tous les profils · sur place, à 40 km, au-delà des 30 km du bénévole"
    )
    assert set(rows[0]["factors"]) >= {"skills", "place", "cause"}
    assert rows[0]["volunteer"]["skills"]
    shares = rows[0]["shares"]
    assert sum(share["percent"] for share in shares) == 100
    assert {share["factor"] for share in shares} <= set(rows[0]["factors"])
    assert all(share["percent"] > 0 and share["label"] for share in shares)
    assert "email" not in rows[0]["volunteer"]
    english = client.get(f"/api/v1/missions/{mission.pk}/suggestions/", HTTP_ACCEPT_LANGUAGE="en")
    assert [share["label"] for share in english.json()["results"][0]["shares"]] != [
        share["label"] for share in shares
    ]
    assert english.json()["results"][0]["explanation"] == (
        "Open to every profile · on-site, 10 km away, within the volunteer's 30 km"
        " · available, no fixed dates"
    )


def test_a_volunteer_sees_their_top_missions(volunteer, mission):
    closed = factories.MissionFactory(state=Mission.State.COMPLETED)
    store_list(volunteer=volunteer, others=[closed, mission], km=[5, 12])
    answer = client_for(volunteer.user).get("/api/v1/volunteers/me/suggestions/")
    assert answer.status_code == 200
    (row,) = answer.json()["results"]  # the mission closed since is left out
    assert row["mission"]["id"] == mission.pk and row["rank"] == 2
    assert row["explanation"] == (
        "Mission ouverte à tous les profils · sur place, 12 km : dans vos 30 km"
        " · disponible, mission sans dates fixes"
    )
    me = client_for(volunteer.user).get("/api/v1/volunteers/me/").json()
    assert me["email"] == volunteer.user.email
