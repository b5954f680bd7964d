"""What every endpoint shares: the requester, the language, object ids, refusals."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

from associations.models import Association
from companies.models import Company

from ..errors import ApiError
from ..idempotency import IdempotencyMixin
from ..permissions import Authenticated, KeyScope
from ..scope import Requester

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

MAX_ID = 2**62
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string: a retried POST with the same key returns the first answer.",
)


class ApiViewMixin(IdempotencyMixin):
    permission_classes: "Sequence[_PermissionClass]" = [Authenticated]

    def initialize_request(self, request, *args, **kwargs):
        # /api/ is outside the language-prefixed URLs, where LocaleMiddleware falls back to
        # French: answer in the language the client asks for (Accept-Language).
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return super().initialize_request(request, *args, **kwargs)

    @property
    def requester(self) -> Requester:
        return Requester.of(self.request)

    def get_object(self):
        raw = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if not str(raw).isdigit() or int(raw) > MAX_ID:
            raise NotFound(_("Introuvable."))
        return super().get_object()


def refuse_keys(requester: Requester) -> None:
    """Acts a person does in their own name, never with a key.

    Checked first thing in the handler rather than as a permission class, which would
    run before throttling and the Idempotency-Key check: a key over its budget would
    get 403 instead of 429, and its refused calls would stop counting."""
    if requester.key is not None:
        raise ApiPermissionDenied(
            _("Cette action se fait en son nom propre, pas avec une clé d'API.")
        )


class PublicReadMixin:
    """Lists anyone may read, signed in or not."""

    permission_classes: "Sequence[_PermissionClass]" = [KeyScope]


def organisation_from(requester: Requester, *, association: str = "", company: str = ""):
    """The organisation a call is about: the key's own, or the one named for a person."""
    if requester.key is not None:
        organisation = requester.key.organisation
        named = association or company
        if named and named != organisation.slug:
            raise ApiPermissionDenied(_("Cette clé d'API appartient à une autre organisation."))
        return organisation
    found: Association | Company | None
    if association:
        found = Association.objects.filter(slug=association).first()
    elif company:
        found = Company.objects.filter(slug=company).first()
    else:
        raise ApiError(
            _("Indiquez l'association ou l'entreprise concernée."), code="organisation_required"
        )
    if found is None:
        raise ApiError(_("Organisation introuvable."), code="not_found", status_code=404)
    return found
