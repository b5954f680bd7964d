"""Forms of the association's mission pages: the editor and the pipeline's actions."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FrenchDecimalField
from taxonomy.choices import Language
from taxonomy.models import Skill
from volunteers.models import SkillLevel

from .models import MISSION_INPUT_FIELDS, Application, Evaluation, Mission, MissionSkill

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MissionForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Langues requises"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Mission
        fields = MISSION_INPUT_FIELDS
        field_classes = {"hours_per_week": FrenchDecimalField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "deliverable": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE,
            "end_date": DATE,
            "application_deadline": DATE,
        }
        help_texts = {
            "city": _("Obligatoire pour une mission sur place ou hybride."),
        }


def skill_choices():
    """Skills grouped by family, read once for every row of the formset."""
    groups: dict[str, list] = {}
    for skill in Skill.objects.select_related("family").order_by("family__name_fr", "name_fr"):
        groups.setdefault(skill.family.name, []).append((skill.pk, skill.name))
    return [("", _("— Choisir une compétence —")), *groups.items()]


class SkillRowForm(forms.Form):
    skill = forms.TypedChoiceField(label=_("Compétence"), coerce=int, required=False)
    importance = forms.ChoiceField(
        label=_("Importance"),
        choices=MissionSkill.Importance.choices,
        initial=MissionSkill.Importance.REQUIRED,
    )
    min_level = forms.TypedChoiceField(
        label=_("Niveau minimum"),
        choices=SkillLevel.choices,
        coerce=int,
        initial=SkillLevel.PRACTITIONER,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["skill"]).choices = choices


class BaseSkillFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        self.choices = skill_choices()
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"choices": self.choices}

    def clean(self):
        seen = set()
        for form in self.forms:
            skill = form.cleaned_data.get("skill") if hasattr(form, "cleaned_data") else None
            if not skill:
                continue
            if skill in seen:
                form.add_error("skill", _("Cette compétence est déjà demandée plus haut."))
            seen.add(skill)

    def skills(self) -> list[tuple]:
        """``(skill, min_level, importance)`` rows for the mission services."""
        rows = [form.cleaned_data for form in self.forms if form.cleaned_data.get("skill")]
        by_id = Skill.objects.in_bulk([row["skill"] for row in rows])
        return [
            (by_id[row["skill"]], row["min_level"], row["importance"])
            for row in rows
            if row["skill"] in by_id
        ]


SkillFormSet = forms.formset_factory(SkillRowForm, formset=BaseSkillFormSet, extra=0)
EXTRA_SKILL_ROWS = 2


def skill_formset(data=None, mission=None) -> BaseSkillFormSet:
    initial = []
    if mission is not None:
        initial = [
            {"skill": s.skill_id, "importance": s.importance, "min_level": s.min_level}
            for s in mission.skills.order_by("importance", "pk")
        ]
    initial += [{}] * EXTRA_SKILL_ROWS
    return cast(BaseSkillFormSet, SkillFormSet(data, initial=initial, prefix="skills"))


class InviteForm(forms.Form):
    message = forms.CharField(
        label=_("Message à la personne invitée (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptForm(forms.Form):
    message = forms.CharField(
        label=_("Message de bienvenue"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Par exemple : les prochaines étapes, la date d'un premier échange."),
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif"), choices=[("", "—"), *Application.DeclineReason.choices]
    )
    message = forms.CharField(
        label=_("Message au bénévole"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HoursRejectForm(forms.Form):
    reason = forms.CharField(label=_("Motif du refus"), max_length=300)


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Note sur 5"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    objectives = forms.ChoiceField(
        label=_("Objectifs"), choices=Evaluation.Objectives.choices, widget=forms.RadioSelect
    )
    skills_transferred = forms.CharField(
        label=_("Compétences transmises"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    autonomy_gained = forms.CharField(
        label=_("Ce que l'association sait désormais faire seule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    can_continue_alone = forms.NullBooleanField(
        label=_("L'association peut-elle poursuivre seule ?"),
        required=False,
        widget=forms.Select(
            choices=[("unknown", _("Je ne sais pas")), ("true", _("Oui")), ("false", _("Non"))]
        ),
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
