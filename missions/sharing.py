"""How mission and association pages look once shared: Open Graph and Twitter card
metadata, their preview picture (drawn by :mod:`core.previews`) and the schema.org data
search engines read.

schema.org has no type for a volunteering offer as such: a mission is a ``JobPosting``
whose ``employmentType`` is ``VOLUNTEER`` (the form search engines show volunteering
offers in), a short dated one (a marathon, a workshop) an ``Event``; an association is an
``NGO``."""

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from associations.models import Association
from core.links import absolute_url, site_host
from core.previews import HEIGHT, WIDTH, DrawPreview, version_of
from taxonomy.choices import LocationMode

from .models import Mission

# Formats that happen on given days, shown to search engines as events.
EVENT_FORMATS = (Mission.Format.MARATHON, Mission.Format.WORKSHOP)
ATTENDANCE: dict[str, str] = {
    LocationMode.REMOTE: "https://schema.org/OnlineEventAttendanceMode",
    LocationMode.ON_SITE: "https://schema.org/OfflineEventAttendanceMode",
    LocationMode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _footer() -> str:
    return _("%(host)s · Toute compétence est un bien public") % {"host": site_host()}


def mission_place_line(mission: Mission) -> str:
    if mission.is_remote:
        return _("À distance, de partout en France")
    where = mission.city or (mission.departement.name if mission.departement else "")
    if mission.departement and mission.city:
        where = f"{mission.city} ({mission.departement.code})"
    return f"{mission.get_location_mode_display()} — {where}" if where else ""


def association_place_line(association: Association) -> str:
    if association.departement:
        if association.city:
            return f"{association.city} ({association.departement.code})"
        return association.departement.name
    return association.city


def mission_preview(mission: Mission) -> tuple[str, DrawPreview]:
    """The version and the drawing of the mission's picture: its title, association and
    place. ``mission.association`` and ``mission.departement`` are read."""
    lines = [
        _("Proposée par %(association)s") % {"association": mission.association.name},
        mission_place_line(mission),
    ]
    kicker = mission.get_format_display()
    version = version_of(
        mission.updated_at.timestamp(), get_language(), site_host(), mission.title, kicker, *lines
    )
    drawing = DrawPreview(title=mission.title, lines=lines, kicker=kicker, footer=_footer())
    return version, drawing


def association_preview(association: Association) -> tuple[str, DrawPreview]:
    """The version and the drawing of the association's picture: its name, what it does
    in one sentence and its place. ``association.departement`` is read."""
    lines = [association.summary, association_place_line(association)]
    kicker = _("Association")
    version = version_of(
        association.updated_at.timestamp(),
        get_language(),
        site_host(),
        association.name,
        kicker,
        *lines,
    )
    drawing = DrawPreview(title=association.name, lines=lines, kicker=kicker, footer=_footer())
    return version, drawing


def _organisation(association: Association) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "NGO",
        "name": association.name,
        "url": absolute_url(association.get_absolute_url()),
    }
    if association.logo:
        data["logo"] = absolute_url(association.logo.url)
    return data


def _postal_address(place: Mission | Association) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": "FR"}
    if place.address:
        address["streetAddress"] = place.address
    if place.postcode:
        address["postalCode"] = place.postcode
    if place.city:
        address["addressLocality"] = place.city
    if place.departement:
        address["addressRegion"] = place.departement.name
    return address


def mission_structured_data(mission: Mission, *, image: str) -> dict[str, Any]:
    """schema.org data for the mission page (``JobPosting`` or ``Event``)."""
    url = absolute_url(mission.get_absolute_url())
    description = "\n\n".join(
        part for part in (mission.summary, mission.description, mission.deliverable) if part
    )
    if mission.format in EVENT_FORMATS and mission.start_date:
        event: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": mission.title,
            "description": description,
            "url": url,
            "image": [image],
            "startDate": mission.start_date.isoformat(),
            "endDate": (mission.end_date or mission.start_date).isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": ATTENDANCE.get(
                mission.location_mode, ATTENDANCE[LocationMode.REMOTE]
            ),
            "organizer": _organisation(mission.association),
            "isAccessibleForFree": True,
        }
        if mission.is_remote:
            event["location"] = {"@type": "VirtualLocation", "url": url}
        else:
            event["location"] = {
                "@type": "Place",
                "name": mission.city or mission.association.name,
                "address": _postal_address(mission),
            }
        return event
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": mission.title,
        "description": description,
        "url": url,
        "image": image,
        "employmentType": "VOLUNTEER",
        "hiringOrganization": _organisation(mission.association),
        "directApply": True,
    }
    if mission.published_at:
        posting["datePosted"] = mission.published_at.date().isoformat()
    if mission.application_deadline:
        posting["validThrough"] = mission.application_deadline.isoformat()
    if mission.is_remote:
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = {"@type": "Country", "name": "France"}
    else:
        posting["jobLocation"] = {"@type": "Place", "address": _postal_address(mission)}
    return posting


def association_structured_data(association: Association, *, image: str) -> dict[str, Any]:
    data = {
        "@context": "https://schema.org",
        **_organisation(association),
        "image": image,
        "address": _postal_address(association),
    }
    if association.summary:
        data["description"] = association.summary
    if association.website:
        data["sameAs"] = [association.website]
    return data


def mission_share(mission: Mission) -> dict[str, Any]:
    """What the mission page puts in its head and its share button."""
    version, _drawing = mission_preview(mission)
    image = absolute_url(reverse("missions:preview", args=[mission.pk])) + f"?v={version}"
    return {
        "type": "article",
        "title": mission.title,
        "description": mission.summary,
        "url": absolute_url(mission.get_absolute_url()),
        "image": image,
        "image_alt": _("%(title)s, mission proposée par %(association)s")
        % {"title": mission.title, "association": mission.association.name},
        "width": WIDTH,
        "height": HEIGHT,
        "structured_data": mission_structured_data(mission, image=image),
    }


def association_share(association: Association) -> dict[str, Any]:
    """What the association page puts in its head and its share button."""
    version, _drawing = association_preview(association)
    image = absolute_url(reverse("associations:preview", args=[association.slug])) + f"?v={version}"
    return {
        "type": "profile",
        "title": association.name,
        "description": association.summary
        or _("%(name)s cherche des bénévoles pour partager leurs compétences.")
        % {"name": association.name},
        "url": absolute_url(association.get_absolute_url()),
        "image": image,
        "image_alt": _("%(name)s, association sur probono") % {"name": association.name},
        "width": WIDTH,
        "height": HEIGHT,
        "structured_data": association_structured_data(association, image=image),
    }
