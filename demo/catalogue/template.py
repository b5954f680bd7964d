"""The shape of a mission template."""

from dataclasses import dataclass


@dataclass(frozen=True)
class MissionTemplate:
    title: str
    summary: str
    context: str
    deliverable: str
    required: tuple[str, ...]
    nice: tuple[str, ...] = ()
    format: str = ""  # "" lets the generator choose
    languages: tuple[str, ...] = ()
