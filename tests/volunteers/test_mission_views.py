"""Suggestions, applying, favourites and the actions on the public mission page."""

import datetime
import html

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from matching.models import MatchingRun
from missions.models import Application, Mission
from tests import factories
from tests.suggestions import store_list
from volunteers.models import Favourite

pytestmark = pytest.mark.django_db

SUGGESTIONS = "/benevole/missions-pour-vous/"


def text(response) -> str:
    """The page with entities decoded: translated strings are not escaped, values are."""
    return html.unescape(response.content.decode())


# --- Suggestions ------------------------------------------------------------------------


def test_suggestions_need_a_profile(client, outsider):
    client.force_login(outsider)
    response = client.get(SUGGESTIONS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("volunteers:profile"))


def test_suggestions_are_listed_by_rank_with_their_explanation(client, volunteer, association):
    second = factories.MissionFactory(association=association, title="Deuxième mission")
    first = factories.MissionFactory(association=association, title="Première mission")
    store_list(volunteer=volunteer, others=[first, second], km=[7, 23])
    client.force_login(volunteer.user)

    content = text(client.get(SUGGESTIONS))

    assert content.index("Première mission") < content.index("Deuxième mission")
    assert "Mission ouverte à tous les profils · sur place, 7 km : dans vos 30 km" in content
    assert content.index("7 km : dans vos 30 km") < content.index("23 km : dans vos 30 km")
    assert reverse("volunteers:apply", args=[first.pk]) in content


def test_suggestions_are_explained_in_english_under_en(client, volunteer, mission):
    store_list(volunteer=volunteer, others=[mission], km=[None])
    client.force_login(volunteer.user)
    content = text(client.get("/en" + SUGGESTIONS))
    assert "Open to every profile · remote" in content
    assert "Mission ouverte à tous les profils" not in content
    assert "Match: 90%" in content
    assert "Skills: 2% of the score" in content
    assert "Fairness: 20% of the score" in content


def test_each_suggestion_shows_its_score_and_each_factors_share(client, volunteer, mission):
    # The stored factors are 0.1 (skills) … 0.9 (fairness) with equal weights.
    store_list(volunteer=volunteer, others=[mission], km=[12])
    client.force_login(volunteer.user)
    content = text(client.get(SUGGESTIONS))
    assert "Correspondance : 90 %" in content
    shares = [2, 4, 7, 9, 11, 13, 16, 18, 20]
    labels = [
        "Compétences",
        "Cause",
        "Lieu",
        "Disponibilités",
        "Langues",
        "Séniorité",
        "Format",
        "Programme d'entreprise",
        "Équité",
    ]
    for label, share in zip(labels, shares, strict=True):
        assert f"{label} : {share} % du score" in content
        assert f'max="100" value="{share}"' in content
    assert sum(shares) == 100


def test_a_volunteer_reads_the_reasons_about_the_mission(client, volunteer, mission):
    store_list(volunteer=volunteer, others=[mission], km=[12], small=True)
    client.force_login(volunteer.user)
    content = text(client.get(SUGGESTIONS))
    assert "petite association · aucun candidat pour l'instant" in content


def test_closed_missions_and_applied_ones_are_not_suggested(client, volunteer, association):
    closed = factories.MissionFactory(
        association=association,
        title="Mission close",
        application_deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    applied = factories.MissionFactory(association=association, title="Déjà candidaté")
    factories.ApplicationFactory(mission=applied, volunteer=volunteer)
    store_list(volunteer=volunteer, others=[closed, applied])
    client.force_login(volunteer.user)

    content = client.get(SUGGESTIONS).content.decode()

    assert "Mission close" not in content
    assert "Déjà candidaté" not in content
    # The list was computed and is used up: nothing is still being computed.
    assert "en cours de calcul" not in content
    assert "Aucune nouvelle mission ne correspond" in content
    assert reverse("missions:list") in content


def test_a_list_not_computed_yet_says_so(client, volunteer):
    client.force_login(volunteer.user)
    content = client.get(SUGGESTIONS).content.decode()
    assert "en cours de calcul" in content

    # Once a full run has finished since the profile changed, nothing is pending.
    MatchingRun.objects.create(
        scope=MatchingRun.Scope.FULL,
        state=MatchingRun.State.SUCCEEDED,
        finished_at=timezone.now(),
    )
    content = client.get(SUGGESTIONS).content.decode()
    assert "en cours de calcul" not in content
    assert "Aucune nouvelle mission ne correspond" in content


def test_suggestions_come_twenty_a_page_in_rank_order(client, volunteer, association):
    missions = [
        factories.MissionFactory(association=association, title=f"Mission n°{n:02d}")
        for n in range(1, 46)
    ]
    store_list(volunteer=volunteer, others=missions)
    client.force_login(volunteer.user)
    pages = [text(client.get(SUGGESTIONS, {"page": n})) for n in (1, 2, 3)]
    for number, content in enumerate(pages, start=1):
        shown = [m.title for m in missions if m.title in content]
        assert shown == [m.title for m in missions[(number - 1) * 20 : number * 20]]
        assert f"Page {number} sur 3" in content
    assert '<ol class="suggestion-list" start="21"' in pages[1]
    assert 'rel="next"' in pages[0] and 'rel="prev"' not in pages[0]
    assert 'rel="prev"' in pages[2] and 'rel="next"' not in pages[2]
    # Past the end or not a number: the nearest page, never an error.
    assert "Mission n°41" in text(client.get(SUGGESTIONS, {"page": 9}))
    assert "Mission n°01" in text(client.get(SUGGESTIONS, {"page": "x<script>"}))


def test_suggestions_say_what_the_profile_lacks(client, volunteer):
    client.force_login(volunteer.user)
    content = client.get(SUGGESTIONS).content.decode()
    assert "Indiquez au moins une compétence" in content


def test_suggestions_stay_within_the_query_budget(
    client, volunteer, association, django_assert_max_num_queries
):
    missions = []
    for _ in range(1, 8):
        missions.append(factories.MissionFactory(association=association))
        factories.ApplicationFactory(
            mission=factories.MissionFactory(association=association), state="accepted"
        )
    store_list(volunteer=volunteer, others=missions)
    client.force_login(volunteer.user)
    with django_assert_max_num_queries(10):
        response = client.get(SUGGESTIONS)
    assert response.content.decode().count("Pourquoi cette mission ?") == 7


# --- Applying ---------------------------------------------------------------------------


def apply_url(mission):
    return reverse("volunteers:apply", args=[mission.pk])


def test_apply_page_offers_personal_time_only_without_employer(client, volunteer, mission):
    client.force_login(volunteer.user)
    content = client.get(apply_url(mission)).content.decode()
    assert "Envoyer ma candidature" in content
    assert "Sur mon temps de travail" not in content


def test_applying_on_personal_time(client, volunteer, mission):
    client.force_login(volunteer.user)
    response = client.post(apply_url(mission), {"message": "Je connais bien le sujet."})
    application = Application.objects.get(mission=mission, volunteer=volunteer)
    assert response["Location"].endswith(f"#engagement-{application.pk}")
    assert application.state == Application.State.APPLIED
    assert application.message == "Je connais bien le sujet."
    assert not application.is_work_time


def test_an_employee_applying_on_work_time_waits_for_the_employer(client, volunteer, mission):
    company = factories.CompanyFactory(name="Banque Solidaire", work_time_requires_approval=True)
    factories.CompanyMemberFactory(company=company, user=volunteer.user)
    volunteer.employer = company
    volunteer.save()
    client.force_login(volunteer.user)

    content = client.get(apply_url(mission)).content.decode()
    assert "Sur mon temps de travail (mécénat de compétences)" in content
    assert "Banque Solidaire pour accord" in content

    response = client.post(
        apply_url(mission), {"message": "Sur mon temps de travail.", "time": "work"}, follow=True
    )
    application = Application.objects.get(mission=mission, volunteer=volunteer)
    assert application.is_work_time
    assert application.approval_state == Application.Approval.PENDING
    assert "chez votre employeur pour accord" in response.content.decode()


def test_a_full_mission_offers_the_waiting_list(client, volunteer, mission):
    factories.ApplicationFactory(mission=mission, state=Application.State.ACCEPTED)
    client.force_login(volunteer.user)

    content = client.get(apply_url(mission)).content.decode()
    assert "Rejoindre la liste d'attente" in content

    response = client.post(apply_url(mission), {"message": "Je peux attendre."}, follow=True)
    assert Application.objects.get(volunteer=volunteer).state == Application.State.WAITLISTED
    assert "liste d'attente" in text(response)


def test_applying_twice_is_refused_and_keeps_the_message(client, volunteer, mission):
    factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    client.force_login(volunteer.user)

    assert "Vous avez déjà postulé" in client.get(apply_url(mission)).content.decode()

    response = client.post(apply_url(mission), {"message": "Encore moi."})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Vous avez déjà candidaté à cette mission." in content
    assert "Encore moi." in content
    assert Application.objects.filter(volunteer=volunteer).count() == 1


def test_applying_to_a_closed_mission_is_refused_in_french(client, volunteer, association):
    closed = factories.MissionFactory(
        association=association,
        application_deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(volunteer.user)

    assert "n'accepte plus de candidatures" in text(client.get(apply_url(closed)))
    response = client.post(apply_url(closed), {"message": "Trop tard ?"})
    content = text(response)
    assert "n'accepte plus de candidatures" in content
    assert "Trop tard ?" in content
    assert not Application.objects.exists()


def test_a_message_is_required(client, volunteer, mission):
    client.force_login(volunteer.user)
    response = client.post(apply_url(mission), {"message": ""})
    assert 'role="alert"' in response.content.decode()
    assert not Application.objects.exists()


def test_a_draft_mission_cannot_be_applied_to(client, volunteer, association):
    draft = factories.MissionFactory(association=association, state=Mission.State.DRAFT)
    client.force_login(volunteer.user)
    assert client.get(apply_url(draft)).status_code == 404
    assert client.post(apply_url(draft), {"message": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "owner", "outsider", "company_admin", "staff"])
def test_only_volunteers_apply(client, mission, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.post(apply_url(mission), {"message": "Bonjour"})
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_apply_page_stays_within_the_query_budget(
    client, volunteer, mission, django_assert_max_num_queries
):
    client.force_login(volunteer.user)
    with django_assert_max_num_queries(10):
        assert client.get(apply_url(mission)).status_code == 200


# --- Favourites -------------------------------------------------------------------------


def toggle_url(mission):
    return reverse("volunteers:favourite_toggle", args=[mission.pk])


def test_toggling_a_favourite_by_plain_post_returns_to_the_mission(client, volunteer, mission):
    client.force_login(volunteer.user)
    response = client.post(toggle_url(mission))
    assert response["Location"] == mission.get_absolute_url()
    assert Favourite.objects.filter(volunteer=volunteer, mission=mission).exists()


def test_toggling_a_favourite_with_htmx_returns_the_button(client, volunteer, mission):
    client.force_login(volunteer.user)
    response = client.post(toggle_url(mission), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'aria-pressed="true"' in content
    assert "<html" not in content
    response = client.post(toggle_url(mission), HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode()
    assert not Favourite.objects.exists()


def test_favourites_toggle_refuses_get_and_anonymous(client, volunteer, mission):
    assert client.post(toggle_url(mission)).status_code == 302
    client.force_login(volunteer.user)
    assert client.get(toggle_url(mission)).status_code == 405


def test_favourites_of_an_unknown_mission_are_404(client, volunteer):
    client.force_login(volunteer.user)
    assert client.post(reverse("volunteers:favourite_toggle", args=[999999])).status_code == 404


def test_favourites_page_lists_only_ones_own(
    client, volunteer, other_volunteer, association, django_assert_max_num_queries
):
    mine = [factories.MissionFactory(association=association) for _ in range(4)]
    for mission in mine:
        Favourite.objects.create(volunteer=volunteer, mission=mission)
    theirs = factories.MissionFactory(association=association, title="Favori d'un autre")
    Favourite.objects.create(volunteer=other_volunteer, mission=theirs)
    client.force_login(volunteer.user)

    with django_assert_max_num_queries(10):
        content = client.get(reverse("volunteers:favourites")).content.decode()

    assert all(mission.title in content for mission in mine)
    assert "Favori d&#x27;un autre" not in content
    assert content.count("Retirer des favoris") == 4


# --- Actions on the public mission page -------------------------------------------------


def render_actions(user, mission):
    request = RequestFactory().get(mission.get_absolute_url())
    request.user = user
    return render_to_string(
        "volunteers/_mission_actions.html", {"mission": mission, "user": user}, request=request
    )


def test_anonymous_is_invited_to_sign_in(mission):
    content = render_actions(AnonymousUser(), mission)
    assert reverse("account_login") in content
    assert "Se connecter pour candidater" in content


def test_a_person_without_profile_is_invited_to_become_volunteer(outsider, mission):
    content = render_actions(outsider, mission)
    assert "Devenir bénévole" in content
    assert reverse("volunteers:profile") in content


def test_a_volunteer_can_apply_and_keep_the_mission(volunteer, mission, django_assert_num_queries):
    with django_assert_num_queries(2):  # the actions, then the free seats
        content = render_actions(volunteer.user, mission)
    assert reverse("volunteers:apply", args=[mission.pk]) in content
    assert "Candidater" in content
    assert 'aria-pressed="false"' in content
    assert f'hx-post="{reverse("volunteers:favourite_toggle", args=[mission.pk])}"' in content


def test_a_volunteer_who_applied_sees_the_state(volunteer, mission):
    factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    Favourite.objects.create(volunteer=volunteer, mission=mission)
    content = render_actions(volunteer.user, mission)
    assert "Vous avez déjà postulé : Candidature envoyée." in content
    assert 'aria-pressed="true"' in content


def test_a_full_mission_offers_the_waiting_list_on_its_page(volunteer, mission):
    factories.ApplicationFactory(mission=mission, state=Application.State.ACCEPTED)
    assert "Rejoindre la liste d'attente" in render_actions(volunteer.user, mission)


def test_a_closed_mission_says_so(volunteer, mission):
    mission.state = Mission.State.IN_PROGRESS
    mission.save()
    assert "n'accepte plus de candidatures" in render_actions(volunteer.user, mission)


def test_the_public_mission_page_shows_the_actions_within_budget(
    client, volunteer, mission, django_assert_max_num_queries
):
    Favourite.objects.create(volunteer=volunteer, mission=mission)
    client.force_login(volunteer.user)
    with django_assert_max_num_queries(10):
        content = text(client.get(mission.get_absolute_url()))
    assert reverse("volunteers:apply", args=[mission.pk]) in content
    assert 'aria-pressed="true"' in content


def test_the_volunteer_pages_render_in_english(client, volunteer, completed_application):
    client.force_login(volunteer.user)
    for path in ("profil", "missions-pour-vous", "engagements", "favoris"):
        response = client.get(f"/en/benevole/{path}/")
        assert response.status_code == 200
        assert '<html lang="en">' in response.content.decode()
