"""Admin foundations shared by every app: staff roles, the audit log, state actions.

Two kinds of staff use the admin. Platform staff (superusers, and staff who are not
referents) may do everything, without Django model permissions to maintain.
Territorial referents see and change only the associations and missions of their
départements and régions, may look at the reference data, and see nothing else.
Each ModelAdmin says what referents get through ``referent_access``.

State changes never go through a form field: they are admin actions calling the
app's services, one object at a time, so each refusal is reported for its object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_ngettext, unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import outbox
from core.models import ActionLog, OutboxMessage, PersonalDataAccess, log_personal_data_access
from core.states import StateMachine

if TYPE_CHECKING:
    # AUTH_USER_MODEL (accounts.User, a floor above) as django-stubs' plugin resolves it.
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    # The admin classes are generic for the checker only (not subscriptable at run time),
    # and the mixins below are mixed into them: the checker sees them as their bases.
    _ModelAdmin = admin.ModelAdmin[Any]
    _TabularInline = admin.TabularInline[Any, Any]
    _StackedInline = admin.StackedInline[Any, Any]
    _ModelAdminBase = _ModelAdmin
    _InlineBase = admin.options.InlineModelAdmin[Any, Any]
else:
    _ModelAdmin = admin.ModelAdmin
    _TabularInline = admin.TabularInline
    _StackedInline = admin.StackedInline
    _ModelAdminBase = object
    _InlineBase = object

# What a territorial referent may do with a model's admin.
NO_ACCESS = "none"
VIEW_ONLY = "view"
IN_SCOPE = "scoped"  # view and change the rows of their territory (queryset.in_staff_scope)


def leads_to_person(model: type[models.Model], depth: int = 3) -> bool:
    """``model`` is the user model, or reaches it within ``depth`` foreign keys (a
    volunteer's profile, their applications, the hours logged on those)."""
    if model is get_user_model():
        return True
    if depth == 0:
        return False
    return any(
        (field.many_to_one or field.one_to_one)
        and isinstance(field.related_model, type)
        and leads_to_person(field.related_model, depth - 1)
        for field in model._meta.concrete_fields
    )


def is_platform_staff(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_platform_staff


def is_referent(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and user.is_staff and not user.is_platform_staff


class StaffRoleMixin(_ModelAdminBase):
    """Permissions of a ModelAdmin by staff role instead of Django model permissions."""

    referent_access = NO_ACCESS
    # Fields a referent may read but not set (e.g. links to models they cannot see).
    referent_readonly_fields: tuple[str, ...] = ()
    # Whether the admin shows people's data: then staff's views of a change page and
    # searches of the list are logged (PersonalDataAccess). None decides from the model
    # (``leads_to_person``), so that a new admin of a person's data is logged by default;
    # an admin that only names the staff member who made an object says False.
    personal_data: bool | None = None

    def shows_personal_data(self) -> bool:
        if self.personal_data is not None:
            return self.personal_data
        return leads_to_person(self.model)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if (
            object_id is not None
            and request.method == "GET"
            and response.status_code == 200
            and self.shows_personal_data()
        ):
            log_personal_data_access(
                request.user,
                self.model,
                PersonalDataAccess.Action.VIEW,
                object_id=unquote(object_id),
            )
        return response

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        response = super().changelist_view(request, extra_context)
        query = request.GET.get(SEARCH_VAR, "").strip()
        if query and response.status_code == 200 and self.shows_personal_data():
            changelist = (getattr(response, "context_data", None) or {}).get("cl")
            log_personal_data_access(
                request.user,
                self.model,
                PersonalDataAccess.Action.SEARCH,
                query=query,
                result_count=getattr(changelist, "result_count", None),
            )
        return response

    def scope_queryset(self, request: HttpRequest, queryset: Any) -> QuerySet[Any]:
        """Restrict ``queryset`` to the referent's territory (its queryset class has
        ``in_staff_scope``, which each app defines for its own models)."""
        scoped: QuerySet[Any] = queryset.in_staff_scope(request.user)
        return scoped

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_referent(request) and self.referent_access == IN_SCOPE:
            queryset = self.scope_queryset(request, queryset)
        return queryset

    def _in_scope(self, request: HttpRequest, obj: models.Model) -> bool:
        # Cached per request: the admin asks the same question many times per page.
        cache: dict[tuple[str, Any], bool] = request.__dict__.setdefault("_staff_scope_cache", {})
        key = (self.model._meta.label, obj.pk)
        if key not in cache:
            manager = self.model._default_manager
            cache[key] = self.scope_queryset(request, manager.filter(pk=obj.pk)).exists()
        return cache[key]

    def has_module_permission(self, request: HttpRequest) -> bool:
        if is_platform_staff(request):
            return True
        return is_referent(request) and self.referent_access != NO_ACCESS

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_platform_staff(request):
            return True
        if not is_referent(request) or self.referent_access == NO_ACCESS:
            return False
        if self.referent_access == IN_SCOPE and obj is not None:
            return self._in_scope(request, obj)
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_platform_staff(request):
            return True
        if not is_referent(request) or self.referent_access != IN_SCOPE:
            return False
        return obj is None or self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_platform_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_staff(request)

    def get_readonly_fields(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if is_referent(request):
            readonly += tuple(f for f in self.referent_readonly_fields if f not in readonly)
        return readonly

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        # A referent may only move an object within their own territory.
        if is_referent(request) and "queryset" not in kwargs:
            user = cast("User", request.user)  # a referent is a signed-in staff member
            scope = user.staff_departement_ids()
            related = cast("type[models.Model]", db_field.related_model)  # resolved by now
            if related._meta.label == "taxonomy.Departement":
                kwargs["queryset"] = related._default_manager.filter(pk__in=scope)
            elif hasattr(related._default_manager.all(), "in_staff_scope"):
                scoped: Any = related._default_manager.all()
                kwargs["queryset"] = scoped.in_staff_scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffRoleAdmin(StaffRoleMixin, _ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class StaffRoleInlineMixin(_InlineBase):
    """Inline permissions: the parent admin already limits referents to their territory."""

    referent_access = IN_SCOPE

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_platform_staff(request):
            return True
        return is_referent(request) and self.referent_access != NO_ACCESS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_platform_staff(request):
            return True
        return is_referent(request) and self.referent_access == IN_SCOPE

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class StaffTabularInline(StaffRoleInlineMixin, _TabularInline):
    extra = 0


class StaffStackedInline(StaffRoleInlineMixin, _StackedInline):
    extra = 0


# --- The audit log --------------------------------------------------------------------


def _state_machine_for(model: type[models.Model] | None, action: str) -> StateMachine | None:
    """The state machine of ``model`` that knows ``action`` (e.g. ``mission.publish``)."""
    if model is None:
        return None
    machines = [value for value in vars(model).values() if isinstance(value, StateMachine)]
    name = action.rpartition(".")[2]
    for machine in machines:
        if name in machine.transitions:
            return machine
    return machines[0] if machines else None


def state_label(model: type[models.Model] | None, action: str, value: str) -> str:
    """The French label of a state code written in the log, or the code itself."""
    if not value:
        return ""
    machine = _state_machine_for(model, action)
    if machine is None or model is None:  # no model, no machine: says so to the checker
        return value
    state_field = cast("models.CharField[str, str]", model._meta.get_field(machine.field))
    choices = dict(cast("list[tuple[str, str]]", state_field.choices or ()))
    return str(choices.get(value, value))


class ActionLogDisplay:
    """Columns shared by the log's own admin and the history inline."""

    @admin.display(description=gettext_lazy("transition"))
    def transition(self, log: ActionLog) -> str:
        model = log.content_type.model_class()
        before = state_label(model, log.action, log.from_state)
        after = state_label(model, log.action, log.to_state)
        if before and after:
            return f"{before} → {after}"
        return after or before or "–"

    @admin.display(description=gettext_lazy("auteur"), ordering="actor__email")
    def actor_display(self, log: ActionLog) -> str:
        return str(log.actor) if log.actor_id else _("Système")

    @admin.display(description=gettext_lazy("motif"))
    def reason(self, log: ActionLog) -> str:
        data = log.data if isinstance(log.data, dict) else {}
        return data.get("reason") or ""


class ActionLogInline(ActionLogDisplay, GenericTabularInline):
    """The read-only history of an object's transitions, newest first."""

    model = ActionLog
    ct_field = "content_type"
    ct_fk_field = "object_id"
    for_concrete_model = False  # as ActionLog.objects.for_object and log_action do
    verbose_name = gettext_lazy("étape")
    verbose_name_plural = gettext_lazy("historique des changements d'état")
    fields = ("created_at", "action", "transition", "actor_display", "reason")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ActionLog]:
        return super().get_queryset(request).select_related("actor", "content_type")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Whoever may see the object may see its history.
        return is_platform_staff(request) or is_referent(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ActionLog)
class ActionLogAdmin(ActionLogDisplay, StaffRoleAdmin):
    """The whole audit trail, read-only, for platform staff."""

    list_display = (
        "created_at",
        "content_type",
        "object_link",
        "action",
        "transition",
        "actor_display",
        "reason",
    )
    list_filter = (
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "action",
        ("actor", admin.EmptyFieldListFilter),
        "created_at",
    )
    search_fields = ("action", "from_state", "to_state", "actor__email", "actor__last_name")
    date_hierarchy = "created_at"
    list_select_related = ("content_type", "actor")
    fields = (
        "created_at",
        "content_type",
        "object_link",
        "action",
        "transition",
        "actor_display",
        "data",
        "notified_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ActionLog]:
        return super().get_queryset(request).prefetch_related("content_object")

    @admin.display(description=gettext_lazy("objet"))
    def object_link(self, log: ActionLog) -> str:
        target = log.content_object
        if target is None:
            return _("n°%(id)s (supprimé)") % {"id": log.object_id}
        opts = log.content_type
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model}_change",
                args=[log.object_id],
            )
        except NoReverseMatch:
            return str(target)
        return format_html('<a href="{}">{}</a>', url, target)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(StaffRoleAdmin):
    """Who of the staff looked at whose data, and when: read-only, for platform staff."""

    personal_data = False  # reading this log is not reading the people's data
    list_display = ("created_at", "actor_email", "action", "content_type", "object_link", "query")
    list_filter = ("action", ("content_type", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("actor_email", "query", "object_id")
    date_hierarchy = "created_at"
    list_select_related = ("content_type",)
    fields = (
        "created_at",
        "actor",
        "actor_email",
        "action",
        "content_type",
        "object_link",
        "query",
        "result_count",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("objet"))
    def object_link(self, access: PersonalDataAccess) -> str:
        if not access.object_id:
            return "–"
        opts = access.content_type
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model}_change",
                args=[access.object_id],
            )
        except NoReverseMatch:
            return access.object_id
        # A link, not the object's name: the log holds no copy of the person's data.
        return format_html('<a href="{}">n° {}</a>', url, access.object_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OutboxStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("état")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            ("pending", gettext_lazy("À livrer")),
            ("abandoned", gettext_lazy("Abandonnés")),
            ("delivered", gettext_lazy("Livrés")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "pending":
            return queryset.filter(delivered_at__isnull=True, abandoned_at__isnull=True)
        if self.value() == "abandoned":
            return queryset.filter(delivered_at__isnull=True, abandoned_at__isnull=False)
        if self.value() == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(StaffRoleAdmin):
    """The side effects (e-mails, webhooks, listeners, refreshes) waiting to be
    delivered, read-only for platform staff, who may retry them now."""

    list_display = (
        "created_at",
        "task",
        "args",
        "attempts",
        "available_at",
        "delivered_at",
        "abandoned_at",
        "last_error_excerpt",
    )
    list_filter = (OutboxStateFilter, "task")
    search_fields = ("task", "key", "last_error")
    date_hierarchy = "created_at"
    fields = (
        "task",
        "args",
        "key",
        "created_at",
        "available_at",
        "dispatched_at",
        "attempts",
        "last_error",
        "delivered_at",
        "abandoned_at",
    )
    readonly_fields = fields
    actions = ["retry_now"]

    @admin.display(description=gettext_lazy("dernière erreur"))
    def last_error_excerpt(self, message: OutboxMessage) -> str:
        return message.last_error[:120]

    @admin.action(description=gettext_lazy("Réessayer maintenant"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        retried = outbox.retry_now(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)s effet confié de nouveau aux workers.",
                "%(count)s effets confiés de nouveau aux workers.",
                retried,
            )
            % {"count": retried},
            messages.SUCCESS if retried else messages.WARNING,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- State actions --------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 70}),
        error_messages={"required": gettext_lazy("Indiquez le motif : il est obligatoire.")},
    )

    def __init__(self, *args: Any, help_text: StrOrPromise = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text


def _report_missing(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> None:
    """Say when selected rows were dropped because they are outside the person's scope."""
    if request.POST.get("select_across") == "1":
        return
    selected = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
    found = {str(pk) for pk in queryset.values_list("pk", flat=True)}
    missing = len(selected - found)
    if missing:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d élément sélectionné est introuvable ou hors de votre territoire.",
                "%(count)d éléments sélectionnés sont introuvables ou hors de votre territoire.",
                missing,
            )
            % {"count": missing},
            messages.ERROR,
        )


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Action non autorisée.")


def apply_to_each(
    modeladmin: admin.ModelAdmin[Any],
    request: HttpRequest,
    queryset: QuerySet[Any],
    run: Callable[[models.Model], Any],
    success: Callable[[int], str],
) -> int:
    """Run ``run`` on each object; report each refusal and count the successes."""
    _report_missing(modeladmin, request, queryset)
    done = 0
    for obj in queryset:
        try:
            run(obj)
        except (PermissionDenied, ValidationError) as error:
            modeladmin.message_user(
                request,
                _("« %(object)s » : %(error)s") % {"object": obj, "error": _error_text(error)},
                messages.ERROR,
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(request, success(done), messages.SUCCESS)
    return done


def transition_action(
    *,
    name: str,
    description: StrOrPromise,
    service: Callable[..., Any],
    id_kwarg: str,
    success: Callable[[int], str],
    reason_help_text: StrOrPromise | None = None,
    confirm_label: StrOrPromise | None = None,
) -> Callable[..., TemplateResponse | None]:
    """Build an admin action that calls ``service`` for each selected object.

    With ``reason_help_text``, the action first shows a page asking for the motif
    (``templates/admin/action_reason.html``) and passes it to the service as ``reason``.
    """
    needs_reason = reason_help_text is not None

    def action(
        modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
    ) -> TemplateResponse | None:
        if not needs_reason:
            apply_to_each(
                modeladmin,
                request,
                queryset,
                lambda obj: service(**{id_kwarg: obj.pk}, actor=request.user),
                success,
            )
            return None
        data = request.POST if "apply_reason" in request.POST else None
        form = ReasonForm(data, help_text=cast("StrOrPromise", reason_help_text))  # needs_reason
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            apply_to_each(
                modeladmin,
                request,
                queryset,
                lambda obj: service(**{id_kwarg: obj.pk}, actor=request.user, reason=reason),
                success,
            )
            return None
        if not queryset.exists():
            _report_missing(modeladmin, request, queryset)
            return None
        opts = modeladmin.model._meta
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "queryset": queryset,
            "objects_name": model_ngettext(queryset),
            "form": form,
            "action_name": name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirm_label": confirm_label or description,
            "media": modeladmin.media + form.media,
        }
        return TemplateResponse(request, "admin/action_reason.html", context)

    action.__name__ = name
    return admin.action(action, permissions=("change",), description=description)


# --- Third-party admins ----------------------------------------------------------------


def adopt_registered_admins(site: admin.AdminSite) -> None:
    """Give platform staff the same full access to the admins of installed libraries.

    Run when this module is imported, after the apps listed before ``core`` in
    INSTALLED_APPS (Django's, allauth's, Celery beat's) registered theirs.
    """
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, StaffRoleMixin):
            continue
        base = type(model_admin)
        site.unregister(model)
        site.register(model, type(base.__name__, (StaffRoleMixin, base), {}))


adopt_registered_admins(admin.site)
