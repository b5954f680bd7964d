"""Where the demo happens: real French cities in a plausible département, with a
postcode that looks like theirs, and French phrases about them ("du Havre", "au Mans")."""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass

from taxonomy.geo import french_cities

# Cities of Île-de-France with their real département: the nearest-centre rule of
# ``taxonomy.geo`` misplaces most of the suburbs, and geonames also lists Paris quarters.
ILE_DE_FRANCE = {
    "75": ["Paris"],
    "92": [
        "Boulogne-Billancourt",
        "Nanterre",
        "Asnières-sur-Seine",
        "Colombes",
        "Courbevoie",
        "Rueil-Malmaison",
        "Issy-les-Moulineaux",
        "Levallois-Perret",
        "Neuilly-sur-Seine",
        "Antony",
        "Clamart",
        "Clichy",
        "Gennevilliers",
        "Montrouge",
        "Suresnes",
        "Meudon",
        "Puteaux",
        "Bagneux",
        "Malakoff",
        "Châtillon",
        "Saint-Cloud",
        "Châtenay-Malabry",
        "Villeneuve-la-Garenne",
        "Bourg-la-Reine",
    ],
    "93": [
        "Saint-Denis",
        "Montreuil",
        "Aubervilliers",
        "Aulnay-sous-Bois",
        "Drancy",
        "Noisy-le-Grand",
        "Pantin",
        "Bondy",
        "Épinay-sur-Seine",
        "Le Blanc-Mesnil",
        "Sevran",
        "Bobigny",
        "Rosny-sous-Bois",
        "Saint-Ouen",
        "Livry-Gargan",
        "Noisy-le-Sec",
        "Gagny",
        "La Courneuve",
        "Villepinte",
        "Tremblay-en-France",
        "Stains",
        "Bagnolet",
        "Les Lilas",
        "Clichy-sous-Bois",
        "Pierrefitte-sur-Seine",
        "Villemomble",
        "Neuilly-sur-Marne",
    ],
    "94": [
        "Créteil",
        "Vitry-sur-Seine",
        "Champigny-sur-Marne",
        "Saint-Maur-des-Fossés",
        "Ivry-sur-Seine",
        "Maisons-Alfort",
        "Fontenay-sous-Bois",
        "Villejuif",
        "Vincennes",
        "Alfortville",
        "Choisy-le-Roi",
        "Le Perreux-sur-Marne",
        "Nogent-sur-Marne",
        "Villeneuve-Saint-Georges",
        "Thiais",
        "Cachan",
        "Charenton-le-Pont",
        "L'Haÿ-les-Roses",
        "Le Kremlin-Bicêtre",
        "Villiers-sur-Marne",
        "Saint-Mandé",
        "Arcueil",
        "Gentilly",
    ],
    "95": [
        "Argenteuil",
        "Sarcelles",
        "Cergy",
        "Garges-lès-Gonesse",
        "Goussainville",
        "Saint-Gratien",
        "Enghien-les-Bains",
        "Soisy-sous-Montmorency",
        "Pontoise",
        "Franconville",
        "Ermont",
        "Bezons",
        "Villiers-le-Bel",
        "Taverny",
        "Herblay",
        "Sannois",
        "Gonesse",
        "Montmorency",
    ],
    "78": [
        "Versailles",
        "Sartrouville",
        "Saint-Germain-en-Laye",
        "Poissy",
        "Mantes-la-Jolie",
        "Montigny-le-Bretonneux",
        "Guyancourt",
        "Houilles",
        "Chatou",
        "Le Chesnay",
        "Les Mureaux",
        "Plaisir",
        "Trappes",
        "Rambouillet",
        "Conflans-Sainte-Honorine",
        "Élancourt",
        "Maisons-Laffitte",
        "Vélizy-Villacoublay",
    ],
    "91": [
        "Évry",
        "Corbeil-Essonnes",
        "Savigny-sur-Orge",
        "Massy",
        "Palaiseau",
        "Athis-Mons",
        "Viry-Châtillon",
        "Draveil",
        "Yerres",
        "Sainte-Geneviève-des-Bois",
        "Grigny",
        "Brunoy",
        "Ris-Orangis",
        "Étampes",
        "Les Ulis",
        "Orsay",
        "Longjumeau",
    ],
    "77": [
        "Meaux",
        "Chelles",
        "Pontault-Combault",
        "Melun",
        "Savigny-le-Temple",
        "Torcy",
        "Champs-sur-Marne",
        "Fontainebleau",
        "Lagny-sur-Marne",
        "Combs-la-Ville",
        "Bussy-Saint-Georges",
        "Roissy-en-Brie",
        "Le Mée-sur-Seine",
        "Provins",
        "Nemours",
        "Coulommiers",
    ],
}
# Other well-known cities the nearest-centre rule puts in a neighbouring département.
CITY_FIXES = {"Le Havre": "76", "Arras": "62", "Dunkirk": "59"}
CITY_RENAMES = {"Dunkirk": "Dunkerque"}
KNOWN_POSTCODES = {
    ("Reims", "51"): "51100",
    ("Brest", "29"): "29200",
    ("Le Havre", "76"): "76600",
    ("Villeurbanne", "69"): "69100",
    ("Aix-en-Provence", "13"): "13100",
    ("Mulhouse", "68"): "68100",
    ("Roubaix", "59"): "59100",
    ("Tourcoing", "59"): "59200",
    ("Dunkerque", "59"): "59140",
    ("Boulogne-Billancourt", "92"): "92100",
    ("Nanterre", "92"): "92000",
    ("Montreuil", "93"): "93100",
    ("Saint-Denis", "93"): "93200",
    ("Aubervilliers", "93"): "93300",
    ("Créteil", "94"): "94000",
    ("Vitry-sur-Seine", "94"): "94400",
    ("Argenteuil", "95"): "95100",
    ("Cergy", "95"): "95000",
    ("Versailles", "78"): "78000",
    ("Évry", "91"): "91000",
    ("Meaux", "77"): "77100",
    ("Saint-Denis", "974"): "97400",
    ("Saint-Paul", "974"): "97460",
    ("Fort-de-France", "972"): "97200",
    ("Cayenne", "973"): "97300",
    ("Mamoudzou", "976"): "97600",
    ("Ajaccio", "2A"): "20000",
    ("Bastia", "2B"): "20200",
}
JUNK_CITY = re.compile(r"\d|Arrondissement|^Marne La Vallée$|^Cergy-Pontoise$|^Saint-Quentin-en")


def city_phrases(city: str) -> dict[str, str]:
    """``de_city`` and ``a_city``, with French elision and contraction."""
    if city.startswith("Le "):
        de, a = f"du {city[3:]}", f"au {city[3:]}"
    elif city.startswith("Les "):
        de, a = f"des {city[4:]}", f"aux {city[4:]}"
    elif city[:1].lower() in "aeiouyéèêâîôh":
        de, a = f"d'{city}", f"à {city}"
    else:
        de, a = f"de {city}", f"à {city}"
    return {"city": city, "de_city": de, "a_city": a}


@dataclass(frozen=True)
class City:
    name: str
    departement: str
    latitude: float
    longitude: float
    population: int


def demo_cities() -> list[City]:
    """Real French cities, most populous first, each with a plausible département."""
    idf_departements = set(ILE_DE_FRANCE)
    wanted_idf = {name: dep for dep, names in ILE_DE_FRANCE.items() for name in names}
    cities: list[City] = []
    seen: set[tuple[str, str]] = set()
    for loc in french_cities():
        name = loc.city
        if JUNK_CITY.search(name):
            continue
        departement = CITY_FIXES.get(name, loc.departement_code)
        name = CITY_RENAMES.get(name, name)
        in_idf = departement in idf_departements or loc.departement_code in idf_departements
        if in_idf:
            # Only keep the curated Île-de-France communes, in their true département
            # (the first, most populous, entry of a name; Saint-Denis 974 stays apart).
            if name not in wanted_idf or loc.latitude < 40:
                continue
            departement = wanted_idf[name]
        key = (name, departement)
        if key in seen:
            continue
        seen.add(key)
        cities.append(City(name, departement, loc.latitude, loc.longitude, loc.population))
    return cities


def postcode_for(city: City, rng: random.Random) -> str:
    """A postcode that ``validate_postcode`` accepts and that looks like the city's."""
    dep = city.departement
    if city.name == "Paris":
        return f"750{rng.randint(1, 20):02d}"
    if city.name == "Lyon" and dep == "69":
        return f"6900{rng.randint(1, 9)}"
    if city.name == "Marseille" and dep == "13":
        return f"130{rng.randint(1, 16):02d}"
    known = KNOWN_POSTCODES.get((city.name, dep))
    if known:
        return known
    h = zlib.crc32(city.name.encode())
    if dep == "2A":
        return f"20{1 + h % 19:02d}0"
    if dep == "2B":
        return f"20{20 + h % 70:02d}0"
    if len(dep) == 3:
        return f"{dep}00" if city.population >= 100_000 else f"{dep}{1 + h % 9}0"
    if city.population >= 100_000:
        return f"{dep}000"
    return f"{dep}{1 + h % 9}{(h // 9) % 10}0"
