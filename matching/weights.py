"""The weights and tunable constants of the matching score, in one place.

The score of a (volunteer, mission) pair is the weighted mean of nine factors, each in
[0, 1]::

    score = sum(weight[f] * factor[f]) / sum(weight[f])

so it lies in [0, 1] whatever the weights (they need not sum to 1, only be >= 0 with at
least one > 0). Settings can tune them without touching code, e.g.::

    MATCHING_WEIGHTS = {"skills": 0.40, "fairness": 0.03}
    MATCHING_PARAMS = {"related_skill_credit": 0.6}

and the adapter passes ``resolve_weights(settings.MATCHING_WEIGHTS)`` and
``resolve_params(settings.MATCHING_PARAMS)`` to the engine. Unknown keys and invalid
values raise ``ValueError`` at start-up rather than silently scoring with a typo.

Hard filters (invisible volunteers, closed missions, pairs already applied to or hidden,
on-site missions beyond the volunteer's maximum distance, formats the volunteer does not
accept, programme missions reserved to another company) are not weights: no weight can
make such a pair appear.

This module is plain Python (no Django, no numpy).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

#: The factors, in the order of the engine's factor matrices (columns) and of explanations.
FACTORS: tuple[str, ...] = (
    "skills",
    "cause",
    "place",
    "time",
    "language",
    "seniority",
    "format",
    "programme",
    "fairness",
)

#: Default weights. Why each one:
DEFAULT_WEIGHTS: dict[str, float] = {
    # Pro bono is skills-based: an association asks for a competence it lacks, and a
    # volunteer without it cannot deliver whatever else fits. The largest weight, but not a
    # majority, so that among several competent people the rest still decides.
    "skills": 0.36,
    # Being able to come (on-site, hybrid) is the second condition of a mission that gets
    # done; the hard filter already removes on-site pairs beyond the maximum distance, this
    # ranks the remaining ones by nearness. Remote missions always get 1 here.
    "place": 0.14,
    # Dates and hours: a volunteer available for part of the period or short of hours can
    # still help, but completion rates drop; as heavy as place.
    "time": 0.14,
    # Caring about the cause predicts commitment and completion, but many skilled
    # volunteers are open to any cause: a real but secondary signal.
    "cause": 0.10,
    # Not speaking a language the mission requires (English with a foreign partner, sign
    # language...) usually makes the mission impossible; most missions are in French only
    # so this rarely discriminates, hence a moderate weight rather than a hard filter.
    "language": 0.08,
    # Only where the association states a preference (else neutral 1): a preference, not
    # a requirement.
    "seniority": 0.05,
    # Always 1 once the hard filter has removed formats the volunteer refuses: it is kept
    # as a factor so the explanation can say "accepts on-site"; a small weight.
    "format": 0.03,
    # A bonus: the volunteer's company runs a programme this mission is eligible for, so
    # the hours are sponsored (mécénat de compétences) and the employer supports it.
    "programme": 0.05,
    # A bonus so that missions nobody applied to yet and small associations (no or few
    # employees) do not starve behind large, attractive ones. Small on purpose: it breaks
    # near-ties, it never lifts a poor match above a good one.
    "fairness": 0.05,
}

assert set(DEFAULT_WEIGHTS) == set(FACTORS)


def resolve_weights(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Return the default weights updated with ``overrides``, validated.

    Keys must be factor names (:data:`FACTORS`); values finite numbers >= 0; at least one
    resulting weight must be > 0. The result is a new dict in :data:`FACTORS` order.
    """
    weights = dict(DEFAULT_WEIGHTS)
    if overrides:
        if not isinstance(overrides, Mapping):
            raise ValueError("matching weights must be a mapping of factor name to weight")
        unknown = sorted(set(overrides) - set(FACTORS))
        if unknown:
            raise ValueError(
                f"unknown matching weight(s): {', '.join(map(str, unknown))}; "
                f"expected some of: {', '.join(FACTORS)}"
            )
        for key, value in overrides.items():
            weights[key] = _non_negative(f"weight {key!r}", value)
    if sum(weights.values()) <= 0:
        raise ValueError("at least one matching weight must be > 0")
    return {name: float(weights[name]) for name in FACTORS}


def _non_negative(what: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number >= 0, got {value!r}")
    return value


@dataclass(frozen=True)
class ScoringParams:
    """The constants inside the factors (not their weights). All tunable in settings."""

    # --- skills -----------------------------------------------------------------------
    #: Credit of a required skill the volunteer does not have but has a *related* skill of
    #: (taxonomy "related" pairs: WordPress for website creation), times the level fit.
    related_skill_credit: float = 0.5
    #: Credit when the volunteer only has a skill of the same *family* (digital, legal...).
    family_skill_credit: float = 0.25
    #: Share of the skills factor given by nice-to-have skills when the mission lists some
    #: (the rest is the coverage of the required ones). Missions without nice-to-have
    #: skills are scored on required coverage alone.
    nice_to_have_share: float = 0.2
    # --- cause ------------------------------------------------------------------------
    #: Cause factor when the volunteer lists causes but not the mission's.
    other_cause: float = 0.0
    #: Cause factor when the volunteer lists no cause at all (open to any).
    no_cause_stated: float = 0.5
    # --- place ------------------------------------------------------------------------
    #: Hybrid missions: factor at exactly the volunteer's maximum distance (1 within half
    #: of it), falling linearly to 0 at ``hybrid_zero_at`` × the maximum. Hybrid missions
    #: are never filtered on distance (the presence part is occasional).
    hybrid_at_max: float = 0.5
    hybrid_zero_at: float = 2.0
    #: When either side has no coordinates: same département, same région, otherwise.
    same_departement: float = 0.75
    same_region: float = 0.4
    unknown_place: float = 0.2
    # --- time -------------------------------------------------------------------------
    #: Length assumed for a mission without an end date (days from its start).
    default_mission_days: int = 90
    #: Weeks per month, to compare a mission's hours a week with the volunteer's a month.
    weeks_per_month: float = 4.33
    #: time = dates_fit * (1 - hours_share + hours_share * hours_fit): being there at the
    #: dates is necessary, having fewer hours than asked only partly lowers the factor.
    hours_share: float = 0.5
    # --- seniority --------------------------------------------------------------------
    #: fit[wanted][volunteer], order junior, experienced, senior, retiree.
    seniority_fit: tuple[tuple[float, ...], ...] = (
        (1.0, 0.6, 0.3, 0.3),
        (0.4, 1.0, 0.8, 0.7),
        (0.1, 0.5, 1.0, 0.9),
        (0.0, 0.3, 0.8, 1.0),
    )
    #: Seniority factor when the mission asks for one and the volunteer's is unknown.
    unknown_seniority: float = 0.5
    # --- programme --------------------------------------------------------------------
    #: A mission attached to a company programme is open only to that company's people.
    programme_missions_reserved: bool = True

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "seniority_fit":
                if len(value) != 4 or any(len(row) != 4 for row in value):
                    raise ValueError("seniority_fit must be a 4 × 4 table")
                for row in value:
                    for cell in row:
                        _unit(f"seniority_fit cell {cell!r}", cell)
            elif f.name == "programme_missions_reserved":
                if not isinstance(value, bool):
                    raise ValueError("programme_missions_reserved must be a boolean")
            elif f.name in ("hybrid_zero_at", "weeks_per_month"):
                if _non_negative(f.name, value) < (1.0 if f.name == "hybrid_zero_at" else 0.1):
                    raise ValueError(f"{f.name} is too small: {value!r}")
            elif f.name == "default_mission_days":
                if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    raise ValueError("default_mission_days must be an integer >= 1")
            else:
                _unit(f.name, value)


def _unit(what: str, value: object) -> float:
    value = _non_negative(what, value)
    if value > 1:
        raise ValueError(f"{what} must lie in [0, 1], got {value!r}")
    return value


DEFAULT_PARAMS = ScoringParams()


def resolve_params(overrides: Mapping[str, object] | None = None) -> ScoringParams:
    """Return :data:`DEFAULT_PARAMS` updated with ``overrides`` (validated)."""
    if not overrides:
        return DEFAULT_PARAMS
    known = {f.name for f in fields(ScoringParams)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"unknown matching parameter(s): {', '.join(map(str, unknown))}")
    values: dict[str, Any] = dict(overrides)  # checked by ScoringParams
    if "seniority_fit" in values:
        values["seniority_fit"] = tuple(tuple(row) for row in values["seniority_fit"])
    return replace(DEFAULT_PARAMS, **values)
