"""What each audience sees of a person: the one table of minimal exposure.

The API's serializers and the pages that show a volunteer to someone else take their
fields from here; tests check every persona against it. Who belongs to which audience
is asked of the apps that know (an association's verification, an application, an
employment), which sit above this one:

- ``SELF``: the person, everything about themselves.
- ``STAFF``: platform staff. In the admin they see everything, and each view or search
  of a person's data is logged (``core.models.PersonalDataAccess``); through the API,
  the profile with the full name, never the e-mail address.
- ``REFERENT``: a territorial referent moderates the associations and missions of
  their territory: they see a person's name on the applications to those missions,
  nothing of the profile.
- ``ASSOCIATION``: a member (or key) of a *verified* association choosing whom to
  invite: the facts a matching decision needs, and a first name with an initial. A
  member of an association not yet verified sees no profile at all.
- ``APPLICANT_ASSOCIATION``: a member of an association the person applied to: the
  same, with the full name. Never the e-mail address: they talk through the
  platform's messages.
- ``EMPLOYER``: staff (managers, programme admins) of the person's employer: name and
  e-mail to run the sponsorship programme, and the engagements and hours that the
  companies' pages show; none of the profile (no presentation, causes, availability).
  Another company's staff see nothing.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


class Audience(StrEnum):
    SELF = "self"
    STAFF = "staff"
    REFERENT = "referent"
    ASSOCIATION = "association"
    APPLICANT_ASSOCIATION = "applicant_association"
    EMPLOYER = "employer"


# What matching weighs (skills, causes, time, place, formats, languages, seniority) and
# what the person wrote to present themselves: an association needs no more to choose.
MATCHING_FIELDS: tuple[str, ...] = (
    "headline",
    "bio",
    "occupation",
    "seniority",
    "skills",
    "causes",
    "hours_per_month",
    "available_from",
    "available_until",
    "time_slots",
    "accepts_remote",
    "accepts_on_site",
    "accepts_hybrid",
    "max_distance_km",
    "languages",
    "departement",
)
# The rest of the profile: the exact place and the bookkeeping.
OWN_PROFILE_FIELDS: tuple[str, ...] = (
    "city",
    "is_visible",
    "updated_at",
    "experience",
    "profile_url",
)

# A person's identity: ``short_name`` is the first name and the initial of the last.
SHORT_NAME = "short_name"
FULL_NAME = "full_name"
EMAIL = "email"
PHONE = "phone"
EMPLOYER_FIELD = "employer"

FIELDS: dict[Audience, frozenset[str]] = {
    Audience.SELF: frozenset(
        {FULL_NAME, EMAIL, PHONE, EMPLOYER_FIELD, *MATCHING_FIELDS, *OWN_PROFILE_FIELDS}
    ),
    Audience.STAFF: frozenset({FULL_NAME, EMPLOYER_FIELD, *MATCHING_FIELDS, *OWN_PROFILE_FIELDS}),
    Audience.REFERENT: frozenset({FULL_NAME}),
    Audience.ASSOCIATION: frozenset({SHORT_NAME, *MATCHING_FIELDS}),
    Audience.APPLICANT_ASSOCIATION: frozenset({FULL_NAME, *MATCHING_FIELDS}),
    Audience.EMPLOYER: frozenset({FULL_NAME, EMAIL}),
}


def fields_for(audience: Audience) -> frozenset[str]:
    """The facts about a person that ``audience`` may see."""
    return FIELDS[audience]


def may_see(audience: Audience, field: str) -> bool:
    return field in FIELDS[audience]


def short_name(user: "User") -> str:
    """First name and initial ("Prénom N."): the one display rule of ``User``."""
    return user.public_name


def name_for(user: "User", audience: Audience) -> str:
    """The person's name as ``audience`` may read it (never their e-mail address)."""
    if may_see(audience, FULL_NAME):
        return user.full_name
    if may_see(audience, SHORT_NAME):
        return short_name(user)
    return ""
