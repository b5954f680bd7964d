"""Explicit state machines: one table of allowed transitions per model.

A service locks the row (``select_for_update``), checks who may act, then calls
``StateMachine.apply``, which refuses a transition the table does not allow, sets the
new state, saves, and writes the audit log, all inside the caller's transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from core.models import log_action

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from core.permissions import Actor

_M = TypeVar("_M", bound=models.Model)


class TransitionNotAllowed(ValidationError):
    """The object's current state does not allow the requested transition."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str


class StateMachine:
    def __init__(
        self,
        field: str,
        label: "StrOrPromise",
        transitions: Iterable[tuple[str, Iterable[str], str]],
    ) -> None:
        self.field = field
        self.label = label
        self.transitions = {
            name: Transition(name, frozenset(sources), target)
            for name, sources, target in transitions
        }

    def allowed_from(self, state: str) -> list[str]:
        return [t.name for t in self.transitions.values() if state in t.sources]

    def can(self, obj: models.Model, name: str) -> bool:
        return getattr(obj, self.field) in self.transitions[name].sources

    def apply(
        self,
        obj: _M,
        name: str,
        *,
        actor: "Actor | None" = None,
        data: dict[str, Any] | None = None,
        update_fields: Iterable[str] = (),
    ) -> _M:
        """Move ``obj`` along transition ``name``; the caller holds the row lock."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("State transitions must run inside a transaction.")
        transition = self.transitions[name]
        current = getattr(obj, self.field)
        if current not in transition.sources:
            # A state is a CharField with flat choices (the model's state codes).
            state_field = cast("models.CharField[str, str]", obj._meta.get_field(self.field))
            display = dict(cast("list[tuple[str, str]]", state_field.choices))
            raise TransitionNotAllowed(
                _("Impossible de passer %(label)s de « %(from)s » à « %(to)s ».")
                % {
                    "label": self.label,
                    "from": display.get(current, current),
                    "to": display.get(transition.target, transition.target),
                },
                code="transition_not_allowed",
            )
        setattr(obj, self.field, transition.target)
        # A change of state is a change: "modified" timestamps (auto_now) move with it,
        # which is how subscribed calendars learn of it (core.calendars).
        touched = [
            field.name for field in obj._meta.concrete_fields if getattr(field, "auto_now", False)
        ]
        obj.save(update_fields=list(dict.fromkeys([self.field, *update_fields, *touched])))
        log_action(
            obj,
            f"{obj._meta.model_name}.{name}",
            actor=actor,
            from_state=current,
            to_state=transition.target,
            data=data,
        )
        return obj
