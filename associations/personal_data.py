"""What the associations app holds of a person: the associations they belong to
(see :mod:`accounts.personal_data`)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Erasure, PersonalDataProvider, Section, section

from .models import Association, AssociationMember


def export(user) -> list[Section]:
    return [
        section(
            "association_memberships",
            _("Associations"),
            AssociationMember.objects.filter(user=user),
            {
                "association__name": _("association"),
                "role": _("rôle"),
                "joined_at": _("depuis le"),
            },
        )
    ]


def refusals(user) -> list:
    """A sole administrator hands the association over before leaving: without one,
    nobody could answer its applicants or validate its volunteers' hours."""
    sole = (
        Association.objects.filter(
            pk__in=AssociationMember.objects.filter(
                user=user, role=AssociationMember.Role.ADMIN
            ).values("association_id")
        )
        .annotate(admins=Count("members", filter=Q(members__role=AssociationMember.Role.ADMIN)))
        .filter(admins=1)
        .order_by("name")
    )
    return [
        _(
            "Vous êtes le seul responsable de « %(association)s » : nommez un autre "
            "responsable parmi ses membres, ou demandez à l'équipe de la plateforme de "
            "le faire, avant de supprimer votre compte."
        )
        % {"association": association.name}
        for association in sole
    ]


def erase(erasure: Erasure) -> None:
    user = erasure.user
    # The association's contact address was the person's own: it goes with them.
    Association.objects.filter(members__user=user, contact_email__iexact=user.email).update(
        contact_email=""
    )
    AssociationMember.objects.filter(user=user).delete()


def objects(user):
    return [AssociationMember.objects.filter(user=user)]


PROVIDER = PersonalDataProvider(
    app="associations", export=export, erase=erase, objects=objects, refusals=refusals
)
