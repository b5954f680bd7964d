"""My engagements: states, withdrawing, hours, evaluation, testimonial, attestation."""

import base64
import datetime
import html
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from missions import models as mission_models
from missions.attestation import attestation_reference, reference_is_valid, render_attestation
from missions.models import Application, Evaluation, HoursEntry, Mission
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/benevole/engagements/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def action(name, application):
    return reverse(f"volunteers:{name}", args=[application.pk])


def test_every_application_is_listed_with_its_state(client, volunteer, association):
    states = ["applied", "accepted", "declined", "withdrawn", "active", "completed"]
    for state in states:
        factories.ApplicationFactory(
            volunteer=volunteer,
            state=state,
            mission=factories.MissionFactory(association=association, title=f"Mission {state}"),
        )
    client.force_login(volunteer.user)
    content = text(client.get(URL))
    for label in (
        "Candidature envoyée",
        "Acceptée",
        "Déclinée",
        "Retirée",
        "En cours",
        "Terminée",
    ):
        assert label in content
    assert content.count('class="engagement"') == len(states)


def test_the_waiting_list_position_is_shown(client, volunteer, mission):
    factories.ApplicationFactory(mission=mission, state=Application.State.WAITLISTED)
    mine = factories.ApplicationFactory(
        mission=mission, volunteer=volunteer, state=Application.State.WAITLISTED
    )
    client.force_login(volunteer.user)
    content = text(client.get(URL))
    assert "Sur liste d'attente" in content
    assert "Position sur la liste d'attente : 2" in content
    assert action("withdraw", mine) in content


def test_a_work_time_engagement_awaiting_the_employer_says_so(client, volunteer, mission):
    factories.ApplicationFactory(
        mission=mission,
        volunteer=volunteer,
        is_work_time=True,
        approval_state=Application.Approval.PENDING,
    )
    client.force_login(volunteer.user)
    assert "En attente de l'accord de votre employeur" in text(client.get(URL))


def test_engagements_link_to_the_message_thread(client, volunteer, mission):
    application = factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    client.force_login(volunteer.user)
    assert reverse("notifications:thread", args=[application.pk]) in text(client.get(URL))


def test_withdrawing_an_application(client, volunteer, mission):
    application = factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    client.force_login(volunteer.user)
    prefix = f"w{application.pk}"
    response = client.post(
        action("withdraw", application),
        {f"{prefix}-reason": "no_longer_available", f"{prefix}-message": "Désolée."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
    assert application.state_message == "Désolée."


def test_withdrawing_without_a_reason_shows_the_error_in_its_row(client, volunteer, mission):
    application = factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    client.force_login(volunteer.user)
    prefix = f"w{application.pk}"
    response = client.post(
        action("withdraw", application), {f"{prefix}-reason": "", f"{prefix}-message": "Gardé"}
    )
    content = text(response)
    assert response.status_code == 400
    assert 'role="alert"' in content
    assert "Gardé" in content
    assert re.search(r'<details class="engagement__form" open>\s*<summary>Retirer', content)
    application.refresh_from_db()
    assert application.state == Application.State.APPLIED


def test_logging_hours_on_an_active_engagement(client, volunteer, active_application):
    client.force_login(volunteer.user)
    prefix = f"h{active_application.pk}"
    day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        action("log_hours", active_application),
        {
            f"{prefix}-date": day.isoformat(),
            f"{prefix}-hours": "2.5",
            f"{prefix}-description": "Atelier",
        },
        follow=True,
    )
    entry = HoursEntry.objects.get(application=active_application)
    assert entry.hours == 2.5
    assert entry.state == HoursEntry.State.SUBMITTED
    content = text(response)
    assert "Atelier" in content
    assert "À valider" in content


def test_hours_in_the_future_are_refused_next_to_the_field(client, volunteer, active_application):
    client.force_login(volunteer.user)
    prefix = f"h{active_application.pk}"
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        action("log_hours", active_application),
        {f"{prefix}-date": day.isoformat(), f"{prefix}-hours": "2", f"{prefix}-description": ""},
    )
    content = text(response)
    assert response.status_code == 400
    assert "On ne déclare pas des heures à venir." in content
    assert f'id="id_{prefix}-date_error"' in content
    assert not HoursEntry.objects.exists()


def test_hours_cannot_be_logged_before_the_engagement_starts(client, volunteer, mission):
    application = factories.ApplicationFactory(mission=mission, volunteer=volunteer)
    client.force_login(volunteer.user)
    prefix = f"h{application.pk}"
    response = client.post(
        action("log_hours", application),
        {f"{prefix}-date": timezone.localdate().isoformat(), f"{prefix}-hours": "1"},
    )
    assert "engagement en cours ou terminé" in text(response)
    assert not HoursEntry.objects.exists()


def test_evaluating_a_completed_engagement_once(client, volunteer, completed_application):
    client.force_login(volunteer.user)
    prefix = f"e{completed_application.pk}"
    data = {
        f"{prefix}-rating": "5",
        f"{prefix}-objectives": "met",
        f"{prefix}-skills_transferred": "Paramétrer le CRM",
        f"{prefix}-comment": "",
    }
    assert client.post(action("evaluate", completed_application), data).status_code == 302
    evaluation = Evaluation.objects.get(application=completed_application)
    assert evaluation.side == Evaluation.Side.VOLUNTEER
    assert evaluation.rating == 5
    content = text(client.get(URL))
    assert "Vous avez évalué cet engagement" in content
    response = client.post(action("evaluate", completed_application), data)
    assert "Vous avez déjà évalué cet engagement." in text(response)


def test_leaving_a_testimonial_once_completed(client, volunteer, completed_application):
    client.force_login(volunteer.user)
    prefix = f"t{completed_application.pk}"
    response = client.post(
        action("testimonial", completed_application), {f"{prefix}-text": "Une belle mission."}
    )
    assert response.status_code == 302
    testimonial = mission_models.Testimonial.objects.get(application=completed_application)
    assert testimonial.text == "Une belle mission."
    assert "Vous avez laissé un témoignage" in text(client.get(URL))


def test_no_testimonial_before_completion(client, volunteer, active_application):
    client.force_login(volunteer.user)
    prefix = f"t{active_application.pk}"
    response = client.post(
        action("testimonial", active_application), {f"{prefix}-text": "Trop tôt."}
    )
    assert "une fois l'engagement terminé" in text(response)
    assert not mission_models.Testimonial.objects.exists()


def test_engagements_stay_within_the_query_budget(
    client, volunteer, association, django_assert_max_num_queries
):
    for index in range(5):
        application = factories.ApplicationFactory(
            volunteer=volunteer,
            state=Application.State.COMPLETED if index % 2 else Application.State.WAITLISTED,
            mission=factories.MissionFactory(association=association),
        )
        for day in range(3):
            HoursEntry.objects.create(
                application=application,
                date=timezone.localdate() - datetime.timedelta(days=day),
                hours=2,
                state=HoursEntry.State.VALIDATED,
            )
    client.force_login(volunteer.user)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert text(response).count("Télécharger l'attestation") == 2
    assert text(response).count("6 h") == 2


# --- Access -----------------------------------------------------------------------------


def test_nobody_sees_another_volunteers_engagements(client, other_volunteer, volunteer, mission):
    factories.ApplicationFactory(mission=mission, volunteer=volunteer, message="Secret")
    client.force_login(other_volunteer.user)
    content = text(client.get(URL))
    assert mission.title not in content
    assert "Aucun engagement" in content


@pytest.mark.parametrize("name", ["withdraw", "log_hours", "evaluate", "testimonial"])
def test_actions_on_another_volunteers_engagement_are_404(
    client, other_volunteer, completed_application, name
):
    client.force_login(other_volunteer.user)
    assert client.post(action(name, completed_application), {}).status_code == 404


@pytest.mark.parametrize("persona", ["owner", "outsider", "company_admin"])
def test_people_without_profile_are_sent_to_create_one(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("volunteers:profile"))


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Attestation ------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by reportlab: decode its streams (ASCII85 then
    Flate when compressed), keep the strings shown, undo their escapes."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\n?endstream", data, re.S):
        if stream.rstrip().endswith(b"~>"):
            stream = zlib.decompress(base64.a85decode(stream.rstrip()[:-2]))
        chunks.append(stream)
    strings = re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", b"\n".join(chunks), re.S)
    decoded = " ".join(s.decode("latin-1") for s in strings)
    decoded = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), decoded)
    return re.sub(r"\\(.)", r"\1", decoded)


def test_the_attestation_states_the_engagement(completed_application):
    volunteer = completed_application.volunteer
    volunteer.user.first_name, volunteer.user.last_name = "Camille", "Martin"
    volunteer.user.save()
    mission = completed_application.mission
    mission.title = "Mettre en place un CRM"
    mission.save()

    with translation.override("fr"):
        content = pdf_text(render_attestation(completed_application, compress=False))

    assert "Attestation d'engagement" in content
    assert "Camille Martin" in content
    assert mission.association.name in content
    assert f"RNA {mission.association.rna}" in content
    assert "Mettre en place un CRM" in content
    assert "6,5 h" in content  # validated hours only
    assert mission.skills.get().skill.name_fr.split()[0] in content
    assert attestation_reference(completed_application) in content


def test_the_attestation_is_in_the_requesters_language(completed_application):
    with translation.override("en"):
        content = pdf_text(render_attestation(completed_application, compress=False))
    assert "6.5 h" in content


def test_the_attestation_reference_can_be_checked(completed_application, other_volunteer):
    reference = attestation_reference(completed_application)
    assert reference_is_valid(reference)
    assert reference_is_valid(reference.lower())
    forged = reference[:-1] + ("0" if reference[-1] != "0" else "1")
    assert not reference_is_valid(forged)
    assert not reference_is_valid("PB-abc")


def test_the_volunteer_downloads_the_attestation(client, volunteer, completed_application):
    client.force_login(volunteer.user)
    response = client.get(action("attestation", completed_application))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert attestation_reference(completed_application) in pdf_text(response.content)


def test_no_attestation_before_completion(client, volunteer, active_application):
    client.force_login(volunteer.user)
    assert client.get(action("attestation", active_application)).status_code == 404


@pytest.mark.parametrize(
    "persona,status",
    [
        ("other_volunteer", 404),
        ("owner", 404),
        ("outsider", 404),
        ("company_admin", 404),
        ("staff", 200),
    ],
)
def test_only_the_volunteer_and_staff_download_the_attestation(
    client, completed_application, persona, status, request
):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    assert client.get(action("attestation", completed_application)).status_code == status


def test_anonymous_cannot_download_an_attestation(client, completed_application):
    response = client.get(action("attestation", completed_application))
    assert response.status_code == 302


def test_whole_hours_are_printed_without_decimals(completed_application):
    HoursEntry.objects.filter(application=completed_application).update(
        hours=5, state=HoursEntry.State.VALIDATED
    )
    with translation.override("fr"):
        content = pdf_text(render_attestation(completed_application, compress=False))
    assert "20 h" in content


def test_the_date_picker_offers_only_the_engagement_s_days(client, volunteer, active_application):
    start = timezone.localdate() - datetime.timedelta(days=4)
    Mission.objects.filter(pk=active_application.mission_id).update(start_date=start)
    active_application.decided_at = None
    active_application.save(update_fields=["decided_at"])
    client.force_login(volunteer.user)
    page = client.get(reverse("volunteers:engagements")).content.decode()
    assert f'min="{start.isoformat()}"' in page
    assert f'max="{timezone.localdate().isoformat()}"' in page
