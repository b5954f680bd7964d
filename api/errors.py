"""One error shape for every error: ``{"code", "message", "errors": {field: [messages]}}``.

Messages are in the requester's language (``Accept-Language``; French by default).
Refusals from the services (``ValidationError``, ``PermissionDenied``,
``TransitionNotAllowed``) get the same shape as DRF's own errors.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.states import TransitionNotAllowed

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


class ApiError(exceptions.APIException):
    """An error with a chosen status and code, raised by the API's own checks."""

    def __init__(self, message, *, code: str, status_code: int = 400):
        self.status_code = status_code
        super().__init__(detail=message, code=code)


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _field_errors(detail) -> dict[str, list[str]]:
    if not isinstance(detail, dict):
        return {}
    return {str(field): _flatten(value) for field, value in detail.items()}


def _from_django_validation(exc: DjangoValidationError) -> tuple[dict, str]:
    if hasattr(exc, "error_dict"):
        errors = {
            (NON_FIELD if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    else:
        errors = {}
    code = getattr(exc, "code", None)
    if not code and hasattr(exc, "error_list") and exc.error_list:
        code = exc.error_list[0].code
    return errors, code or "invalid"


def error_body(code: str, message: str, errors: dict | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or {}}


def unexpected_error_response(exc: BaseException | None) -> Response:
    """The error shape for what no check foresaw: 503 when the database is unreachable
    (retry later), 500 for a bug; logged with its traceback either way."""
    set_rollback()
    if isinstance(exc, DatabaseError):
        logger.error("API: database error", exc_info=exc)
        return Response(
            error_body(
                "service_unavailable",
                _("Le service est momentanément indisponible : réessayez dans un instant."),
            ),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "30"},
        )
    logger.error("API: unexpected error", exc_info=exc)
    return Response(
        error_body("server_error", _("Erreur interne : l'équipe de la plateforme est prévenue.")),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def exception_handler(exc, context):
    code: str | list[Any] | dict[str, Any] | None  # a service's, DRF's, or DRF's by field
    if isinstance(exc, TransitionNotAllowed):
        errors, code = _from_django_validation(exc)
        message = " ".join(exc.messages)
        return Response(error_body(code, message, errors), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        errors, code = _from_django_validation(exc)
        message = _("Certaines données sont invalides.") if errors else " ".join(exc.messages)
        return Response(error_body(code, message, errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Introuvable."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return unexpected_error_response(exc)
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        if isinstance(exc.detail, list):
            errors = {NON_FIELD: _flatten(exc.detail)}
        codes = exc.get_codes()
        code = "invalid"
        if isinstance(codes, list) and len(codes) == 1 and isinstance(codes[0], str):
            code = codes[0]
        response.data = error_body(code, _("Certaines données sont invalides."), errors)
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes()
        message = " ".join(_flatten(exc.detail))
        if isinstance(exc, exceptions.Throttled):
            code = "throttled"
            message = _("Trop de requêtes : réessayez dans %(seconds)s secondes.") % {
                # Throttled.wait is set by its __init__; the stubs do not declare it.
                "seconds": int(exc.wait or 1)  # type: ignore[attr-defined]
            }
        response.data = error_body(code if isinstance(code, str) else "error", message)
    return response


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `not_found`.")
    message = serializers.CharField(help_text="Human-readable message in the request's language.")
    # A field named like Serializer.errors, which the stubs see here.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field (`non_field_errors` for the whole object).",
    )


def _example(name, code, message, errors=None):
    return OpenApiExample(name, value=error_body(code, message, errors))


ERROR_EXAMPLES = {
    400: _example(
        "Invalid data",
        "invalid",
        "Certaines données sont invalides.",
        {"title": ["Ce champ est obligatoire."]},
    ),
    401: _example(
        "Not authenticated", "not_authenticated", "Informations d'authentification non fournies."
    ),
    403: _example("Forbidden", "permission_denied", "Cette clé d'API ne permet que la lecture."),
    404: _example("Not found", "not_found", "Introuvable."),
    409: _example(
        "State conflict",
        "transition_not_allowed",
        "Impossible de passer la candidature de « Déclinée » à « Acceptée ».",
    ),
    412: _example(
        "Stale version",
        "precondition_failed",
        "La mission a changé depuis votre lecture : relisez-la puis réessayez.",
    ),
    428: _example(
        "If-Match missing",
        "precondition_required",
        "Envoyez l'en-tête If-Match avec l'ETag de la mission.",
    ),
    422: _example(
        "Idempotency-Key reused",
        "idempotency_key_reused",
        "Cette Idempotency-Key a déjà servi pour une autre requête.",
    ),
    429: _example("Throttled", "throttled", "Trop de requêtes : réessayez dans 12 secondes."),
}

ERROR_DESCRIPTIONS = {
    400: "Invalid data: `errors` lists the messages per field.",
    401: "No credentials, or an unknown or revoked API key.",
    403: "Not allowed (read-only key, or not your organisation's object).",
    404: "Unknown object, or one outside your scope.",
    409: "The object's state does not allow this transition.",
    412: "`If-Match` does not match the current ETag.",
    422: "`Idempotency-Key` already used for another request.",
    428: "`If-Match` is required.",
    429: "Too many requests: see the `Retry-After` header.",
}


def error_responses(*codes: int) -> dict:
    """OpenAPI responses for the given error statuses, with examples."""
    return {
        code: OpenApiResponse(
            response=ErrorSerializer,
            description=ERROR_DESCRIPTIONS[code],
            examples=[ERROR_EXAMPLES[code]],
        )
        for code in codes
    }


__all__ = [
    "ApiError",
    "ErrorSerializer",
    "error_responses",
    "exception_handler",
    "inline_serializer",
]
