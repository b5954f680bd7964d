from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Cause

from .diagnosis import DOMAINS
from .models import Association

if TYPE_CHECKING:
    from django.forms.utils import ErrorDict


class AssociationRegisterForm(forms.ModelForm):
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

    class Meta:
        model = Association
        fields = (
            "name",
            "rna",
            "siret",
            "summary",
            "description",
            "causes",
            "address",
            "city",
            "postcode",
            "size_band",
            "founded_year",
            "website",
            "contact_email",
        )
        widgets = {
            "causes": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "summary": _("Ce que fait l'association, en une phrase (280 caractères au plus)."),
            "postcode": _("5 chiffres, par exemple 69003."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].required = True
        self.fields["postcode"].required = True

    def clean(self):
        cleaned = cast("dict[str, Any]", super().clean())  # cleaned_data
        if not cleaned.get("rna") and not cleaned.get("siret"):
            self.add_error("rna", _("Indiquez le numéro RNA ou le SIREN/SIRET de l'association."))
        return cleaned

    # Set by full_clean(); the stubs do not declare it.
    _errors: "ErrorDict"

    def _post_clean(self):
        # The model's own "RNA or SIRET" error is shown next to the RNA field above.
        super()._post_clean()  # type: ignore[misc]  # the stubs omit this hook of ModelForm
        errors = self._errors.get("__all__")
        if errors:
            kept = [e for e in errors.as_data() if e.code != "legal_identity_required"]
            if kept:
                self._errors["__all__"] = self.error_class(kept)
            else:
                del self._errors["__all__"]


def _question_field(question) -> forms.Field:
    choices = [(option.value, option.label) for option in question.options]
    if question.multiple:
        return forms.MultipleChoiceField(
            label=question.label,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ChoiceField(
        label=question.label, choices=choices, required=False, widget=forms.RadioSelect
    )


class DiagnosisForm(forms.Form):
    """One field per question of ``associations.diagnosis``, grouped by domain."""

    cause = forms.ModelChoiceField(
        label=_("Cause servie par ces missions"),
        queryset=Cause.objects.all(),
        help_text=_("Vous pourrez la changer mission par mission."),
    )

    def __init__(self, *args, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        for domain in DOMAINS:
            for question in domain.questions:
                self.fields[question.name] = _question_field(question)
        if association is not None and not self.is_bound:
            first = association.causes.order_by("pk").first()
            if first is not None:
                self.initial["cause"] = first.pk

    def domains(self):
        for domain in DOMAINS:
            yield domain, [self[question.name] for question in domain.questions]

    def answers(self) -> dict[str, list[str]]:
        answers = {}
        for domain in DOMAINS:
            for question in domain.questions:
                value: Any = self.cleaned_data.get(question.name)
                answers[question.name] = (
                    list(value) if question.multiple else [value] if value else []
                )
        return answers
