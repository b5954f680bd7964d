import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from companies.models import CompanyMember
from notifications.models import Message, Notification
from notifications.services import message_post
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def thread_url(application) -> str:
    return reverse("notifications:thread", args=[application.pk])


@pytest.fixture
def applicant(application):
    return application.volunteer.user


def test_anonymous_visitors_are_sent_to_the_login_page(client, application):
    response = client.get(thread_url(application))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_applicant_and_the_association_members_read_the_thread(
    client, application, applicant, owner, colleague
):
    Message.objects.create(application=application, author=owner, body="Bonjour Alice")
    for person in (applicant, owner, colleague):
        client.force_login(person)
        response = client.get(thread_url(application))
        assert response.status_code == 200
        content = response.content.decode()
        assert application.mission.title in content
        assert application.mission.association.name in content
        assert "Bonjour Alice" in content
        assert 'name="body"' in content


def test_staff_read_the_thread_without_writing(client, application, staff):
    client.force_login(staff)
    response = client.get(thread_url(application))
    assert response.status_code == 200
    assert 'name="body"' not in response.content.decode()
    response = client.post(thread_url(application), {"body": "Bonjour"})
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_a_referent_of_another_territory_gets_nothing(client, application):
    from taxonomy.models import Departement

    referent = factories.UserFactory(is_staff=True, is_referent=True)
    referent.referent_departements.add(Departement.objects.get(code="75"))
    client.force_login(referent)
    assert client.get(thread_url(application)).status_code == 404


@pytest.fixture
def other_member(db):
    return factories.AssociationMemberFactory().user


@pytest.fixture
def company_admin(application):
    company = factories.CompanyFactory()
    application.volunteer.employer = company
    application.volunteer.save(update_fields=["employer"])
    return factories.CompanyMemberFactory(
        company=company, role=CompanyMember.Role.PROGRAMME_ADMIN
    ).user


@pytest.mark.parametrize("persona", ["outsider", "other_member", "company_admin", "volunteer_2"])
def test_anyone_else_gets_a_404_reading_or_writing(client, application, persona, request):
    if persona == "volunteer_2":
        person = factories.VolunteerFactory().user
    else:
        person = request.getfixturevalue(persona)
    client.force_login(person)
    assert client.get(thread_url(application)).status_code == 404
    assert client.post(thread_url(application), {"body": "Coucou"}).status_code == 404
    assert not Message.objects.exists()


def test_guessing_an_id_gets_a_404(client, applicant, application):
    client.force_login(applicant)
    response = client.get(reverse("notifications:thread", args=[application.pk + 1000]))
    assert response.status_code == 404


def test_the_applicant_writes_and_every_member_is_told(
    client, application, applicant, owner, colleague, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(thread_url(application), {"body": "  Je peux venir jeudi.  "})
    assert response.status_code == 302
    assert response["Location"].endswith(thread_url(application) + "#conversation")
    message = Message.objects.get()
    assert (message.author, message.body) == (applicant, "Je peux venir jeudi.")
    told = Notification.objects.filter(kind=Kind.MESSAGE_RECEIVED)
    assert {n.recipient for n in told} == {owner, colleague}
    assert {n.url for n in told} == {thread_url(application)}
    assert {m.to[0] for m in mail.outbox} == {owner.email, colleague.email}
    assert "Je peux venir jeudi." in mail.outbox[0].body


def test_a_member_writes_and_the_volunteer_is_told(
    client, application, applicant, owner, colleague
):
    client.force_login(owner)
    client.post(thread_url(application), {"body": "Parfait, à jeudi."})
    told = Notification.objects.get(kind=Kind.MESSAGE_RECEIVED)
    assert told.recipient == applicant and told.actor == owner


def test_an_empty_message_is_refused_in_french(client, application, applicant):
    client.force_login(applicant)
    response = client.post(thread_url(application), {"body": "   "})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in content
    assert "Écrivez votre message avant de l&#x27;envoyer." in content
    assert 'aria-describedby="id_body_helptext id_body_error"' in content
    assert not Message.objects.exists()


def test_a_too_long_message_is_refused_and_kept(client, application, applicant, settings):
    settings.NOTIFICATION_MESSAGE_MAX_LENGTH = 20
    client.force_login(applicant)
    body = "Un message bien trop long pour passer."
    response = client.post(thread_url(application), {"body": body})
    content = response.content.decode()
    assert response.status_code == 200
    assert "20 au plus" in content
    assert f">{body}</textarea>" in content
    assert not Message.objects.exists()


def test_message_post_refuses_strangers(application, outsider):
    with pytest.raises(PermissionDenied):
        message_post(application_id=application.pk, actor=outsider, body="Bonjour")


def test_message_post_checks_the_body(application, applicant):
    with pytest.raises(ValidationError) as error:
        message_post(application_id=application.pk, actor=applicant, body="")
    assert "body" in error.value.message_dict


def test_opening_the_thread_reads_the_other_sides_messages_and_notifications(
    client, application, applicant, owner
):
    from_owner = message_post(application_id=application.pk, actor=owner, body="Bonjour")
    mine = message_post(application_id=application.pk, actor=applicant, body="Bonjour à vous")
    client.force_login(applicant)
    content = client.get(thread_url(application)).content.decode()
    assert content.count(">Nouveau<") == 1  # the owner's message, on this first visit
    assert ">Nouveau<" not in client.get(thread_url(application)).content.decode()
    from_owner.refresh_from_db()
    mine.refresh_from_db()
    assert from_owner.read_at is not None and mine.read_at is None
    assert not Notification.objects.filter(recipient=applicant, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()


def test_the_thread_stays_within_the_query_budget(
    client, application, applicant, owner, colleague, django_assert_max_num_queries
):
    for i in range(30):
        author = (applicant, owner, colleague)[i % 3]
        Message.objects.create(application=application, author=author, body=f"Message {i}")
    client.force_login(owner)
    with django_assert_max_num_queries(10):
        response = client.get(thread_url(application))
    assert response.content.decode().count('class="thread-message ') == 30


def test_with_htmx_a_refused_message_comes_back_in_the_conversation(client, application, applicant):
    client.force_login(applicant)
    response = client.post(thread_url(application), {"body": ""}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="conversation"' in content and 'role="alert"' in content


def test_with_htmx_a_sent_message_leaves_no_flash_message(client, application, applicant):
    client.force_login(applicant)
    response = client.post(
        thread_url(application), {"body": "Bonjour"}, HTTP_HX_REQUEST="true", follow=True
    )
    assert "Votre message est envoyé." not in response.content.decode()
    assert "Bonjour" in response.content.decode()


def test_the_thread_is_shown_in_english_under_en(client, application, applicant):
    client.force_login(applicant)
    response = client.get("/en" + thread_url(application))
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_names_never_emails_in_the_thread_its_notifications_and_emails(
    client, application, applicant, owner, run_on_commit
):
    """A volunteer without a name (an account older than the names) is shown by a
    number; a named association member by their full name."""
    applicant.first_name = applicant.last_name = ""
    applicant.email = "sans-nom@mail.test"
    applicant.save()
    owner.first_name, owner.last_name, owner.email = "Inès", "Martin", "ines@mail.test"
    owner.save()
    run_on_commit(message_post, application_id=application.pk, actor=applicant, body="Bonjour")
    run_on_commit(message_post, application_id=application.pk, actor=owner, body="Bienvenue")

    to_owner = Notification.objects.get(recipient=owner, kind=Kind.MESSAGE_RECEIVED)
    to_applicant = Notification.objects.get(recipient=applicant, kind=Kind.MESSAGE_RECEIVED)
    assert to_owner.context["author"] == f"Bénévole n° {applicant.pk}"
    assert to_applicant.context["author"] == "Inès Martin"
    for message in mail.outbox:
        assert "sans-nom@mail.test" not in message.body
        assert "ines@mail.test" not in message.body
    for person in (owner, applicant):
        client.force_login(person)
        page = client.get(thread_url(application)).content.decode()
        assert "Inès Martin" in page and f"Bénévole n° {applicant.pk}" in page
        assert "sans-nom@mail.test" not in page
        assert "ines@mail.test" not in page
