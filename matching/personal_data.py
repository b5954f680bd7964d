"""What the matching app holds of a person: the missions suggested to them, and the
staff's proposals and associations' dismissals about them (see
:mod:`accounts.personal_data`). All of it is dropped when they leave."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.personal_data import ERASED, Erasure, PersonalDataProvider, Section, section
from missions.models import Mission

from .models import HiddenSuggestion, Proposal, SuggestionList


def _suggested_missions(user: User) -> Section:
    suggestion_list = SuggestionList.objects.filter(volunteer__user=user).first()
    mission_ids = suggestion_list.decoded().others if suggestion_list else []
    titles = dict(Mission.objects.filter(pk__in=mission_ids).values_list("pk", "title"))
    return Section(
        key="suggested_missions",
        title=_("Missions suggérées"),
        columns=[("rank", _("rang")), ("mission", _("mission"))],
        rows=[
            {"rank": rank, "mission": titles[mission_id]}
            for rank, mission_id in enumerate(mission_ids, start=1)
            if mission_id in titles
        ],
    )


def export(user: User) -> list[Section]:
    return [
        _suggested_missions(user),
        section(
            "staff_proposals",
            _("Propositions de l'équipe"),
            Proposal.objects.filter(volunteer__user=user),
            {
                "mission__title": _("mission"),
                "note": _("note de l'équipe"),
                "created_at": _("proposée le"),
            },
        ),
        section(
            "dismissed_suggestions",
            _("Suggestions écartées par les associations"),
            HiddenSuggestion.objects.filter(volunteer__user=user),
            {
                "mission__title": _("mission"),
                "reason": _("motif"),
                "comment": _("commentaire"),
                "created_at": _("le"),
            },
        ),
    ]


def erase(erasure: Erasure) -> None:
    user = erasure.user
    SuggestionList.objects.filter(volunteer__user=user).delete()
    Proposal.objects.filter(volunteer__user=user).delete()
    HiddenSuggestion.objects.filter(volunteer__user=user).delete()
    written = HiddenSuggestion.objects.filter(hidden_by=user).exclude(comment="")
    erasure.forget(*written.values_list("comment", flat=True))
    written.update(comment=ERASED)
    # The lists of suggested volunteers that still name the profile are rewritten by
    # the next computation; until then they skip it, as they skip any hidden profile.


def objects(user: User) -> list[QuerySet[Any]]:
    return [
        Proposal.objects.filter(volunteer__user=user),
        HiddenSuggestion.objects.filter(volunteer__user=user),
    ]


PROVIDER = PersonalDataProvider(app="matching", export=export, erase=erase, objects=objects)
