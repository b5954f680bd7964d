from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import (
    IN_SCOPE,
    VIEW_ONLY,
    ActionLogInline,
    StaffRoleAdmin,
    StaffTabularInline,
    transition_action,
)
from taxonomy.admin import LocatedAdminMixin

from . import services
from .models import Association, AssociationMember


class AssociationMemberInline(StaffTabularInline):
    model = AssociationMember
    fields = ("user", "role", "joined_at")
    readonly_fields = ("joined_at",)
    autocomplete_fields = ("user",)
    # Referents cannot look people up: they see the members but leave them as they are.
    referent_access = VIEW_ONLY

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


_TO_ASSOCIATION = _("Il sera envoyé par e-mail aux responsables de l'association.")

verify = transition_action(
    name="verify",
    description=_("Vérifier les associations sélectionnées"),
    service=services.association_verify,
    id_kwarg="association_id",
    success=lambda n: (
        ngettext("%(count)d association vérifiée.", "%(count)d associations vérifiées.", n)
        % {"count": n}
    ),
)
reject = transition_action(
    name="reject",
    description=_("Refuser les associations sélectionnées…"),
    service=services.association_reject,
    id_kwarg="association_id",
    reason_help_text=_TO_ASSOCIATION,
    confirm_label=_("Refuser"),
    success=lambda n: (
        ngettext("%(count)d association refusée.", "%(count)d associations refusées.", n)
        % {"count": n}
    ),
)
suspend = transition_action(
    name="suspend",
    description=_("Suspendre les associations sélectionnées…"),
    service=services.association_suspend,
    id_kwarg="association_id",
    reason_help_text=_TO_ASSOCIATION,
    confirm_label=_("Suspendre"),
    success=lambda n: (
        ngettext("%(count)d association suspendue.", "%(count)d associations suspendues.", n)
        % {"count": n}
    ),
)
reinstate = transition_action(
    name="reinstate",
    description=_("Rétablir les associations suspendues sélectionnées"),
    service=services.association_reinstate,
    id_kwarg="association_id",
    success=lambda n: (
        ngettext("%(count)d association rétablie.", "%(count)d associations rétablies.", n)
        % {"count": n}
    ),
)


@admin.register(Association)
class AssociationAdmin(LocatedAdminMixin, StaffRoleAdmin):
    referent_access = IN_SCOPE
    list_display = ("name", "departement", "verification_state", "size_band", "created_at")
    list_filter = (
        "verification_state",
        "size_band",
        ("departement__region", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("departement",)
    search_fields = ("name", "rna", "siret", "city")
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("causes",)
    readonly_fields = (
        "verification_state",
        "rejection_reason",
        "verified_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "slug", "rna", "siret", "size_band", "founded_year")}),
        (
            _("Présentation"),
            {"fields": ("summary", "description", "causes", "website", "contact_email", "logo")},
        ),
        (
            _("Adresse"),
            {"fields": ("address", "city", "postcode", "departement", "latitude", "longitude")},
        ),
        (
            _("Vérification"),
            {
                "fields": (
                    "verification_state",
                    "rejection_reason",
                    "verified_at",
                    "created_at",
                    "updated_at",
                ),
                "description": _(
                    "La vérification change uniquement par les actions de la liste des "
                    "associations : vérifier, refuser, suspendre, rétablir."
                ),
            },
        ),
    )
    inlines = (AssociationMemberInline, ActionLogInline)
    actions = (verify, reject, suspend, reinstate)
