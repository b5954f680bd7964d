import datetime
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from core.forms import FrenchDecimalField
from taxonomy.models import Cause
from taxonomy.reference_data import DEPARTEMENTS

from .models import (
    Company,
    CompanyDomain,
    CompanyMember,
    CompanySSO,
    Programme,
    ReportSubscription,
)


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
        cast("forms.ChoiceField", self.fields["manager"]).choices = [
            ("", _("Aucun : tout manager de l'entreprise"))
        ] + [(m.user_id, str(m.user)) for m in managers]


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
        cast(
            "forms.ModelChoiceField[Any]", self.fields["programme"]
        ).queryset = Programme.objects.filter(company=company)
        cast("forms.ChoiceField", self.fields["site"]).choices = [("", _("Tous les sites"))] + [
            (s, s) for s in sites
        ]
        # From the reference data rather than the database: one query less on the page.
        cast("forms.ChoiceField", self.fields["departement"]).choices = [
            ("", _("Tous les départements"))
        ] + [(row[0], f"{row[0]} {row[1]}") for row in DEPARTEMENTS]
        cast("forms.ModelChoiceField[Any]", self.fields["programme"]).empty_label = _(
            "Tous les programmes"
        )

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de la période précède son début."))
        return data


def default_period(company: Company, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return company.allowance_year(today)


def _label(model, name: str):
    """The model field's own (translated) name, as a form label."""
    return capfirst(model._meta.get_field(name).verbose_name)


def _help(model, name: str):
    return model._meta.get_field(name).help_text


class CompanySettingsForm(AccessibleForm):
    yearly_allowance_hours = forms.IntegerField(
        label=_label(Company, "yearly_allowance_hours"),
        min_value=0,
        max_value=1607,
        help_text=_help(Company, "yearly_allowance_hours"),
    )
    year_start_month = forms.TypedChoiceField(
        label=_label(Company, "year_start_month"),
        coerce=int,
        choices=[(number, capfirst(name)) for number, name in MONTHS.items()],
        help_text=_("Janvier : année civile ; un autre mois : exercice décalé."),
    )
    work_time_requires_approval = forms.BooleanField(
        label=_label(Company, "work_time_requires_approval"),
        required=False,
        help_text=_(
            "Décochez pour que les engagements sur le temps de travail soient acceptés sans "
            "validation."
        ),
    )
    auto_approval_max_hours = forms.IntegerField(
        label=_label(Company, "auto_approval_max_hours"),
        min_value=1,
        max_value=1607,
        required=False,
        help_text=_help(Company, "auto_approval_max_hours"),
    )
    loaded_hourly_cost = FrenchDecimalField(
        label=_label(Company, "loaded_hourly_cost"),
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text=_help(Company, "loaded_hourly_cost"),
    )
    annual_turnover = FrenchDecimalField(
        label=_label(Company, "annual_turnover"),
        min_value=0,
        max_digits=15,
        decimal_places=2,
        required=False,
        help_text=_help(Company, "annual_turnover"),
    )

    @classmethod
    def initial_for(cls, company: Company) -> dict:
        return {name: getattr(company, name) for name in cls.base_fields}


class ProgrammeForm(AccessibleForm):
    name = forms.CharField(label=_("Nom du programme"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de programme"), choices=Programme.Kind.choices)
    description = forms.CharField(
        label=_label(Programme, "description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    starts_on = forms.DateField(
        label=_label(Programme, "starts_on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_label(Programme, "ends_on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    hours_budget = forms.IntegerField(
        label=_label(Programme, "hours_budget"),
        min_value=1,
        required=False,
        help_text=_(
            "Heures de mécénat que les validations peuvent accorder sur les missions du "
            "programme. Vide : pas de limite."
        ),
    )
    registrations_open = forms.BooleanField(
        label=_label(Programme, "registrations_open"),
        required=False,
        initial=True,
        help_text=_help(Programme, "registrations_open"),
    )
    causes = forms.ModelMultipleChoiceField(
        label=_label(Programme, "causes"),
        queryset=Cause.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_help(Programme, "causes"),
    )
    departements = forms.MultipleChoiceField(
        label=_label(Programme, "departements"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_help(Programme, "departements"),
    )
    invited_associations = forms.ModelMultipleChoiceField(
        label=_label(Programme, "invited_associations"),
        queryset=Association.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Vide : toute association vérifiée des territoires éligibles."),
    )

    def __init__(self, *args, invited_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[Any]", self.fields["causes"]
        ).queryset = Cause.objects.order_by("name_fr")
        # From the reference data rather than the database: one query less on the page.
        cast("forms.ChoiceField", self.fields["departements"]).choices = [
            (row[0], f"{row[0]} {row[1]}") for row in DEPARTEMENTS
        ]
        cast(
            "forms.ModelChoiceField[Any]", self.fields["invited_associations"]
        ).queryset = Association.objects.filter(
            Q(verification_state=Association.State.VERIFIED) | Q(pk__in=list(invited_ids))
        ).order_by("name")

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # cleaned_data
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("La fin ne peut pas précéder le début."))
        return data

    @staticmethod
    def initial_for(programme: Programme) -> dict:
        return {
            "name": programme.name,
            "kind": programme.kind,
            "description": programme.description,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "hours_budget": programme.hours_budget,
            "registrations_open": programme.registrations_open,
            "causes": list(programme.causes.values_list("pk", flat=True)),
            "departements": list(programme.departements.values_list("code", flat=True)),
            "invited_associations": list(
                programme.invited_associations.values_list("pk", flat=True)
            ),
        }

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["cause_ids"] = [cause.pk for cause in data.pop("causes")]
        data["departement_codes"] = data.pop("departements")
        data["invited_association_ids"] = [a.pk for a in data.pop("invited_associations")]
        return data


class CompanySSOForm(AccessibleForm):
    """The company's sign-in through its identity provider, by OpenID Connect or SAML 2.0.
    The fields of the protocol not chosen are ignored; the OpenID Connect secret is never
    shown again: left empty, the one saved is kept. Which fields each protocol needs is
    checked by the service (``companies.sso``), whose errors land on the fields."""

    OIDC_FIELDS = ("issuer_url", "client_id", "client_secret")
    SAML_FIELDS = ("saml_metadata_url", "saml_entity_id", "saml_sso_url", "saml_certificate")

    protocol = forms.ChoiceField(
        label=_("Protocole"),
        choices=CompanySSO.Protocol.choices,
        initial=CompanySSO.Protocol.OPENID_CONNECT,
        required=False,  # OpenID Connect when none is chosen
        widget=forms.RadioSelect,
        help_text=_("Celui que votre fournisseur d'identité propose pour une application web."),
    )
    issuer_url = forms.CharField(
        label=_("Adresse de l'émetteur (issuer)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
        help_text=_(
            "Microsoft Entra ID : https://login.microsoftonline.com/ID-DU-LOCATAIRE/v2.0 ; "
            "Google Workspace : https://accounts.google.com ; Okta : https://VOTRE-DOMAINE.okta.com."
        ),
    )
    client_id = forms.CharField(
        label=_("Identifiant client (client ID)"),
        required=False,
        max_length=191,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    client_secret = forms.CharField(
        label=_("Secret client"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    saml_metadata_url = forms.CharField(
        label=_("Adresse des métadonnées du fournisseur (metadata URL)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
        help_text=_(
            "Microsoft Entra ID : « URL des métadonnées de fédération de l'application » ; "
            "Okta : « Metadata URL ». Sans cette adresse, remplissez les trois champs "
            "suivants."
        ),
    )
    saml_entity_id = forms.CharField(
        label=_("Identifiant d'entité du fournisseur (entity ID)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Facultatif avec l'adresse des métadonnées."),
    )
    saml_sso_url = forms.CharField(
        label=_("Adresse de connexion unique (SSO URL)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    saml_certificate = forms.CharField(
        label=_("Certificat de signature X.509"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Au format PEM, « -----BEGIN CERTIFICATE----- » compris."),
    )
    domains: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Domaines autorisés"),
        queryset=CompanyDomain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Parmi les domaines de votre entreprise vérifiés par l'équipe de la plateforme."
        ),
        error_messages={"invalid_choice": _("Choisissez des domaines de votre entreprise.")},
    )
    is_enabled = forms.BooleanField(label=_("Activer la connexion d'entreprise"), required=False)
    is_mandatory = forms.BooleanField(
        label=_("La rendre obligatoire pour ces domaines"),
        required=False,
        help_text=_(
            "Les personnes de ces domaines ne pourront plus se connecter, s'inscrire ni "
            "changer de mot de passe autrement."
        ),
    )

    def __init__(self, *args, company: Company, has_secret: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["domains"])
        field.queryset = company.domains.order_by("domain")
        self.fields["client_secret"].help_text = (
            _("Un secret est enregistré : laissez vide pour le garder.")
            if has_secret
            else _("Donné par le fournisseur avec l'identifiant client.")
        )

    def clean_protocol(self) -> str:
        return self.cleaned_data["protocol"] or CompanySSO.Protocol.OPENID_CONNECT

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["domain_ids"] = [domain.pk for domain in data.pop("domains")]
        return data


class SSOStartForm(AccessibleForm):
    email = forms.EmailField(
        label=_("Votre adresse e-mail professionnelle"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Saisissez votre adresse e-mail professionnelle."),
            "invalid": _("Saisissez une adresse e-mail valide."),
        },
    )


class ReportSubscriptionForm(AccessibleForm):
    frequency = forms.ChoiceField(
        label=_("À quel rythme ?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", _("Non, merci")),
            (ReportSubscription.Frequency.MONTHLY, _("Chaque mois, pour le mois écoulé")),
            (
                ReportSubscription.Frequency.QUARTERLY,
                _("Chaque trimestre de votre année de mécénat, pour le trimestre écoulé"),
            ),
        ],
        error_messages={"invalid_choice": _("Choisissez une fréquence dans la liste.")},
    )


class SummarySubscriptionForm(AccessibleForm):
    subscribed = forms.BooleanField(required=False)
