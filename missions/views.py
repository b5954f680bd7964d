from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from search.forms import MissionSearchForm, SavedSearchForm
from search.services import search_missions

from .models import Mission

PAGE_SIZE = 20


def mission_list(request):
    """Public search of open missions (anyone). Read-only: the GET form filters it."""
    return render_mission_search(request, request.GET)


def render_mission_search(request, query, *, save_form=None):
    """The search page for ``query`` (GET parameters); the saved-search view reuses it
    to show its own errors beside the results."""
    form = MissionSearchForm(query)
    missions = search_missions(form.cleaned_data) if form.is_valid() else Mission.objects.none()
    page = Paginator(missions, PAGE_SIZE).get_page(query.get("page"))
    if save_form is None and form.is_valid() and form.has_filters():
        save_form = SavedSearchForm(initial={"query": form.querystring()})
    context = {
        "form": form,
        "query": query,
        "page": page,
        "active_filters": form.active_filters(),
        "querystring": form.querystring(),
        "show_distance": form.is_valid() and form.cleaned_data.get("location") is not None,
        "save_form": save_form,
    }
    return render(request, "missions/mission_list.html", context)


def mission_detail(request, pk: int):
    """A public mission page (anyone): drafts and missions never published are not found."""
    mission = get_object_or_404(
        Mission.objects.public()
        .select_related("association", "cause", "departement", "programme")
        .with_taken_seats(),
        pk=pk,
    )
    skills = mission.skills.select_related("skill__family").order_by("importance", "skill__name_fr")
    return render(request, "missions/mission_detail.html", {"mission": mission, "skills": skills})
