"""Going through the test identity provider's sign-in as a person would, without a
browser: its authorisation endpoint, its login form, and back with the code."""

import re
from urllib.parse import urljoin, urlsplit

import requests


def provider_sign_in(authorize_url: str, *, username: str, password: str) -> str:
    """Sign in at the provider from ``authorize_url``; return the address it sends the
    browser back to (the product's callback, with the code and state)."""
    session = requests.Session()
    response = session.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    login_url = urljoin(authorize_url, response.headers["Location"])
    page = session.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    next_url = re.search(r'name="next" value="([^"]*)"', page.text).group(1)
    response = session.post(
        login_url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": next_url.replace("&amp;", "&"),
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, "the provider refused the credentials"
    response = session.get(
        urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
