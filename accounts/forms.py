from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
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
    accept_terms = forms.BooleanField(
        error_messages={
            "required": _(
                "Acceptez les conditions d'utilisation et la politique de confidentialité "
                "pour créer votre compte."
            )
        },
    )
    field_order = ["role", "email", "password1", "password2", "accept_terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here, not at import: the links need the URLconf.
        link = '<a href="{}" target="_blank" rel="noopener">{}</a>'
        self.fields["accept_terms"].label = format_html(
            gettext("J'accepte les {terms} et la {privacy}."),
            terms=format_html(
                link, reverse("legal:terms"), gettext("conditions générales d'utilisation")
            ),
            privacy=format_html(
                link, reverse("legal:privacy"), gettext("politique de confidentialité")
            ),
        )
