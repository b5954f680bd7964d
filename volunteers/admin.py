from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import StaffRoleAdmin, StaffTabularInline
from core.models import log_action
from taxonomy.admin import LocatedAdminMixin
from taxonomy.choices import Language

from .models import TimeSlot, VolunteerProfile, VolunteerSkill


class VolunteerSkillInline(StaffTabularInline):
    model = VolunteerSkill
    fields = ("skill", "level")
    autocomplete_fields = ("skill",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skill")


class VolunteerProfileForm(forms.ModelForm):
    # Checkboxes instead of raw JSON for the list fields.
    time_slots = forms.MultipleChoiceField(
        label=_("créneaux"),
        choices=TimeSlot.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("langues"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = VolunteerProfile
        # The admin passes the fields of its fieldsets; these are the ones reshaped here.
        fields = ("time_slots", "languages")


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(LocatedAdminMixin, StaffRoleAdmin):
    form = VolunteerProfileForm

    def has_delete_permission(self, request, obj=None):
        # The profile carries engagements that reports count: staff anonymise the person
        # from the users' list instead (accounts.erasure), which keeps them.
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        log_action(form.instance, "volunteerprofile.change", actor=request.user)

    list_display = (
        "user",
        "headline",
        "seniority",
        "departement",
        "hours_per_month",
        "employer",
        "is_visible",
        "updated_at",
    )
    list_filter = (
        "seniority",
        "is_visible",
        ("departement", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("user", "departement", "employer")
    search_fields = ("user__email", "user__first_name", "user__last_name", "headline")
    autocomplete_fields = ("user", "employer")
    filter_horizontal = ("causes",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("user", "headline", "occupation", "seniority", "bio", "employer")}),
        (_("Causes et langues"), {"fields": ("causes", "languages")}),
        (
            _("Disponibilités"),
            {
                "fields": (
                    "hours_per_month",
                    "available_from",
                    "available_until",
                    "time_slots",
                )
            },
        ),
        (
            _("Lieu et formats"),
            {
                "fields": (
                    "city",
                    "postcode",
                    "departement",
                    "latitude",
                    "longitude",
                    "max_distance_km",
                    "accepts_remote",
                    "accepts_on_site",
                    "accepts_hybrid",
                )
            },
        ),
        (_("Visibilité"), {"fields": ("is_visible", "created_at", "updated_at")}),
    )
    inlines = (VolunteerSkillInline,)
