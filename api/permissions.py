from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiKey


class KeyScope(permissions.BasePermission):
    """A read-only key may only read."""

    message = _("Cette clé d'API ne permet que la lecture.")

    def has_permission(self, request, view):
        key = request.auth if isinstance(request.auth, ApiKey) else None
        return key is None or request.method in permissions.SAFE_METHODS or key.can_write


class Authenticated(KeyScope):
    message = _("Identifiez-vous : session ou clé d'API.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if not super().has_permission(request, view):
            self.message = KeyScope.message
            return False
        return True
