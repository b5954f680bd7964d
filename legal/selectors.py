"""Reads of the legal documents: the version in force, and what a person has yet to accept."""

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.cache import cache

from .models import KINDS_TO_ACCEPT, Consent, LegalDocument

if TYPE_CHECKING:
    from core.permissions import Actor

logger = logging.getLogger(__name__)

# The date of the latest version to accept, kept for every page view's check.
LATEST_CACHE_KEY = "legal:latest-published"
LATEST_CACHE_SECONDS = 60


def current_document(kind: str) -> LegalDocument | None:
    """The version of ``kind`` in force, if one is published."""
    return LegalDocument.objects.current().filter(kind=kind).first()


def latest_to_accept() -> datetime | None:
    """When the latest version to accept was published (cached between page views)."""
    try:
        cached = cache.get(LATEST_CACHE_KEY)
    except Exception:  # an unreachable cache only costs a query
        logger.warning("Cache unreachable: legal documents read from the database.")
        cached = None
    if cached is not None:
        return cached or None
    latest = (
        LegalDocument.objects.current()
        .filter(kind__in=KINDS_TO_ACCEPT)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    try:
        cache.set(LATEST_CACHE_KEY, latest or "", LATEST_CACHE_SECONDS)
    except Exception:
        logger.warning("Cache unreachable: legal documents not cached.")
    return latest


def forget_latest() -> None:
    """Drop the cached date, after a version is published or changed."""
    try:
        cache.delete(LATEST_CACHE_KEY)
    except Exception:
        logger.warning("Cache unreachable: the legal documents' date expires on its own.")


def documents_to_accept(user: "Actor") -> list[LegalDocument]:
    """The versions in force ``user`` must accept and has not: those published since
    they joined (at sign-up they accepted the versions of the day)."""
    if not user.is_authenticated:
        return []
    latest = latest_to_accept()
    if latest is None or latest <= user.date_joined:
        return []  # the common case: nothing new since the person joined, no query
    return list(
        LegalDocument.objects.current()
        .filter(kind__in=KINDS_TO_ACCEPT, published_at__gt=user.date_joined)
        .exclude(pk__in=Consent.objects.filter(user=user).values("document"))
        .order_by("kind")
    )
