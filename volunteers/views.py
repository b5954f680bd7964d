"""The volunteer's own profile page, and the access rules every page of the volunteer's
space shares: the pages about engagements and favourites live in ``missions``, the
suggestions in ``matching``; the ``volunteers`` URL namespace gathers them.

Who may see what: every page is for the signed-in person's own profile and engagements;
objects are looked up scoped to that person, so that another volunteer's ids lead to a
404."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.forms import add_service_errors

from . import selectors, services
from .completion import profile_completion
from .forms import ProfileForm
from .photos import photo_response

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

    from .models import VolunteerProfile

_P = ParamSpec("_P")

signed_in = login_required(login_url="account_login")


def safe_next(request, default: str) -> str:
    """The ``next`` parameter if it points to this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def volunteer_required(
    view: "Callable[Concatenate[HttpRequest, VolunteerProfile, _P], HttpResponseBase]",
) -> "Callable[Concatenate[HttpRequest, _P], HttpResponseBase]":
    """Signed in, with a volunteer profile (else sent to create one); passes ``profile``."""

    @signed_in
    @wraps(view)
    def wrapper(request: "HttpRequest", *args: _P.args, **kwargs: _P.kwargs) -> "HttpResponseBase":
        profile = selectors.profile_for(request.user)
        if profile is None:
            messages.info(request, _("Commencez par créer votre profil de bénévole."))
            return redirect(f"{reverse('volunteers:profile')}?next={request.path}")
        return view(request, profile, *args, **kwargs)

    # functools.wraps gives the wrapper the view's signature, profile included.
    return cast("Callable[Concatenate[HttpRequest, _P], HttpResponseBase]", wrapper)


@signed_in
def profile_edit(request):
    profile = selectors.profile_for(request.user)
    creating = profile is None
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=profile, user=request.user
    )
    # As saved, measured before validation writes the form's values onto the profile.
    completion = (
        None
        if profile is None
        else profile_completion(
            profile, skill_count=form.saved_skill_count, cause_count=form.saved_cause_count
        )
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_profile_save(
                actor=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                photo=form.photo(),
                city=form.cleaned_data["city"],
                postcode=form.cleaned_data["postcode"],
                skills=form.skill_levels(),
                causes=list(form.cleaned_data["causes"]),
                **form.profile_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if creating:
                messages.success(
                    request,
                    _(
                        "Bienvenue ! Votre profil est créé : nous calculons les missions "
                        "qui vous correspondent."
                    ),
                )
                return redirect(safe_next(request, reverse("volunteers:suggestions")))
            messages.success(request, _("Votre profil est enregistré."))
            return redirect(safe_next(request, reverse("volunteers:profile")))
    return render(
        request,
        "volunteers/profile_form.html",
        {
            "form": form,
            "creating": creating,
            "next": safe_next(request, ""),
            "completion": completion,
        },
    )


@signed_in
def own_photo(request):
    """The signed-in volunteer's own photo (photos are not public files)."""
    profile = selectors.profile_for(request.user)
    if profile is None or not profile.photo:
        raise Http404
    return photo_response(profile)
