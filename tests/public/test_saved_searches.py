import pytest
from django.urls import reverse

from missions.models import Mission
from missions.services import mission_publish
from notifications.models import Notification
from search import services
from search.models import SavedSearch, SavedSearchMatch
from taxonomy.models import Cause, Skill
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cause():
    return Cause.objects.order_by("pk").first()


@pytest.fixture
def saved(volunteer, cause):
    return SavedSearch.objects.create(
        user=volunteer.user,
        name="Numérique à distance",
        params={"q": ["site"], "cause": [cause.code], "remote_only": ["on"]},
    )


def submitted_mission(association, **fields):
    fields.setdefault("summary", "Un besoin bien délimité.")
    return factories.MissionFactory(
        association=association, state=Mission.State.SUBMITTED, published_at=None, **fields
    )


def save(client, name: str, query: str):
    return client.post(reverse("search:save"), {"name": name, "query": query})


def test_a_signed_in_person_saves_the_current_search(client, volunteer, cause):
    client.force_login(volunteer.user)

    response = save(client, "Sites web", f"q=site&cause={cause.code}&page=3&utm=x")

    assert response.status_code == 302
    assert response["Location"] == f"/missions/?q=site&cause={cause.code}"
    saved = SavedSearch.objects.get()
    assert (saved.user, saved.name) == (volunteer.user, "Sites web")
    assert saved.params == {"q": ["site"], "cause": [cause.code]}
    assert (
        "Recherche « Sites web » enregistrée" in client.get(response["Location"]).content.decode()
    )


def test_a_search_saved_from_an_older_link_keeps_the_current_names(client, volunteer, cause):
    client.force_login(volunteer.user)
    skill = Skill.objects.order_by("pk").first()

    save(client, "Ancien lien", f"city=Lyon&radius=20&skills={skill.pk}&cause={cause.pk}")

    assert SavedSearch.objects.get().params == {
        "skill": [skill.code],
        "cause": [cause.code],
        "near": ["Lyon"],
        "within_km": ["20"],
    }


def test_the_search_page_offers_to_save_a_search_with_filters(client, volunteer, mission):
    assert (
        "Enregistrer cette recherche" not in client.get(reverse("missions:list")).content.decode()
    )
    anonymous = client.get(reverse("missions:list"), {"q": "site"}).content.decode()
    assert "Connectez-vous pour enregistrer cette recherche" in anonymous

    client.force_login(volunteer.user)
    content = client.get(reverse("missions:list"), {"q": "site"}).content.decode()

    assert "Enregistrer cette recherche" in content
    assert 'name="query" value="q=site"' in content


def test_saving_needs_a_name_and_keeps_the_results_on_screen(client, volunteer, mission):
    client.force_login(volunteer.user)

    response = save(client, "", "q=site")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Donnez un nom à cette recherche." in content
    assert 'id="id_name_error"' in content
    assert mission.title in content
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Choisissez au moins un critère"),
        ("city=Nullepartville", "critères invalides"),
    ],
)
def test_an_empty_or_invalid_search_is_not_saved(client, volunteer, query, message):
    client.force_login(volunteer.user)

    response = save(client, "Tout", query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_nobody_keeps_more_than_the_maximum_of_saved_searches(client, volunteer, settings):
    for number in range(SavedSearch.MAX_PER_USER):
        SavedSearch.objects.create(user=volunteer.user, name=f"R{number}", params={"q": ["x"]})
    client.force_login(volunteer.user)

    response = save(client, "Une de trop", "q=site")

    assert "supprimez-en une d&#x27;abord" in response.content.decode()
    assert SavedSearch.objects.count() == SavedSearch.MAX_PER_USER


def test_anonymous_people_are_sent_to_log_in(client, db):
    for response in (
        client.get(reverse("search:list")),
        save(client, "Sites", "q=site"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not SavedSearch.objects.exists()


def test_the_list_shows_only_ones_own_searches_in_words(client, saved, outsider, cause):
    SavedSearch.objects.create(user=outsider, name="Recherche d'un autre", params={"q": ["x"]})
    client.force_login(saved.user)

    content = client.get(reverse("search:list")).content.decode()

    assert "Numérique à distance" in content
    assert "Recherche d&#x27;un autre" not in content
    assert f"Cause : {cause.name_fr}" in content
    assert "Uniquement à distance" in content
    assert f'href="/missions/?q=site&amp;cause={cause.code}&amp;remote_only=on"' in content


def test_the_owner_deletes_a_saved_search(client, saved):
    client.force_login(saved.user)

    response = client.post(reverse("search:delete", args=[saved.pk]))

    assert response.status_code == 302
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "owner", "staff", "company_admin"])
def test_nobody_else_sees_or_deletes_a_saved_search(client, saved, request, persona):
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(reverse("search:list")).content.decode()
    response = client.post(reverse("search:delete", args=[saved.pk]))

    assert saved.name not in listing
    assert response.status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_deleting_needs_a_post(client, saved):
    client.force_login(saved.user)

    assert client.get(reverse("search:delete", args=[saved.pk])).status_code == 405


def test_the_saved_search_list_stays_within_its_query_budget(
    client, volunteer, cause, django_assert_max_num_queries
):
    for number in range(12):
        SavedSearch.objects.create(
            user=volunteer.user,
            name=f"Recherche {number}",
            params={"q": ["site"], "cause": [str(cause.pk)], "skills": ["1", "2"]},
        )
    client.force_login(volunteer.user)
    client.get(reverse("search:list"))

    with django_assert_max_num_queries(10):
        response = client.get(reverse("search:list"))

    assert response.content.decode().count('class="saved-search panel"') == 12


# --- Alerts ----------------------------------------------------------------------------


def test_publishing_a_matching_mission_tells_the_owner_once(
    saved, association, staff, cause, django_capture_on_commit_callbacks
):
    mission = submitted_mission(
        association, title="Refonte du site", cause=cause, location_mode="remote"
    )

    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=mission.pk, actor=staff)

    notification = Notification.objects.get(recipient=saved.user)
    assert notification.kind == Notification.Kind.SAVED_SEARCH_MATCH
    assert notification.target == mission
    assert notification.url == mission.get_absolute_url()
    assert notification.context["saved_search"] == "Numérique à distance"
    assert notification.context["mission"] == "Refonte du site"
    # The listener may run again (a retried task): nobody is told twice.
    assert services.saved_searches_alert(mission_id=mission.pk) == 0
    assert Notification.objects.filter(recipient=saved.user).count() == 1
    assert SavedSearchMatch.objects.filter(saved_search=saved, mission=mission).count() == 1


def test_a_mission_that_does_not_match_tells_nobody(
    saved, association, staff, cause, django_capture_on_commit_callbacks
):
    on_site = submitted_mission(
        association, title="Refonte du site", cause=cause, location_mode="on_site", city="Lyon"
    )
    other_words = submitted_mission(association, title="Comptabilité", cause=cause)

    with django_capture_on_commit_callbacks(execute=True):
        mission_publish(mission_id=on_site.pk, actor=staff)
        mission_publish(mission_id=other_words.pk, actor=staff)

    assert not Notification.objects.filter(kind=Notification.Kind.SAVED_SEARCH_MATCH).exists()


def test_each_matching_saved_search_is_told_and_inactive_people_are_not(
    saved, association, staff, cause, outsider
):
    SavedSearch.objects.create(user=outsider, name="Tout sur les sites", params={"q": ["site"]})
    gone = factories.UserFactory(is_active=False)
    SavedSearch.objects.create(user=gone, name="Compte fermé", params={"q": ["site"]})
    mission = factories.MissionFactory(
        association=association, title="Refonte du site", cause=cause, summary="Un besoin."
    )

    assert services.saved_searches_alert(mission_id=mission.pk) == 2
    assert set(
        Notification.objects.filter(kind=Notification.Kind.SAVED_SEARCH_MATCH).values_list(
            "recipient", flat=True
        )
    ) == {saved.user.pk, outsider.pk}


def test_a_mission_no_longer_open_tells_nobody(saved, association, cause):
    mission = factories.MissionFactory(
        association=association,
        title="Refonte du site",
        cause=cause,
        state=Mission.State.CANCELLED,
    )

    assert services.saved_searches_alert(mission_id=mission.pk) == 0
    assert services.saved_searches_alert(mission_id=999_999) == 0
