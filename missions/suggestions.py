"""What missions need to know of suggestions, answered by the matching service.

The matching service sits on a higher floor (it reads missions, volunteers and
associations to score them), so missions never import it. It plugs itself in here
from its ``ready()``, the way pretix's plugins answer the signals of its core: the
pipeline lists a mission's suggested volunteers, an association hides one, and a new
application keeps the factors it was suggested with. With no provider plugged in,
there is no suggestion to show and nothing to hide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django import forms

    from .models import Mission


@dataclass(frozen=True)
class SuggestionProvider:
    # The volunteers suggested for a mission, best first; each item has ``volunteer_id``,
    # ``volunteer`` (read from the queryset given), ``explanation`` (worded for the
    # association), ``score_percent`` and ``shares`` (each factor's ``label`` and
    # ``percent`` of the score, for the bars).
    for_mission: Callable[..., list[Any]]
    # The factors a pair was last suggested with, None when it was not.
    factors: Callable[..., dict[str, float] | None]
    # The association says a suggested volunteer is not relevant for its mission.
    hide: Callable[..., Any]
    # The form an association fills to hide a suggestion (reason, comment).
    hide_form: type[forms.Form]
    # Suggested pairs as an HTML table for staff (``show``: "volunteer" or "mission").
    staff_table: Callable[..., str]


_provider: SuggestionProvider | None = None


def provide(provider: SuggestionProvider) -> None:
    global _provider
    _provider = provider


def provider() -> SuggestionProvider | None:
    return _provider


def for_mission(mission: Mission, volunteers=None) -> list[Any]:
    return _provider.for_mission(mission, volunteers) if _provider else []


def staff_table(mission: Mission, volunteers=None) -> str:
    """The suggested volunteers of ``mission`` as staff read them in the admin."""
    if _provider is None:
        return "—"
    return _provider.staff_table(for_mission(mission, volunteers), show="volunteer")


def suggested_factors(*, mission_id: int, volunteer_id: int) -> dict[str, float] | None:
    if _provider is None:
        return None
    return _provider.factors(mission_id=mission_id, volunteer_id=volunteer_id)
