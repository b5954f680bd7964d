import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.reference_data import DEPARTEMENTS

from .models import Company, CompanyMember, Programme


class AccessibleForm(forms.Form):
    """Django renders each field with its errors linked through ``aria-describedby``."""

    template_name_div = "django/forms/div.html"


class CompanyRegisterForm(AccessibleForm):
    name = forms.CharField(label=_("Nom de l'entreprise ou de la fondation"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de structure"), choices=Company.Kind.choices)
    siren = forms.CharField(
        label=_("Numéro SIREN"),
        max_length=20,
        help_text=_("9 chiffres, sur votre extrait Kbis ou sur annuaire-entreprises.data.gouv.fr."),
    )
    yearly_allowance_hours = forms.IntegerField(
        label=_("Heures de mécénat par salarié et par an"),
        min_value=0,
        max_value=1607,
        initial=0,
        help_text=_("0 si vous ne fixez pas d'enveloppe pour l'instant."),
    )


class InviteForm(AccessibleForm):
    email = forms.EmailField(label=_("Adresse e-mail professionnelle"))
    role = forms.ChoiceField(
        label=_("Rôle"), choices=CompanyMember.Role.choices, initial=CompanyMember.Role.EMPLOYEE
    )
    allowance_hours_override = forms.IntegerField(
        label=_("Heures de mécénat annuelles (si différent de la règle)"),
        min_value=0,
        max_value=1607,
        required=False,
    )


class MemberForm(AccessibleForm):
    role = forms.ChoiceField(label=_("Rôle"), choices=CompanyMember.Role.choices)
    allowance_hours_override = forms.IntegerField(
        label=_("Heures de mécénat annuelles (exception)"),
        min_value=0,
        max_value=1607,
        required=False,
        help_text=_("Laisser vide pour appliquer la règle de l'entreprise."),
    )
    manager = forms.TypedChoiceField(
        label=_("Manager qui valide ses engagements"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    site = forms.CharField(label=_("Site"), max_length=100, required=False)

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].choices = [("", _("Aucun : tout manager de l'entreprise"))] + [
            (m.user_id, str(m.user)) for m in managers
        ]


class ApproveForm(AccessibleForm):
    planned_hours = forms.IntegerField(label=_("Heures accordées"), min_value=1, max_value=1607)


class RefuseForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Motif du refus, transmis au salarié"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    site = forms.ChoiceField(label=_("Site"), required=False)
    departement = forms.ChoiceField(label=_("Département de la mission"), required=False)

    def __init__(self, *args, company, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(company=company)
        self.fields["site"].choices = [("", _("Tous les sites"))] + [(s, s) for s in sites]
        # From the reference data rather than the database: one query less on the page.
        self.fields["departement"].choices = [("", _("Tous les départements"))] + [
            (row[0], f"{row[0]} {row[1]}") for row in DEPARTEMENTS
        ]
        self.fields["programme"].empty_label = _("Tous les programmes")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de la période précède son début."))
        return data


def default_period(company: Company, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return company.allowance_year(today)
