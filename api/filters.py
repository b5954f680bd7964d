"""Filters of the API's lists, mirroring the public mission search."""

from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _

from missions.models import Application, HoursEntry, Mission
from search.forms import DEFAULT_RADIUS_KM, locate_typed
from search.services import missions_near
from taxonomy.choices import LocationMode

# Ids beyond a 64-bit integer would overflow the database driver.
ID_BOUNDS = {"min_value": 1, "max_value": 2**62}


class CodeInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class MissionFilterForm(forms.Form):
    """Locates ``near`` once for the whole query, with an error on the field if unknown."""

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
        return cleaned


class MissionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Words in the title or summary.")
    skill = CodeInFilter(
        field_name="skills__skill__code",
        distinct=True,
        help_text="Skill codes, comma-separated: missions asking for any of them.",
    )
    cause = CodeInFilter(field_name="cause__code", help_text="Cause codes, comma-separated.")
    departement = CodeInFilter(
        field_name="departement__code", help_text="Département codes, comma-separated."
    )
    region = django_filters.CharFilter(
        field_name="departement__region__code", help_text="Région INSEE code."
    )
    location_mode = django_filters.ChoiceFilter(choices=LocationMode.choices)
    format = django_filters.ChoiceFilter(choices=Mission.Format.choices)
    state = django_filters.MultipleChoiceFilter(choices=Mission.State.choices)
    association = django_filters.CharFilter(field_name="association__slug")
    open = django_filters.BooleanFilter(
        method="filter_open", help_text="Only missions still taking applications."
    )
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    near = django_filters.CharFilter(
        method="filter_near",
        max_length=120,
        help_text=(
            "A city name or a postcode: missions within `within_km` of it (30 km by default). "
            "Remote missions, done from anywhere, always pass."
        ),
    )
    within_km = django_filters.NumberFilter(
        method="filter_within",
        min_value=1,
        max_value=500,
        help_text="The radius around `near`, in km (1 to 500).",
    )

    class Meta:
        model = Mission
        fields: list[str] = []
        form = MissionFilterForm

    def filter_q(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset

    def filter_near(self, queryset, name, value):
        radius = self.form.cleaned_data.get("within_km") or DEFAULT_RADIUS_KM
        return missions_near(queryset, self.form.location, float(radius))

    def filter_within(self, queryset, name, value):
        return queryset  # applied with ``near``

    def filter_open(self, queryset, name, value):
        if value:
            return queryset.open_for_applications()
        return queryset.exclude(pk__in=Mission.objects.open_for_applications().values("pk"))


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
