"""Reading suggestions: the stored lists, with the current state of each pair.

A list is kept as the engine computed it; what happened since is applied on reading:
a mission closed or filled, a profile hidden, an application made, a suggestion the
association hid. Staff proposals come first on a mission's list. Each function runs a
constant number of queries, whatever the length of the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

import numpy as np
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from missions.models import Mission, MissionQuerySet
from taxonomy.models import Skill
from volunteers.models import VolunteerProfile, VolunteerProfileQuerySet

from . import explain
from .explain import SkillNames, explain_details, factor_shares
from .models import HiddenSuggestion, MatchingRun, Proposal, SuggestionList, SuggestionSource
from .storage import StoredList
from .weights import FACTORS

#: What each factor is called next to its share of the score.
FACTOR_LABELS = {
    "skills": _("Compétences"),
    "cause": _("Cause"),
    "place": _("Lieu"),
    "time": _("Disponibilités"),
    "language": _("Langues"),
    "seniority": _("Séniorité"),
    "format": _("Format"),
    "programme": _("Programme d'entreprise"),
    "fairness": _("Équité"),
}


@dataclass(frozen=True)
class FactorShare:
    """One factor's part of a suggestion's score, as its bar shows it."""

    code: str
    label: str
    percent: int


@dataclass
class SuggestedPair:
    """One suggestion as shown: a volunteer for a mission, with the reasons."""

    mission_id: int
    volunteer_id: int
    rank: int
    score: float
    factors: dict[str, float]
    explanation_fr: str
    explanation_en: str
    computed_at: dt.datetime
    # the normalised weights the score was computed with (empty for a staff proposal
    # the engine did not score)
    weights: dict[str, float] = field(default_factory=dict)
    source: str = SuggestionSource.ENGINE
    note: str = ""
    proposed_by_id: int | None = None
    mission: Mission | None = field(default=None, repr=False)
    volunteer: VolunteerProfile | None = field(default=None, repr=False)

    @property
    def explanation(self) -> str:
        english = (get_language() or "fr").startswith("en")
        return self.explanation_en if english else self.explanation_fr

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)

    @cached_property
    def shares(self) -> list[FactorShare]:
        """The factors that count in the score, each with its share in percents (the
        shares add up to 100), in the engine's order; empty when the engine did not
        score the pair. (Computed once: a page reads it twice per suggestion.)"""
        if not self.weights:
            return []
        percents = factor_shares(
            [self.factors.get(code, 0.0) for code in FACTORS],
            [self.weights.get(code, 0.0) for code in FACTORS],
        )
        return [
            FactorShare(code, str(FACTOR_LABELS[code]), percent)
            for code, percent in zip(FACTORS, percents, strict=True)
            if percent
        ]


def _skill_names(stored: list[StoredList]) -> tuple[np.ndarray, SkillNames]:
    """Skill primary keys (sorted) and their names, for the entries of ``stored`` (the
    mission's skills and the volunteer's ones behind a related credit)."""
    pks = np.unique(
        np.concatenate(
            [s.entries["skill"] for s in stored]
            + [s.entries["via"][s.entries["via"] >= 0] for s in stored]
            or [np.zeros(0, int)]
        )
    )
    found = {
        pk: (code, fr, en)
        for pk, code, fr, en in Skill.objects.filter(pk__in=pks.tolist()).values_list(
            "pk", "code", "name_fr", "name_en"
        )
    }
    gone = ("", "compétence retirée", "withdrawn skill")
    rows = [found.get(pk, gone) for pk in pks.tolist()]
    return pks, SkillNames(
        tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows)
    )


def _pairs(
    row: SuggestionList,
    stored: StoredList,
    skill_pks: np.ndarray,
    names: SkillNames,
    *,
    audience: str | None = None,
) -> list[SuggestedPair]:
    """The pairs of ``row``, explained for ``audience`` (by default, the owner of the
    list: the association of a mission's list, the volunteer of a volunteer's)."""
    owner_is_mission = row.mission_id is not None
    # A list belongs to a mission or to a volunteer.
    owner = cast(int, row.mission_id if owner_is_mission else row.volunteer_id)
    if audience is None:
        audience = explain.ASSOCIATION if owner_is_mission else explain.VOLUNTEER
    details = stored.details(owner=owner, owner_is_mission=owner_is_mission)
    details.entry_skill = np.searchsorted(skill_pks, details.entry_skill)
    held = details.entry_via >= 0
    details.entry_via = np.where(held, np.searchsorted(skill_pks, details.entry_via), -1)
    explanations = explain_details(details, names, audience=audience)
    weights = dict(zip(FACTORS, stored.weights.astype(np.float64).tolist(), strict=True))
    factors = np.round(stored.pairs["factors"].astype(np.float64), 3).tolist()
    scores = np.round(stored.pairs["score"].astype(np.float64), 4).tolist()
    return [
        SuggestedPair(
            mission_id=m,
            volunteer_id=v,
            rank=rank,
            score=scores[i],
            factors=dict(zip(FACTORS, factors[i], strict=True)),
            explanation_fr=explanation.text_fr,
            explanation_en=explanation.text_en,
            computed_at=row.computed_at,
            weights=weights,
        )
        for i, (m, v, rank, explanation) in enumerate(
            zip(
                details.missions.tolist(),
                details.volunteers.tolist(),
                stored.pairs["rank"].tolist(),
                explanations,
                strict=True,
            )
        )
    ]


def _read(
    row: SuggestionList | None, stored: StoredList | None, allowed: Collection[int]
) -> list[SuggestedPair]:
    """The pairs of ``row`` (decoded: ``stored``) whose other side is in ``allowed``."""
    if row is None:
        return []
    stored = cast(StoredList, stored)  # decoded from row
    stored = stored.take([i for i, pk in enumerate(stored.others) if pk in allowed])
    skill_pks, names = _skill_names([stored])
    return _pairs(row, stored, skill_pks, names)


def _stored(row: SuggestionList | None) -> tuple[StoredList | None, list[int]]:
    if row is None:
        return None, []
    stored = row.decoded()
    return stored, stored.others


def mission_suggestions(
    mission: Mission, volunteers: VolunteerProfileQuerySet | None = None
) -> list[SuggestedPair]:
    """The volunteers suggested for ``mission``, staff proposals first, then by rank.

    Only visible, active volunteers who have not applied and whom the association did
    not hide. ``volunteers``: the queryset they are read from (to select or prefetch
    what the caller shows); ``pair.volunteer`` is set from it.
    """
    volunteers = VolunteerProfile.objects.all() if volunteers is None else volunteers
    eligible = (
        volunteers.visible()
        .exclude(applications__mission=mission)
        .exclude(pk__in=HiddenSuggestion.objects.filter(mission=mission).values("volunteer"))
    )
    row = SuggestionList.objects.filter(mission=mission).first()
    proposals = list(Proposal.objects.filter(mission=mission).order_by("created_at"))
    stored, others = _stored(row)
    found = {
        v.pk: v for v in eligible.filter(pk__in={*others, *(p.volunteer_id for p in proposals)})
    }
    pairs = _read(row, stored, found.keys())
    by_volunteer = {pair.volunteer_id: pair for pair in pairs}
    staff: list[SuggestedPair] = []
    for proposal in proposals:
        if proposal.volunteer_id not in found:
            continue
        # The engine's reasons stay beside the team's note when it scored the pair too.
        engine_pair = by_volunteer.pop(proposal.volunteer_id, None)
        staff.append(
            SuggestedPair(
                mission_id=mission.pk,
                volunteer_id=proposal.volunteer_id,
                rank=0,
                score=engine_pair.score if engine_pair else 0.0,
                factors=engine_pair.factors if engine_pair else {},
                explanation_fr=engine_pair.explanation_fr if engine_pair else "",
                explanation_en=engine_pair.explanation_en if engine_pair else "",
                computed_at=proposal.created_at,
                weights=engine_pair.weights if engine_pair else {},
                source=SuggestionSource.STAFF,
                note=proposal.note,
                proposed_by_id=proposal.proposed_by_id,
            )
        )
    result = staff + [pair for pair in pairs if pair.volunteer_id in by_volunteer]
    for pair in result:
        pair.volunteer = found[pair.volunteer_id]
    return result


def volunteer_suggestions(
    profile: VolunteerProfile, missions: MissionQuerySet | None = None
) -> list[SuggestedPair]:
    """The missions suggested to ``profile``, by rank: open ones with a free seat it has
    not applied to, and that no association hid it from. ``missions``: the queryset they
    are read from; ``pair.mission`` is set from it."""
    missions = Mission.objects.all() if missions is None else missions
    row = SuggestionList.objects.filter(volunteer=profile).first()
    if row is None:
        return []
    eligible = (
        missions.open_for_applications()
        .with_taken_seats()
        # A full mission leaves the list at once, and comes back when a seat frees. (The
        # plugin loses annotate()'s fields through a queryset method returning Self.)
        .filter(taken_seats__lt=F("seats"))  # type: ignore[misc]
        .exclude(applications__volunteer=profile)
        .exclude(pk__in=HiddenSuggestion.objects.filter(volunteer=profile).values("mission"))
    )
    stored, others = _stored(row)
    found = {m.pk: m for m in eligible.filter(pk__in=others)}
    pairs = _read(row, stored, found.keys())
    for pair in pairs:
        pair.mission = found[pair.mission_id]
    return pairs


def stored_pair(*, mission_id: int, volunteer_id: int) -> SuggestedPair | None:
    """The engine's stored suggestion of this volunteer for this mission, if any."""
    row = SuggestionList.objects.filter(mission_id=mission_id).first()
    stored, _others = _stored(row)
    return next(iter(_read(row, stored, {volunteer_id})), None)


def suggested_factors(*, mission_id: int, volunteer_id: int) -> dict[str, float] | None:
    """The factors of the pair as the engine last suggested it (to the volunteer, or to
    the mission's association), None when it did not."""
    rows = SuggestionList.objects.filter(Q(volunteer_id=volunteer_id) | Q(mission_id=mission_id))
    # The volunteer's own list first: what the volunteer was shown.
    for row in sorted(rows, key=lambda row: row.mission_id is not None):
        stored = row.decoded()
        other = mission_id if row.volunteer_id else volunteer_id
        positions = np.flatnonzero(stored.pairs["other"] == other)
        if len(positions):
            values = np.round(stored.pairs["factors"][positions[0]].astype(np.float64), 3)
            return dict(zip(FACTORS, values.tolist(), strict=True))
    return None


def lists_explained(rows: list[SuggestionList]) -> list[list[SuggestedPair]]:
    """Every pair of each list as stored, explained (for staff screens)."""
    stored = [row.decoded() for row in rows]
    skill_pks, names = _skill_names(stored)
    return [
        _pairs(row, s, skill_pks, names, audience=explain.STAFF)
        for row, s in zip(rows, stored, strict=True)
    ]


def volunteer_list_is_current(profile: VolunteerProfile) -> bool:
    """Whether the volunteer's suggestions were computed since their profile last
    changed: an empty list then means that nothing fits (or all was applied to), not
    that the computation is still to come."""
    since = profile.updated_at
    if SuggestionList.objects.filter(volunteer=profile, computed_at__gte=since).exists():
        return True
    return MatchingRun.objects.filter(
        Q(scope=MatchingRun.Scope.FULL)
        | Q(scope=MatchingRun.Scope.VOLUNTEER, target_id=profile.pk),
        state=MatchingRun.State.SUCCEEDED,
        finished_at__gte=since,
    ).exists()
