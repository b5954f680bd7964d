"""The reference lists pages and searches read on every request, cached.

Skills (with their family), causes, régions and départements change only when staff
edit them: each list is read once, kept in the cache, and forgotten as soon as one of
them is saved or deleted (and after ``REFERENCE_CACHE_SECONDS`` at most, for changes
that bypass the models' signals).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from .models import Cause, Departement, Region, Skill

REFERENCE_CACHE_KEY = "taxonomy:reference-lists:v1"
REFERENCE_CACHE_SECONDS = 600


@dataclass(frozen=True)
class ReferenceLists:
    skills: tuple[Skill, ...]  # by family, then name; ``family`` loaded
    causes: tuple[Cause, ...]  # by French name
    regions: tuple[Region, ...]  # by name
    departements: tuple[Departement, ...]  # by code

    def by_code(self, kind: str) -> dict[str, Any]:
        """``kind`` ("skills", "causes", "regions", "departements") keyed by code."""
        rows: tuple[Any, ...] = getattr(self, kind)
        return {row.code: row for row in rows}


def reference_lists() -> ReferenceLists:
    lists: ReferenceLists | None = cache.get(REFERENCE_CACHE_KEY)
    if lists is None:
        lists = ReferenceLists(
            skills=tuple(
                Skill.objects.select_related("family").order_by("family__name_fr", "name_fr")
            ),
            causes=tuple(Cause.objects.order_by("name_fr")),
            regions=tuple(Region.objects.order_by("name")),
            departements=tuple(Departement.objects.order_by("code")),
        )
        cache.set(REFERENCE_CACHE_KEY, lists, REFERENCE_CACHE_SECONDS)
    return lists


def forget_reference_lists(**kwargs: Any) -> None:
    """Signal receiver: a skill, family, cause, région or département changed."""
    cache.delete(REFERENCE_CACHE_KEY)
