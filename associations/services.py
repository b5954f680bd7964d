"""Workflows on associations: registration and verification by staff."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import outbox
from core.models import ActionLog
from core.permissions import Actor, require, require_staff_for
from taxonomy.services import place_fields

from .models import Association, AssociationMember

if TYPE_CHECKING:
    from accounts.models import User
    from taxonomy.models import Cause


def unique_slug(model: type[Association], name: str) -> str:
    base = slugify(name)[:200] or "structure"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def association_register(
    *,
    user: "User",
    name: str,
    rna: str = "",
    siret: str = "",
    city: str = "",
    postcode: str = "",
    causes: Iterable["Cause"] = (),
    **fields: Any,
) -> Association:
    """Create an association waiting for verification, with ``user`` as its admin."""
    association = Association(
        name=name,
        slug=unique_slug(Association, name),
        rna=rna,
        siret=siret,
        **place_fields(city=city, postcode=postcode),
        **fields,
    )
    association.full_clean()
    association.save()
    association.causes.set(causes)
    AssociationMember.objects.create(
        association=association, user=user, role=AssociationMember.Role.ADMIN
    )
    return association


def _locked(association_id: int) -> Association:
    return Association.objects.select_for_update().get(pk=association_id)


def _notify(log: ActionLog) -> None:
    from .tasks import notify_verification_decision

    outbox.enqueue(notify_verification_decision, log.pk)


def _decide(
    association_id: int, transition: str, *, actor: "Actor", reason: str = ""
) -> Association:
    association = _locked(association_id)
    require_staff_for(actor, association.departement_id)
    update_fields = ["rejection_reason", "updated_at"]
    association.rejection_reason = reason
    if transition in ("verify", "reinstate"):
        association.verified_at = timezone.now()
        update_fields.append("verified_at")
    Association.states.apply(
        association, transition, actor=actor, data={"reason": reason}, update_fields=update_fields
    )
    _notify(cast(ActionLog, ActionLog.objects.for_object(association).first()))  # just written
    return association


def _require_reason(reason: str) -> str:
    from django.core.exceptions import ValidationError

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif : il sera envoyé à l'association.")})
    return reason


@transaction.atomic
def association_verify(*, association_id: int, actor: "Actor") -> Association:
    return _decide(association_id, "verify", actor=actor)


@transaction.atomic
def association_reject(*, association_id: int, actor: "Actor", reason: str) -> Association:
    return _decide(association_id, "reject", actor=actor, reason=_require_reason(reason))


@transaction.atomic
def association_suspend(*, association_id: int, actor: "Actor", reason: str) -> Association:
    return _decide(association_id, "suspend", actor=actor, reason=_require_reason(reason))


@transaction.atomic
def association_reinstate(*, association_id: int, actor: "Actor") -> Association:
    return _decide(association_id, "reinstate", actor=actor)


@transaction.atomic
def association_resubmit(*, association_id: int, actor: "Actor") -> Association:
    """After a rejection, the association's admin asks to be reviewed again."""
    association = _locked(association_id)
    require(
        association.has_member(actor, admin_only=True),
        _("Seuls les responsables de l'association peuvent redemander une vérification."),
    )
    return Association.states.apply(association, "resubmit", actor=actor)
