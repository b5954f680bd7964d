from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import StaffRoleAdmin, StaffTabularInline

from .models import Company, CompanyDomain, CompanyMember, Programme


class CompanyDomainInline(StaffTabularInline):
    model = CompanyDomain
    fields = ("domain",)


class CompanyMemberInline(StaffTabularInline):
    model = CompanyMember
    fields = ("user", "role", "allowance_hours_override", "joined_at")
    readonly_fields = ("joined_at",)
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Company)
class CompanyAdmin(StaffRoleAdmin):
    list_display = (
        "name",
        "kind",
        "siren",
        "parent",
        "yearly_allowance_hours",
        "work_time_requires_approval",
    )
    list_filter = ("kind", "work_time_requires_approval")
    list_select_related = ("parent",)
    search_fields = ("name", "siren", "domains__domain")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "siren", "parent")}),
        (
            _("Mécénat de compétences"),
            {"fields": ("yearly_allowance_hours", "work_time_requires_approval")},
        ),
    )
    inlines = (CompanyDomainInline, CompanyMemberInline)


@admin.register(Programme)
class ProgrammeAdmin(StaffRoleAdmin):
    list_display = ("name", "company", "kind", "starts_on", "ends_on", "hours_budget")
    list_filter = ("kind", "starts_on", ("company", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("company",)
    search_fields = ("name", "company__name")
    date_hierarchy = "starts_on"
    autocomplete_fields = ("company", "invited_associations")
    filter_horizontal = ("causes", "departements")
    fieldsets = (
        (None, {"fields": ("company", "name", "kind", "description")}),
        (_("Dates et budget"), {"fields": ("starts_on", "ends_on", "hours_budget")}),
        (
            _("Éligibilité"),
            {"fields": ("causes", "departements", "invited_associations")},
        ),
    )


@admin.register(CompanyMember)
class CompanyMemberAdmin(StaffRoleAdmin):
    list_display = ("user", "company", "role", "allowance_hours_override", "joined_at")
    list_filter = ("role", ("company", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "company")
    search_fields = ("user__email", "user__first_name", "user__last_name", "company__name")
    autocomplete_fields = ("user", "company")
    readonly_fields = ("joined_at",)
