from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference


class PreferencesForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("Recevoir les notifications par e-mail"),
        choices=NotificationPreference.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une fréquence."),
            "invalid_choice": _("Choisissez une fréquence dans la liste."),
        },
    )
    emailed_kinds = forms.MultipleChoiceField(
        label=_("Les e-mails que vous souhaitez recevoir"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(kind.value, kind.label) for kind in NotificationPreference.emailable_kinds()],
        error_messages={"invalid_choice": _("Choisissez des types dans la liste.")},
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=True,
        error_messages={"required": _("Écrivez votre message avant de l'envoyer.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The service checks the length and words the error; the field only says it.
        self.fields["body"].help_text = _("%(limit)s caractères au plus.") % {
            "limit": settings.NOTIFICATION_MESSAGE_MAX_LENGTH
        }
