from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# The pages a staff member may reach before activating two-factor authentication: the
# account pages (sign-in and out, e-mail, password, two-factor set-up), the language
# switch, the health check and metrics, and an e-mail's unsubscribe link.
ALLOWED_VIEW_MODULES = ("allauth.", "django.views.i18n", "django.views.static")
ALLOWED_URL_NAMES = {"healthz", "metrics", "unsubscribe"}


def needs_two_factor(user) -> bool:
    """Staff and territorial referents act on everyone's data: their account must have
    an authenticator app (TOTP) before they use any power it gives."""
    return bool(
        user.is_authenticated
        and (user.is_staff or user.is_superuser or getattr(user, "is_referent", False))
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


class StaffTwoFactorMiddleware:
    """Sends a staff member without two-factor authentication to its activation page.

    Signing in with a password and a code is allauth's own login flow (once an
    authenticator exists, the code is asked at every sign-in); this middleware makes
    sure the authenticator exists for accounts with staff powers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if view_func.__module__.startswith(ALLOWED_VIEW_MODULES) or (
            match is not None and match.url_name in ALLOWED_URL_NAMES
        ):
            return None
        if not needs_two_factor(request.user):
            return None
        message = _(
            "Votre compte a des droits d'administration : activez la double "
            "authentification (application d'authentification) pour continuer."
        )
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"code": "two_factor_required", "message": message, "errors": {}}, status=403
            )
        messages.warning(request, message)
        return redirect("mfa_activate_totp")
