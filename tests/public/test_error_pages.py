import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.public.urls")]


def test_the_403_page_says_why_and_offers_a_way_back(client):
    response = client.get("/essai/interdit/")

    assert response.status_code == 403
    content = response.content.decode()
    assert 'class="site-header"' in content
    assert "Vous n'avez pas accès à cette page" in content
    assert "Cette page est réservée aux membres de l&#x27;association." in content
    assert 'href="/comptes/login/?next=/essai/interdit/"' in content
    assert 'href="/"' in content


def test_the_403_page_does_not_ask_a_signed_in_person_to_log_in(client, outsider):
    client.force_login(outsider)

    content = client.get("/essai/interdit/").content.decode()

    assert "Vous avez peut-être simplement besoin de vous connecter" not in content
    assert "Retour à l'accueil" in content


def test_the_404_page_is_in_the_sites_look_with_links_back(client):
    response = client.get("/missions/987654/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "Cette page est introuvable" in content
    assert 'href="/missions/"' in content
    assert '<html lang="fr">' in content


def test_the_404_page_in_english_keeps_the_language(client):
    response = client.get("/en/nulle-part/")

    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


def test_the_500_page_is_served_when_a_view_fails(client):
    client.raise_request_exception = False

    response = client.get("/essai/panne/")

    assert response.status_code == 500
    content = response.content.decode()
    assert "Une erreur est survenue" in content
    assert 'href="/"' in content
