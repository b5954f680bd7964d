from django import forms
from django.utils.translation import gettext_lazy as _


class AcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("J'ai lu et j'accepte ces nouvelles versions."),
        error_messages={"required": _("Cochez la case pour continuer à utiliser la plateforme.")},
    )
