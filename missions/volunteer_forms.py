"""Forms of the volunteer's engagements: applying, withdrawing, logging hours, evaluating
and giving a testimonial. Validation only: the views hand ``cleaned_data`` to
``missions.services``."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import FrenchDecimalField
from volunteers.forms import DateInput, NoLabelSuffix

from .models import Application, Evaluation


class ApplyForm(NoLabelSuffix, forms.Form):
    message = forms.CharField(
        label=_("Votre message à l'association"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text=_("Ce qui vous motive, ce que vous pouvez apporter, vos disponibilités."),
    )
    time = forms.ChoiceField(
        label=_("Sur quel temps vous engagez-vous ?"),
        choices=[
            ("personal", _("Sur mon temps personnel")),
            ("work", _("Sur mon temps de travail (mécénat de compétences)")),
        ],
        initial="personal",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, employer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employer is None:
            # Work time needs an employer on the platform: offer only personal time.
            del self.fields["time"]


class WithdrawForm(NoLabelSuffix, forms.Form):
    reason = forms.ChoiceField(
        label=_("Pourquoi retirez-vous votre candidature ?"),
        choices=[("", "—"), *Application.WithdrawalReason.choices],
    )
    message = forms.CharField(
        label=_("Un mot pour l'association (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The employer's refusal is recorded by the employer, not chosen by the volunteer.
        cast(Any, self.fields["reason"]).choices = [
            choice
            for choice in cast(Any, self.fields["reason"]).choices
            if choice[0] != Application.WithdrawalReason.APPROVAL_REFUSED
        ]


class HoursForm(NoLabelSuffix, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    hours = FrenchDecimalField(
        label=_("Heures"),
        min_value=0.25,
        max_value=24,
        decimal_places=2,
    )
    description = forms.CharField(label=_("Ce que vous avez fait"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def limit_to(self, application) -> "HoursForm":
        """Offer only the days of ``application``'s engagement in the date picker (the
        service refuses the others, with the reason)."""
        start = application.engagement_start
        if start is not None:
            self.fields["date"].widget.attrs["min"] = start.isoformat()
        return self


class EvaluationForm(NoLabelSuffix, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note sur 5"),
        choices=[("", "—"), *[(n, str(n)) for n in range(5, 0, -1)]],
        coerce=int,
    )
    objectives = forms.ChoiceField(
        label=_("Les objectifs de la mission ont-ils été atteints ?"),
        choices=[("", "—"), *Evaluation.Objectives.choices],
    )
    skills_transferred = forms.CharField(
        label=_("Ce que vous avez transmis à l'association"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    comment = forms.CharField(
        label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TestimonialForm(NoLabelSuffix, forms.Form):
    text = forms.CharField(
        label=_("Votre témoignage"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Ce que vous retenez de cette mission ; il pourra être publié."),
    )
