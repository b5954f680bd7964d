"""The mission search form: what people filter on, validated into ``cleaned_data``
that :func:`search.services.search_missions` turns into a query."""

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import FrenchDecimalField
from missions.models import Mission
from taxonomy.choices import LocationMode
from taxonomy.geo import locate
from taxonomy.models import Cause, Departement, Skill

from .models import SavedSearch

DEFAULT_RADIUS_KM = 30
POSTCODE = re.compile(r"^\d{5}$")


def locate_typed(place: str):
    """A city name or a postcode as a person typed it, located; None if unknown."""
    place = " ".join(place.split())
    postcode = place if POSTCODE.match(place) else ""
    return locate(city="" if postcode else place, postcode=postcode)


DURATIONS = [
    ("week", _("Une semaine au plus")),
    ("month", _("D'une semaine à un mois")),
    ("quarter", _("D'un à trois mois")),
    ("long", _("Plus de trois mois")),
]


class SkillChoiceField(forms.ModelMultipleChoiceField):
    # {str(pk): instance} loaded once for many forms (a list of saved searches), or None.
    cache = None

    def label_from_instance(self, obj) -> str:
        return obj.name

    def _check_values(self, value):
        if self.cache is None:
            # The stubs omit this helper of ModelMultipleChoiceField.
            return super()._check_values(value)  # type: ignore[misc]
        found = []
        for pk in value:
            if str(pk) not in self.cache:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
            found.append(self.cache[str(pk)])
        return found


class CachedModelChoiceField(forms.ModelChoiceField):
    cache = None

    def to_python(self, value):
        if self.cache is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.cache[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class NameChoiceField(CachedModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class MissionSearchForm(forms.Form):
    """Filters of the public mission search. Bound to request.GET; every field optional."""

    q = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
        help_text=_("Par exemple : site web, comptabilité, « plan de communication »."),
    )
    skills = SkillChoiceField(
        label=_("Compétences"),
        queryset=Skill.objects.select_related("family").order_by("family__name_fr", "name_fr"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cause = NameChoiceField(
        label=_("Cause"),
        queryset=Cause.objects.order_by("name_fr"),
        required=False,
        empty_label=_("Toutes les causes"),
    )
    departement = CachedModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label=_("Tous les départements"),
    )
    city = forms.CharField(
        label=_("Autour de la ville"),
        required=False,
        max_length=120,
        help_text=_("Nom de la ville ou code postal. Les missions à distance restent affichées."),
    )
    radius = forms.IntegerField(
        label=_("Rayon (km)"),
        required=False,
        min_value=1,
        max_value=500,
        help_text=_("30 km si vous ne précisez pas."),
        error_messages={
            "min_value": _("Le rayon doit être d'au moins 1 km."),
            "max_value": _("Le rayon ne peut dépasser 500 km."),
            "invalid": _("Indiquez un nombre entier de kilomètres."),
        },
    )
    remote_only = forms.BooleanField(label=_("Uniquement les missions à distance"), required=False)
    location_modes = forms.MultipleChoiceField(
        label=_("Lieu d'exercice"),
        choices=LocationMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    formats = forms.MultipleChoiceField(
        label=_("Type d'engagement"),
        choices=Mission.Format.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_after = forms.DateField(
        label=_("Commence à partir du"), required=False, widget=DateInput()
    )
    ends_before = forms.DateField(
        label=_("Se termine au plus tard le"), required=False, widget=DateInput()
    )
    duration = forms.ChoiceField(
        label=_("Durée"),
        choices=[("", _("Toutes les durées")), *DURATIONS],
        required=False,
        help_text=_("D'après les dates de début et de fin de la mission."),
    )
    max_hours_per_week = FrenchDecimalField(
        label=_("Au plus (heures par semaine)"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("60"),
        decimal_places=1,
        error_messages={
            "min_value": _("Indiquez au moins une demi-heure par semaine."),
            "max_value": _("Indiquez au plus 60 heures par semaine."),
        },
    )

    # Filters made of several fields, removed together.
    GROUPS = {"city": ("city", "radius"), "radius": ("city", "radius")}

    CACHED_FIELDS = ("skills", "cause", "departement")

    def __init__(self, *args, choices_cache: dict | None = None, **kwargs):
        """``choices_cache`` ({field: {str(pk): instance}}, see :meth:`load_choices`) lets
        many forms be validated without a query each."""
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if choices_cache is not None:
            for name in self.CACHED_FIELDS:
                cast(Any, self.fields[name]).cache = choices_cache[name]

    @classmethod
    def load_choices(cls) -> dict:
        fields = cls.base_fields
        return {
            name: {str(obj.pk): obj for obj in cast(Any, fields[name]).queryset}
            for name in cls.CACHED_FIELDS
        }

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())

    def clean(self):
        cleaned = cast("dict[str, Any]", super().clean())  # cleaned_data
        city, radius = cleaned.get("city"), cleaned.get("radius")
        cleaned["location"] = None
        if city:
            location = locate_typed(city)
            if location is None:
                self.add_error(
                    "city",
                    _(
                        "Nous ne trouvons pas la ville « %(city)s » : vérifiez l'orthographe ou "
                        "indiquez son code postal."
                    )
                    % {"city": city},
                )
            elif cleaned.get("departement"):
                self.add_error(
                    "city",
                    _("Cherchez autour d'une ville ou dans un département, pas les deux."),
                )
            else:
                cleaned["location"] = location
                if radius is None and "radius" not in self.errors:
                    cleaned["radius"] = DEFAULT_RADIUS_KM
        elif radius is not None:
            self.add_error("city", _("Indiquez la ville autour de laquelle chercher."))
        starts, ends = cleaned.get("starts_after"), cleaned.get("ends_before")
        if starts and ends and ends < starts:
            self.add_error(
                "ends_before", _("Cette date précède la date de début que vous avez choisie.")
            )
        return cleaned

    # --- What the page shows about the current search -------------------------------

    def params(self) -> dict[str, list[str]]:
        """The non-empty parameters of this search that belong to the form."""
        data = self.data if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        return {
            key: [value for value in data.getlist(key) if value.strip()]
            for key in self.fields
            if any(value.strip() for value in data.getlist(key))
        }

    def has_filters(self) -> bool:
        return bool(self.params())

    def querystring(self, params: dict[str, list[str]] | None = None) -> str:
        query = QueryDict(mutable=True)
        for key, values in (self.params() if params is None else params).items():
            query.setlist(key, values)
        return query.urlencode()

    def _without(self, key: str, value: str | None = None) -> str:
        params = self.params()
        for name in self.GROUPS.get(key, (key,)):
            if value is None or name != key:
                params.pop(name, None)
            else:
                params[name] = [v for v in params.get(name, []) if v != value]
        return "?" + self.querystring(params)

    def active_filters(self) -> list[dict]:
        """Each filter in force, in words, with the link that removes it."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        filters = []

        def add(label, key, value=None):
            filters.append({"label": label, "remove_url": self._without(key, value)})

        if data.get("q"):
            add(_("Mots-clés : « %(q)s »") % {"q": data["q"]}, "q")
        for skill in data.get("skills") or []:
            add(_("Compétence : %(name)s") % {"name": skill.name}, "skills", str(skill.pk))
        if data.get("cause"):
            add(_("Cause : %(name)s") % {"name": data["cause"].name}, "cause")
        if data.get("departement"):
            add(_("Département : %(name)s") % {"name": data["departement"]}, "departement")
        if data.get("location"):
            add(
                _("À %(radius)s km de %(city)s") % {"radius": data["radius"], "city": data["city"]},
                "city",
            )
        if data.get("remote_only"):
            add(_("Uniquement à distance"), "remote_only")
        modes = dict(LocationMode.choices)
        for mode in data.get("location_modes") or []:
            add(_("Lieu : %(mode)s") % {"mode": modes[mode]}, "location_modes", mode)
        formats = dict(Mission.Format.choices)
        for value in data.get("formats") or []:
            add(_("Type : %(format)s") % {"format": formats[value]}, "formats", value)
        if data.get("starts_after"):
            add(
                _("Commence à partir du %(date)s") % {"date": date_format(data["starts_after"])},
                "starts_after",
            )
        if data.get("ends_before"):
            add(
                _("Se termine au plus tard le %(date)s")
                % {"date": date_format(data["ends_before"])},
                "ends_before",
            )
        if data.get("duration"):
            add(
                _("Durée : %(duration)s") % {"duration": dict(DURATIONS)[data["duration"]]},
                "duration",
            )
        if data.get("max_hours_per_week") is not None:
            add(
                _("Au plus %(hours)s h par semaine")
                % {"hours": f"{data['max_hours_per_week'].normalize():f}".replace(".", ",")},
                "max_hours_per_week",
            )
        return filters


class SavedSearchForm(forms.ModelForm):
    """Name the current search to keep it; ``query`` carries the search's parameters."""

    query = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SavedSearch
        fields = ["name"]
        labels = {"name": _("Nom de la recherche")}
        help_texts = {"name": _("Par exemple : « Missions numériques près de Lyon ».")}
        error_messages = {"name": {"required": _("Donnez un nom à cette recherche.")}}

    def search_form(self) -> MissionSearchForm:
        return MissionSearchForm(QueryDict(self.data.get("query", "")))
