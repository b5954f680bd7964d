import datetime
import re
from decimal import Decimal

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from associations.models import Association
from missions.models import Application, HoursEntry, Mission, MissionSkill
from taxonomy.models import Skill
from tests import factories


def html(response) -> str:
    return response.content.decode()


def figure(content: str, label: str) -> str:
    """The number shown next to a figure's label on the home page."""
    match = re.search(r"<dt>\s*" + label + r"\s*</dt>\s*<dd>\s*([^<]*?)\s*</dd>", content)
    assert match, f"no figure labelled {label!r}"
    return match.group(1)


@pytest.fixture
def draft_mission(association):
    return factories.MissionFactory(
        association=association, title="Mission en brouillon", state=Mission.State.DRAFT
    )


@pytest.fixture
def closed_mission(association):
    """Published, but its application deadline has passed."""
    return factories.MissionFactory(
        association=association,
        title="Mission dont la date limite est passée",
        application_deadline=timezone.localdate() - datetime.timedelta(days=1),
    )


def test_home_shows_live_figures_and_the_latest_published_mission(client, mission, volunteer):
    application = factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.ACTIVE
    )
    today = timezone.localdate()
    HoursEntry.objects.create(
        application=application, date=today, hours=Decimal("7"), state=HoursEntry.State.VALIDATED
    )
    HoursEntry.objects.create(
        application=application, date=today, hours=Decimal("5"), state=HoursEntry.State.VALIDATED
    )
    HoursEntry.objects.create(application=application, date=today, hours=Decimal("3"))
    factories.AssociationFactory(verification_state=Association.State.PENDING)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    content = html(response)
    assert "Toute compétence est un bien public" in content
    assert figure(content, "mission ouverte") == "1"
    assert figure(content, "association vérifiée") == "1"
    assert figure(content, "heures de compétences données") == "12"
    assert mission.title in content
    assert mission.get_absolute_url() in content


def test_home_does_not_show_drafts(client, draft_mission):
    response = client.get(reverse("home"))

    assert draft_mission.title not in html(response)
    assert figure(html(response), "missions ouvertes") == "0"


def test_mission_list_only_lists_open_published_missions(
    client, mission, draft_mission, closed_mission
):
    factories.MissionFactory(title="Mission soumise", state=Mission.State.SUBMITTED)
    factories.MissionFactory(title="Mission en cours", state=Mission.State.IN_PROGRESS)

    response = client.get(reverse("missions:list"))

    assert response.status_code == 200
    content = html(response)
    assert mission.title in content
    assert mission.association.name in content
    assert mission.cause.name_fr in content
    for hidden in (
        draft_mission.title,
        closed_mission.title,
        "Mission soumise",
        "Mission en cours",
    ):
        assert hidden not in content


def test_mission_card_shows_place_dates_effort_and_free_seats(client, association, volunteer):
    factories.MissionFactory(
        association=association,
        title="Atelier trésorerie à Lyon",
        location_mode="on_site",
        city="Lyon",
        postcode="69003",
        start_date=datetime.date(2031, 3, 2),
        end_date=datetime.date(2031, 6, 30),
        application_deadline=datetime.date(2031, 2, 1),
        effort_hours=24,
        hours_per_week=Decimal("2.5"),
        seats=3,
    )
    remote = factories.MissionFactory(association=association, title="Mission à distance", seats=1)
    factories.ApplicationFactory(
        mission=remote, volunteer=volunteer, state=Application.State.ACCEPTED
    )

    content = html(client.get(reverse("missions:list")))

    assert "Lyon" in content
    assert "Du 2 mars 2031 au 30 juin 2031" in content
    assert "24 h au total" in content
    assert "2,5 h/semaine" in content
    assert "3 places libres sur 3" in content
    assert "À distance" in content
    assert "Complet" in content


def test_mission_list_is_paginated_with_labelled_links(client, association):
    factories.MissionFactory.create_batch(21, association=association)

    first = html(client.get(reverse("missions:list")))
    second = html(client.get(reverse("missions:list"), {"page": 2}))

    assert 'aria-label="Pagination"' in first
    assert 'href="?page=2"' in first
    assert 'aria-label="Page suivante"' in first
    assert first.count('class="card mission-card"') == 20
    assert second.count('class="card mission-card"') == 1
    assert 'aria-label="Page précédente"' in second


def test_mission_list_says_so_when_nothing_is_open(client, draft_mission):
    content = html(client.get(reverse("missions:list")))

    assert "Aucune mission ouverte pour le moment" in content
    assert draft_mission.title not in content


def test_mission_detail_shows_the_mission_and_its_skills_by_importance(client, association):
    skills = list(Skill.objects.order_by("pk")[:2])
    mission = factories.MissionFactory(
        association=association,
        description="Premier paragraphe.\n\nSecond paragraphe.",
        deliverable="Un site en ligne et une formation de deux heures.",
        languages=["fr", "en"],
        effort_hours=30,
        seats=2,
    )
    factories.MissionSkillFactory(mission=mission, skill=skills[0], min_level=3)
    factories.MissionSkillFactory(
        mission=mission, skill=skills[1], importance=MissionSkill.Importance.NICE_TO_HAVE
    )

    response = client.get(mission.get_absolute_url())

    assert response.status_code == 200
    content = html(response)
    assert f"<h1>{mission.title}</h1>" in content
    assert association.get_absolute_url() in content
    assert "<p>Premier paragraphe.</p>" in content
    assert "Un site en ligne" in content
    assert "Français, Anglais" in content
    assert "30 heures" in content
    indispensables = content.index("Indispensables")
    souhaitees = content.index("Souhaitées")
    assert indispensables < content.index(skills[0].name_fr) < souhaitees
    assert souhaitees < content.index(skills[1].name_fr)
    assert "Niveau minimum : Confirmé" in content


def test_mission_detail_of_a_draft_is_not_found(client, draft_mission):
    response = client.get(draft_mission.get_absolute_url())

    assert response.status_code == 404
    assert "Cette page est introuvable" in html(response)


def test_association_detail_shows_profile_and_open_missions(
    client, association, mission, closed_mission
):
    association.summary = "Nous apprenons à lire aux adultes."
    association.website = "https://lire.example.org"
    association.founded_year = 1998
    association.save()
    association.causes.add(mission.cause)

    response = client.get(association.get_absolute_url())

    assert response.status_code == 200
    content = html(response)
    assert f"<h1>{association.name}</h1>" in content
    assert "Nous apprenons à lire aux adultes." in content
    assert "https://lire.example.org" in content
    assert "1998" in content
    assert mission.cause.name_fr in content
    assert mission.title in content
    assert closed_mission.title not in content


@pytest.mark.parametrize(
    "state",
    [Association.State.PENDING, Association.State.REJECTED, Association.State.SUSPENDED],
)
def test_association_detail_of_a_non_verified_association_is_not_found(client, db, state):
    association = factories.AssociationFactory(verification_state=state)

    response = client.get(association.get_absolute_url())

    assert response.status_code == 404


def test_pages_are_in_french_by_default(client, mission):
    for url in (reverse("home"), reverse("missions:list"), mission.get_absolute_url()):
        content = html(client.get(url))
        assert '<html lang="fr">' in content
        assert "Se connecter" in content
        assert 'href="#contenu"' in content
        for landmark in ("<header", "<nav", '<main id="contenu"', "<footer"):
            assert landmark in content


def test_pages_are_in_english_under_the_en_prefix(client, mission):
    skill = mission.skills.get().skill

    home = client.get("/en/")
    detail = client.get(f"/en/missions/{mission.pk}/")

    assert home.status_code == 200
    assert '<html lang="en">' in html(home)
    assert detail.status_code == 200
    assert '<html lang="en">' in html(detail)
    assert skill.name_en in html(detail)
    assert f'href="/en/missions/{mission.pk}/"' in html(client.get("/en/missions/"))


def test_the_language_switch_redirects_to_the_same_page_in_english(client, mission):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": mission.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/en/missions/{mission.pk}/"


def test_navigation_for_a_signed_in_volunteer_and_for_staff(client, volunteer, staff):
    client.force_login(volunteer.user)
    content = html(client.get(reverse("home")))
    assert volunteer.user.full_name in content
    assert volunteer.user.email not in content
    assert f'action="{reverse("account_logout")}"' in content
    assert "Se déconnecter" in content
    assert "Administration" not in content

    client.force_login(staff)
    assert f'href="{reverse("admin:index")}"' in html(client.get(reverse("home")))


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages_use_the_site_layout(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    content = html(response)
    assert '<html lang="fr">' in content
    assert 'class="site-header"' in content
    assert 'class="auth-card"' in content
    assert 'type="email"' in content
    assert "<title>" in content and "· probono</title>" in content


def test_the_logout_confirmation_uses_the_site_layout(client, volunteer):
    client.force_login(volunteer.user)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    content = html(response)
    assert 'class="auth-card"' in content
    assert content.count(f'action="{reverse("account_logout")}"') == 2


def test_the_server_error_page_renders_without_a_request():
    content = get_template("500.html").render()

    assert "Une erreur est survenue" in content
    assert "/static/css/probono.css" in content
