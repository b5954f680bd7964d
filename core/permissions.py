from django.core.exceptions import PermissionDenied


def require(allowed: bool, message) -> None:
    """Refuse an action with a message the person can read."""
    if not allowed:
        raise PermissionDenied(message)


def require_staff_for(actor, departement_id: int | None) -> None:
    from django.utils.translation import gettext as _

    require(
        actor is not None
        and actor.is_authenticated
        and actor.can_moderate_departement(departement_id),
        _("Cette action est réservée à l'équipe de la plateforme pour ce territoire."),
    )
