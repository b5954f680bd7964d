import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taxonomy.geo import bounding_box, haversine_km, locate, normalise


def test_city_names_are_compared_as_people_type_them():
    assert normalise("Saint-Étienne") == normalise("st etienne") == "saint etienne"


def test_a_city_is_located_by_name():
    lyon = locate("Lyon")
    assert lyon.departement_code == "69"
    assert haversine_km(lyon.latitude, lyon.longitude, 45.76, 4.84) < 5


def test_the_postcode_decides_between_homonyms():
    reunion = locate("Saint-Denis", "97400")
    assert reunion.departement_code == "974"
    seine_saint_denis = locate("Saint-Denis", "93200")
    assert seine_saint_denis.departement_code == "93"
    assert seine_saint_denis.latitude > 48


def test_a_postcode_gives_its_departement_and_a_place_in_it():
    place = locate(postcode="29200")
    assert place.departement_code == "29"
    assert 47.5 < place.latitude < 49


def test_unknown_places_are_not_located():
    assert locate("Ville-qui-n-existe-pas") is None
    assert locate(postcode="99999") is None


def test_distance_between_paris_and_lyon():
    assert 385 < haversine_km(48.8566, 2.3522, 45.764, 4.8357) < 400


@pytest.mark.parametrize(
    "city, departement",
    [
        ("Saint-Denis", "974"),  # the most populous of the homonyms
        ("Aubervilliers", "93"),
        ("Clichy", "92"),
        ("Ivry-sur-Seine", "94"),
        ("Argenteuil", "95"),
        ("Versailles", "78"),
        ("Évry", "91"),
        ("Meaux", "77"),
        ("Le Havre", "76"),
        ("Arras", "62"),
        ("Bastia", "2B"),
        ("Ajaccio", "2A"),
    ],
)
def test_cities_near_a_border_are_put_in_their_own_departement(city, departement):
    assert locate(city).departement_code == departement


def test_a_postcode_alone_is_located_at_its_main_locality():
    place = locate(postcode="93200")
    assert (place.city, place.departement_code) == ("Saint-Denis", "93")


def test_arrondissements_are_not_cities():
    assert locate("Lyon 03") is None


@given(
    latitude=st.floats(-89.9, 89.9),
    km=st.floats(0.5, 3000),
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 1),
)
def test_the_box_around_a_point_holds_every_point_within_reach(latitude, km, bearing, fraction):
    """A point ``fraction × km`` away in any direction is in the box: the filter the
    distance searches narrow their rows with before the exact distance."""
    phi, theta, delta = math.radians(latitude), math.radians(bearing), fraction * km / 6371.0088
    lat2 = math.asin(
        math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta)
    )
    dlon = math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi),
        math.cos(delta) - math.sin(phi) * math.sin(lat2),
    )
    point = (math.degrees(lat2), 2.35 + math.degrees(dlon))
    assert haversine_km(latitude, 2.35, *point) <= km * (1 + 1e-9) + 1e-9
    box = bounding_box(latitude, 2.35, km)
    tolerance = 1e-9
    assert box["latitude__gte"] - tolerance <= point[0] <= box["latitude__lte"] + tolerance
    if "longitude__gte" in box:  # none when the circle holds a pole
        assert box["longitude__gte"] - tolerance <= point[1] <= box["longitude__lte"] + tolerance


def test_the_box_is_no_wider_than_the_circle_needs():
    box = bounding_box(45.0, 4.85, 30)
    # 30 km is 0.27° of latitude, and 0.38° of longitude at 45° north.
    assert box["latitude__lte"] - 45.0 == pytest.approx(0.2698, abs=1e-4)
    assert box["longitude__lte"] - 4.85 == pytest.approx(0.3816, abs=1e-3)
