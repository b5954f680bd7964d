from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiKey, WebhookEvent


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de la clé"),
        max_length=100,
        help_text=_("L'outil qui l'utilisera, par exemple « SIRH » ou « site du réseau »."),
    )
    scope = forms.ChoiceField(
        label=_("Droits"),
        choices=ApiKey.Scope.choices,
        initial=ApiKey.Scope.READ,
        widget=forms.RadioSelect,
    )


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Adresse de réception (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Elle reçoit un POST JSON signé pour chaque événement choisi."),
    )
    events = forms.MultipleChoiceField(
        label=_("Événements"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un événement.")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_("Première ligne : les noms des colonnes. 2 000 lignes au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Envoyez un fichier CSV ou XLSX."))
        return upload
