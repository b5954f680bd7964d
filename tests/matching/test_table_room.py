"""A full recompute rewrites every list: the table keeps about its live size however
many times it is rewritten (PostgreSQL), instead of holding each old version."""

import pytest
from django.db import connection

from matching import services
from matching.adapter import load_index
from matching.models import SuggestionList
from taxonomy.models import Skill
from tests import factories


def table_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [SuggestionList._meta.db_table])
        return cursor.fetchone()[0]


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rewriting_every_list_reuses_the_room_of_the_old_versions(postgresql, monkeypatch):
    skill = Skill.objects.get(code="website_creation")
    for _ in range(30):
        factories.MissionSkillFactory(skill=skill, min_level=1)
    volunteers = [factories.VolunteerFactory() for _ in range(160)]
    for volunteer in volunteers:
        factories.VolunteerSkillFactory(profile=volunteer, skill=skill, level=3)
    pks = [volunteer.pk for volunteer in volunteers]
    # Eight parts, as a chunk's, each followed by a VACUUM.
    monkeypatch.setattr(services, "OWNERS_AT_ONCE", 20)
    monkeypatch.setattr(services, "RECLAIM_EVERY", 20)
    loaded = load_index()

    services.suggestions_compute_volunteers(loaded, pks)
    first = table_bytes()
    assert SuggestionList.objects.filter(volunteer__isnull=False).count() == len(pks)
    for _rewrite in range(3):
        services.suggestions_compute_volunteers(loaded, pks)

    # Without the room given back part after part, each rewrite adds a table's worth.
    assert table_bytes() <= 1.5 * first
