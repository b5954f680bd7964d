from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import VIEW_ONLY, StaffRoleAdmin

from .models import Cause, Departement, Region, Skill, SkillFamily
from .services import place_fields

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _SkillCount(TypedDict):
        skill_count: int

    class _DepartementCount(TypedDict):
        departement_count: int

    # Mixed into a ModelAdmin: the checker sees the admin as its base.
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


class LocatedAdminMixin(_ModelAdminBase):
    """Locate again a place whose city or postcode staff corrected.

    Coordinates and département typed by hand in the same save are kept as typed.
    """

    def save_model(self, request, obj, form, change):
        changed = set(form.changed_data)
        if changed & {"city", "postcode"} and not changed & {
            "latitude",
            "longitude",
            "departement",
        }:
            located = {"departement": None, "latitude": None, "longitude": None}
            located.update(place_fields(city=obj.city, postcode=obj.postcode))
            for field, value in located.items():
                setattr(obj, field, value)
        super().save_model(request, obj, form, change)


class ReferenceDataAdmin(StaffRoleAdmin):
    """Reference data: referents may read it (they pick skills and places from it)."""

    referent_access = VIEW_ONLY


@admin.register(SkillFamily)
class SkillFamilyAdmin(ReferenceDataAdmin):
    list_display = ("name_fr", "name_en", "code", "skill_count")
    search_fields = ("name_fr", "name_en", "code")
    prepopulated_fields = {"code": ("name_en",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(skill_count=Count("skills"))

    @admin.display(description=_("compétences"), ordering="skill_count")
    def skill_count(self, family: "WithAnnotations[SkillFamily, _SkillCount]") -> int:
        return family.skill_count


@admin.register(Skill)
class SkillAdmin(ReferenceDataAdmin):
    list_display = ("name_fr", "name_en", "code", "family", "synonyms")
    list_filter = ("family",)
    list_select_related = ("family",)
    search_fields = ("name_fr", "name_en", "code", "synonyms")
    filter_horizontal = ("related",)
    prepopulated_fields = {"code": ("name_en",)}


@admin.register(Cause)
class CauseAdmin(ReferenceDataAdmin):
    list_display = ("name_fr", "name_en", "code", "sdg_list")
    search_fields = ("name_fr", "name_en", "code")
    prepopulated_fields = {"code": ("name_en",)}

    @admin.display(description=_("ODD"))
    def sdg_list(self, cause: Cause) -> str:
        return ", ".join(str(number) for number in cause.sdgs or []) or "–"


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "departement_count")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(departement_count=Count("departements"))

    @admin.display(description=_("départements"), ordering="departement_count")
    def departement_count(self, region: "WithAnnotations[Region, _DepartementCount]") -> int:
        return region.departement_count


@admin.register(Departement)
class DepartementAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("code", "name")
