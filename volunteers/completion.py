"""How complete a volunteer's profile is for the matching, item by item.

The one definition of what a profile needs for good suggestions: the profile page and
"Missions pour vous" show it as a meter with what is missing and why, and the welcome
e-mails (``notifications.welcome``) skip the step "complete your profile" once nothing
is missing. Each item is a field the matching engine reads (``matching.adapter``):

- skills with their levels: the largest factor, and a mission is suggested only to
  someone holding at least one of its skills (or a related one);
- causes: a mission of a chosen cause ranks first; none chosen counts every cause half;
- place and formats: on-site and hybrid missions are ranked by distance from the
  volunteer's city (within their maximum distance); remote missions need no place;
- availability: dates that have passed make every mission's dates miss;
- languages: a mission asking for a language ranks low for someone not speaking it;
- visibility: a hidden profile gets no suggestion at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import VolunteerProfile

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class CompletionItem:
    key: str
    label: "StrOrPromise"
    done: bool
    # Why it matters for the suggestions, and what to do when it is missing.
    why: "StrOrPromise"
    todo: "StrOrPromise"
    # The id of the section of the profile page where it is filled in.
    anchor: str
    # Missing, it leaves the volunteer without any suggestion.
    blocking: bool = False


@dataclass(frozen=True)
class ProfileCompletion:
    items: tuple[CompletionItem, ...]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 100

    @property
    def missing(self) -> list[CompletionItem]:
        return [item for item in self.items if not item.done]

    @property
    def done_labels(self) -> list["StrOrPromise"]:
        return [item.label for item in self.items if item.done]

    @property
    def is_complete(self) -> bool:
        return not self.missing


def _items(
    profile: VolunteerProfile | None, *, skill_count: int, cause_count: int
) -> Iterable[CompletionItem]:
    today = timezone.localdate()
    yield CompletionItem(
        key="skills",
        label=_("Compétences et niveaux"),
        done=skill_count > 0,
        why=_(
            "Le premier critère : une mission ne vous est suggérée que si vous avez au "
            "moins une des compétences qu'elle demande, ou une compétence proche."
        ),
        todo=_("Indiquez au moins une compétence et votre niveau."),
        anchor="profile-skills",
        blocking=True,
    )
    yield CompletionItem(
        key="causes",
        label=_("Causes"),
        done=cause_count > 0,
        why=_(
            "Les missions des causes que vous choisissez passent devant les autres ; "
            "sans cause choisie, chaque cause compte à moitié."
        ),
        todo=_("Choisissez les causes qui vous tiennent à cœur."),
        anchor="profile-causes",
    )
    only_remote = bool(
        profile
        and profile.accepts_remote
        and not (profile.accepts_on_site or profile.accepts_hybrid)
    )
    yield CompletionItem(
        key="place",
        label=_("Lieu et formats"),
        done=bool(profile and (profile.has_coordinates or only_remote)),
        why=_(
            "Les missions sur place ou hybrides sont classées selon leur distance à votre "
            "ville, dans la limite que vous fixez ; les missions à distance, partout."
        ),
        todo=_(
            "Indiquez une ville ou un code postal que nous savons situer, ou n'acceptez "
            "que les missions à distance."
        ),
        anchor="profile-place",
    )
    expired = bool(profile and profile.available_until and profile.available_until < today)
    yield CompletionItem(
        key="availability",
        label=_("Disponibilités"),
        done=profile is not None and not expired,
        why=_(
            "Vos dates et vos heures par mois sont comparées à celles de chaque mission : "
            "des dates passées écartent toutes les missions."
        ),
        todo=(
            _("Vos disponibilités sont passées : mettez-les à jour.")
            if expired
            else _("Indiquez vos heures disponibles par mois et, si besoin, vos dates.")
        ),
        anchor="profile-time",
    )
    yield CompletionItem(
        key="languages",
        label=_("Langues"),
        done=bool(profile and profile.languages),
        why=_(
            "Une mission qui demande une langue (anglais, langue des signes…) n'est bien "
            "classée que pour qui la parle."
        ),
        todo=_("Indiquez les langues dans lesquelles vous pouvez travailler."),
        anchor="profile-languages",
    )
    yield CompletionItem(
        key="visibility",
        label=_("Profil visible"),
        done=bool(profile and profile.is_visible),
        why=_(
            "Un profil masqué ne reçoit aucune suggestion et n'est pas proposé aux associations."
        ),
        todo=_("Votre profil est masqué : rendez-le visible pour recevoir des suggestions."),
        anchor="profile-visibility",
        blocking=True,
    )


def profile_completion(
    profile: VolunteerProfile | None,
    *,
    skill_count: int | None = None,
    cause_count: int | None = None,
) -> ProfileCompletion:
    """What ``profile`` (None: not created yet) has and lacks for the matching.

    ``skill_count`` and ``cause_count``, when the caller knows them already (a page that
    loaded the skills), save a query each."""
    if profile is None or profile.pk is None:
        skill_count = cause_count = 0
    else:
        if skill_count is None:
            skill_count = profile.skills.count()
        if cause_count is None:
            cause_count = profile.causes.count()
    return ProfileCompletion(
        items=tuple(_items(profile, skill_count=skill_count, cause_count=cause_count))
    )
