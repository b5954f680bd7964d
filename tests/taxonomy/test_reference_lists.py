"""The reference lists every search page reads: once per process and version."""

import pytest
from django.core.cache import cache

from taxonomy.models import Cause, Skill, SkillFamily
from taxonomy.selectors import REFERENCE_VERSION_KEY, reference_lists

pytestmark = pytest.mark.django_db


def test_read_once_then_held_without_a_query(django_assert_num_queries):
    first = reference_lists()
    assert len(first.skills) == Skill.objects.count() > 0
    assert [s.code for s in first.skills] == list(
        Skill.objects.order_by("family__name_fr", "name_fr").values_list("code", flat=True)
    )
    with django_assert_num_queries(0):
        again = reference_lists()
        assert again.skills[0].family.name_fr  # the family came with it
    assert again is first


def test_a_change_saved_is_read_at_the_next_call():
    skill = reference_lists().by_code("skills")["payroll"]
    stored = Skill.objects.get(pk=skill.pk)
    stored.name_fr = "Paie et Kerhervé"
    stored.save()
    assert reference_lists().by_code("skills")["payroll"].name_fr == "Paie et Kerhervé"
    Cause.objects.create(code="quillevere", name_fr="Quillévéré", name_en="Quillévéré")
    assert "quillevere" in reference_lists().by_code("causes")
    family = SkillFamily.objects.get(pk=skill.family_id)
    family.name_fr = "Ressources Quillévéré"
    family.save()
    assert reference_lists().by_code("skills")["payroll"].family.name_fr == family.name_fr


def test_another_process_change_is_seen_through_the_shared_version():
    held = reference_lists()
    # Another process saved a change: its signal forgot the shared version name.
    Skill.objects.filter(code="payroll").update(name_fr="Paie (Kerhervé)")
    assert reference_lists() is held  # an update() sends no signal: held until then
    cache.delete(REFERENCE_VERSION_KEY)
    assert reference_lists().by_code("skills")["payroll"].name_fr == "Paie (Kerhervé)"
