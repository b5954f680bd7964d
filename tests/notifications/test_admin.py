import pytest
from django.urls import reverse

from notifications.models import Message, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(application, owner):
    return [
        Notification.objects.create(
            recipient=owner,
            kind=Notification.Kind.MESSAGE_RECEIVED,
            context={"mission": "Refonte", "author": "Alice"},
        ),
        NotificationPreference.objects.create(user=owner, email_frequency="daily"),
        Message.objects.create(application=application, author=owner, body="Bonjour"),
    ]


def admin_url(obj, view) -> str:
    opts = obj._meta
    args = [obj.pk] if view == "change" else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def test_staff_read_notifications_preferences_and_messages(client, staff, rows):
    client.force_login(staff)
    for obj in rows:
        assert client.get(admin_url(obj, "changelist")).status_code == 200
        response = client.get(admin_url(obj, "change"))
        assert response.status_code == 200
        # Read-only: no form to save.
        assert 'name="_save"' not in response.content.decode()
        assert client.get(admin_url(obj, "add")).status_code == 403
    content = client.get(admin_url(rows[0], "changelist")).content.decode()
    assert "Alice vous a écrit au sujet de la mission « Refonte »." in content


def test_referents_do_not_see_peoples_messages(client, rows):
    from tests import factories

    referent = factories.UserFactory(is_staff=True, is_referent=True)
    client.force_login(referent)
    for obj in rows:
        assert client.get(admin_url(obj, "changelist")).status_code == 403
