"""The mission search form: what people filter on, validated into the
:class:`~search.criteria.SearchCriteria` that :mod:`search.selectors` turns into a query."""

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import FrenchDecimalField, LongSelect, ManyCheckboxes
from missions.models import Mission
from taxonomy.choices import LocationMode
from taxonomy.geo import locate
from taxonomy.models import Cause, Departement, Skill
from taxonomy.selectors import ReferenceLists, reference_lists

from .criteria import DEFAULT_RADIUS_KM, SearchCriteria
from .models import SavedSearch
from .params import canonical_params

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


class ReferenceChoiceIterator(ModelChoiceIterator):
    """The field's choices from the cached reference lists, not from a query."""

    field: Any

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.objects) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return bool(self.field.objects) or self.field.empty_label is not None


class ReferenceChoiceMixin:
    """A choice of reference rows (skills, causes, départements) by code, validated and
    rendered from :func:`taxonomy.selectors.reference_lists` without a query. Values in
    ``aliases`` (the ids older links used) are accepted too. ``counts``, when set, are
    shown beside each choice (the facets of the current search)."""

    objects: tuple = ()
    by_value: dict[str, Any] = {}
    aliases: dict[str, Any] = {}
    counts: dict[str, int] | None = None
    # Set by the form field this is mixed into.
    widget: Any
    choices: Any
    iterator: Any

    def use(self, objects, aliases=None) -> None:
        self.objects = tuple(objects)
        self.by_value = {obj.code: obj for obj in self.objects}
        self.aliases = aliases or {}
        self.iterator = ReferenceChoiceIterator
        self.widget.choices = self.choices

    def find(self, value):
        value = str(value).strip()
        return self.by_value.get(value) or self.aliases.get(value)

    def label_from_instance(self, obj) -> str:
        label = obj.name if hasattr(obj, "name_fr") else str(obj)
        if self.counts is None:
            return label
        return with_count(label, self.counts.get(str(obj.pk), 0))


def with_count(label, count: int) -> str:
    return _("%(label)s (%(count)s)") % {"label": label, "count": count}


class SkillChoiceField(ReferenceChoiceMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        found = []
        for code in value:
            skill = self.find(code)
            if skill is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )
            found.append(skill)
        return found


class SkillFamilies(ManyCheckboxes):
    """The skills' checkboxes grouped by family (rendered once per context, as every
    long list of choices)."""

    template_name = "search/widgets/skill_families.html"

    def optgroups(self, name, value, attrs=None):
        families: dict[str, list[dict[str, Any]]] = {}
        for _group, options, _index in super().optgroups(name, value, attrs):
            for option in options:
                families.setdefault(option["value"].instance.family.name, []).append(option)
        return [(family, options, at) for at, (family, options) in enumerate(families.items())]


class ReferenceChoiceField(ReferenceChoiceMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.find(value)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class CountedChoiceField(forms.MultipleChoiceField):
    """Checkboxes whose labels can show the facet counts of the current search."""

    def show_counts(self, counts: dict[str, int]) -> None:
        self.choices = [
            (value, with_count(label, counts.get(value, 0)))
            for value, label in cast("list[tuple[str, str]]", self.choices)
        ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class MissionSearchForm(forms.Form):
    """Filters of the public mission search. Bound to request.GET (the names of
    :mod:`search.params`, older ones as aliases); every field optional."""

    q = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
        help_text=_("Par exemple : site web, compta, RH, « plan de communication »."),
    )
    skill = SkillChoiceField(
        label=_("Compétences"),
        queryset=Skill.objects.none(),
        to_field_name="code",
        required=False,
        widget=SkillFamilies,
    )
    cause = ReferenceChoiceField(
        label=_("Cause"),
        queryset=Cause.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Toutes les causes"),
        widget=LongSelect,
    )
    departement = ReferenceChoiceField(
        label=_("Département"),
        queryset=Departement.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Tous les départements"),
        widget=LongSelect,
        help_text=_("Les missions à distance restent affichées."),
    )
    near = forms.CharField(
        label=_("Autour de la ville"),
        required=False,
        max_length=120,
        help_text=_("Nom de la ville ou code postal. Les missions à distance restent affichées."),
    )
    within_km = forms.IntegerField(
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
    location_mode = CountedChoiceField(
        label=_("Lieu d'exercice"),
        choices=LocationMode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    format = CountedChoiceField(
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
    GROUPS = {"near": ("near", "within_km"), "within_km": ("near", "within_km")}
    # The page's cause and département take one value (a select): the API takes several.
    LIST_FIELDS = ("skill", "format", "location_mode")

    def __init__(self, data=None, *args, references: ReferenceLists | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        if data is not None:
            data = canonical_params(data, list_parameters=self.LIST_FIELDS)
        super().__init__(data, *args, **kwargs)
        references = references or reference_lists()
        fields = cast("dict[str, Any]", self.fields)
        fields["skill"].use(references.skills, {str(s.pk): s for s in references.skills})
        fields["cause"].use(references.causes, {str(c.pk): c for c in references.causes})
        # Département codes are numbers too: the ids older links used cannot be told
        # apart from them, so only codes are taken.
        fields["departement"].use(references.departements)

    def clean_near(self):
        return " ".join(self.cleaned_data["near"].split())

    def clean(self):
        cleaned = cast("dict[str, Any]", super().clean())  # cleaned_data
        near, within = cleaned.get("near"), cleaned.get("within_km")
        cleaned["location"] = None
        if near:
            location = locate_typed(near)
            if location is None:
                self.add_error(
                    "near",
                    _(
                        "Nous ne trouvons pas la ville « %(city)s » : vérifiez l'orthographe ou "
                        "indiquez son code postal."
                    )
                    % {"city": near},
                )
            elif cleaned.get("departement"):
                self.add_error(
                    "near",
                    _("Cherchez autour d'une ville ou dans un département, pas les deux."),
                )
            else:
                cleaned["location"] = location
                if within is None and "within_km" not in self.errors:
                    cleaned["within_km"] = DEFAULT_RADIUS_KM
        elif within is not None:
            self.add_error("near", _("Indiquez la ville autour de laquelle chercher."))
        starts, ends = cleaned.get("starts_after"), cleaned.get("ends_before")
        if starts and ends and ends < starts:
            self.add_error(
                "ends_before", _("Cette date précède la date de début que vous avez choisie.")
            )
        return cleaned

    def criteria(self) -> SearchCriteria:
        """What a valid form asks for, for :mod:`search.selectors`."""
        data = self.cleaned_data
        cause, departement = data.get("cause"), data.get("departement")
        return SearchCriteria(
            q=data.get("q") or "",
            skill_ids=tuple(skill.pk for skill in data.get("skill") or ()),
            cause_ids=(cause.pk,) if cause else (),
            departement_ids=(departement.pk,) if departement else (),
            location=data.get("location"),
            radius_km=float(data.get("within_km") or DEFAULT_RADIUS_KM),
            remote_only=bool(data.get("remote_only")),
            location_modes=tuple(data.get("location_mode") or ()),
            formats=tuple(data.get("format") or ()),
            starts_after=data.get("starts_after"),
            ends_before=data.get("ends_before"),
            duration=data.get("duration") or "",
            max_hours_per_week=data.get("max_hours_per_week"),
        )

    def show_counts(self, facets: dict[str, dict[str, int]]) -> None:
        """Show beside each option how many missions it would find (see
        :meth:`search.selectors.MissionSearch.facets`)."""
        fields = cast("dict[str, Any]", self.fields)
        for name in ("cause", "departement"):
            fields[name].counts = facets[name]
            fields[name].widget.choices = fields[name].choices
        for name in ("format", "location_mode"):
            fields[name].show_counts(facets[name])

    # --- What the page shows about the current search -------------------------------

    def params(self) -> dict[str, list[str]]:
        """The non-empty parameters of this search that belong to the form, under their
        current names (skills and causes by code, whatever link they came from)."""
        data = self.data if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        params = {
            key: [value for value in data.getlist(key) if value.strip()]
            for key in self.fields
            if any(value.strip() for value in data.getlist(key))
        }
        if self.is_valid():
            if "skill" in params:
                params["skill"] = [skill.code for skill in self.cleaned_data["skill"]]
            if "cause" in params:
                params["cause"] = [self.cleaned_data["cause"].code]
        return params

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
        for skill in data.get("skill") or []:
            add(_("Compétence : %(name)s") % {"name": skill.name}, "skill", skill.code)
        if data.get("cause"):
            add(_("Cause : %(name)s") % {"name": data["cause"].name}, "cause")
        if data.get("departement"):
            add(_("Département : %(name)s") % {"name": data["departement"]}, "departement")
        if data.get("location"):
            add(
                _("À %(radius)s km de %(city)s")
                % {"radius": data["within_km"], "city": data["near"]},
                "near",
            )
        if data.get("remote_only"):
            add(_("Uniquement à distance"), "remote_only")
        modes = dict(LocationMode.choices)
        for mode in data.get("location_mode") or []:
            add(_("Lieu : %(mode)s") % {"mode": modes[mode]}, "location_mode", mode)
        formats = dict(Mission.Format.choices)
        for value in data.get("format") or []:
            add(_("Type : %(format)s") % {"format": formats[value]}, "format", value)
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
