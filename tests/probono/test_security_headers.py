"""Every page carries a strict Content-Security-Policy (no inline script or style, this
site only) and a Permissions-Policy; no template holds what that policy would block."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_strict(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_public_pages_have_a_strict_policy(client, mission):
    pages = [
        reverse("home"),
        reverse("missions:list"),
        reverse("account_login"),
        reverse("account_signup"),
        "/en/",
        "/api/docs/",
        "/page-qui-n-existe-pas/",
    ]
    for page in pages:
        response = client.get(page)
        assert_strict(response)
        assert directives(response)["style-src"] == ["'self'"], page
        assert "camera=()" in response["Permissions-Policy"], page
        assert "geolocation=()" in response["Permissions-Policy"], page


def test_signed_in_pages_and_the_admin_have_the_policy(client, staff, volunteer):
    client.force_login(volunteer.user)
    for page in (reverse("volunteers:profile"), reverse("mfa_index")):
        response = client.get(page)
        assert response.status_code == 200, page
        assert_strict(response)
    client.force_login(staff)
    for page in ("/admin/", "/admin/accounts/user/", "/admin/missions/mission/"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert_strict(response)
        assert "Permissions-Policy" in response


def test_api_answers_have_the_headers_too(client):
    response = client.get("/api/v1/skills/")
    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response


def test_the_swagger_init_script_is_a_file_served_by_the_site(client):
    page = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="([^"]*script=[^"]*)"', page)
    assert script, "the init script must be loaded by URL"
    answer = client.get(script.group(1).replace("&amp;", "&"))
    assert answer.status_code == 200
    assert "SwaggerUIBundle" in answer.content.decode()


def test_only_redoc_allows_inline_styles_and_never_inline_scripts(client):
    response = client.get("/api/redoc/")
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert "fonts.googleapis.com" not in response.content.decode()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize(
    "template",
    # emails/, and account/email/ for allauth's e-mails.
    sorted(p for p in TEMPLATES.rglob("*.html") if not {"emails", "email"} & set(p.parts)),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_no_template_holds_inline_script_or_style(template):
    """E-mails are not web pages (mail clients need inline styles): every other template
    loads its scripts and styles from files."""
    source = template.read_text()
    assert not INLINE_SCRIPT.search(source)
    assert not EVENT_HANDLER.search(source)
    assert "javascript:" not in source
    assert not STYLE.search(source)
