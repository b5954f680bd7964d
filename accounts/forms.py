import re

from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .adapters import password_refusal
from .models import SignupRole

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class PersonNameField(forms.CharField):
    """A first or last name as the person writes it: spaces tidied, at most 150
    characters, no control characters. Anything else is kept and escaped wherever it is
    shown."""

    def __init__(self, *, label, required_message, **kwargs):
        kwargs.setdefault("max_length", 150)
        kwargs["error_messages"] = {"required": required_message}
        super().__init__(label=label, **kwargs)

    def to_python(self, value):
        value = " ".join(str(super().to_python(value)).split())
        if _CONTROL_CHARACTERS.search(value):
            raise ValidationError(_("Ce nom contient des caractères invisibles : retapez-le."))
        return value


def first_name_field() -> PersonNameField:
    return PersonNameField(
        label=_("Prénom"),
        required_message=_("Indiquez votre prénom."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )


def last_name_field() -> PersonNameField:
    return PersonNameField(
        label=_("Nom"),
        required_message=_("Indiquez votre nom."),
        help_text=_("Le public ne voit que votre prénom et l'initiale de votre nom."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, which also asks who the person is (ACCOUNT_FORMS["signup"]),
    so that their first login leads to the right onboarding, and their name (allauth's
    adapter saves ``first_name`` and ``last_name``)."""

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
    first_name = first_name_field()
    last_name = last_name_field()
    field_order = [
        "role",
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "accept_terms",
    ]

    def clean_email(self):
        email = super().clean_email()
        message = password_refusal([email])
        if message:
            raise ValidationError(message, code="password_forbidden")
        return email

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


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's form, refused to the addresses whose company requires its own sign-in.
    Only the typed address is judged (saying more would tell which accounts exist); a
    password set through another address of the account opens nothing, as sign-in
    judges all of them (``AccountAdapter.authenticate``)."""

    def clean_email(self) -> str:
        email = super().clean_email()
        message = password_refusal([email])
        if message:
            raise ValidationError(message, code="password_forbidden")
        return email


class NameForm(forms.Form):
    """A person's name, asked of accounts created before names were required."""

    first_name = first_name_field()
    last_name = last_name_field()
