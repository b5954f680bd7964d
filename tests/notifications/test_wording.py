import pytest
from django.utils import translation

from notifications.models import Notification
from notifications.wording import word

Kind = Notification.Kind

BASE = {
    "mission": "Refonte du site",
    "association": "Les Ateliers",
    "volunteer": "Alice Martin",
    "author": "Bruno Petit",
    "company": "Acme",
    "date": "2026-12-01",
    "hours": "2.50",
    "message": "Merci !",
}

CONTEXTS = {
    Kind.APPLICATION_RECEIVED: BASE,
    Kind.APPLICATION_ACCEPTED: BASE,
    Kind.APPLICATION_DECLINED: {**BASE, "reason": "availability"},
    Kind.APPLICATION_WAITING: {**BASE, "days": 9},
    Kind.WAITLIST_PROMOTED: BASE,
    Kind.APPROVAL_NEEDED: BASE,
    Kind.APPROVAL_DECIDED: {**BASE, "decision": "approve", "audience": "volunteer"},
    Kind.HOURS_TO_VALIDATE: BASE,
    Kind.HOURS_DECIDED: {**BASE, "decision": "validate"},
    Kind.MISSION_STARTING: BASE,
    Kind.EVALUATION_DUE: {**BASE, "audience": "association"},
    Kind.ASSOCIATION_DECIDED: {**BASE, "decision": "reject", "reason": "RNA inconnu"},
    Kind.MISSION_DECIDED: {**BASE, "decision": "publish"},
    # The contexts other apps pass (missions.outreach, search, companies).
    Kind.INVITATION_RECEIVED: {"mission": "Refonte", "association": "Asso", "message": "Hello"},
    Kind.MESSAGE_RECEIVED: BASE,
    Kind.SAVED_SEARCH_MATCH: {"saved_search": "Lyon", "mission": "Refonte", "association": "A"},
    Kind.TESTIMONIAL_RECEIVED: {"mission": "Refonte", "association": "Asso"},
    Kind.TEAM_PUBLISHED: {
        "programme": "Marathon",
        "mission": "Refonte",
        "association": "Asso",
        "names": "Ana, Léo",
    },
}


@pytest.mark.parametrize("kind", [kind for kind in Kind if kind not in Notification.EMAIL_ONLY])
def test_every_kind_is_worded_from_its_context(kind):
    wording = word(kind, CONTEXTS[kind])
    assert wording.text != str(kind.label)
    assert "%(" not in wording.text and "%(" not in wording.title


def test_a_missing_fact_falls_back_to_the_kinds_name():
    wording = word(Kind.APPLICATION_ACCEPTED, {})
    assert wording.text == "Candidature acceptée"


def test_dates_hours_and_reasons_are_worded_in_the_active_language():
    text = word(Kind.HOURS_TO_VALIDATE, BASE).text
    assert "2,5 h le 1 décembre 2026" in text
    assert (
        "Disponibilités incompatibles"
        in word(Kind.APPLICATION_DECLINED, CONTEXTS[Kind.APPLICATION_DECLINED]).text
    )
    with translation.override("en"):
        assert "2.5" in word(Kind.HOURS_TO_VALIDATE, BASE).text
        assert "Dec. 1, 2026" in word(Kind.HOURS_TO_VALIDATE, BASE).text


def test_the_employers_approval_reminder_says_how_long_it_waited():
    context = {"employee": "Alice", "mission": "Refonte", "waiting_days": 4, "reminder": True}
    assert "depuis 4 jours" in word(Kind.APPROVAL_NEEDED, context).text
