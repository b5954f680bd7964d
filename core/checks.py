"""Deployment checks of our own (``manage.py check --deploy``)."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def check_site_url(**kwargs: Any) -> list[CheckMessage]:
    """E-mail links are built on SITE_URL: in production they must be https links to a
    public name, not the development default."""
    url = urlsplit(settings.SITE_URL)
    problems: list[CheckMessage] = []
    if url.scheme != "https":
        problems.append(
            CheckWarning(
                f"SITE_URL ({settings.SITE_URL}) is not an https address: links in e-mails "
                "would send people to an unencrypted page.",
                hint="Set SITE_URL to the public https address, e.g. https://probono.example.org.",
                id="core.W001",
            )
        )
    if url.hostname in {"127.0.0.1", "::1"}:
        problems.append(
            CheckWarning(
                f"SITE_URL ({settings.SITE_URL}) is a loopback address: links in e-mails "
                "would reach no one.",
                id="core.W002",
            )
        )
    return problems
