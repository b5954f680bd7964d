from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missions.models import Mission
from taxonomy.selectors import reference_lists

from . import map as search_map
from . import services
from .forms import MissionSearchForm, SavedSearchForm
from .models import SavedSearch
from .selectors import MissionSearch

signed_in = login_required(login_url="account_login")
PAGE_SIZE = 20


def mission_list(request):
    """Public search of open missions (anyone). Read-only: the GET form filters it."""
    return render_mission_search(request, request.GET)


def render_mission_search(request, query, *, save_form=None):
    """The search page for ``query`` (GET parameters); the saved-search view reuses it
    to show its own errors beside the results."""
    form = MissionSearchForm(query)
    search = MissionSearch(form.criteria()) if form.is_valid() else None
    page: Page[Mission]
    if search is not None:
        # The facets' query also counts the results, for the paginator.
        form.show_counts(search.facets())
        page = Paginator(search.results(), PAGE_SIZE).get_page(query.get("page"))
    else:
        page = Paginator([], PAGE_SIZE).get_page(1)
    if save_form is None and form.is_valid() and form.has_filters():
        save_form = SavedSearchForm(initial={"query": form.querystring()})
    context = {
        "form": form,
        "query": query,
        "page": page,
        "active_filters": form.active_filters(),
        "querystring": form.querystring(),
        "show_distance": form.is_valid() and form.cleaned_data.get("location") is not None,
        # Some words are in no mission: titles or skills close to them count too.
        "tolerant": search is not None and search.tolerant,
        "save_form": save_form,
    }
    # The list/map switch and, when asked for, the map of départements.
    context["search_view"] = search_map.view_urls(query, form)
    if context["search_view"]["shown"]:
        context["search_map"] = search_map.departement_map(query, form)
    return render(request, "missions/mission_list.html", context)


@signed_in
def saved_search_list(request):
    """The signed-in person's own saved searches; nobody else's are ever listed."""
    references = reference_lists()
    searches = [
        (saved_search, services.saved_search_form(saved_search, references))
        for saved_search in services.saved_searches_for(request.user)
    ]
    return render(request, "search/saved_search_list.html", {"searches": searches})


@signed_in
@require_POST
def saved_search_create(request):
    """Save the search the person is looking at (any signed-in person, for themselves)."""
    form = SavedSearchForm(request.POST)
    search_form = form.search_form()
    if form.is_valid():
        try:
            saved = services.saved_search_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                params=search_form.params(),
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(
                request,
                _(
                    "Recherche « %(name)s » enregistrée : nous vous préviendrons des nouvelles "
                    "missions qui y répondent."
                )
                % {"name": saved.name},
            )
            return redirect(reverse("missions:list") + "?" + search_form.querystring())
    return render_mission_search(request, search_form.data, save_form=form)


@signed_in
@require_POST
def saved_search_delete(request, pk: int):
    """Delete one of one's own saved searches; another person's is not found (404)."""
    name = (
        SavedSearch.objects.filter(pk=pk, user=request.user).values_list("name", flat=True).first()
    )
    try:
        services.saved_search_delete(actor=request.user, saved_search_id=pk)
    except SavedSearch.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Recherche « %(name)s » supprimée.") % {"name": name})
    return redirect("search:list")
