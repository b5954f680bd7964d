"""Tasks go through a real Celery worker process, Redis broker and PostgreSQL."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from associations.models import Association
from associations.services import association_verify
from missions.models import Mission
from missions.tasks import expire_overdue_missions
from tests import factories

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def worker(postgresql, redis_url, tmp_path):
    """A `celery worker` process reading the test database, sending e-mails to files."""
    from probono.celery import app

    app.control.purge()
    database = urlsplit(os.environ["DATABASE_URL"])
    test_database_url = urlunsplit(database._replace(path="/" + connection.settings_dict["NAME"]))
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"filemail://{mail_dir}",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "probono",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield mail_dir
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print(Path(log.name).read_text()[-3000:])


def test_a_real_worker_expires_overdue_missions(worker):
    from probono.celery import app

    assert not app.conf.task_always_eager
    overdue = factories.MissionFactory(
        application_deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    expire_overdue_missions.delay()
    assert wait_for(lambda: Mission.objects.get(pk=overdue.pk).state == Mission.State.EXPIRED), (
        "the worker did not expire the mission"
    )


def test_a_real_worker_emails_the_verification_decision(worker):
    association = factories.AssociationFactory(verification_state=Association.State.PENDING)
    admin = factories.AssociationMemberFactory(association=association).user
    staff = factories.UserFactory(is_staff=True)
    association_verify(association_id=association.pk, actor=staff)  # enqueued on commit

    def sent() -> str:  # the file backend may have created the file, not yet written it
        return "".join(path.read_text() for path in worker.iterdir())

    assert wait_for(lambda: admin.email in sent()), "no e-mail was sent by the worker"
    assert admin.email in sent()
    assert association.name in sent()


def test_a_real_worker_suggests_volunteers_for_a_published_mission_once(worker, settings):
    from matching.models import MatchingRun, SuggestionList
    from matching.selectors import mission_suggestions
    from matching.tasks import request_mission_refresh
    from missions.services import mission_publish
    from taxonomy.models import Skill

    settings.MATCHING_COALESCE_SECONDS = 2
    skill = Skill.objects.get(code="website_creation")
    mission = factories.MissionFactory(state=Mission.State.SUBMITTED, published_at=None)
    factories.MissionSkillFactory(mission=mission, skill=skill)
    volunteer = factories.VolunteerFactory()
    factories.VolunteerSkillFactory(profile=volunteer, skill=skill, level=3)
    staff = factories.UserFactory(is_staff=True)

    mission_publish(mission_id=mission.pk, actor=staff)
    request_mission_refresh(mission.pk)  # a second trigger within the window coalesces

    assert wait_for(lambda: SuggestionList.objects.filter(mission=mission).exists())
    (suggestion,) = mission_suggestions(mission)
    assert suggestion.volunteer == volunteer and suggestion.explanation_fr
    time.sleep(3)
    assert MatchingRun.objects.filter(scope="mission", target_id=mission.pk).count() == 1


def test_a_full_recompute_runs_as_a_chord_on_a_real_worker(worker):
    from django.db.models import Sum

    from matching.models import MatchingRun, SuggestionList
    from matching.tasks import recompute_all
    from taxonomy.models import Skill

    skill = Skill.objects.get(code="website_creation")
    for _ in range(3):
        mission = factories.MissionFactory()
        factories.MissionSkillFactory(mission=mission, skill=skill)
        volunteer = factories.VolunteerFactory()
        factories.VolunteerSkillFactory(profile=volunteer, skill=skill, level=3)
    run = MatchingRun.objects.create(scope=MatchingRun.Scope.FULL)

    recompute_all.delay(run.pk)

    def finished():
        run.refresh_from_db()
        return run.state in (MatchingRun.State.SUCCEEDED, MatchingRun.State.FAILED)

    assert wait_for(finished), "the full recompute did not finish"
    assert run.state == MatchingRun.State.SUCCEEDED, run.error
    assert run.chunks_done == run.chunks_total >= 2  # both directions, chunked
    assert run.suggestions_count == SuggestionList.objects.aggregate(n=Sum("size"))["n"] > 0


def test_a_real_worker_lists_a_new_volunteer_within_15_s_and_drops_a_filled_mission(
    worker, settings
):
    from matching.models import MatchingRun, SuggestionList
    from matching.tasks import request_mission_refresh
    from missions.services import application_accept
    from taxonomy.geo import warm
    from taxonomy.models import Skill
    from volunteers.services import volunteer_profile_save

    def stored(**owner) -> list[int]:
        row = SuggestionList.objects.filter(**owner).first()
        return row.decoded().others if row else []

    settings.MATCHING_COALESCE_SECONDS = 1
    skill = Skill.objects.get(code="website_creation")
    mission = factories.MissionFactory(seats=1)
    factories.MissionSkillFactory(mission=mission, skill=skill, min_level=2)
    request_mission_refresh(mission.pk)
    # The worker is up and has loaded its arrays: they predate the volunteer below.
    assert wait_for(lambda: MatchingRun.objects.filter(target_id=mission.pk).exists())
    warm()  # the offline place indexes of this process, built once (seconds)

    # The worker hears the sign-up, waits MATCHING_COALESCE_SECONDS (10 s by default)
    # for more changes, then refreshes both directions.
    started = time.monotonic()
    profile = volunteer_profile_save(
        actor=factories.UserFactory(),
        city="Lyon",
        postcode="69001",
        skills={skill.pk: 3},
        causes=[],
        headline="Développeuse",
    )
    assert wait_for(lambda: profile.pk in stored(mission=mission), timeout=15)
    assert wait_for(lambda: mission.pk in stored(volunteer=profile), timeout=15)
    entered = time.monotonic() - started
    print(f"signed-up volunteer in the mission's list after {entered:.1f} s")  # pytest -s
    assert entered < 15

    applicant = factories.VolunteerFactory()
    application = factories.ApplicationFactory(mission=mission, volunteer=applicant)
    owner = factories.AssociationMemberFactory(association=mission.association).user
    started = time.monotonic()
    application_accept(application_id=application.pk, actor=owner)
    assert wait_for(lambda: mission.pk not in stored(volunteer=profile), timeout=15)
    left = time.monotonic() - started
    print(f"filled mission out of the volunteer's list after {left:.1f} s")
    assert left < 15
