"""Ask signed-in people to accept the new version of the terms or privacy policy on
their next page view, before anything else."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from .selectors import documents_to_accept

# Pages that stay reachable: the legal pages themselves, the API (keys and scripts cannot
# tick a box), the account pages (to log out, confirm an address, reset a password), the
# language switch, the health check and metrics, and an e-mail's unsubscribe link (turning
# e-mails off never waits for a consent).
EXEMPT_NAMESPACES = frozenset({"legal", "api"})
EXEMPT_URL_NAMES = frozenset({"set_language", "healthz", "metrics", "unsubscribe"})


def _exempt(request) -> bool:
    match = request.resolver_match
    if match is None:
        return True
    if EXEMPT_NAMESPACES.intersection(match.namespaces):
        return True
    name = match.url_name or ""
    return name in EXEMPT_URL_NAMES or name.startswith("account_")


class ConsentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Page views only: a form sent from a page loaded before the new version goes
        # through, and htmx fragments are not pages.
        if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return None
        if not request.user.is_authenticated or _exempt(request):
            return None
        if not documents_to_accept(request.user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('legal:accept')}?{query}")
