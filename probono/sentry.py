"""Error reporting through the Sentry SDK (``SENTRY_DSN``), for web and workers."""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def without_personal_data(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """What a report keeps of a request: its method, path and harmless headers. Query
    strings (a search for a person's name), bodies (a form's fields), cookies and the
    user are dropped."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "data", "cookies", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    event.pop("user", None)
    return event


def init_sentry(
    *,
    dsn: str,
    environment: str,
    release: str = "",
    traces_sample_rate: float = 0.0,
    transport: Any = None,
) -> None:
    """Report unhandled errors of requests and tasks, and logged errors, to Sentry.

    Called from the settings, which both the web processes and the Celery workers load.
    No personal data goes: the SDK's own personal data stays off (``send_default_pii``
    keeps its default, False; newer SDKs deprecate naming it), request bodies and the
    stack frames' variables are never read, and ``without_personal_data`` drops the
    rest. Each report carries the request
    id (``core.request_id``) to find its log lines."""
    options: dict[str, Any] = {
        "dsn": dsn,
        "environment": environment,
        "release": release or None,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        "max_request_body_size": "never",
        # A frame's variables hold whatever the code was handling: people's data.
        "include_local_variables": False,
        "before_send": without_personal_data,
        "traces_sample_rate": traces_sample_rate,
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
