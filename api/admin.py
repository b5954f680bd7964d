from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import StaffRoleAdmin, StaffTabularInline

from .models import ApiKey, WebhookDelivery, WebhookEndpoint
from .services import api_key_issue, webhook_delivery_replay


class ApiKeyAddForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "association", "company", "scope", "created_by"]
        help_texts = {
            "created_by": gettext_lazy(
                "Un responsable de l'organisation : la clé agit en son nom, et cesse de "
                "fonctionner s'il n'en est plus responsable."
            )
        }

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # ModelForm.clean: cleaned_data
        if bool(data.get("association")) == bool(data.get("company")):
            raise ValidationError(_("Choisissez soit une association, soit une entreprise."))
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(StaffRoleAdmin):
    list_display = [
        "name",
        "organisation",
        "scope",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "association__name", "company__name", "created_by__email"]
    list_select_related = ["association", "company", "created_by"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["created_by"]
    raw_id_fields = ["association", "company"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["prefix", "created_at", "last_used_at", "revoked_at"]
        return ["name", "association", "company", "scope", "created_by", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            return  # keys are not edited: revoke one and issue another
        try:
            key, secret = api_key_issue(
                organisation=obj.association or obj.company,
                actor=obj.created_by,
                name=obj.name,
                scope=obj.scope,
            )
        except PermissionDenied:
            raise ValidationError(_("Cette personne n'administre pas l'organisation.")) from None
        obj.pk = key.pk
        obj.prefix = key.prefix
        messages.warning(
            request,
            _("Clé créée : %(secret)s — copiez-la maintenant, elle ne sera plus affichée.")
            % {"secret": secret},
        )

    def get_changeform_initial_data(self, request):
        return {"scope": ApiKey.Scope.READ}

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            from django.shortcuts import redirect

            return redirect(request.path)

    @admin.display(description=gettext_lazy("organisation"))
    def organisation(self, key: ApiKey) -> str:
        return str(key.organisation)

    @admin.action(description=gettext_lazy("Révoquer les clés sélectionnées"))
    def revoke(self, request, queryset):
        count = 0
        for key in queryset.filter(revoked_at__isnull=True):
            key.revoke()
            count += 1
        self.message_user(
            request, ngettext("%d clé révoquée.", "%d clés révoquées.", count) % count
        )


class DeliveryInline(StaffTabularInline):
    model = WebhookDelivery
    fields = ["event", "state", "attempts", "response_status", "created_at"]
    # The stubs type fields as groups of names, which readonly_fields does not take.
    readonly_fields = fields  # type: ignore[assignment]
    can_delete = False
    show_change_link = True
    max_num = 0
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-created_at")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(StaffRoleAdmin):
    list_display = ["url", "organisation", "events", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "association__name", "company__name"]
    list_select_related = ["association", "company"]
    readonly_fields = ["association", "company", "created_by", "created_at"]
    fields = ["url", "events", "is_active", *readonly_fields]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False  # organisations register their own, and get the secret once

    @admin.display(description=gettext_lazy("organisation"))
    def organisation(self, endpoint: WebhookEndpoint) -> str:
        return str(endpoint.organisation)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(StaffRoleAdmin):
    list_display = [
        "event",
        "endpoint",
        "state",
        "attempts",
        "response_status",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["state", "event"]
    search_fields = ["endpoint__url"]
    list_select_related = ["endpoint"]
    readonly_fields = [
        "endpoint",
        "event",
        "action_log",
        "payload",
        "state",
        "attempts",
        "response_status",
        "response_body",
        "error",
        "created_at",
        "last_attempt_at",
        "delivered_at",
    ]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Renvoyer les envois sélectionnés"))
    def replay(self, request, queryset):
        count = 0
        for delivery in queryset:
            webhook_delivery_replay(delivery_id=delivery.pk, actor=request.user)
            count += 1
        self.message_user(
            request, ngettext("%d envoi relancé.", "%d envois relancés.", count) % count
        )
