"""One id per request, in every log line it causes, also in the tasks it enqueues.

The id comes from the incoming ``X-Request-ID`` header when it is a plausible id (a
proxy or a partner tool chose it), otherwise it is generated; the response carries it
back in the same header. While the request runs, the id is bound to the current
context: the logging filter puts it on every record, Celery's ``before_task_publish``
signal copies it into the headers of every task sent, and ``task_prerun`` binds it
again in the worker that runs the task. The outbox keeps it on its rows
(``core.outbox``), since a row may be handed to the workers long after the request.
A task that no request caused (beat's jobs) gets an id of its own for its run.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

import sentry_sdk
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse

from . import metrics

HEADER = "X-Request-ID"
# The name of the Celery message header that carries the id to the worker.
TASK_HEADER = "request_id"

# Letters, digits and a few separators (UUIDs, ULIDs, proxies' ids), 8 to 128 long:
# anything else (spaces, line breaks, markup) is not copied into logs, a new id is made.
_VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{7,127}")

_current: ContextVar[str] = ContextVar("request_id", default="")
_task_tokens: dict[str, Token[str]] = {}

request_logger = logging.getLogger("probono.requests")


def get() -> str:
    """The id bound to the current request or task, "" outside of both."""
    return _current.get()


def new() -> str:
    return uuid.uuid4().hex


def is_valid(value: str) -> bool:
    return bool(_VALID.fullmatch(value))


@contextmanager
def bound(request_id: str) -> Iterator[str]:
    """Bind ``request_id`` (a new one if empty) for the duration of the block."""
    request_id = request_id or new()
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)


def _tag_error_reports(request_id: str) -> None:
    # A no-op unless SENTRY_DSN configured the SDK: errors reported then carry the id.
    sentry_sdk.set_tag("request_id", request_id)


class RequestIdMiddleware:
    """Binds the request's id, returns it in ``X-Request-ID``, and records the request
    in the metrics and (when ``LOG_REQUESTS`` is on) in one log line: the view's name
    and route, never the path itself, which may hold a token or a person's search."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.log_requests: bool = settings.LOG_REQUESTS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        started = time.perf_counter()
        with bound(incoming if is_valid(incoming) else "") as request_id:
            request.request_id = request_id  # type: ignore[attr-defined]
            _tag_error_reports(request_id)
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            match = request.resolver_match
            view = match.view_name if match is not None else "<unresolved>"
            metrics.observe_request(
                view=view, method=request.method or "", status=response.status_code, seconds=elapsed
            )
            if self.log_requests:
                request_logger.info(
                    "%s %s %s",
                    request.method,
                    view,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "view": view,
                        "route": match.route if match is not None else "",
                        "status": response.status_code,
                        "duration_ms": round(elapsed * 1000, 1),
                    },
                )
        response.headers[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``%(request_id)s``, "" if none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = get()
        return True


@before_task_publish.connect
def _send_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = get()
    if headers is not None and request_id and not headers.get(TASK_HEADER):
        headers[TASK_HEADER] = request_id


@task_prerun.connect
def _bind_task_request_id(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    # The id sent with the task; in-process (eager) tasks keep the one already bound;
    # a task nobody's request caused gets its own.
    sent = getattr(task.request, TASK_HEADER, None) if task is not None else None
    request_id = sent if isinstance(sent, str) and is_valid(sent) else get() or new()
    _task_tokens[task_id] = _current.set(request_id)
    _tag_error_reports(request_id)


@task_postrun.connect
def _unbind_task_request_id(task_id: str = "", **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (cannot happen in one worker thread)
            _current.set("")
