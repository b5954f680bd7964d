"""Attestation references are signed through Django's salted HMAC: rotating SECRET_KEY
(the old one moved to SECRET_KEY_FALLBACKS) keeps every reference issued checkable, and
references printed before this scheme still check."""

import hashlib
import hmac

import pytest

from missions.attestation import attestation_reference, reference_is_valid
from missions.models import Application
from tests import factories

pytestmark = pytest.mark.django_db

KEY_A = "a" * 50 + "-first-key"
KEY_B = "b" * 50 + "-second-key"


@pytest.fixture
def completed():
    return factories.ApplicationFactory(state=Application.State.COMPLETED)


def legacy_reference(application, key: str) -> str:
    """The reference as the first attestations printed it: HMAC-SHA256 under the raw key."""
    digest = hmac.new(
        key.encode(),
        f"attestation:{application.pk}:{application.volunteer_id}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"PB-{application.pk}-{digest[:10].upper()}"


def test_a_reference_signed_with_a_retired_key_still_checks(completed, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = KEY_A, []
    reference = attestation_reference(completed)
    assert reference_is_valid(reference)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = KEY_B, [KEY_A]
    assert reference_is_valid(reference)
    # New attestations are signed with the new key.
    assert attestation_reference(completed) != reference
    assert reference_is_valid(attestation_reference(completed))


def test_a_reference_signed_with_an_unknown_key_is_refused(completed, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = KEY_A, []
    reference = attestation_reference(completed)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = KEY_B, []
    assert not reference_is_valid(reference)


def test_references_issued_before_the_salted_scheme_still_check(completed, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = KEY_A, []
    old = legacy_reference(completed, KEY_A)
    assert old != attestation_reference(completed)
    assert reference_is_valid(old)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = KEY_B, [KEY_A]
    assert reference_is_valid(old)

    settings.SECRET_KEY_FALLBACKS = []
    assert not reference_is_valid(old)


def test_the_signature_is_bound_to_its_purpose(completed, settings):
    """The same key and value signed for another purpose (another salt) do not check."""
    from django.utils.crypto import salted_hmac

    value = f"{completed.pk}:{completed.volunteer_id}"
    other = salted_hmac("probono.other.purpose", value, algorithm="sha256").hexdigest()
    assert not reference_is_valid(f"PB-{completed.pk}-{other[:10].upper()}")


def test_a_reference_for_another_engagement_is_refused(completed, settings):
    other = factories.ApplicationFactory(state=Application.State.COMPLETED)
    reference = attestation_reference(completed)
    _prefix, _pk, digest = reference.split("-")
    assert not reference_is_valid(f"PB-{other.pk}-{digest}")
    assert not reference_is_valid(reference.replace("PB-", "XX-"))
