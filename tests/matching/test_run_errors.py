"""A failed matching run keeps its error and traceback, and the admin shows them: staff
need no server logs to know what went wrong."""

import pytest
from django.urls import reverse

from matching import tasks
from matching.models import MatchingRun
from tests import factories

pytestmark = pytest.mark.django_db


def _broken(message: str, error: type[Exception] = RuntimeError):
    def compute(*args, **kwargs):
        raise error(message)

    return compute


def test_a_failed_refresh_keeps_its_error_and_traceback(monkeypatch, mission):
    monkeypatch.setattr(tasks, "suggestion_refresh_mission", _broken("l'index est illisible"))
    with pytest.raises(RuntimeError):
        tasks.refresh_mission(mission.pk)
    run = MatchingRun.objects.get(scope="mission")
    assert run.state == MatchingRun.State.FAILED and run.finished_at is not None
    assert run.error == "RuntimeError: l'index est illisible"
    assert run.traceback.startswith("Traceback (most recent call last):")
    assert "in _refresh_one" in run.traceback
    assert run.traceback.rstrip().endswith("RuntimeError: l'index est illisible")


def test_a_chunk_that_fails_for_good_leaves_its_error_on_the_full_run(monkeypatch, mission):
    monkeypatch.setattr(tasks, "suggestions_compute_missions", _broken("chunk cassé", ValueError))
    with pytest.raises(ValueError):
        tasks.recompute_all.delay()
    run = MatchingRun.objects.get(scope="full")
    assert run.state == MatchingRun.State.FAILED
    assert run.error == "ValueError: chunk cassé"
    assert "in recompute_chunk" in run.traceback


def test_the_chord_error_callback_keeps_the_chunks_error():
    run = MatchingRun.objects.create(
        scope="full", state="running", error="ValueError: chunk cassé", traceback="Traceback…"
    )
    tasks.fail_recompute(run.pk)
    run.refresh_from_db()
    assert (run.state, run.error, run.traceback) == (
        "failed",
        "ValueError: chunk cassé",
        "Traceback…",
    )
    # Without a recorded error, it still says what failed, and never "see the logs".
    bare = MatchingRun.objects.create(scope="full", state="running")
    tasks.fail_recompute(bare.pk)
    bare.refresh_from_db()
    assert bare.state == "failed" and "chunk" in bare.error and "log" not in bare.error


def test_staff_read_the_error_and_traceback_of_a_failed_run(client, staff, monkeypatch, mission):
    monkeypatch.setattr(
        tasks, "suggestion_refresh_mission", _broken("l'index <b>est</b> illisible")
    )
    with pytest.raises(RuntimeError):
        tasks.refresh_mission(mission.pk)
    run = MatchingRun.objects.get()
    client.force_login(staff)
    page = client.get(reverse("admin:matching_matchingrun_change", args=[run.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "RuntimeError: l&#x27;index &lt;b&gt;est&lt;/b&gt; illisible" in content
    assert '<pre class="run-traceback">Traceback (most recent call last):' in content
    assert "in _refresh_one" in content
    assert "worker logs" not in content and "<b>est</b>" not in content


def test_a_run_without_error_shows_no_traceback(client, staff):
    run = MatchingRun.objects.create(scope="full", state="succeeded")
    client.force_login(staff)
    content = client.get(reverse("admin:matching_matchingrun_change", args=[run.pk])).content
    assert b"run-traceback" not in content


def test_volunteers_do_not_see_runs(client):
    run = MatchingRun.objects.create(scope="full", state="failed", traceback="secret")
    client.force_login(factories.UserFactory())
    response = client.get(reverse("admin:matching_matchingrun_change", args=[run.pk]))
    assert response.status_code == 302 and b"secret" not in response.content
