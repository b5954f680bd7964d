from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import StaffRoleAdmin, StaffTabularInline

from . import services
from .models import (
    Company,
    CompanyDomain,
    CompanyMember,
    CostBand,
    Programme,
    ProgrammeRegistration,
    ReportDelivery,
    ReportSubscription,
    TeamAssignment,
)


class CompanyDomainInline(StaffTabularInline):
    model = CompanyDomain
    fields = ("domain",)


class CostBandInline(StaffTabularInline):
    model = CostBand
    fields = ("name", "hourly_cost")


class CompanyMemberInline(StaffTabularInline):
    model = CompanyMember
    fields = ("user", "role", "allowance_hours_override", "site", "cost_band", "joined_at")
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
        "verified_at",
    )
    list_filter = (
        "kind",
        "work_time_requires_approval",
        ("verified_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("parent",)
    search_fields = ("name", "siren", "domains__domain")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "siren", "parent")}),
        (
            _("Mécénat de compétences"),
            {
                "fields": (
                    "yearly_allowance_hours",
                    "year_start_month",
                    "work_time_requires_approval",
                    "auto_approval_max_hours",
                )
            },
        ),
        (_("Valorisation"), {"fields": ("loaded_hourly_cost", "annual_turnover")}),
        (_("Vérification"), {"fields": ("verified_at",)}),
    )
    readonly_fields = ("verified_at",)
    inlines = (CompanyDomainInline, CostBandInline, CompanyMemberInline)
    actions = ("verify",)

    @admin.action(description=_("Vérifier le SIREN et valider les structures choisies"))
    def verify(self, request, queryset):
        done = 0
        for company in queryset:
            try:
                services.company_verify(company_id=company.pk, actor=request.user)
            except PermissionDenied as error:
                self.message_user(request, f"{company}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(n)d structure vérifiée.", "%(n)d structures vérifiées.", done)
            % {"n": done},
            messages.SUCCESS,
        )


class RegistrationInline(StaffTabularInline):
    model = ProgrammeRegistration
    fields = ("volunteer", "registered_at")
    readonly_fields = ("registered_at",)
    raw_id_fields = ("volunteer",)


class TeamAssignmentInline(StaffTabularInline):
    model = TeamAssignment
    fields = ("mission", "volunteer", "is_manual")
    raw_id_fields = ("mission", "volunteer")


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
        (
            _("Dates et budget"),
            {"fields": ("starts_on", "ends_on", "hours_budget", "registrations_open")},
        ),
        (
            _("Éligibilité"),
            {"fields": ("causes", "departements", "invited_associations")},
        ),
        (_("Équipes"), {"fields": ("teams_state", "teams_published_at")}),
    )
    readonly_fields = ("teams_state", "teams_published_at")
    inlines = (RegistrationInline, TeamAssignmentInline)


@admin.register(CompanyMember)
class CompanyMemberAdmin(StaffRoleAdmin):
    list_display = ("user", "company", "role", "site", "allowance_hours_override", "joined_at")
    list_filter = ("role", ("company", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "company")
    search_fields = ("user__email", "user__first_name", "user__last_name", "company__name")
    autocomplete_fields = ("user", "company", "manager")
    readonly_fields = ("joined_at", "invitation_sent_at")


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(StaffRoleAdmin):
    """Who receives which report; people subscribe and unsubscribe on the site."""

    list_display = ("user", "company", "association", "frequency", "since")
    list_filter = ("frequency",)
    search_fields = ("user__email", "company__name", "association__name")
    list_select_related = ("user", "company", "association")
    fields = ("user", "company", "association", "frequency", "since", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(StaffRoleAdmin):
    list_display = ("sent_at", "user", "company", "association", "period_start", "period_end")
    search_fields = ("user__email", "company__name", "association__name")
    list_select_related = ("user", "company", "association")
    date_hierarchy = "sent_at"
    fields = ("user", "company", "association", "period_start", "period_end", "sent_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
