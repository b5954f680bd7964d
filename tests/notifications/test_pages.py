import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationPreference
from notifications.services import link
from tests import factories

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
LIST = reverse("notifications:list")
PREFERENCES = reverse("notifications:preferences")


def make(recipient, n=1, **kwargs) -> list[Notification]:
    return [
        Notification.objects.create(
            recipient=recipient,
            kind=kwargs.get("kind", Kind.MESSAGE_RECEIVED),
            context=kwargs.get(
                "context",
                {"mission": f"Mission {i}", "author": "Bruno Petit", "message": f"Bonjour {i}"},
            ),
            url=kwargs.get("url", link("notifications:preferences")),
        )
        for i in range(n)
    ]


@pytest.fixture
def reader(client, outsider):
    client.force_login(outsider)
    return outsider


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (LIST, PREFERENCES):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_the_list_shows_ones_own_notifications_newest_first(client, reader):
    old, new = make(reader, 2)
    make(factories.UserFactory())  # someone else's
    response = client.get(LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="notification ') == 2
    assert content.index("Mission 1") < content.index("Mission 0")
    assert "Bruno Petit vous a écrit au sujet de la mission « Mission 1 »." in content
    assert f'href="{PREFERENCES}"' in content


def test_unread_notifications_are_highlighted_and_counted_in_the_navigation(client, reader):
    first, second, third = make(reader, 3)
    Notification.objects.filter(pk=first.pk).update(read_at="2026-01-01T10:00:00Z")
    content = client.get(LIST).content.decode()
    assert content.count("notification--unread") == 2
    assert content.count(">Non lue<") == 2
    assert "(2 non lues)" in content


def test_the_list_is_shown_in_english_under_en(client, reader):
    make(reader)
    content = client.get("/en" + LIST).content.decode()
    assert '<html lang="en">' in content
    # The link is the English page.
    assert 'href="/en/notifications/preferences/"' in content


def test_the_list_stays_within_the_query_budget(client, reader, django_assert_max_num_queries):
    make(reader, 40)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.content.decode().count('class="notification ') == 25


def test_marking_one_notification_read(client, reader):
    notification, other = make(reader, 2)
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None and other.read_at is None


def test_marking_read_with_htmx_returns_the_item_and_the_new_count(client, reader):
    notification, _other = make(reader, 2)
    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in content
    assert "notification--unread" not in content
    assert 'hx-swap-oob="outerHTML"' in content and "(1 non lue)" in content


def test_nobody_marks_someone_elses_notification(client, reader):
    [foreign] = make(factories.UserFactory())
    response = client.post(reverse("notifications:mark_read", args=[foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_marking_read_needs_a_post(client, reader):
    [notification] = make(reader)
    response = client.get(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 405


def test_marking_everything_read(client, reader):
    make(reader, 3)
    [foreign] = make(factories.UserFactory())
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    foreign.refresh_from_db()
    assert foreign.read_at is None
    content = client.get(LIST).content.decode()
    assert "notification--unread" not in content and "non lue" not in content


def test_marking_everything_read_with_htmx_returns_the_list(client, reader):
    make(reader, 2)
    response = client.post(reverse("notifications:mark_all_read"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'id="notifications"' in content and "notification--unread" not in content
    assert "Toutes les notifications sont lues." in content


def test_preferences_show_the_defaults(client, reader):
    response = client.get(PREFERENCES)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="immediately" required id="id_email_frequency_0" checked' in content or (
        response.context["form"].initial["email_frequency"] == "immediately"
    )
    assert len(response.context["form"].initial["emailed_kinds"]) == len(
        NotificationPreference.emailable_kinds()
    )
    # In-app only kinds cannot be chosen for e-mail.
    assert 'value="association_decided"' not in content


def test_saving_preferences(client, reader):
    response = client.post(
        PREFERENCES,
        {"email_frequency": "daily", "emailed_kinds": ["message_received", "mission_starting"]},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=reader)
    assert preference.email_frequency == "daily"
    assert "message_received" not in preference.muted_kinds
    assert "application_accepted" in preference.muted_kinds
    form = client.get(PREFERENCES).context["form"]
    assert form.initial == {
        "email_frequency": "daily",
        "emailed_kinds": ["mission_starting", "message_received"],
    }


def test_a_wrong_frequency_is_refused_in_french_and_keeps_the_choices(client, reader):
    response = client.post(
        PREFERENCES, {"email_frequency": "hourly", "emailed_kinds": ["message_received"]}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in content
    assert "Choisissez une fréquence dans la liste." in content
    assert 'aria-describedby="id_email_frequency_error"' in content
    assert 'value="message_received" id="id_emailed_kinds_13" checked' in content or (
        response.context["form"]["emailed_kinds"].value() == ["message_received"]
    )
    assert not NotificationPreference.objects.filter(user=reader).exists()


def test_preferences_are_ones_own(client, reader):
    other = factories.UserFactory()
    NotificationPreference.objects.create(user=other, email_frequency="never")
    client.post(PREFERENCES, {"email_frequency": "daily", "emailed_kinds": []})
    assert NotificationPreference.objects.get(user=other).email_frequency == "never"
    assert NotificationPreference.objects.get(user=reader).email_frequency == "daily"
