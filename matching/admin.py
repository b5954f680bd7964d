from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import IN_SCOPE, StaffRoleAdmin, StaffTabularInline

from .models import HiddenSuggestion, MatchingRun, Suggestion
from .services import suggestion_check_proposal, suggestion_propose
from .tasks import recompute_all


@admin.register(MatchingRun)
class MatchingRunAdmin(StaffRoleAdmin):
    list_display = (
        "__str__",
        "state",
        "progress_bar",
        "missions_count",
        "volunteers_count",
        "suggestions_count",
        "started_at",
        "duration",
        "triggered_by",
    )
    list_filter = ("scope", "state")
    readonly_fields = [field.name for field in MatchingRun._meta.fields] + ["progress_bar"]
    change_list_template = "admin/matching/matchingrun/change_list.html"

    @admin.display(description=gettext_lazy("avancement"))
    def progress_bar(self, run: MatchingRun) -> str:
        return format_html(
            '<progress value="{}" max="100" aria-label="{}">{} %</progress> {} %',
            run.progress,
            _("Avancement"),
            run.progress,
            run.progress,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "recalculer/",
                self.admin_site.admin_view(self.recompute_view),
                name="matching_matchingrun_recompute",
            ),
            *super().get_urls(),
        ]

    def recompute_view(self, request):
        if request.method != "POST" or not request.user.is_platform_staff:
            raise PermissionDenied
        run = MatchingRun.objects.create(scope=MatchingRun.Scope.FULL, triggered_by=request.user)
        recompute_all.delay(run.pk)
        self.message_user(
            request,
            _("Recalcul complet demandé : suivez son avancement dans cette liste."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:matching_matchingrun_changelist"))


class ProposalForm(forms.ModelForm):
    """Staff propose a volunteer for a mission by hand, with a note."""

    class Meta:
        model = Suggestion
        fields = ("mission", "volunteer", "note")

    actor = None  # set by the admin: the person proposing

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True

    def clean(self):
        data = super().clean()
        if data.get("mission") and data.get("volunteer") and data.get("note"):
            try:
                suggestion_check_proposal(
                    mission=data["mission"],
                    volunteer=data["volunteer"],
                    actor=self.actor,
                    note=data["note"],
                )
            except PermissionDenied as error:
                raise ValidationError(str(error)) from error
        return data

    def validate_unique(self):
        # The service replaces the engine's copy of the pair: no uniqueness error here.
        pass


@admin.register(Suggestion)
class SuggestionAdmin(StaffRoleAdmin):
    referent_access = IN_SCOPE
    list_display = (
        "mission",
        "volunteer",
        "direction",
        "rank",
        "score",
        "source",
        "explanation_fr",
    )
    list_filter = ("direction", "source", "engine_version")
    list_select_related = ("mission", "volunteer__user")
    search_fields = ("mission__title", "volunteer__user__email", "volunteer__user__last_name")
    autocomplete_fields = ("mission", "volunteer")
    readonly_fields = (
        "direction",
        "source",
        "rank",
        "score",
        "factors",
        "explanation_fr",
        "explanation_en",
        "proposed_by",
        "engine_version",
        "computed_at",
    )

    def scope_queryset(self, request, queryset):
        from missions.models import Mission

        return queryset.filter(mission__in=Mission.objects.in_staff_scope(request.user))

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = type("Proposal", (ProposalForm,), {"actor": request.user})
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("mission", "volunteer", "note")
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else (*self.readonly_fields, "mission", "volunteer", "note")

    def save_model(self, request, obj, form, change):
        # Adding goes through the service (checks, log); an error is shown on the form.
        if not change:
            created = suggestion_propose(
                mission_id=obj.mission_id,
                volunteer_id=obj.volunteer_id,
                actor=request.user,
                note=obj.note,
            )
            # The admin logs and links the object it holds: make it the one created.
            obj.__dict__.update(
                {k: v for k, v in created.__dict__.items() if not k.startswith("_")}
            )


@admin.register(HiddenSuggestion)
class HiddenSuggestionAdmin(StaffRoleAdmin):
    list_display = ("mission", "volunteer", "reason", "hidden_by", "created_at")
    list_filter = ("reason",)
    list_select_related = ("mission", "volunteer__user", "hidden_by")
    readonly_fields = [field.name for field in HiddenSuggestion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MissionSuggestionInline(StaffTabularInline):
    """A mission's suggested volunteers, best first, with why."""

    model = Suggestion
    fk_name = "mission"
    verbose_name = gettext_lazy("bénévole suggéré")
    verbose_name_plural = gettext_lazy("bénévoles suggérés (meilleurs d'abord)")
    fields = ("rank", "volunteer", "score", "source", "explanation_fr", "note")
    readonly_fields = fields
    max_num = 0
    can_delete = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(direction=Suggestion.Direction.FOR_MISSION)
            .select_related("volunteer__user")
            .order_by("rank")
        )
