"""Prometheus metrics counted by the processes themselves: requests and task outcomes.

These are counters and histograms of the process that served the request or ran the
task. With ``PROMETHEUS_MULTIPROC_DIR`` set (in the environment, before the process
starts) to a directory shared by the processes of a host, prometheus-client writes them
to files there and ``/metrics`` adds up every process's (gunicorn's workers, and Celery's
when the worker shares the directory); without it, each process counts its own, and
``/metrics`` shows those of the process that answers it. Figures read from the database
(the outbox's backlog, matching runs, suggestions) are collected when scraped, by
``probono.metrics``, and are the same whichever process answers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Any

from celery.signals import task_postrun, task_prerun
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "probono_http_requests",
    "HTTP requests answered, by view name, method and status class (2xx, 4xx...).",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "probono_http_request_duration_seconds",
    "Time to answer an HTTP request, by view name.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASKS = Counter(
    "probono_celery_tasks",
    "Celery task runs, by task name and outcome (success, failure, retry...).",
    ["task", "outcome"],
)
TASK_SECONDS = Histogram(
    "probono_celery_task_duration_seconds",
    "Time a Celery task ran, by task name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0),
)

_task_started: dict[str, float] = {}


def multiprocess_directory() -> str:
    """The directory the processes share their figures through, "" if none."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def status_class(status: int) -> str:
    return f"{status // 100}xx"


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view=view, method=method, status=status_class(status)).inc()
    REQUEST_SECONDS.labels(view=view).observe(seconds)


@task_prerun.connect
def _task_started_at(task_id: str = "", **kwargs: Any) -> None:
    _task_started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_finished(
    task_id: str = "", task: Any = None, state: str | None = None, **kw: Any
) -> None:
    started = _task_started.pop(task_id, None)
    name = getattr(task, "name", None) or "<unknown>"
    TASKS.labels(task=name, outcome=(state or "unknown").lower()).inc()
    if started is not None:
        TASK_SECONDS.labels(task=name).observe(time.perf_counter() - started)


class _ProcessMetrics:
    """This process's own metrics (the default registry: ours, and the process's)."""

    def collect(self) -> Iterable[Any]:
        yield from REGISTRY.collect()


def scrape_registry(*collectors: Collector) -> CollectorRegistry:
    """A registry for one scrape: the processes' metrics (added up across processes in
    multiprocess mode), and ``collectors`` (figures read when scraped)."""
    registry = CollectorRegistry(auto_describe=False)
    directory = multiprocess_directory()
    if directory:
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ProcessMetrics())
    for collector in collectors:
        registry.register(collector)
    return registry
