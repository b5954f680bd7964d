from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import KEY_PREFIX, ApiKey
from .scope import is_organisation_admin


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer pb_<prefix>_<secret>``: an organisation's key."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _sep, token = header.partition(" ")
        if keyword != self.keyword:
            return None
        parts = token.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            raise exceptions.AuthenticationFailed(_("Clé d'API mal formée."))
        key = (
            ApiKey.objects.select_related("created_by", "association", "company")
            .filter(prefix=parts[1])
            .first()
        )
        if key is None or not key.matches(parts[2]):
            raise exceptions.AuthenticationFailed(_("Clé d'API inconnue."))
        if not key.is_active:
            raise exceptions.AuthenticationFailed(_("Cette clé d'API a été révoquée."))
        if not is_organisation_admin(key.created_by, key.organisation):
            raise exceptions.AuthenticationFailed(
                _("La personne qui a créé cette clé n'administre plus l'organisation.")
            )
        key.touch()
        return key.created_by, key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Authorization: Bearer pb_<prefix>_<secret>",
        }
