"""Whoever needs to react to what happened (suggestions to refresh, notifications,
partner webhooks) listens to the audit log rather than to each service, as pretix does
with its log entries. This is how a lower app is heard by a higher one without
importing it: ``missions`` logs ``mission.publish``, and ``matching``, ``search``,
``notifications`` and ``api`` have registered listeners for it.

A listener is ``def handler(entry: ActionLog) -> None``, registered from its app's
``ready()`` with ``@on_action("application.accept", ...)`` (``"*"`` for every action).
Once the entry's transaction commits, each listener gets a task of its own
(``core.tasks.run_listener``, recorded in the outbox: ``core.outbox``): one that keeps
failing uses up its own retries, never those of the others, and listeners do not
depend on the order apps are installed in. A listener runs in the transaction that
marks its task done: what it writes and enqueues is saved with that mark, or not at
all, and it may run again after a failure."""

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import ActionLog

Listener = Callable[["ActionLog"], Any]

ALL = "*"
_listeners: dict[str, list[Listener]] = defaultdict(list)


def on_action(*actions: str) -> Callable[[Listener], Listener]:
    def register(handler: Listener) -> Listener:
        for action in actions:
            if handler not in _listeners[action]:
                _listeners[action].append(handler)
        return handler

    return register


def listener_name(handler: Listener) -> str:
    """The name a task carries to find its listener again in the worker."""
    return f"{handler.__module__}.{handler.__qualname__}"


def listeners_for(action: str) -> list[Listener]:
    """The listeners of ``action``, in the order of their names (not of registration)."""
    found = {listener_name(h): h for h in [*_listeners.get(action, ()), *_listeners.get(ALL, ())]}
    return [found[name] for name in sorted(found)]


def listener_for(action: str, name: str) -> Listener | None:
    return next((h for h in listeners_for(action) if listener_name(h) == name), None)


def announce(entry: "ActionLog") -> None:
    """Hand ``entry`` to its listeners after the current transaction commits.

    Each listener's task is written to the outbox in the entry's transaction, so that a
    broker that is down delays it rather than loses it."""
    from . import outbox
    from .tasks import run_listener

    for handler in listeners_for(entry.action):
        name = listener_name(handler)
        outbox.enqueue(run_listener, entry.pk, name, key=f"listener:{entry.pk}:{name}")
