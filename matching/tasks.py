"""Celery tasks of the matching service.

A mission published or changed, or a volunteer profile changed, asks for a refresh;
requests within ``MATCHING_COALESCE_SECONDS`` are coalesced into one run. The nightly
full recompute splits missions and volunteers into chunks run as a Celery chord, so
each worker added takes its share. Tasks take ids, replace suggestions atomically
(running one twice is harmless) and record their run for staff.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from celery import chord, shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.models import F
from django.utils import timezone

from core import outbox
from volunteers.models import VolunteerProfile

from . import engine
from .models import MatchingRun, SuggestionList
from .services import (
    current_index,
    forget_index,
    suggestion_refresh_mission,
    suggestion_refresh_volunteer,
    suggestions_compute_missions,
    suggestions_compute_volunteers,
    suggestions_drop_out_of_scope,
)

if TYPE_CHECKING:
    from celery import Task

    from core.tasks import RetryOptions

    from .adapter import LoadedIndex

RETRY: RetryOptions = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "max_retries": 5,
}


def _request(kind: str, pk: int, task: Task[[int], int]) -> bool:
    """Record a refresh of ``pk`` in the outbox unless one is already waiting; True if
    recorded. The cache remembers the waiting one (a process-local cache while Redis is
    unreachable, so coalescing then only holds within one process)."""
    window = settings.MATCHING_COALESCE_SECONDS
    if not cache.add(f"matching:{kind}:{pk}", 1, timeout=window + 60):
        return False
    outbox.enqueue(task, pk, countdown=window)
    return True


def request_mission_refresh(mission_id: int) -> None:
    """Recompute a mission's suggestions soon: recorded in the current transaction, run
    once it commits (nothing if it rolls back)."""
    _request("mission", mission_id, refresh_mission)


def request_volunteer_refresh(volunteer_id: int) -> None:
    _request("volunteer", volunteer_id, refresh_volunteer)


def _run_started(scope: str, target_id: int | None = None, *, chunks: int = 1) -> MatchingRun:
    return MatchingRun.objects.create(
        scope=scope,
        target_id=target_id,
        state=MatchingRun.State.RUNNING,
        chunks_total=chunks,
        engine_version=engine.ENGINE_VERSION,
        started_at=timezone.now(),
    )


def failure_fields(error: BaseException) -> dict[str, str]:
    """The error and where it happened, kept on the run for staff to read in the admin."""
    trace = "".join(traceback.format_exception(error))
    return {
        "error": f"{type(error).__name__}: {error}"[:2000],
        # The end of a very long trace is where the error is.
        "traceback": trace[-20000:],
    }


def _run_failed(run_id: int, error: BaseException) -> None:
    MatchingRun.objects.filter(pk=run_id).update(
        state=MatchingRun.State.FAILED, finished_at=timezone.now(), **failure_fields(error)
    )


def _fresh_for(changed_at: dt.datetime | None) -> LoadedIndex:
    """The arrays, reloaded if they predate ``changed_at`` (the start of a full run)."""
    loaded = current_index()
    if changed_at is not None and loaded.loaded_at < changed_at:
        forget_index()
        loaded = current_index()
    return loaded


def _refresh_one(kind: str, pk: int, compute: Callable[[int], int]) -> int:
    cache.delete(f"matching:{kind}:{pk}")  # requests from now on start a new run
    run = _run_started(kind, pk)
    try:
        written = compute(pk)
    except Exception as error:
        _run_failed(run.pk, error)
        raise
    MatchingRun.objects.filter(pk=run.pk).update(
        state=MatchingRun.State.SUCCEEDED,
        chunks_done=1,
        missions_count=int(kind == "mission"),
        volunteers_count=int(kind == "volunteer"),
        suggestions_count=written,
        finished_at=timezone.now(),
    )
    return written


def _refill_volunteers(volunteer_pks: list[int]) -> None:
    for pk in volunteer_pks:
        request_volunteer_refresh(pk)


def _refill_missions(mission_pks: list[int]) -> None:
    for pk in mission_pks:
        request_mission_refresh(pk)


@shared_task(**RETRY)
def refresh_mission(mission_id: int) -> int:
    """The mission's own list and the volunteers' lists it enters or leaves; those it
    shrinks below ``MATCHING_REFILL_BELOW`` are computed again next."""
    return _refresh_one(
        "mission",
        mission_id,
        lambda pk: suggestion_refresh_mission(pk, refill=_refill_volunteers),
    )


@shared_task(**RETRY)
def refresh_volunteer(volunteer_id: int) -> int:
    return _refresh_one(
        "volunteer",
        volunteer_id,
        lambda pk: suggestion_refresh_volunteer(pk, refill=_refill_missions),
    )


def _chunks(pks: list[int], n: int) -> list[list[int]]:
    size = max(1, -(-len(pks) // max(n, 1)))
    return [pks[i : i + size] for i in range(0, len(pks), size)]


@shared_task(acks_late=True)
def recompute_all(run_id: int | None = None) -> int:
    """The nightly full recompute: every open mission and every volunteer, in chunks."""
    from .adapter import open_missions

    mission_pks = list(open_missions().order_by("pk").values_list("pk", flat=True))
    volunteer_pks = list(
        VolunteerProfile.objects.visible().order_by("pk").values_list("pk", flat=True)
    )
    n = settings.MATCHING_CHUNKS
    mission_chunks, volunteer_chunks = _chunks(mission_pks, n), _chunks(volunteer_pks, n)
    total = len(mission_chunks) + len(volunteer_chunks)
    if run_id is None:
        run = _run_started(MatchingRun.Scope.FULL, chunks=total)
    else:
        updated = MatchingRun.objects.filter(pk=run_id, state=MatchingRun.State.QUEUED).update(
            state=MatchingRun.State.RUNNING, started_at=timezone.now(), chunks_total=total
        )
        if not updated:
            return 0  # already started by another delivery of this task
        run = MatchingRun.objects.get(pk=run_id)
    header = [recompute_chunk.si(run.pk, "missions", chunk) for chunk in mission_chunks] + [
        recompute_chunk.si(run.pk, "volunteers", chunk) for chunk in volunteer_chunks
    ]
    try:
        if not header:
            finish_recompute.si(run.pk).delay()
        else:
            chord(header)(finish_recompute.si(run.pk).on_error(fail_recompute.si(run.pk)))
    except Exception as error:
        _run_failed(run.pk, error)
        raise
    return run.pk


# bind: a chunk's last failure is recorded on its run. The chord waits for every
# chunk's result.
@shared_task(bind=True, ignore_result=False, **RETRY)
def recompute_chunk(self: Task[..., int], run_id: int, direction: str, pks: list[int]) -> int:
    run = MatchingRun.objects.filter(pk=run_id).first()
    if run is None or run.state != MatchingRun.State.RUNNING:
        return 0
    compute = (
        suggestions_compute_missions if direction == "missions" else suggestions_compute_volunteers
    )
    try:
        written = compute(_fresh_for(run.started_at), pks)
    except Exception as error:
        retried = (
            isinstance(error, OperationalError) and self.request.retries < RETRY["max_retries"]
        )
        if not retried:
            # The chord's error callback (fail_recompute) gets no exception: keep it
            # here, on the run, for the admin's page.
            MatchingRun.objects.filter(pk=run_id).update(**failure_fields(error))
        raise
    counter = "missions_count" if direction == "missions" else "volunteers_count"
    MatchingRun.objects.filter(pk=run_id).update(
        chunks_done=F("chunks_done") + 1,
        suggestions_count=F("suggestions_count") + written,
        **{counter: F(counter) + len(pks)},
    )
    return written


@shared_task(acks_late=True)
def fail_recompute(run_id: int) -> None:
    """The chord's error callback: a chunk failed for good (its error and traceback are
    on the run already, see ``recompute_chunk``)."""
    running = MatchingRun.objects.filter(pk=run_id, state=MatchingRun.State.RUNNING)
    running.filter(error="").update(
        error="A chunk of the recompute failed (its error could not be recorded)."
    )
    running.update(state=MatchingRun.State.FAILED, finished_at=timezone.now())


@shared_task(acks_late=True)
def finish_recompute(run_id: int) -> None:
    finished = MatchingRun.objects.filter(pk=run_id, state=MatchingRun.State.RUNNING).update(
        state=MatchingRun.State.SUCCEEDED, finished_at=timezone.now()
    )
    if finished:
        suggestions_drop_out_of_scope()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Every list was just rewritten: make the old versions' room reusable tonight
        # rather than whenever autovacuum comes by (a plain VACUUM blocks nobody).
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {SuggestionList._meta.db_table}")
