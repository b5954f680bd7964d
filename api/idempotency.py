"""``Idempotency-Key`` on POST: a retried call gets the first answer instead of acting twice.

Only successful answers are kept (for ``API_IDEMPOTENCY_HOURS``), per key or person:
a failed call may be retried with the same key once corrected. The same key with a
different request (method, path, query string or body) is refused (422), as Stripe and
pretix do. The replay carries the first answer's ``ETag`` and ``Location`` too: a
client that lost the first answer learns where the object lives and its version.

Twins sent at the same moment (a client retrying before the first answer came back)
do not both act: on PostgreSQL, the key is held under an advisory lock from the
check to the stored answer, so the second waits and gets the replay (a session's lock;
behind a pooler in transaction mode, the call runs in one transaction and the lock is
the transaction's).
"""

import datetime
import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from .errors import ApiError
from .models import IdempotentRequest
from .scope import Requester

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    # Mixed into the API's views: the checker sees the view as its base.
    _ViewBase = GenericAPIView[Any]
else:
    _ViewBase = object

HEADER = "Idempotency-Key"
# Headers of the first answer that the replay repeats.
REPLAYED_HEADERS = ("ETag", "Location")


class _Replay(exceptions.APIException):
    def __init__(self, record: IdempotentRequest):
        self.record = record
        super().__init__()


def _lock_id(owner: str, key: str) -> int:
    """A signed 64-bit number for PostgreSQL's advisory locks, from the owner and key."""
    digest = hashlib.sha256(f"{owner}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _per_transaction() -> bool:
    """Behind a pooler in transaction mode (``DATABASE_TRANSACTION_POOLING``), the next
    statement may run on another server connection, where a session's lock is not: the
    call then runs in one transaction holding a transaction-level lock."""
    return settings.DATABASE_TRANSACTION_POOLING and connection.vendor == "postgresql"


def _hold(lock_id: int) -> bool:
    """Take the advisory lock (waiting for a twin to finish); True if it is to be
    released by :func:`_release` (a transaction's lock goes with its commit)."""
    if connection.vendor != "postgresql":
        return False  # SQLite, for development, runs one write at a time anyway
    with connection.cursor() as cursor:
        if _per_transaction():
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
            return False
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id])
    return True


def _release(lock_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])


class IdempotencyMixin(_ViewBase):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idempotency = None
        self._idempotency_lock = None
        key = request.headers.get(HEADER, "").strip()
        owner = Requester.of(request).owner_tag
        if request.method != "POST" or not key or not owner:
            return
        if len(key) > 255:
            raise ApiError(
                _("L'en-tête Idempotency-Key dépasse 255 caractères."), code="invalid_header"
            )
        if not key.isprintable():
            raise ApiError(
                _("L'en-tête Idempotency-Key ne peut contenir que des caractères imprimables."),
                code="invalid_header",
            )
        digest = hashlib.sha256()
        digest.update(request.method.encode())
        digest.update(request.path.encode())
        # Sorted, so that the order of the parameters does not make another request.
        query = urlencode(sorted(request.query_params.lists()), doseq=True)
        digest.update(b"?" + query.encode())
        try:
            digest.update(request._request.body)
        except RawPostDataException:  # multipart already read by the CSRF check
            digest.update(repr(sorted(request._request.FILES.items())).encode())
        fingerprint = digest.hexdigest()
        lock_id = _lock_id(owner, key)
        if _hold(lock_id):
            self._idempotency_lock = lock_id  # released at the end of dispatch
        since = timezone.now() - datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
        record = IdempotentRequest.objects.filter(
            owner=owner, key=key, created_at__gte=since
        ).first()
        if record is not None:
            if record.fingerprint != fingerprint:
                raise ApiError(
                    _("Cette Idempotency-Key a déjà servi pour une autre requête."),
                    code="idempotency_key_reused",
                    status_code=422,
                )
            raise _Replay(record)
        self._idempotency = (owner, key, fingerprint)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            response = Response(exc.record.body, status=exc.record.status_code)
            for name, value in (exc.record.headers or {}).items():
                response[name] = value
            response["Idempotent-Replayed"] = "true"
            return response
        return super().handle_exception(exc)

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.headers.get(HEADER) and _per_transaction():
            with transaction.atomic():  # the lock is held until the answer is stored
                return self._dispatch(request, *args, **kwargs)
        return self._dispatch(request, *args, **kwargs)

    def _dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:  # after the answer is stored (finalize_response), even on a crash
            lock_id = getattr(self, "_idempotency_lock", None)
            if lock_id is not None:
                self._idempotency_lock = None
                _release(lock_id)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        pending = getattr(self, "_idempotency", None)
        if pending and 200 <= response.status_code < 300:
            owner, key, fingerprint = pending
            since = timezone.now() - datetime.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
            IdempotentRequest.objects.filter(owner=owner, key=key, created_at__lt=since).delete()
            body = json.loads(json.dumps(response.data, default=str))
            try:
                with transaction.atomic():
                    IdempotentRequest.objects.create(
                        owner=owner,
                        key=key,
                        fingerprint=fingerprint,
                        status_code=response.status_code,
                        body=body,
                        headers={
                            name: response[name]
                            for name in REPLAYED_HEADERS
                            if response.has_header(name)
                        },
                    )
            except IntegrityError:
                pass  # a concurrent twin stored its answer first
        return response
