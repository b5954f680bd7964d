"""The reference lists pages and searches read on every request, cached.

Skills (with their family), causes, régions and départements change only when staff
edit them: each process reads them once per version, and the shared cache holds the
current version's name. Saving or deleting one of them forgets that name, so every
process reads the lists again at its next request (and after
``REFERENCE_CACHE_SECONDS`` at most, for changes that bypass the models' signals).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from .models import Cause, Departement, Region, Skill

REFERENCE_VERSION_KEY = "taxonomy:reference-lists:version"
REFERENCE_CACHE_SECONDS = 600

# The lists of the current version, in this process (shared by its threads: never
# changed once read).
_held: dict[str, ReferenceLists] = {}
_lock = threading.Lock()


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
    """The lists, read from the database once per version: the shared cache holds only
    the current version's name, and each process keeps the lists of the version it
    read (unpickling some 400 rows at each request cost more than the page's SQL)."""
    version = cache.get(REFERENCE_VERSION_KEY)
    if version is None:
        # Named before reading: a change saved meanwhile forgets this name too.
        cache.add(REFERENCE_VERSION_KEY, uuid.uuid4().hex, REFERENCE_CACHE_SECONDS)
        version = cache.get(REFERENCE_VERSION_KEY)
    held = _held.get(version) if version is not None else None
    if held is not None:
        return held
    lists = ReferenceLists(
        skills=tuple(Skill.objects.select_related("family").order_by("family__name_fr", "name_fr")),
        causes=tuple(Cause.objects.order_by("name_fr")),
        regions=tuple(Region.objects.order_by("name")),
        departements=tuple(Departement.objects.order_by("code")),
    )
    if version is not None:
        with _lock:
            _held.clear()  # only the current version is worth keeping
            _held[version] = lists
    return lists


def forget_reference_lists(**kwargs: Any) -> None:
    """Signal receiver: a skill, family, cause, région or département changed."""
    cache.delete(REFERENCE_VERSION_KEY)
