"""What the volunteers app holds of a person: their profile, skills, availability and
favourite missions (see :mod:`accounts.personal_data`)."""

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Erasure, PersonalDataProvider, Section, section

from .models import Favourite, VolunteerProfile, VolunteerSkill

PROFILE_COLUMNS = {
    "headline": _("titre"),
    "bio": _("présentation"),
    "occupation": _("métier actuel ou passé"),
    "seniority": _("séniorité"),
    "city": _("ville"),
    "postcode": _("code postal"),
    "departement__name": _("département"),
    "hours_per_month": _("heures disponibles par mois"),
    "available_from": _("disponible à partir du"),
    "available_until": _("disponible jusqu'au"),
    "time_slots": _("créneaux"),
    "accepts_remote": _("accepte les missions à distance"),
    "accepts_on_site": _("accepte les missions sur place"),
    "accepts_hybrid": _("accepte les missions hybrides"),
    "max_distance_km": _("distance maximale (km)"),
    "languages": _("langues"),
    "employer__name": _("employeur"),
    "is_visible": _("visible des associations"),
    "created_at": _("créé le"),
    "updated_at": _("modifié le"),
}


def export(user) -> list[Section]:
    profiles = VolunteerProfile.objects.filter(user=user)
    return [
        section("volunteer_profile", _("Profil bénévole"), profiles, PROFILE_COLUMNS),
        section(
            "causes",
            _("Causes"),
            profiles.filter(causes__isnull=False),
            {"causes__name_fr": _("cause")},
        ),
        section(
            "skills",
            _("Compétences"),
            VolunteerSkill.objects.filter(profile__user=user),
            {"skill__name_fr": _("compétence"), "level": _("niveau")},
        ),
        section(
            "favourites",
            _("Missions favorites"),
            Favourite.objects.filter(volunteer__user=user),
            {"mission__title": _("mission"), "created_at": _("ajoutée le")},
        ),
    ]


def erase(erasure: Erasure) -> None:
    """The profile row stays (engagements hang on it, and a company's reports count its
    employer); everything the person said of themselves goes."""
    profiles = VolunteerProfile.objects.filter(user=erasure.user)
    for profile in profiles:
        erasure.forget(profile.headline, profile.bio, profile.occupation)
        profile.causes.clear()
    profiles.update(
        headline="",
        bio="",
        occupation="",
        seniority=VolunteerProfile.Seniority.EXPERIENCED,
        city="",
        postcode="",
        departement=None,
        latitude=None,
        longitude=None,
        time_slots=[],
        languages=[],
        available_from=None,
        available_until=None,
        is_visible=False,
    )
    VolunteerSkill.objects.filter(profile__user=erasure.user).delete()
    Favourite.objects.filter(volunteer__user=erasure.user).delete()


def objects(user):
    return [VolunteerProfile.objects.filter(user=user)]


PROVIDER = PersonalDataProvider(app="volunteers", export=export, erase=erase, objects=objects)
