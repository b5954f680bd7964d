from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import first_name_field, last_name_field
from core.validators import validate_https_url, validate_postcode
from taxonomy.choices import Language
from taxonomy.geo import locate
from taxonomy.models import Cause, Skill

from .models import SkillLevel, TimeSlot, VolunteerProfile
from .services import PROFILE_FIELDS

if TYPE_CHECKING:
    from django.forms.utils import ErrorDict

SKILL_PREFIX = "skill_"


class NoLabelSuffix:
    """Labels without the trailing colon: they sit above fields or beside checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProfileForm(NoLabelSuffix, forms.ModelForm):
    """The volunteer's profile; one level select per skill, grouped by skill family.

    Validation only: the view hands ``cleaned_data`` to ``volunteer_profile_save``.
    The person's name is asked here too: the profile is where they present themselves.
    """

    first_name = first_name_field()
    last_name = last_name_field()
    profile_url = forms.URLField(
        label=_("Profil LinkedIn ou CV en ligne"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[validate_https_url],
        help_text=_("Une adresse https://, par exemple https://www.linkedin.com/in/votre-nom."),
    )
    remove_photo = forms.BooleanField(label=_("Retirer ma photo"), required=False)

    causes = forms.ModelMultipleChoiceField(
        label=_("Causes qui vous tiennent à cœur"),
        queryset=Cause.objects.order_by("name_fr"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_slots = forms.MultipleChoiceField(
        label=_("Créneaux possibles"),
        choices=TimeSlot.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues de travail"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = VolunteerProfile
        fields = (*PROFILE_FIELDS, "photo", "city", "postcode", "causes")
        widgets = {
            "available_from": DateInput(),
            "available_until": DateInput(),
            "bio": forms.Textarea(attrs={"rows": 4}),
            "experience": forms.Textarea(attrs={"rows": 6}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            # The current photo is shown by the page (it is not a public file).
            "photo": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        labels = {
            "headline": _("Titre (ce que vous proposez, en une ligne)"),
            "occupation": _("Métier actuel ou passé"),
            "bio": _("Présentation"),
            "experience": _("Expérience"),
            "photo": _("Photo (facultative)"),
            "phone": _("Téléphone (facultatif)"),
            "seniority": _("Expérience professionnelle"),
            "hours_per_month": _("Heures disponibles par mois"),
            "available_from": _("Disponible à partir du"),
            "available_until": _("Disponible jusqu'au"),
            "accepts_remote": _("À distance"),
            "accepts_on_site": _("Sur place"),
            "accepts_hybrid": _("Hybride"),
            "max_distance_km": _("Distance maximale pour une mission sur place (km)"),
            "is_visible": _("Les associations peuvent voir mon profil et me proposer des missions"),
            "city": _("Ville"),
            "postcode": _("Code postal"),
        }
        help_texts = {
            "postcode": _("Cinq chiffres, par exemple 69003."),
            "is_visible": "",
        }

    field_order = ["first_name", "last_name"]

    def __init__(self, *args, user=None, skills=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not self.is_bound:
            self.fields["first_name"].initial = user.first_name
            self.fields["last_name"].initial = user.last_name
        saved = (
            {row.skill_id: row.level for row in self.instance.skills.all()}
            if self.instance.pk
            else {}
        )
        # What the profile holds as saved (the completion meter reads them): counted
        # from what the form loads anyway.
        self.saved_skill_count = len(saved)
        self.saved_cause_count = len(self.initial.get("causes") or ())
        levels = {} if self.is_bound else saved
        skills = (
            skills
            if skills is not None
            else Skill.objects.select_related("family").order_by("family__name_fr", "name_fr")
        )
        level_choices = [("", _("Non")), *SkillLevel.choices]
        self.skill_groups = []
        group = None
        for skill in skills:
            name = f"{SKILL_PREFIX}{skill.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=skill.name,
                choices=level_choices,
                coerce=int,
                empty_value=0,  # type: ignore[arg-type]  # any value; the stubs say str
                required=False,
                initial=levels.get(skill.pk, ""),
            )
            if group is None or group["family"].pk != skill.family_id:
                group = {"family": skill.family, "fields": [], "chosen": 0}
                self.skill_groups.append(group)
            group["fields"].append(name)
            if levels.get(skill.pk) or (self.is_bound and self.data.get(name)):
                group["chosen"] += 1

    @property
    def skill_fieldsets(self):
        return [
            {
                "family": group["family"],
                "chosen": group["chosen"],
                "fields": [self[name] for name in group["fields"]],
            }
            for group in self.skill_groups
        ]

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode:
            validate_postcode(postcode)
        return postcode

    def clean(self):
        data = cast("dict[str, Any]", super().clean())  # cleaned_data
        remote = data.get("accepts_remote")
        if not (remote or data.get("accepts_on_site") or data.get("accepts_hybrid")):
            self.add_error(
                "accepts_remote",
                _("Choisissez au moins un format : à distance, sur place ou hybride."),
            )
        elif not remote and not (data.get("city") or data.get("postcode")):
            self.add_error(
                "city", _("Indiquez où vous pouvez vous rendre pour une mission sur place.")
            )
        city, postcode = data.get("city", ""), data.get("postcode", "")
        if (
            (city or postcode)
            and not self.has_error("postcode")
            and locate(city=city, postcode=postcode) is None
        ):
            self.add_error(
                "city",
                _(
                    "Nous ne trouvons pas cette ville : vérifiez l'orthographe ou "
                    "indiquez le code postal."
                ),
            )
        return data

    # Set by full_clean(); the stubs do not declare it.
    _errors: "ErrorDict"

    def _post_clean(self):
        # The model's rules without a field (a format chosen, a valid postcode) are
        # already checked above and shown next to their field: drop the duplicates.
        super()._post_clean()  # type: ignore[misc]  # the stubs omit this hook of ModelForm
        self._errors.pop("__all__", None)

    def skill_levels(self) -> dict[int, int]:
        return {
            int(name.removeprefix(SKILL_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(SKILL_PREFIX) and value
        }

    def profile_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    def photo(self):
        """The new photo, False to remove it, None to keep it (``volunteer_profile_save``)."""
        if self.cleaned_data.get("remove_photo"):
            return False
        return self.cleaned_data["photo"] if "photo" in self.changed_data else None
