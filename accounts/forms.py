from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SignupRole


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, which also asks who the person is (ACCOUNT_FORMS["signup"]),
    so that their first login leads to the right onboarding."""

    role = forms.ChoiceField(
        label=_("Vous êtes"),
        choices=SignupRole.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez ce qui vous décrit le mieux."),
            "invalid_choice": _("Choisissez ce qui vous décrit le mieux."),
        },
    )
    field_order = ["role", "email", "password1", "password2"]
