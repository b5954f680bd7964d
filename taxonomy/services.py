from typing import Any

from .geo import locate
from .models import Departement


def place_fields(*, city: str = "", postcode: str = "") -> dict[str, Any]:
    """City, postcode, département and coordinates for a place typed by a person.

    What cannot be located keeps the city and postcode as typed, without coordinates.
    """
    fields: dict[str, Any] = {"city": city.strip(), "postcode": postcode.strip()}
    location = locate(city=city, postcode=postcode) if (city or postcode) else None
    if location is not None:
        fields.update(
            city=fields["city"] or location.city,
            departement=Departement.objects.filter(code=location.departement_code).first(),
            latitude=location.latitude,
            longitude=location.longitude,
        )
    return fields
