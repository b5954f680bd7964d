from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HiddenSuggestion


class HideForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=HiddenSuggestion.Reason.choices)
    comment = forms.CharField(label=_("Commentaire (facultatif)"), required=False, max_length=500)
