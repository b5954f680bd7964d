"""Absolute links to the site, for what is read away from it: calendar software, social
networks and search engines. They start with ``SITE_URL``, never with the host a request
happened to name."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (starting with ``/``) on the site."""
    site: str = settings.SITE_URL
    return site.rstrip("/") + path


def site_host() -> str:
    """The site's host name."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
