"""The admin's side of data protection: staff anonymise people instead of deleting
them (a deletion would cascade through their engagements and rewrite the figures
companies and associations report), and see or extend how long an unused account
is kept."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import NO_ACCESS, StaffStackedInline

from .erasure import Reason, is_anonymised, user_anonymise
from .models import AccountRetention, User
from .retention import account_retention_extend, deadline_for

if TYPE_CHECKING:
    _UserAdminBase = admin.ModelAdmin[User]
else:
    _UserAdminBase = object


class AccountRetentionInline(StaffStackedInline):
    model = AccountRetention
    referent_access = NO_ACCESS
    can_delete = False
    max_num = 1
    fields = (
        "keep_until",
        "deadline",
        "warned_deadline",
        "first_warning_at",
        "last_warning_at",
        "anonymised_at",
    )
    readonly_fields = (
        "deadline",
        "warned_deadline",
        "first_warning_at",
        "last_warning_at",
        "anonymised_at",
    )
    verbose_name = _("conservation du compte")
    verbose_name_plural = _("conservation du compte")

    @admin.display(description=_("anonymisation prévue le"))
    def deadline(self, obj: AccountRetention) -> Any:
        if obj.anonymised_at:
            return "—"
        return deadline_for(obj.user, obj.keep_until)


class PersonalDataAdminMixin(_UserAdminBase):
    """Mixed into the user admin: no deletion, an anonymisation with confirmation, and
    the account's retention."""

    actions = ["anonymise_users", "extend_retention"]
    inlines = [AccountRetentionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        # A new account has no retention to show yet: the add page stays the plain form.
        return super().get_inlines(request, obj) if obj is not None else []

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).select_related("retention")

    @admin.display(description=_("anonymisation prévue le"))
    def retention_deadline(self, obj: User) -> Any:
        if is_anonymised(obj):
            return _("anonymisé")
        try:
            keep_until = obj.retention.keep_until
        except AccountRetention.DoesNotExist:
            keep_until = None
        return deadline_for(obj, keep_until)

    @admin.action(description=_("Anonymiser les personnes sélectionnées"), permissions=["change"])
    def anonymise_users(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        if "confirm_anonymise" not in request.POST:
            opts = self.model._meta
            context = {
                **self.admin_site.each_context(request),
                "title": _("Anonymiser ces personnes ?"),
                "opts": opts,
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/accounts/user/anonymise.html", context)
        done = 0
        for user in queryset:
            if (
                user.pk == request.user.pk
                or is_anonymised(user)
                or (user.is_superuser and not request.user.is_superuser)
            ):
                continue
            user_anonymise(user_id=user.pk, actor=request.user, reason=Reason.STAFF)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d personne anonymisée.", "%(count)d personnes anonymisées.", done)
            % {"count": done},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Prolonger la conservation d'un an"), permissions=["change"])
    def extend_retention(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        today = timezone.localdate()
        done = 0
        for user in queryset:
            if is_anonymised(user):
                continue
            account_retention_extend(user_id=user.pk, today=today)
            done += 1
        self.message_user(
            request,
            ngettext(
                "Conservation prolongée pour %(count)d compte.",
                "Conservation prolongée pour %(count)d comptes.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
