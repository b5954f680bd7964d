"""Who may call an endpoint, declared on the views as ``permission_classes``.

``has_permission`` runs before throttling; ``has_object_permission`` runs when the view
fetches its object (``get_object``), after the queryset's scope: an object outside it
answers 404 before any of these refusals (403).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiKey
from .scope import Requester


def _key(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


class KeyScope(permissions.BasePermission):
    """A read-only key may only read."""

    message = _("Cette clé d'API ne permet que la lecture.")

    def has_permission(self, request, view):
        key = _key(request)
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


class PublicListAndDetail(Authenticated):
    """The list (and its facet counts) and the detail anyone may read, signed in or not;
    every other action, reads such as suggestions included, needs a requester."""

    def has_permission(self, request, view):
        if view.action in ("list", "retrieve", "facets"):
            return True  # reads only (GET, HEAD): any key may read
        return super().has_permission(request, view)


class KeyReach(permissions.BasePermission):
    """A key writes only on its own organisation's objects, whatever else its creator
    may do. Subclasses name the organisations an object belongs to; here none, so no
    key may act on it (a volunteer's own acts)."""

    message = _("Cette clé d'API ne permet pas d'agir sur cet objet.")

    def organisations(self, obj) -> tuple[int | None, int | None]:
        """The ids of the association and of the company ``obj`` belongs to."""
        return None, None

    def has_object_permission(self, request, view, obj):
        key = _key(request)
        # OPTIONS (metadata) only describes the fields a PUT takes: it acts on nothing.
        if key is None or request.method in permissions.SAFE_METHODS or view.action == "metadata":
            return True
        association_id, company_id = self.organisations(obj)
        return bool(
            (association_id and key.association_id == association_id)
            or (company_id and key.company_id == company_id)
        )


class KeyReachesMission(KeyReach):
    def organisations(self, mission):
        return mission.association_id, None


class KeyReachesApplicationAssociation(KeyReach):
    def organisations(self, application):
        return application.mission.association_id, None


class KeyReachesApplicationEmployer(KeyReach):
    def organisations(self, application):
        return None, application.volunteer.employer_id


class KeyReachesHoursAssociation(KeyReach):
    def organisations(self, entry):
        return entry.application.mission.association_id, None


class MissionMembersEdit(permissions.BasePermission):
    """A mission's fields are changed by its association's members, staff not included."""

    message = _("Seuls les membres de l'association peuvent gérer cette mission.")

    def has_object_permission(self, request, view, mission):
        if view.action not in ("update", "partial_update"):
            return True
        return mission.association.has_member(request.user)


class MissionAssociationSuggestions(permissions.BasePermission):
    """A mission's suggested volunteers are for its association (and staff)."""

    message = _(
        "Seule l'association de la mission, une fois vérifiée, voit les bénévoles suggérés."
    )

    def has_object_permission(self, request, view, mission):
        requester = Requester.of(request)
        return mission.association_id in requester.verified_association_ids or requester.is_staff
