"""Notifications and messages, read-only for platform staff: they are written by the
product, and a correction would be a new message, not an edit."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import StaffRoleAdmin

from .models import Message, Notification, NotificationPreference, WelcomeEmail
from .wording import word


class ReadOnlyAdmin(StaffRoleAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "summary", "read_at", "emailed_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter), "email_wanted", "created_at")
    search_fields = ("recipient__email", "recipient__last_name")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    fields = (
        "created_at",
        "recipient",
        "kind",
        "summary",
        "actor",
        "url",
        "context",
        "key",
        "email_wanted",
        "emailed_at",
        "read_at",
    )
    readonly_fields = fields

    @admin.display(description=_("message"))
    def summary(self, notification: Notification) -> str:
        return word(notification.kind, notification.context).text


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "email_frequency", "last_digest_on", "updated_at")
    list_filter = ("email_frequency",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "email_frequency", "muted_kinds", "last_digest_on", "updated_at")
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "author", "application", "excerpt", "read_at")
    list_filter = ("created_at",)
    search_fields = ("author__email", "application__mission__title", "body")
    date_hierarchy = "created_at"
    list_select_related = ("author", "application__mission", "application__volunteer__user")
    fields = ("created_at", "application", "author", "body", "read_at")
    readonly_fields = fields

    @admin.display(description=_("extrait"))
    def excerpt(self, message: Message) -> str:
        return message.body[:80]


@admin.register(WelcomeEmail)
class WelcomeEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "sequence", "day", "outcome")
    list_filter = ("sequence", "day", "outcome")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "sequence", "day", "outcome", "created_at")
    readonly_fields = fields
