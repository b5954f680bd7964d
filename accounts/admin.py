from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import StaffRoleMixin

from .erasure_admin import PersonalDataAdminMixin
from .models import User


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        field_classes: dict[str, type[forms.Field]] = {}

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("Un compte utilise déjà cette adresse e-mail."), code="duplicate_email"
            )
        return email


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict[str, type[forms.Field]] = {}


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, StaffRoleMixin, BaseUserAdmin):
    """People, who log in with their e-mail address; referents get their territory here."""

    form = UserChangeForm
    add_form = UserCreationForm
    list_display = (
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_referent",
        "is_active",
        "last_login",
        "retention_deadline",
    )
    list_filter = ("is_staff", "is_referent", "is_active", "is_superuser", "language")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    filter_horizontal = (
        "referent_departements",
        "referent_regions",
        "groups",
        "user_permissions",
    )
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Rôle dans l'équipe"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_referent",
                    "referent_departements",
                    "referent_regions",
                    "is_superuser",
                ),
                "description": _(
                    "Un membre de l'équipe voit tout, sauf s'il est référent territorial : "
                    "il n'agit alors que sur les départements et régions choisis."
                ),
            },
        ),
        (
            _("Permissions Django"),
            {"classes": ("collapse",), "fields": ("groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser may hand out superuser rights or raw Django permissions.
            readonly += ("is_superuser", "groups", "user_permissions")
        return readonly
