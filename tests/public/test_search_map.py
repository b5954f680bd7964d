"""The search page's map of départements: counts, links that filter, the switch."""

import re

import pytest
from django.urls import reverse

from taxonomy.cartogram import layout
from taxonomy.models import Cause, Departement
from taxonomy.reference_data import DEPARTEMENTS

pytestmark = pytest.mark.django_db


def page(client, params: dict) -> str:
    response = client.get(reverse("missions:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def on_site(make_mission, code: str, **fields):
    departement = Departement.objects.get(code=code)
    fields.setdefault("location_mode", "on_site")
    return make_mission(departement=departement, city="Ville", **fields)


def tile_link(content: str, code: str) -> str:
    match = re.search(
        rf'<a href="([^"]*)" class="fr-map__link[^"]*" aria-label="{code} : ', content
    )
    assert match, code
    return match.group(1).replace("&amp;", "&")


def test_every_departement_has_its_own_cell_and_neighbours_stay_close():
    tiles, columns, rows = layout()
    assert len(tiles) == len(DEPARTEMENTS)
    cells = {(tile.column, tile.row) for tile in tiles}
    assert len(cells) == len(tiles)
    assert all(0 <= t.column < columns and 0 <= t.row < rows for t in tiles)
    where = {tile.code: (tile.column, tile.row) for tile in tiles}
    # North above south, west left of east, Paris among its suburbs.
    assert where["59"][1] < where["13"][1]
    assert where["29"][0] < where["67"][0]
    for suburb in ("92", "93", "94"):
        assert abs(where[suburb][0] - where["75"][0]) + abs(where[suburb][1] - where["75"][1]) <= 2
    assert all(t.row == rows - 1 for t in tiles if t.code.startswith("97"))


def test_the_map_counts_open_missions_on_site_by_departement(client, make_mission):
    on_site(make_mission, "33")
    on_site(make_mission, "33", location_mode="hybrid")
    on_site(make_mission, "69")
    on_site(make_mission, "69", state="draft")
    make_mission()  # remote: on no tile

    content = page(client, {"vue": "carte"})

    assert "33 : 2 missions sur place ou hybrides, Gironde" in content
    assert "69 : 1 mission sur place ou hybride, Rhône" in content
    assert "01 : 0 missions sur place ou hybrides, Ain" in content
    assert content.count('class="fr-map__link') == len(DEPARTEMENTS)
    assert 'class="card mission-card"' not in content  # the map replaces the list


def test_the_counts_follow_the_other_filters_but_not_the_place(client, make_mission):
    culture, health = Cause.objects.order_by("pk")[:2]
    on_site(make_mission, "33", cause=culture)
    on_site(make_mission, "33", cause=health)
    lyon = Departement.objects.get(code="69")

    content = page(client, {"vue": "carte", "cause": culture.code, "departement": lyon.code})

    assert "33 : 1 mission sur place ou hybride, Gironde" in content
    link = tile_link(content, "33")
    gironde = Departement.objects.get(code="33")
    assert f"departement={gironde.code}" in link
    assert f"cause={culture.code}" in link  # the search names causes by their code
    assert "vue=" not in link and f"departement={lyon.code}" not in link
    assert re.search(r'fr-map__link--selected" aria-label="69 : ', content)


def test_a_departement_link_filters_the_search(client, make_mission):
    wanted = on_site(make_mission, "33", title="Atelier à Bordeaux")
    on_site(make_mission, "69", title="Atelier à Lyon")
    remote = make_mission(title="Mission à distance")

    link = tile_link(page(client, {"vue": "carte"}), "33")
    content = page(client, dict(pair.split("=") for pair in link.lstrip("?").split("&")))

    assert wanted.title in content and remote.title in content
    assert "Atelier à Lyon" not in content
    assert "Département : 33" in content


def test_the_switch_keeps_the_search(client, make_mission):
    cause = Cause.objects.order_by("pk").first()

    content = page(client, {"cause": cause.pk, "q": "site"})

    assert f'href="?q=site&amp;cause={cause.code}&amp;vue=carte"' in content
    assert 'aria-current="page">Liste</a>' in content
    content = page(client, {"cause": cause.pk, "vue": "carte"})
    assert 'aria-current="page">Carte des départements</a>' in content


def test_the_map_stays_within_the_query_budget(
    client, make_mission, volunteer, django_assert_max_num_queries
):
    for code in ("33", "69", "75", "13", "2A", "971"):
        for _ in range(3):
            on_site(make_mission, code)
    client.force_login(volunteer.user)
    page(client, {"vue": "carte", "q": "site"})

    with django_assert_max_num_queries(10):
        content = page(client, {"vue": "carte", "formats": ["mission"]})

    assert "2A : 3 missions sur place ou hybrides, Corse-du-Sud" in content


def test_an_invalid_search_shows_an_empty_map_and_the_errors(client, make_mission):
    on_site(make_mission, "33")

    content = page(client, {"vue": "carte", "radius": "loin"})

    assert 'role="alert"' in content
    assert "33 : 0 missions sur place ou hybrides, Gironde" in content
