"""The site's identity, from settings: its name (``SITE_NAME``) and address (``SITE_URL``).

``django.contrib.sites`` keeps one ``Site`` row that allauth reads for its e-mails
("Bonjour, c'est {site_name} !"); it follows the settings after every ``migrate``, so
that neither the example.com Django creates nor an address of last year remains.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS


def site_domain() -> str:
    """The host (and port, when not the scheme's default) of ``SITE_URL``."""
    return urlsplit(str(settings.SITE_URL)).netloc


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``, starting with /) on the site's public address."""
    bits = urlsplit(path)
    if bits.scheme and bits.netloc:
        bits = bits._replace(scheme="", netloc="")
    return str(settings.SITE_URL).rstrip("/") + bits.geturl()


def sync_current_site(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Give the current ``Site`` the name and domain of the settings (post_migrate)."""
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"name": settings.SITE_NAME[:50], "domain": site_domain()[:100]},
    )
