from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import IN_SCOPE, StaffRoleAdmin
from missions.models import Mission
from volunteers.models import VolunteerProfile

from .models import HiddenSuggestion, MatchingRun, Proposal, SuggestionList, SuggestionSource
from .selectors import lists_explained
from .services import suggestion_check_proposal, suggestion_propose
from .tasks import failure_fields, recompute_all

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

    from .selectors import SuggestedPair

    # Generic for the checker only (not subscriptable at run time).
    _ProposalModelForm = forms.ModelForm[Proposal]
else:
    _ProposalModelForm = forms.ModelForm


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
    readonly_fields = [
        *(field.name for field in MatchingRun._meta.fields if field.name != "traceback"),
        "progress_bar",
        "traceback_block",
    ]
    change_list_template = "admin/matching/matchingrun/change_list.html"

    class Media:
        css = {"all": ("css/admin-matching.css",)}

    @admin.display(description=gettext_lazy("avancement"))
    def progress_bar(self, run: MatchingRun) -> str:
        return format_html(
            '<progress value="{}" max="100" aria-label="{}">{} %</progress> {} %',
            run.progress,
            _("Avancement"),
            run.progress,
            run.progress,
        )

    @admin.display(description=gettext_lazy("trace de l'erreur"))
    def traceback_block(self, run: MatchingRun) -> str:
        # Kept on the run when it failed (matching.tasks), so staff need no server logs.
        if not run.traceback:
            return "—"
        return format_html(
            '<pre class="run-traceback">{}</pre>',
            run.traceback,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "recalculer/",
                self.admin_site.admin_view(self.recompute_view),
                name="matching_matchingrun_recompute",
            ),
            *super().get_urls(),
        ]

    def recompute_view(self, request: HttpRequest) -> HttpResponseRedirect:
        user = cast("User", request.user)  # admin_view let only signed-in staff in
        if request.method != "POST" or not user.is_platform_staff:
            raise PermissionDenied
        run = MatchingRun.objects.create(scope=MatchingRun.Scope.FULL, triggered_by=user)
        try:
            recompute_all.delay(run.pk)
        except Exception as error:  # the broker is unreachable: say so, keep the page
            logger.warning("Full recompute not queued", exc_info=True)
            MatchingRun.objects.filter(pk=run.pk).update(
                state=MatchingRun.State.FAILED, **failure_fields(error)
            )
            self.message_user(
                request,
                _("Le recalcul n'a pas pu être lancé (file des tâches injoignable) : réessayez."),
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                _("Recalcul complet demandé : suivez son avancement dans cette liste."),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:matching_matchingrun_changelist"))


def suggestions_table(pairs: Sequence[SuggestedPair], *, show: str) -> str:
    """Suggested pairs as a table: rank, the ``show`` side (volunteer or mission) with a
    link to it, score, origin and the explanation (with the team's note, if any) and
    each factor's share of the score."""
    if not pairs:
        return _("Aucune suggestion pour l'instant.")

    def cell(pair: SuggestedPair) -> SafeString:
        other = getattr(pair, show)
        opts = type(other)._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[other.pk])
        return format_html('<a href="{}">{}</a>', url, other)

    def why(pair: SuggestedPair) -> str:
        shares = " · ".join(f"{share.label} {share.percent} %" for share in pair.shares)
        reasons = (
            format_html("{}<br><small>{}</small>", pair.explanation, shares)
            if shares
            else pair.explanation
        )
        if pair.note:
            return format_html("<strong>{}</strong> {}", pair.note, reasons)
        return reasons

    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                pair.rank or "—",
                cell(pair),
                f"{pair.score:.2f}",
                SuggestionSource(pair.source).label,
                why(pair),
            )
            for pair in pairs
        ),
    )
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
        "</thead><tbody>{}</tbody></table>",
        _("Rang"),
        _("Bénévole") if show == "volunteer" else _("Mission"),
        _("Score"),
        _("Origine"),
        _("Pourquoi"),
        rows,
    )


class DirectionFilter(admin.SimpleListFilter):
    title = gettext_lazy("sens")
    parameter_name = "sens"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> Iterable[tuple[str, StrOrPromise]]:
        return SuggestionList.Direction.choices

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[SuggestionList]
    ) -> QuerySet[SuggestionList]:
        if self.value() == SuggestionList.Direction.FOR_MISSION:
            return queryset.filter(mission__isnull=False)
        if self.value() == SuggestionList.Direction.FOR_VOLUNTEER:
            return queryset.filter(volunteer__isnull=False)
        return queryset


@admin.register(SuggestionList)
class SuggestionListAdmin(StaffRoleAdmin):
    """The engine's lists, one per mission and per volunteer, each pair with its reasons."""

    referent_access = IN_SCOPE
    list_display = ("__str__", "direction_label", "size", "computed_at", "engine_version")
    list_filter = (DirectionFilter, "engine_version")
    list_select_related = ("mission", "volunteer__user")
    search_fields = ("mission__title", "volunteer__user__email", "volunteer__user__last_name")
    fields = ("mission", "volunteer", "size", "engine_version", "computed_at", "suggestions")
    readonly_fields = fields

    def scope_queryset(self, request: HttpRequest, queryset: Any) -> QuerySet[Any]:
        # A referent sees the lists of their territory's missions and volunteers.
        user = cast("User", request.user)  # scoped for signed-in referents only
        lists: QuerySet[SuggestionList] = queryset.filter(
            Q(mission__in=Mission.objects.in_staff_scope(user))
            | Q(volunteer__departement__in=user.staff_departement_ids() or [])
        )
        return lists

    @admin.display(description=gettext_lazy("sens"))
    def direction_label(self, row: SuggestionList) -> StrOrPromise:
        return row.get_direction_display()

    @admin.display(description=gettext_lazy("suggestions, meilleures d'abord"))
    def suggestions(self, row: SuggestionList) -> str:
        (pairs,) = lists_explained([row])
        if row.mission_id:
            related: QuerySet[Any] = VolunteerProfile.objects.select_related("user")
            key, show = "volunteer_id", "volunteer"
        else:
            related = Mission.objects.all()
            key, show = "mission_id", "mission"
        found = related.in_bulk([getattr(pair, key) for pair in pairs])
        pairs = [pair for pair in pairs if getattr(pair, key) in found]
        for pair in pairs:
            setattr(pair, show, found[getattr(pair, key)])
        return suggestions_table(pairs, show=show)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProposalForm(_ProposalModelForm):
    """Staff propose a volunteer for a mission by hand, with a note."""

    class Meta:
        model = Proposal
        fields = ("mission", "volunteer", "note")

    actor: User | None = None  # set by the admin: the person proposing

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean: cleaned_data
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

    def validate_unique(self) -> None:
        # A second proposal of the same pair replaces the first one's note.
        pass


@admin.register(Proposal)
class ProposalAdmin(StaffRoleAdmin):
    referent_access = IN_SCOPE
    list_display = ("mission", "volunteer", "note", "proposed_by", "created_at")
    list_select_related = ("mission", "volunteer__user", "proposed_by")
    search_fields = ("mission__title", "volunteer__user__email", "volunteer__user__last_name")
    autocomplete_fields = ("mission", "volunteer")
    readonly_fields = ("proposed_by", "created_at")

    def scope_queryset(self, request: HttpRequest, queryset: Any) -> QuerySet[Any]:
        user = cast("User", request.user)  # scoped for signed-in referents only
        proposals: QuerySet[Proposal] = queryset.filter(
            mission__in=Mission.objects.in_staff_scope(user)
        )
        return proposals

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        if obj is None:
            kwargs["form"] = type("Proposal", (ProposalForm,), {"actor": request.user})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("mission", "volunteer", "note")
        return ("mission", "volunteer", "note", "proposed_by", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return () if obj is None else ("mission", "volunteer", "note", "proposed_by", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Proposal, form: forms.ModelForm[Proposal], change: bool
    ) -> None:
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
