"""Going through the test identity provider's sign-in as a person would, without a
browser: its authorisation endpoint (OpenID Connect) or single sign-on endpoint (SAML),
its login form, and back with the code or the signed response."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests


def _signed_in(start_url: str, *, username: str, password: str) -> requests.Response:
    """From ``start_url`` (which sends an unknown person to the provider's login form),
    sign in there and follow to where the login form sends back, unfollowed."""
    session = requests.Session()
    response = session.get(start_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    login_url = urljoin(start_url, response.headers["Location"])
    page = session.get(login_url, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    next_url = re.search(r'name="next" value="([^"]*)"', page.text).group(1)
    response = session.post(
        login_url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": html.unescape(next_url),
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, "the provider refused the credentials"
    return session.get(
        urljoin(login_url, response.headers["Location"]), allow_redirects=False, timeout=10
    )


def provider_sign_in(authorize_url: str, *, username: str, password: str) -> str:
    """Sign in at the OpenID Connect provider from ``authorize_url``; return the address
    it sends the browser back to (the product's callback, with the code and state)."""
    response = _signed_in(authorize_url, username=username, password=password)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class _FormReader(HTMLParser):
    """The first form of a page: its action and its inputs' values."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attributes.get("action") or ""
        elif tag == "input" and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value") or ""


def saml_provider_sign_in(sso_url: str, *, username: str, password: str) -> tuple[str, dict]:
    """Sign in at the SAML provider from the address the product redirected to (its
    single sign-on endpoint with the request); return where the provider's page posts
    the signed response, and the posted fields (SAMLResponse, RelayState)."""
    page = _signed_in(sso_url, username=username, password=password)
    assert page.status_code == 200, page.text
    form = _FormReader()
    form.feed(page.text)
    assert form.action and "SAMLResponse" in form.fields, page.text
    return form.action, form.fields
