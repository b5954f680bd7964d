import pytest

from api.models import ApiKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(staff):
    staff.is_superuser = True
    staff.save()
    return staff


def test_staff_issue_a_key_in_the_admin_and_see_it_once(client, platform_admin, association, owner):
    client.force_login(platform_admin)
    answer = client.post(
        "/admin/api/apikey/add/",
        {"name": "Réseau", "association": association.pk, "scope": "read", "created_by": owner.pk},
        follow=True,
    )
    assert answer.status_code == 200
    key = ApiKey.objects.get()
    shown = [str(m) for m in answer.context["messages"]]
    secret = shown[0].split("Clé créée : ", 1)[1].split(" ", 1)[0]
    assert key.matches(secret.split("_", 2)[2]) and key.created_by == owner


def test_the_admin_refuses_a_key_for_someone_who_is_not_admin(
    client, platform_admin, association, outsider
):
    client.force_login(platform_admin)
    client.post(
        "/admin/api/apikey/add/",
        {"name": "X", "association": association.pk, "scope": "read", "created_by": outsider.pk},
        follow=True,
    )
    assert ApiKey.objects.count() == 0


def test_staff_revoke_keys_from_the_admin(client, platform_admin, association, owner):
    key, _secret = ApiKey.issue(organisation=association, name="A", scope="read", created_by=owner)
    client.force_login(platform_admin)
    client.post(
        "/admin/api/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
        follow=True,
    )
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_delivery_list_renders_for_staff(client, platform_admin):
    client.force_login(platform_admin)
    assert client.get("/admin/api/webhookdelivery/").status_code == 200
    assert client.get("/admin/api/webhookendpoint/").status_code == 200
