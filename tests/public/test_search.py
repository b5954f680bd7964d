import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from missions.models import Mission
from search.forms import MissionSearchForm
from search.selectors import search_missions
from taxonomy.geo import haversine_km, locate
from taxonomy.models import Cause, Departement, Skill, SkillFamily
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def titles(params: dict) -> set[str]:
    form = MissionSearchForm(params)
    assert form.is_valid(), form.errors
    return {mission.title for mission in search_missions(form.criteria())}


def page(client, params: dict) -> str:
    response = client.get(reverse("missions:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_without_filters_every_open_mission_is_found_newest_first(make_mission):
    older = make_mission(title="Ancienne", published_at=timezone.now() - datetime.timedelta(days=3))
    newer = make_mission(title="Récente")
    make_mission(title="Brouillon", state=Mission.State.DRAFT)

    form = MissionSearchForm({})
    assert form.is_valid()
    assert list(search_missions(form.criteria())) == [newer, older]


def test_skills_filter_finds_missions_asking_for_any_of_them(make_mission):
    web, accounting, law = Skill.objects.order_by("pk")[:3]
    for title, skill in (("Web", web), ("Compta", accounting), ("Droit", law)):
        factories.MissionSkillFactory(mission=make_mission(title=title), skill=skill)
    both = make_mission(title="Web et compta")
    factories.MissionSkillFactory(mission=both, skill=web)
    factories.MissionSkillFactory(mission=both, skill=accounting)

    assert titles({"skills": [web.pk, accounting.pk]}) == {"Web", "Compta", "Web et compta"}
    assert titles({"skills": [law.pk]}) == {"Droit"}


def test_a_mission_with_several_matching_skills_is_listed_once_with_its_seats(
    client, make_mission, volunteer
):
    web, accounting = Skill.objects.order_by("pk")[:2]
    mission = make_mission(title="Web et compta", seats=3)
    factories.MissionSkillFactory(mission=mission, skill=web)
    factories.MissionSkillFactory(mission=mission, skill=accounting)
    factories.ApplicationFactory(mission=mission, volunteer=volunteer, state="accepted")

    content = page(client, {"skills": [web.pk, accounting.pk]})

    assert content.count('class="card mission-card"') == 1
    assert "2 places libres sur 3" in content


def test_cause_filter(make_mission):
    first, second = Cause.objects.order_by("pk")[:2]
    make_mission(title="Première", cause=first)
    make_mission(title="Seconde", cause=second)

    assert titles({"cause": second.pk}) == {"Seconde"}


def test_departement_filter_keeps_remote_missions_done_from_anywhere(make_mission):
    rhone, paris = Departement.objects.get(code="69"), Departement.objects.get(code="75")
    make_mission(title="Lyon", location_mode="on_site", city="Lyon", departement=rhone)
    make_mission(title="Paris", location_mode="on_site", city="Paris", departement=paris)
    make_mission(title="À distance", location_mode="remote")

    assert titles({"departement": rhone.code}) == {"Lyon", "À distance"}
    assert titles({"departement": rhone.code, "location_mode": ["on_site"]}) == {"Lyon"}


def test_distance_filter_measures_from_the_city_typed(make_mission):
    # Lyon (45.76, 4.84), Villeurbanne 4 km away, Vienne about 27 km, Paris about 390 km.
    make_mission(title="Villeurbanne", location_mode="on_site", latitude=45.7667, longitude=4.8803)
    make_mission(title="Vienne", location_mode="hybrid", latitude=45.5255, longitude=4.8741)
    make_mission(title="Paris", location_mode="on_site", latitude=48.8534, longitude=2.3488)
    make_mission(title="Sans coordonnées", location_mode="on_site", city="Ailleurs")
    make_mission(title="À distance", location_mode="remote")

    assert titles({"near": "Lyon", "within_km": "10"}) == {"Villeurbanne", "À distance"}
    assert titles({"near": "Lyon", "within_km": "30"}) == {"Villeurbanne", "Vienne", "À distance"}
    assert titles({"near": "69001"}) == {"Villeurbanne", "Vienne", "À distance"}  # 30 km
    assert titles({"near": "lyon", "within_km": "500"}) == {
        "Villeurbanne",
        "Vienne",
        "Paris",
        "À distance",
    }


def test_the_distance_is_shown_on_each_card(client, make_mission):
    make_mission(title="Vienne", location_mode="on_site", latitude=45.5255, longitude=4.8741)
    lyon = locate(city="Lyon")
    distance = haversine_km(lyon.latitude, lyon.longitude, 45.5255, 4.8741)

    assert f"à {distance:.0f} km" in page(client, {"near": "Lyon", "within_km": "50"})


def test_remote_only_and_location_modes(make_mission):
    make_mission(title="Distance", location_mode="remote")
    make_mission(title="Sur place", location_mode="on_site", city="Lyon")
    make_mission(title="Hybride", location_mode="hybrid", city="Lyon")

    assert titles({"remote_only": "on"}) == {"Distance"}
    assert titles({"location_mode": ["on_site", "hybrid"]}) == {"Sur place", "Hybride"}


def test_format_filter(make_mission):
    make_mission(title="Atelier", format=Mission.Format.WORKSHOP)
    make_mission(title="Mentorat", format=Mission.Format.MENTORING)
    make_mission(title="Mission")

    assert titles({"format": ["workshop", "mentoring"]}) == {"Atelier", "Mentorat"}


def test_date_filters(make_mission):
    day = datetime.timedelta(days=1)
    make_mission(title="Tôt", start_date=TODAY + 5 * day, end_date=TODAY + 20 * day)
    make_mission(title="Tard", start_date=TODAY + 40 * day, end_date=TODAY + 90 * day)
    make_mission(title="Sans dates")

    assert titles({"starts_after": (TODAY + 10 * day).isoformat()}) == {"Tard"}
    assert titles({"ends_before": (TODAY + 30 * day).isoformat()}) == {"Tôt"}


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        ("week", {"2 jours", "7 jours"}),
        ("month", {"8 jours", "31 jours"}),
        ("quarter", {"2 mois"}),
        ("long", {"6 mois"}),
    ],
)
def test_duration_filter_uses_the_span_between_start_and_end(make_mission, duration, expected):
    start = TODAY + datetime.timedelta(days=10)
    for title, days in (
        ("2 jours", 1),
        ("7 jours", 7),
        ("8 jours", 8),
        ("31 jours", 31),
        ("2 mois", 60),
        ("6 mois", 180),
    ):
        make_mission(title=title, start_date=start, end_date=start + datetime.timedelta(days=days))
    make_mission(title="Sans dates")

    assert titles({"duration": duration}) == expected


def test_effort_filter_keeps_missions_asking_at_most_that_many_hours_a_week(make_mission):
    make_mission(title="Léger", hours_per_week=Decimal("2"))
    make_mission(title="Soutenu", hours_per_week=Decimal("8"))
    make_mission(title="Non précisé")

    assert titles({"max_hours_per_week": "4"}) == {"Léger"}
    assert titles({"max_hours_per_week": "8"}) == {"Léger", "Soutenu"}


def test_text_search_looks_in_title_summary_and_description(make_mission):
    make_mission(title="Refonte du site internet")
    make_mission(title="Comptabilité", summary="Mettre en place un tableau de trésorerie.")
    make_mission(title="Juridique", description="Relire les statuts et le site des mentions.")
    make_mission(title="Autre chose")

    assert titles({"q": "site"}) == {"Refonte du site internet", "Juridique"}
    assert titles({"q": "trésorerie"}) == {"Comptabilité"}
    assert titles({"q": "site statuts"}) == {"Juridique"}


def test_filters_combine(make_mission):
    first, second = Cause.objects.order_by("pk")[:2]
    make_mission(title="Atelier web", format="workshop", cause=first)
    make_mission(title="Atelier compta", format="workshop", cause=second)
    make_mission(title="Mission web", cause=first)

    assert titles({"format": ["workshop"], "cause": first.code, "q": "web"}) == {"Atelier web"}


@pytest.mark.usefixtures("postgresql")
def test_postgresql_full_text_search_is_french_and_ranks_the_title_first(make_mission):
    make_mission(title="Accompagner la comptabilité", description="Rien sur le web.")
    make_mission(title="Former l'équipe", summary="Des ateliers de comptabilité analytique.")
    make_mission(title="Refonte", description="Mettre de l'ordre dans la comptabilité.")
    make_mission(title="Sans rapport")

    form = MissionSearchForm({"q": "comptabilités"})  # French stemming: plural matches
    assert form.is_valid()
    found = [mission.title for mission in search_missions(form.criteria())]

    assert found == ["Accompagner la comptabilité", "Former l'équipe", "Refonte"]
    assert titles({"q": '"comptabilité analytique"'}) == {"Former l'équipe"}
    assert titles({"q": "comptabilité -web"}) == {"Former l'équipe", "Refonte"}


def test_the_form_keeps_its_values_and_shows_the_count(client, make_mission):
    cause = Cause.objects.order_by("pk").first()
    make_mission(title="Refonte du site", cause=cause)
    make_mission(title="Autre", cause=cause)

    content = page(client, {"q": "site", "cause": cause.code, "format": ["mission"]})

    assert "1 mission correspond" in content
    assert 'value="site"' in content
    assert f'<option value="{cause.code}" selected>' in content
    assert 'value="mission" id="id_format_0" checked' in content


def test_skills_are_grouped_by_family_and_a_ticked_ones_family_is_open(client):
    web, payroll = Skill.objects.get(code="web_development"), Skill.objects.get(code="payroll")
    assert web.family_id != payroll.family_id
    for language, one, many in (("fr", "1 choisie", "2 choisies"), ("en", "1 selected", None)):
        with translation.override(language):
            url = reverse("missions:list")
            content = client.get(url, {"skill": "web_development"}).content.decode()
            families = re.findall(r"<details class=\"skill-family\"( open)?>", content)
            assert len(families) == SkillFamily.objects.count()
            assert families.count(" open") == 1
            opened = content[content.index('<details class="skill-family" open>') :]
            opened = opened[: opened.index("</details>")]
            assert web.name in opened and f"({one})" in opened
            assert re.search(r'value="web_development" id="id_skill_\d+" checked', opened)
            assert payroll.name not in opened
            if many:
                same = Skill.objects.filter(family=web.family).exclude(pk=web.pk).first()
                content = page(client, {"skill": [web.code, same.code, payroll.code]})
                assert f"({many})" in content and "(1 choisie)" in content
                assert len(re.findall(r"<details class=\"skill-family\" open>", content)) == 2


def test_each_active_filter_can_be_removed(client, make_mission):
    cause = Cause.objects.order_by("pk").first()
    skill = Skill.objects.order_by("pk").first()
    make_mission(title="Refonte")

    content = page(
        client,
        {"q": "site", "cause": cause.code, "skill": [skill.code], "near": "Lyon", "within_km": 20},
    )

    assert "Filtres actifs" in content
    assert f"Cause : {cause.name_fr}" in content
    assert "À 20 km de Lyon" in content
    # Removing the cause keeps the others; removing the place drops city and radius together.
    assert f'href="?q=site&amp;skill={skill.code}&amp;near=Lyon&amp;within_km=20"' in content
    assert f'href="?q=site&amp;skill={skill.code}&amp;cause={cause.code}"' in content


def test_pagination_keeps_the_query(client, make_mission):
    for number in range(21):
        make_mission(title=f"Site {number}")

    content = page(client, {"q": "site"})

    assert "21 missions correspondent" in content
    assert 'href="?q=site&amp;page=2"' in content
    second = page(client, {"q": "site", "page": 2})
    assert second.count('class="card mission-card"') == 1


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"near": "Nullepartville"}, "near", "Nous ne trouvons pas la ville"),
        ({"near": "Lyon", "within_km": "-5"}, "within_km", "Le rayon doit être d&#x27;au moins"),
        ({"near": "Lyon", "within_km": "loin"}, "within_km", "un nombre entier de kilomètres."),
        ({"within_km": "10"}, "near", "Indiquez la ville autour de laquelle chercher."),
        ({"near": "Lyon", "departement": "69"}, "near", "pas les deux"),
        (
            {"starts_after": "2031-05-01", "ends_before": "2031-04-01"},
            "ends_before",
            "Cette date précède",
        ),
        ({"starts_after": "demain"}, "starts_after", "Saisissez une date valide."),
        ({"max_hours_per_week": "-1"}, "max_hours_per_week", "au moins une demi-heure"),
        ({"skill": ["999999"]}, "skill", "Sélectionnez un choix valide."),
        ({"cause": "nulle-part"}, "cause", "Sélectionnez un choix valide."),
        ({"departement": "1"}, "departement", "Sélectionnez un choix valide."),
    ],
)
def test_bad_input_gets_a_french_error_next_to_the_field(client, mission, params, field, message):
    content = page(client, params)

    assert 'role="alert"' in content
    assert f'id="id_{field}_error"' in content
    assert message in content
    assert f'href="#id_{field}"' in content
    assert mission.title not in content


def test_the_search_page_stays_within_its_query_budget(
    client, make_mission, volunteer, django_assert_max_num_queries
):
    cause = Cause.objects.order_by("pk").first()
    skill = Skill.objects.order_by("pk").first()
    for number in range(25):
        mission = make_mission(
            title=f"Site {number}", location_mode="on_site", latitude=45.76, longitude=4.85
        )
        factories.MissionSkillFactory(mission=mission, skill=skill)
    client.force_login(volunteer.user)
    params = {
        "q": "site",
        "skill": [skill.code],
        "cause": cause.code,
        "near": "Lyon",
        "within_km": 50,
        "format": ["mission"],
    }
    page(client, params)  # warm the city lookup

    with django_assert_max_num_queries(10):
        content = page(client, params)

    assert content.count('class="card mission-card"') == 20


def test_search_results_work_in_english(client, make_mission):
    make_mission(title="Refonte du site")

    response = client.get("/en/missions/", {"q": "site"})

    assert response.status_code == 200
    assert "Refonte du site" in response.content.decode()
