"""Filters of the API's lists. The missions' search filters are the search page's
(``search.params``: the same names, the same aliases) and go through the same search
(``search.selectors.MissionSearch``): ``q`` is matched and ranked as on the page."""

from decimal import Decimal
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.constants import EMPTY_VALUES

from missions.models import Application, HoursEntry, Mission
from search.criteria import DEFAULT_RADIUS_KM, SearchCriteria
from search.forms import DURATIONS, locate_typed
from search.params import LIST_PARAMETERS, canonical_params
from search.selectors import MissionSearch
from taxonomy.choices import LocationMode
from taxonomy.selectors import reference_lists

# Ids beyond a 64-bit integer would overflow the database driver.
ID_BOUNDS = {"min_value": 1, "max_value": 2**62}


class CodeInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    pass


# Filters the search applies (all at once, in MissionFilter.filter_queryset).
SEARCH_FILTERS = (
    "q",
    "skill",
    "cause",
    "departement",
    "region",
    "near",
    "within_km",
    "remote_only",
    "location_mode",
    "format",
    "starts_after",
    "starts_before",
    "ends_before",
    "duration",
    "max_hours_per_week",
)
# Codes the search takes as ids: (filter, reference list, message for unknown codes).
CODED_FILTERS = (
    ("skill", "skills", gettext_lazy("Compétence inconnue : %(codes)s.")),
    ("cause", "causes", gettext_lazy("Cause inconnue : %(codes)s.")),
    ("departement", "departements", gettext_lazy("Département inconnu : %(codes)s.")),
    ("region", "regions", gettext_lazy("Région inconnue : %(codes)s.")),
)


class MissionFilterForm(forms.Form):
    """Locates ``near`` and reads the codes once for the whole query, with an error on
    the field for an unknown city or code."""

    def clean(self):
        cleaned = cast("dict[str, Any]", super().clean())  # Form.clean: cleaned_data
        near, within = cleaned.get("near"), cleaned.get("within_km")
        # On the form, not in cleaned_data: the filter set runs a filter per cleaned value.
        self.location = None
        if near:
            self.location = locate_typed(near)
            if self.location is None:
                self.add_error(
                    "near",
                    _(
                        "Nous ne trouvons pas la ville « %(city)s » : vérifiez l'orthographe ou "
                        "indiquez son code postal."
                    )
                    % {"city": " ".join(near.split())},
                )
        elif within is not None:
            self.add_error("near", _("Indiquez la ville autour de laquelle chercher."))
        self.ids: dict[str, tuple[int, ...]] = {}
        for name, kind, message in CODED_FILTERS:
            codes = cleaned.get(name) or []
            if not codes:
                self.ids[name] = ()
                continue
            known = reference_lists().by_code(kind)
            unknown = [code for code in codes if code not in known]
            if unknown:
                self.add_error(name, str(message) % {"codes": ", ".join(unknown)})
            self.ids[name] = tuple(known[code].pk for code in codes if code in known)
        return cleaned


class MissionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="searched",
        max_length=200,
        help_text=(
            "Words, as on the search page: French stemming, accents and case ignored, skill "
            "synonyms understood (`compta`, `RH`, `site web`), a word in no mission taken "
            'for a typo of close titles and skills; "quoted phrases" and -excluded words. '
            "Without `ordering`, results come best first (relevance, freshness, and "
            "proximity around `near`)."
        ),
    )
    skill = CodeInFilter(
        method="searched",
        help_text="Skill codes, comma-separated: missions asking for any of them. Alias: `skills`.",
    )
    cause = CodeInFilter(method="searched", help_text="Cause codes, comma-separated.")
    departement = CodeInFilter(
        method="searched",
        help_text=(
            "Département codes, comma-separated. Remote missions, done from anywhere, always pass."
        ),
    )
    region = CodeInFilter(
        method="searched",
        help_text="Région INSEE codes, comma-separated. Remote missions always pass.",
    )
    location_mode = ChoiceInFilter(
        method="searched",
        choices=LocationMode.choices,
        help_text="Comma-separated. Alias: `location_modes`.",
    )
    format = ChoiceInFilter(
        method="searched",
        choices=Mission.Format.choices,
        help_text="Comma-separated. Alias: `formats`.",
    )
    remote_only = django_filters.BooleanFilter(
        method="searched", help_text="Only missions done remotely."
    )
    state = django_filters.MultipleChoiceFilter(choices=Mission.State.choices)
    association = django_filters.CharFilter(field_name="association__slug")
    open = django_filters.BooleanFilter(
        method="filter_open", help_text="Only missions still taking applications."
    )
    starts_after = django_filters.DateFilter(method="searched")
    starts_before = django_filters.DateFilter(method="searched")
    ends_before = django_filters.DateFilter(method="searched")
    duration = django_filters.ChoiceFilter(
        method="searched",
        choices=DURATIONS,
        help_text="From the start and end dates: `week`, `month`, `quarter` or `long`.",
    )
    max_hours_per_week = django_filters.NumberFilter(
        method="searched",
        min_value=Decimal("0.5"),
        max_value=Decimal("60"),
        help_text="At most, hours per week.",
    )
    near = django_filters.CharFilter(
        method="searched",
        max_length=120,
        help_text=(
            "A city name or a postcode: missions within `within_km` of it (30 km by default). "
            "Remote missions, done from anywhere, always pass. Alias: `city`."
        ),
    )
    within_km = django_filters.NumberFilter(
        method="searched",
        min_value=1,
        max_value=500,
        help_text="The radius around `near`, in km (1 to 500). Alias: `radius`.",
    )

    class Meta:
        model = Mission
        fields: list[str] = []
        form = MissionFilterForm

    def __init__(self, data=None, *args, documents: Q | None = None, **kwargs):
        """``documents``: the missions of ``queryset``, said with their search documents'
        columns when they can say it (see ``api.scope.documents_in_reach``)."""
        self.documents = documents
        if data is not None:
            # The search page's names and aliases; lists as the CSV filters read them.
            data = canonical_params(data)
            for name in LIST_PARAMETERS:
                if name in data:
                    data[name] = ",".join(data.getlist(name))
        super().__init__(data, *args, **kwargs)

    def searched(self, queryset, name, value):
        return queryset  # applied together by filter_queryset

    def filter_open(self, queryset, name, value):
        if value:
            return queryset.open_for_applications()
        return queryset.exclude(pk__in=Mission.objects.open_for_applications().values("pk"))

    def criteria(self) -> SearchCriteria:
        data, form = self.form.cleaned_data, cast(MissionFilterForm, self.form)
        return SearchCriteria(
            q=data.get("q") or "",
            skill_ids=form.ids["skill"],
            cause_ids=form.ids["cause"],
            departement_ids=form.ids["departement"],
            region_ids=form.ids["region"],
            location=form.location,
            radius_km=float(data.get("within_km") or DEFAULT_RADIUS_KM),
            remote_only=bool(data.get("remote_only")),
            location_modes=tuple(data.get("location_mode") or ()),
            formats=tuple(data.get("format") or ()),
            starts_after=data.get("starts_after"),
            starts_before=data.get("starts_before"),
            ends_before=data.get("ends_before"),
            duration=data.get("duration") or "",
            max_hours_per_week=data.get("max_hours_per_week"),
        )

    def search(self, queryset) -> MissionSearch:
        """The search these filters ask for, among ``queryset`` once the filters the
        search does not know (state, association, open) are applied."""
        narrowed = False
        for name, value in self.form.cleaned_data.items():
            if name not in SEARCH_FILTERS:
                queryset = self.filters[name].filter(queryset, value)
                narrowed = narrowed or value not in EMPTY_VALUES
        # Nothing narrowed what the requester may reach: the search may filter the
        # documents alone, when the caller said how (``documents``).
        documents = None if narrowed else self.documents
        return MissionSearch(self.criteria(), queryset, among_documents=documents)

    def filter_queryset(self, queryset):
        search = self.search(queryset)
        if search.criteria == SearchCriteria():
            return search.among  # no search filter: the list as it is
        ordering = self.request is not None and self.request.query_params.get("ordering")
        if search.text and not ordering:
            # Best first: a sequence the paginator slices, each slice ranked in the
            # database, its missions read from ``queryset``.
            return search.results(search.among)
        return search.missions()


class ApplicationFilter(django_filters.FilterSet):
    mission = django_filters.NumberFilter(field_name="mission_id", **ID_BOUNDS)
    state = django_filters.MultipleChoiceFilter(choices=Application.State.choices)
    approval_state = django_filters.ChoiceFilter(choices=Application.Approval.choices)

    class Meta:
        model = Application
        fields: list[str] = []


class HoursFilter(django_filters.FilterSet):
    application = django_filters.NumberFilter(field_name="application_id", **ID_BOUNDS)
    mission = django_filters.NumberFilter(field_name="application__mission_id", **ID_BOUNDS)
    state = django_filters.ChoiceFilter(choices=HoursEntry.State.choices)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = HoursEntry
        fields: list[str] = []
