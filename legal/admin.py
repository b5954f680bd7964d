from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import StaffRoleAdmin

from . import markup, services
from .models import Consent, LegalDocument


@admin.register(LegalDocument)
class LegalDocumentAdmin(StaffRoleAdmin):
    """The privacy policy, legal notice and terms, version by version.

    A new version is a new row with a higher number: the consents given stay attached
    to the version that was accepted.
    """

    list_display = ("kind", "version", "published_at", "updated_at")
    list_filter = ("kind",)
    ordering = ("kind", "-version")
    readonly_fields = ("preview_fr", "preview_en", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("kind", "version", "published_at", "summary_of_changes")}),
        (
            _("Textes"),
            {
                "fields": ("body_fr", "body_en"),
                "description": _(
                    "Texte simple : une ligne vide sépare les paragraphes ; « # » ou « ## » en "
                    "début de ligne fait un titre, « - » un élément de liste, **mots** du "
                    "gras, [texte](https://…) un lien. Aucune balise HTML n'est interprétée."
                ),
            },
        ),
        (_("Aperçu"), {"fields": ("preview_fr", "preview_en")}),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("aperçu en français"))
    def preview_fr(self, document: LegalDocument) -> str:
        return markup.render(document.body_fr, heading_level=3) if document.pk else "–"

    @admin.display(description=_("aperçu en anglais"))
    def preview_en(self, document: LegalDocument) -> str:
        return markup.render(document.body_en, heading_level=3) if document.pk else "–"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.document_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.document_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.document_changed()

    def has_delete_permission(self, request, obj=None):
        # A version someone accepted is evidence: it stays.
        if obj is not None and obj.consents.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Consent)
class ConsentAdmin(StaffRoleAdmin):
    """Who accepted which version, and when: a record, read-only."""

    list_display = ("accepted_at", "user", "kind", "version")
    list_filter = ("kind", "version")
    search_fields = ("user__email", "user__last_name")
    list_select_related = ("user",)
    date_hierarchy = "accepted_at"
    fields = ("user", "document", "kind", "version", "accepted_at", "ip_address")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
