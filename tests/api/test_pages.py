import re

import pytest

from api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from tests import factories

pytestmark = pytest.mark.django_db


def pages(association):
    base = f"/organisation/association/{association.slug}"
    return [f"{base}/cles-api/", f"{base}/webhooks/", f"{base}/import/"]


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("anonymous", 302),
        ("volunteer", 404),
        ("owner", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("company_admin", 404),
        ("staff", 404),
    ],
)
def test_only_the_organisations_admins_reach_its_pages(
    request, client, association, persona, expected
):
    if persona != "anonymous":
        user = request.getfixturevalue(persona)
        client.force_login(getattr(user, "user", user))
    for url in pages(association):
        assert client.get(url).status_code == expected, url


def test_a_company_admin_reaches_the_companys_key_and_webhook_pages(client, company, company_admin):
    client.force_login(company_admin)
    base = f"/organisation/entreprise/{company.slug}"
    assert client.get(f"{base}/cles-api/").status_code == 200
    assert client.get(f"{base}/webhooks/").status_code == 200
    assert client.get(f"{base}/import/").status_code == 200
    index = client.get("/organisation/").content.decode()
    assert company.name in index


def test_a_new_key_is_shown_once_then_only_its_prefix(client, association, owner):
    client.force_login(owner)
    url = f"/organisation/association/{association.slug}/cles-api/"
    created = client.post(url, {"name": "SIRH", "scope": "write"}).content.decode()
    key = ApiKey.objects.get()
    assert key.scope == "write" and key.created_by == owner
    assert f"pb_{key.prefix}_" in created
    full = created.split(f"pb_{key.prefix}_", 1)[1].split('"', 1)[0]
    assert key.matches(full)
    again = client.get(url).content.decode()
    assert full not in again and f"pb_{key.prefix}_…" in again


def test_a_key_form_with_errors_says_what_is_wrong(client, association, owner):
    client.force_login(owner)
    url = f"/organisation/association/{association.slug}/cles-api/"
    answer = client.post(url, {"name": "", "scope": "everything"})
    assert answer.status_code == 400
    content = answer.content.decode()
    assert 'role="alert"' in content
    assert re.search(r'aria-describedby="[^"]*id_name_error', content)
    assert ApiKey.objects.count() == 0


def test_an_admin_revokes_a_key(client, association, owner):
    key, _secret = ApiKey.issue(organisation=association, name="A", scope="read", created_by=owner)
    client.force_login(owner)
    client.post(f"/organisation/association/{association.slug}/cles-api/{key.pk}/revoquer/")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_nobody_revokes_another_organisations_key(client, association, owner, outsider):
    key, _secret = ApiKey.issue(organisation=association, name="A", scope="read", created_by=owner)
    mine = factories.AssociationMemberFactory(user=outsider).association
    client.force_login(outsider)
    answer = client.post(f"/organisation/association/{mine.slug}/cles-api/{key.pk}/revoquer/")
    assert answer.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_an_admin_registers_a_webhook_and_sees_its_secret_once(client, association, owner):
    client.force_login(owner)
    url = f"/organisation/association/{association.slug}/webhooks/"
    answer = client.post(url, {"url": "https://crm.example.org/h", "events": ["hours.validated"]})
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["hours.validated"] and endpoint.association == association
    assert endpoint.secret in answer.content.decode()
    assert endpoint.secret not in client.get(url).content.decode()
    invalid = client.post(url, {"url": "pas une url", "events": []})
    assert invalid.status_code == 400
    assert "Choisissez au moins un événement." in invalid.content.decode()
    client.post(f"{url}{endpoint.pk}/supprimer/")
    assert WebhookEndpoint.objects.count() == 0


def test_pages_stay_under_ten_queries(client, association, owner, django_assert_max_num_queries):
    for n in range(5):
        ApiKey.issue(organisation=association, name=f"K{n}", scope="read", created_by=owner)
        endpoint = WebhookEndpoint.objects.create(
            association=association, url=f"https://e{n}.example.org/", events=["mission.published"]
        )
        for _ in range(3):
            WebhookDelivery.objects.create(endpoint=endpoint, event="mission.published")
    client.force_login(owner)
    for url in [*pages(association), "/organisation/"]:
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_pages_are_in_english_under_en(client, association, owner):
    client.force_login(owner)
    answer = client.get(f"/en/organisation/association/{association.slug}/cles-api/")
    assert answer.status_code == 200
    assert 'lang="en"' in answer.content.decode()
