"""Writes about legal documents: recording that a person accepted them."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from . import selectors
from .models import KINDS_TO_ACCEPT, Consent, LegalDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


@transaction.atomic
def consent_record(
    *, user: "User", documents: Iterable[LegalDocument], ip_address: str | None = None
) -> list[Consent]:
    """Record that ``user`` accepted each of ``documents`` now (once per version)."""
    consents = []
    for document in documents:
        consent, _created = Consent.objects.get_or_create(
            user=user,
            document=document,
            defaults={"kind": document.kind, "version": document.version, "ip_address": ip_address},
        )
        consents.append(consent)
    return consents


def document_changed() -> None:
    """A version was published or its date changed: every page view checks again."""
    transaction.on_commit(selectors.forget_latest)


def consent_record_current(*, user: "User", ip_address: str | None = None) -> list[Consent]:
    """Record that ``user`` accepted the versions in force of what must be accepted
    (at sign-up, where the form asked for it)."""
    documents = LegalDocument.objects.current().filter(kind__in=KINDS_TO_ACCEPT)
    return consent_record(user=user, documents=documents, ip_address=ip_address)
