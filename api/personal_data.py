"""What the API keeps of a person: the answers to their own calls, kept a few hours to
replay a retried call (see :mod:`accounts.personal_data`)."""

from accounts.personal_data import Erasure, PersonalDataProvider, Section

from .models import IdempotentRequest


def export(user) -> list[Section]:
    # Copies of answers the person already received, kept for a few hours: nothing new.
    return []


def erase(erasure: Erasure) -> None:
    IdempotentRequest.objects.filter(owner=f"user:{erasure.user.pk}").delete()


def scrub(erasure: Erasure) -> None:
    # An association's answer that named the applicant, for instance.
    erasure.scrub_rows(IdempotentRequest.objects.filter(erasure.mentions("body")), "body")


PROVIDER = PersonalDataProvider(app="api", export=export, erase=erase, scrub=scrub)
