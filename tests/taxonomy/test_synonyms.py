"""Skill synonyms: seeded from the reference data, edited by staff in the admin, and
understood by the mission search at once."""

import pytest

from search.criteria import SearchCriteria
from search.selectors import MissionSearch
from taxonomy import reference_data
from taxonomy.models import Skill
from taxonomy.sync import sync_skill_synonyms
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_reference_synonyms_name_real_skills_and_are_loaded():
    codes = {code for code, _family, _fr, _en in reference_data.SKILLS}
    assert set(reference_data.SKILL_SYNONYMS) <= codes
    assert "compta" in Skill.objects.get(code="accounting").synonym_list()
    assert "rh" in Skill.objects.get(code="hr_policy").synonym_list()
    assert "site web" in Skill.objects.get(code="web_development").synonym_list()


def test_seeding_again_keeps_what_staff_wrote():
    Skill.objects.filter(code="accounting").update(synonyms="grand livre")
    sync_skill_synonyms()
    assert Skill.objects.get(code="accounting").synonyms == "grand livre"


def test_staff_edit_synonyms_in_the_admin_and_the_search_understands_them(client, staff):
    staff.is_superuser = True
    staff.save()
    skill = Skill.objects.get(code="accounting")
    mission = factories.MissionFactory(title="Tenir les comptes", summary="Chaque mois.")
    factories.MissionSkillFactory(mission=mission, skill=skill)
    assert not MissionSearch(SearchCriteria(q="écritures"), tolerate_typos=False).count()
    client.force_login(staff)

    answer = client.post(
        f"/admin/taxonomy/skill/{skill.pk}/change/",
        {
            "name_fr": skill.name_fr,
            "name_en": skill.name_en,
            "code": skill.code,
            "family": skill.family_id,
            "synonyms": " compta ,, Écritures comptables, écritures comptables ,",
        },
    )

    assert answer.status_code == 302, answer.context["adminform"].errors
    skill.refresh_from_db()
    assert skill.synonyms == "compta, Écritures comptables"
    found = MissionSearch(SearchCriteria(q="ecritures comptables")).results()
    assert [m.title for m in found] == [mission.title]
