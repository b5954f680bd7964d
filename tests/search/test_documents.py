"""Every way a mission, its skills, its association or its cause change keeps the
mission's search document right: the database's triggers do it, whatever wrote."""

import pytest
from django.core.management import call_command
from django.db import connection

from associations.models import Association
from missions.models import Mission, MissionSkill
from search import documents
from search.apps import _reinstall_triggers
from search.criteria import SearchCriteria
from search.models import MissionDocument
from search.selectors import MissionSearch
from taxonomy.models import Cause, Skill, SkillFamily
from tests import factories

pytestmark = pytest.mark.django_db


def found(words: str) -> set[str]:
    return {mission.title for mission in MissionSearch(SearchCriteria(q=words)).missions()}


def exactly_found(words: str) -> set[str]:
    search = MissionSearch(SearchCriteria(q=words), tolerate_typos=False)
    return {mission.title for mission in search.missions()}


@pytest.fixture
def mission(association):
    mission = factories.MissionFactory(
        association=association,
        title="Réorganiser l'entrepôt",
        summary="Ranger les denrées.",
        description="Deux jours de travail.",
    )
    factories.MissionSkillFactory(mission=mission, skill=Skill.objects.get(code="accounting"))
    return mission


def test_a_new_mission_has_its_document(mission):
    document = MissionDocument.objects.get(mission=mission)
    assert document.title == " reorganiser l entrepot "
    assert " compta " in document.keywords and " finance et comptabilite " in document.keywords
    assert found("entrepôts") == {mission.title}
    assert found("compta") == {mission.title}


def test_a_queryset_update_of_the_mission_is_seen(mission):
    Mission.objects.filter(pk=mission.pk).update(title="Trier les vêtements donnés")

    assert exactly_found("vetements") == {"Trier les vêtements donnés"}
    assert exactly_found("entrepot") == set()


def test_a_mission_given_to_another_association_is_reached_by_its_members(mission):
    """The documents hold the association: what its members reach is said on them."""
    other = factories.AssociationFactory()
    assert MissionDocument.objects.get(mission=mission).association_id == mission.association_id

    Mission.objects.filter(pk=mission.pk).update(association=other)

    assert MissionDocument.objects.get(mission=mission).association_id == other.pk


def test_a_change_that_is_not_searched_leaves_the_document(mission):
    before = MissionDocument.objects.get(mission=mission).keywords
    Mission.objects.filter(pk=mission.pk).update(seats=3, state=Mission.State.IN_PROGRESS)
    assert MissionDocument.objects.get(mission=mission).keywords == before


def test_bulk_created_missions_and_skills_are_found(association):
    missions = Mission.objects.bulk_create(
        [
            Mission(
                association=association,
                title=f"Atelier {n}",
                summary="Un atelier.",
                cause=Cause.objects.get(code="education"),
                state=Mission.State.PUBLISHED,
            )
            for n in range(3)
        ]
    )
    payroll = Skill.objects.get(code="payroll")
    MissionSkill.objects.bulk_create(
        [MissionSkill(mission=mission, skill=payroll) for mission in missions[:2]]
    )

    assert MissionDocument.objects.filter(mission__in=missions).count() == 3
    assert exactly_found("fiches de paie") == {"Atelier 0", "Atelier 1"}


def test_skills_removed_or_changed_are_seen(mission):
    assert exactly_found("compta") == {mission.title}
    MissionSkill.objects.filter(mission=mission).update(skill=Skill.objects.get(code="payroll"))
    assert exactly_found("compta") == set()
    assert exactly_found("paie") == {mission.title}
    MissionSkill.objects.filter(mission=mission).delete()
    assert exactly_found("paie") == set()


def test_renaming_the_association_the_cause_a_skill_or_its_family(mission):
    Association.objects.filter(pk=mission.association_id).update(name="Les Restos du Quartier")
    assert exactly_found("restos") == {mission.title}

    Cause.objects.filter(pk=mission.cause_id).update(name_fr="Inclusion par le sport")
    assert exactly_found("sport") == {mission.title}

    accounting = Skill.objects.get(code="accounting")
    accounting.synonyms = "tenue des livres"
    accounting.save()  # as in the admin, which also refreshes the cached synonyms
    assert exactly_found("livres") == {mission.title}
    assert exactly_found("compta") == set()

    SkillFamily.objects.filter(code="finance").update(name_fr="Argent et gestion")
    assert exactly_found("argent") == {mission.title}


def test_a_deleted_mission_takes_its_document_along(mission):
    mission.delete()
    assert not MissionDocument.objects.exists()


def test_documents_are_rebuilt_and_triggers_put_back_after_a_migration(mission):
    # SQLite drops a table's triggers when a migration rebuilds the table.
    documents.uninstall(connection)
    untracked = factories.MissionFactory(association=mission.association, title="Potager")
    assert not MissionDocument.objects.filter(mission=untracked).exists()

    _reinstall_triggers(sender=None, using="default")
    call_command("rebuild_search_documents", verbosity=0)

    assert exactly_found("potager") == {"Potager"}
    tracked = factories.MissionFactory(association=mission.association, title="Verger")
    assert MissionDocument.objects.filter(mission=tracked).exists()


def test_the_documents_know_which_missions_are_open_as_the_missions_do(association):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    for state, days in (
        ("published", 3),
        ("published", -1),
        ("published", None),
        ("draft", 3),
        ("in_progress", None),
    ):
        factories.MissionFactory(
            association=association,
            state=state,
            application_deadline=None if days is None else today + datetime.timedelta(days),
        )
    closing = factories.MissionFactory(association=association)
    Mission.objects.filter(pk=closing.pk).update(state=Mission.State.EXPIRED)

    open_missions = set(Mission.objects.open_for_applications().values_list("pk", flat=True))
    assert len(open_missions) == 2
    open_documents = MissionDocument.objects.open_for_applications().values_list(
        "mission_id", flat=True
    )
    assert set(open_documents) == open_missions
