from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import (
    IN_SCOPE,
    ActionLogInline,
    StaffRoleAdmin,
    StaffTabularInline,
    transition_action,
)
from core.models import log_action
from taxonomy.admin import LocatedAdminMixin
from taxonomy.choices import Language
from volunteers.models import VolunteerProfile

from . import services, suggestions
from .models import (
    Application,
    Evaluation,
    HoursEntry,
    Mission,
    MissionSkill,
    MissionTemplate,
    MissionTemplateSkill,
)


class MissionSkillInline(StaffTabularInline):
    model = MissionSkill
    fields = ("skill", "min_level", "importance")
    autocomplete_fields = ("skill",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skill")


class MissionForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("langues requises"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Mission
        # The admin passes the fields of its fieldsets; these are the ones reshaped here.
        fields = ("languages",)


publish = transition_action(
    name="publish",
    description=_("Publier les missions sélectionnées"),
    service=services.mission_publish,
    id_kwarg="mission_id",
    success=lambda n: (
        ngettext("%(count)d mission publiée.", "%(count)d missions publiées.", n) % {"count": n}
    ),
)
request_changes = transition_action(
    name="request_changes",
    description=_("Demander des modifications…"),
    service=services.mission_request_changes,
    id_kwarg="mission_id",
    reason_help_text=_(
        "Expliquez à l'association ce qu'il faut modifier ; la mission repasse en brouillon."
    ),
    confirm_label=_("Demander ces modifications"),
    success=lambda n: (
        ngettext(
            "%(count)d mission renvoyée à l'association.",
            "%(count)d missions renvoyées aux associations.",
            n,
        )
        % {"count": n}
    ),
)
cancel = transition_action(
    name="cancel",
    description=_("Annuler les missions sélectionnées…"),
    service=services.mission_cancel,
    id_kwarg="mission_id",
    reason_help_text=_(
        "Il est transmis à l'association et aux bénévoles dont la candidature est close."
    ),
    confirm_label=_("Annuler les missions"),
    success=lambda n: (
        ngettext("%(count)d mission annulée.", "%(count)d missions annulées.", n) % {"count": n}
    ),
)


@admin.register(Mission)
class MissionAdmin(LocatedAdminMixin, StaffRoleAdmin):
    referent_access = IN_SCOPE
    # Referents cannot see companies or people: they leave these links as they are.
    referent_readonly_fields = ("programme", "created_by")
    form = MissionForm
    list_display = (
        "title",
        "association",
        "state",
        "format",
        "location_mode",
        "departement",
        "seats",
        "application_deadline",
    )
    list_filter = ("state", "format", "location_mode", "cause")
    list_select_related = ("association", "departement")
    search_fields = ("title", "association__name")
    date_hierarchy = "published_at"
    autocomplete_fields = ("association", "cause", "parent", "programme", "created_by")
    readonly_fields = (
        "state",
        "state_reason",
        "published_at",
        "created_at",
        "updated_at",
        "suggested_volunteers",
    )
    fieldsets = (
        (None, {"fields": ("association", "title", "summary", "description", "deliverable")}),
        (
            _("Format"),
            {
                "fields": (
                    "cause",
                    "format",
                    "seats",
                    "effort_hours",
                    "hours_per_week",
                    "languages",
                    "preferred_seniority",
                )
            },
        ),
        (_("Dates"), {"fields": ("start_date", "end_date", "application_deadline")}),
        (
            _("Lieu"),
            {
                "fields": (
                    "location_mode",
                    "address",
                    "city",
                    "postcode",
                    "departement",
                    "latitude",
                    "longitude",
                )
            },
        ),
        (_("Liens"), {"fields": ("parent", "programme", "created_by")}),
        (
            _("Modération"),
            {
                "fields": ("state", "state_reason", "published_at", "created_at", "updated_at"),
                "description": _(
                    "L'état change uniquement par les actions de la liste des missions : "
                    "publier, demander des modifications, annuler."
                ),
            },
        ),
        (_("Mise en relation"), {"fields": ("suggested_volunteers",)}),
    )
    inlines = (MissionSkillInline, ActionLogInline)
    actions = (publish, request_changes, cancel)

    @admin.display(description=_("bénévoles suggérés (meilleurs d'abord)"))
    def suggested_volunteers(self, mission) -> str:
        if mission.pk is None:
            return "—"
        return suggestions.staff_table(mission, VolunteerProfile.objects.select_related("user"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.state == Mission.State.PUBLISHED:
            log_action(form.instance, "mission.change", actor=request.user)


class HoursEntryInline(StaffTabularInline):
    model = HoursEntry
    fields = ("date", "hours", "description", "state", "rejection_reason")
    readonly_fields = ("state", "rejection_reason")


@admin.register(Application)
class ApplicationAdmin(StaffRoleAdmin):
    list_display = (
        "volunteer",
        "mission",
        "state",
        "origin",
        "approval_state",
        "is_work_time",
        "created_at",
    )
    list_filter = ("state", "origin", "approval_state", "is_work_time")
    list_select_related = ("mission", "volunteer__user")
    search_fields = (
        "volunteer__user__email",
        "volunteer__user__first_name",
        "volunteer__user__last_name",
        "mission__title",
        "mission__association__name",
    )
    date_hierarchy = "created_at"
    autocomplete_fields = ("mission", "volunteer")
    readonly_fields = (
        "state",
        "approval_state",
        "decided_at",
        "created_at",
        "updated_at",
        "suggestion_factors",
    )
    fieldsets = (
        (None, {"fields": ("mission", "volunteer", "origin", "message", "suggestion_factors")}),
        (
            _("Décision"),
            {
                "fields": (
                    "state",
                    "decline_reason",
                    "withdrawal_reason",
                    "state_message",
                    "decided_at",
                )
            },
        ),
        (
            _("Temps de travail"),
            {"fields": ("is_work_time", "approval_state", "planned_hours")},
        ),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (HoursEntryInline, ActionLogInline)


@admin.register(HoursEntry)
class HoursEntryAdmin(StaffRoleAdmin):
    list_display = ("application", "date", "hours", "state", "created_at")
    list_filter = ("state",)
    list_select_related = ("application__mission", "application__volunteer__user")
    search_fields = (
        "application__volunteer__user__email",
        "application__volunteer__user__last_name",
        "application__mission__title",
    )
    date_hierarchy = "date"
    autocomplete_fields = ("application",)
    readonly_fields = ("state", "rejection_reason", "created_at")
    inlines = (ActionLogInline,)


@admin.register(Evaluation)
class EvaluationAdmin(StaffRoleAdmin):
    list_display = (
        "application",
        "side",
        "rating",
        "objectives",
        "can_continue_alone",
        "created_at",
    )
    list_filter = ("side", "objectives", "rating", "can_continue_alone")
    list_select_related = ("application__mission", "application__volunteer__user")
    search_fields = (
        "application__mission__title",
        "application__mission__association__name",
        "application__volunteer__user__email",
    )
    autocomplete_fields = ("application", "author")
    readonly_fields = ("created_at",)


# Mission templates feed the needs diagnosis of associations (drafts of missions).
class MissionTemplateSkillInline(StaffTabularInline):
    model = MissionTemplateSkill
    extra = 1
    autocomplete_fields = ("skill",)


@admin.register(MissionTemplate)
class MissionTemplateAdmin(StaffRoleAdmin):
    list_display = ("title_fr", "domain", "format", "effort_hours", "is_active")
    list_filter = ("domain", "format", "is_active")
    search_fields = ("code", "title_fr", "title_en")
    inlines = (MissionTemplateSkillInline,)
    fieldsets = (
        (None, {"fields": ("code", "domain", "is_active")}),
        (_("Textes"), {"fields": ("title_fr", "title_en", "summary_fr", "summary_en")}),
        (_("Livrable"), {"fields": ("deliverable_fr", "deliverable_en")}),
        (
            _("Engagement"),
            {"fields": ("format", "location_mode", "effort_hours", "hours_per_week")},
        ),
    )
