"""Workflows of the volunteer's own profile.

Applications, hours, evaluations and favourite missions involve missions: their
workflows live in ``missions.services``.
"""

from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import user_rename
from core.models import log_action
from core.permissions import Actor, require
from taxonomy.models import Cause, Skill
from taxonomy.services import place_fields

from .models import SkillLevel, VolunteerProfile, VolunteerSkill

if TYPE_CHECKING:
    from django.core.files import File

    from accounts.models import User

# The profile fields a volunteer edits directly (place and lists are handled apart).
PROFILE_FIELDS = (
    "headline",
    "occupation",
    "bio",
    "experience",
    "profile_url",
    "phone",
    "seniority",
    "hours_per_month",
    "available_from",
    "available_until",
    "time_slots",
    "accepts_remote",
    "accepts_on_site",
    "accepts_hybrid",
    "max_distance_km",
    "languages",
    "is_visible",
)


def _require_signed_in(actor: "Actor") -> None:
    require(
        actor is not None and actor.is_authenticated,
        _("Connectez-vous pour gérer votre profil de bénévole."),
    )


@transaction.atomic
def volunteer_profile_save(
    *,
    actor: "User",
    city: str = "",
    postcode: str = "",
    skills: dict[int, int],
    causes: list[Cause],
    first_name: str | None = None,
    last_name: str | None = None,
    photo: "File[Any] | Literal[False] | None" = None,
    **fields: Any,
) -> VolunteerProfile:
    """Create or update ``actor``'s own profile; ``skills`` maps skill ids to levels.

    ``first_name`` and ``last_name``, when given, rename the person; ``photo`` is a new
    image, ``False`` to remove the current one, ``None`` to keep it.

    The place is located from the city or postcode; a member of a company on the
    platform gets it as employer (work time becomes possible); the logged action asks
    matching to refresh the volunteer's suggestions once the transaction commits.
    """
    _require_signed_in(actor)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    profile = VolunteerProfile.objects.select_for_update().filter(
        user=actor
    ).first() or VolunteerProfile(user=actor)
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.employer_id is None:
        # An employee of a company on the platform may engage on work time. The
        # membership is read through the user, as companies sit above volunteers.
        profile.employer_id = (
            actor.company_memberships.order_by("pk").values_list("company_id", flat=True).first()
        )
    place = {"departement": None, "latitude": None, "longitude": None}
    place.update(place_fields(city=city, postcode=postcode))
    for name, value in place.items():
        setattr(profile, name, value)
    levels = {int(skill_id): int(level) for skill_id, level in skills.items() if level}
    if any(level not in SkillLevel.values for level in levels.values()):
        raise ValidationError({"skills": _("Choisissez un niveau dans la liste.")})
    if len(Skill.objects.filter(pk__in=levels)) != len(levels):
        raise ValidationError({"skills": _("Compétence inconnue.")})
    old_photo = profile.photo.name if profile.pk else ""
    if photo is False:
        profile.photo = ""  # an empty file field
    elif photo is not None:
        profile.photo = photo  # stored re-encoded by ImageUploadField
    if first_name is not None or last_name is not None:
        user_rename(
            user=actor,
            first_name=actor.first_name if first_name is None else first_name,
            last_name=actor.last_name if last_name is None else last_name,
        )
    profile.full_clean(exclude=["user"])
    profile.save()
    if old_photo and profile.photo.name != old_photo:
        # The replaced photo goes once the new one is recorded, not before.
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    profile.causes.set(causes)
    _replace_skills(profile, levels)
    log_action(profile, "volunteerprofile.save", actor=actor)
    return profile


def _replace_skills(profile: VolunteerProfile, levels: dict[int, int]) -> None:
    current = {row.skill_id: row for row in profile.skills.all()}
    VolunteerSkill.objects.filter(profile=profile).exclude(skill_id__in=levels).delete()
    changed = []
    for skill_id, level in levels.items():
        row = current.get(skill_id)
        if row is None:
            VolunteerSkill.objects.create(profile=profile, skill_id=skill_id, level=level)
        elif row.level != level:
            row.level = level
            changed.append(row)
    VolunteerSkill.objects.bulk_update(changed, ["level"])
