"""Whoever needs to react to what happened (in-app notifications, partner webhooks)
listens to the audit log rather than to each service, as pretix does with its log
entries: every ``ActionLog`` entry whose action has a listener is handed, once its
transaction commits, to a Celery task that calls the listeners registered for it.

A listener is ``def handler(entry: ActionLog) -> None``, registered from its app's
``ready()`` with ``@on_action("application.accept", ...)`` (``"*"`` for every action).
The task may run again after a failure, so listeners must be idempotent."""

from collections import defaultdict
from collections.abc import Callable

ALL = "*"
_listeners: dict[str, list[Callable]] = defaultdict(list)


def on_action(*actions: str):
    def register(handler: Callable) -> Callable:
        for action in actions:
            if handler not in _listeners[action]:
                _listeners[action].append(handler)
        return handler

    return register


def listeners_for(action: str) -> list[Callable]:
    return [*_listeners.get(action, ()), *_listeners.get(ALL, ())]


def announce(entry) -> None:
    """Hand ``entry`` to its listeners after the current transaction commits."""
    if not listeners_for(entry.action):
        return
    from django.db import transaction

    from .tasks import dispatch_action

    transaction.on_commit(lambda: dispatch_action.delay(entry.pk))
