"""The volunteer's pages about missions: favourites, applying and the engagements
(withdrawing, logging hours, evaluating, a testimonial, the attestation). They belong
to the ``volunteers`` URL namespace, composed in ``probono.urls``.

Who may see what: every page is for the signed-in person's own favourites and
engagements; objects are looked up scoped to that person, so that another volunteer's
ids lead to a 404. Staff may also download attestations."""

from collections.abc import Callable, Sequence

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.calendars import calendar_response
from core.forms import add_service_errors
from volunteers.views import safe_next, signed_in, volunteer_required

from . import calendar, selectors, services
from .attestation import render_attestation
from .models import Application, Mission
from .outreach import testimonial_submit
from .volunteer_forms import (
    ApplyForm,
    EvaluationForm,
    HoursForm,
    TestimonialForm,
    WithdrawForm,
)

# --- Favourites -------------------------------------------------------------------------


@volunteer_required
def favourites(request, profile):
    kept = list(selectors.favourites_for(profile))
    selectors.with_taken_seats([favourite.mission for favourite in kept])
    return render(request, "volunteers/favourites.html", {"favourites": kept})


@signed_in
@require_POST
def favourite_toggle(request, pk: int):
    try:
        is_favourite = services.favourite_toggle(actor=request.user, mission_id=pk)
    except Mission.DoesNotExist as error:
        raise Http404 from error
    if request.headers.get("HX-Request"):
        return render(
            request,
            "volunteers/_favourite_button.html",
            {"mission_pk": pk, "is_favourite": is_favourite, "next": safe_next(request, "")},
        )
    if is_favourite:
        messages.success(request, _("Mission ajoutée à vos favoris."))
    else:
        messages.success(request, _("Mission retirée de vos favoris."))
    return redirect(safe_next(request, reverse("missions:detail", args=[pk])))


# --- Applying ---------------------------------------------------------------------------


@volunteer_required
def apply(request, profile, pk: int):
    mission = get_object_or_404(
        Mission.objects.public().select_related("association").with_taken_seats(),
        pk=pk,
    )
    existing = Application.objects.filter(mission=mission, volunteer=profile).first()
    form = ApplyForm(request.POST or None, employer=profile.employer)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                mission_id=mission.pk,
                volunteer=profile,
                actor=request.user,
                message=form.cleaned_data["message"],
                is_work_time=form.cleaned_data.get("time") == "work",
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "is_work_time" in error.error_dict:
                field = "time" if "time" in form.fields else None
                form.add_error(field, error.error_dict["is_work_time"])
            else:
                add_service_errors(form, error)
        else:
            if application.state == Application.State.WAITLISTED:
                messages.success(
                    request,
                    _(
                        "Vous êtes sur la liste d'attente : si une place se libère, "
                        "l'association reviendra vers vous."
                    ),
                )
            elif application.approval_state == Application.Approval.PENDING:
                messages.success(
                    request,
                    _(
                        "Candidature envoyée. Votre demande de mécénat de compétences part "
                        "aussi chez votre employeur pour accord."
                    ),
                )
            else:
                messages.success(request, _("Candidature envoyée à l'association."))
            return redirect(f"{reverse('volunteers:engagements')}#engagement-{application.pk}")
    return render(
        request,
        "volunteers/apply.html",
        {
            "mission": mission,
            "profile": profile,
            "form": form,
            "existing": existing,
            "is_open": mission.is_open_for_applications(),
            # After a POST the form stays, with the message as typed and the error.
            "show_form": form.is_bound or (existing is None and mission.is_open_for_applications()),
            "is_full": mission.free_seats == 0,
            "employer": profile.employer,
        },
    )


# --- Engagements ------------------------------------------------------------------------


def _engagements_page(request, profile, *, bound=None, alert=(), status=200):
    """The engagements page; ``bound`` = (application pk, form name, form) shows a
    submitted form with its errors in its row, ``alert`` the errors of the row itself
    (the engagement's state does not allow the action)."""
    rows = []
    for application in selectors.engagements_for(profile):
        forms = {
            "withdraw": WithdrawForm(prefix=f"w{application.pk}"),
            "hours": HoursForm(prefix=f"h{application.pk}"),
            "evaluation": EvaluationForm(prefix=f"e{application.pk}"),
            "testimonial": TestimonialForm(prefix=f"t{application.pk}"),
        }
        row = {"application": application, "forms": forms, "open_form": "", "alert": ()}
        if bound and bound[0] == application.pk:
            forms[bound[1]] = bound[2]
            row.update(open_form=bound[1], alert=alert)
        if isinstance(hours := forms["hours"], HoursForm):
            hours.limit_to(application)
        rows.append(row)
    return render(
        request,
        "volunteers/engagements.html",
        {"rows": rows, "State": Application.State, "Approval": Application.Approval},
        status=status,
    )


@volunteer_required
def engagements(request, profile):
    return _engagements_page(request, profile)


def _own_application(profile, pk: int) -> Application:
    return get_object_or_404(Application.objects.filter(volunteer=profile), pk=pk)


def _engagement_action(kind: str, form_class, act, success_message: Callable[[], str]):
    """A POST on one of the volunteer's own applications: validate, call the service,
    redirect to the row; on error, the engagements page with the form in its row."""

    @volunteer_required
    @require_POST
    def view(request, profile, pk: int):
        application = _own_application(profile, pk)
        form = form_class(request.POST, prefix=f"{kind[0]}{application.pk}")
        alert: Sequence[str] = ()
        if form.is_valid():
            try:
                act(request.user, application, form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_errors(form, error)
                else:
                    alert = error.messages
            else:
                messages.success(request, success_message())
                return redirect(f"{reverse('volunteers:engagements')}#engagement-{application.pk}")
        return _engagements_page(
            request, profile, bound=(application.pk, kind, form), alert=alert, status=400
        )

    view.__name__ = f"{kind}_view"
    return view


withdraw = _engagement_action(
    "withdraw",
    WithdrawForm,
    lambda actor, application, data: services.application_withdraw(
        application_id=application.pk,
        actor=actor,
        reason=data["reason"],
        message=data["message"],
    ),
    lambda: _("Votre candidature est retirée ; l'association en est informée."),
)

log_hours = _engagement_action(
    "hours",
    HoursForm,
    lambda actor, application, data: services.hours_log(
        application_id=application.pk,
        actor=actor,
        date=data["date"],
        hours=data["hours"],
        description=data["description"],
    ),
    lambda: _("Heures enregistrées : l'association va les valider."),
)

evaluate = _engagement_action(
    "evaluation",
    EvaluationForm,
    lambda actor, application, data: services.evaluation_submit(
        application_id=application.pk,
        actor=actor,
        rating=data["rating"],
        objectives=data["objectives"],
        skills_transferred=data["skills_transferred"],
        comment=data["comment"],
    ),
    lambda: _("Merci pour votre évaluation."),
)

testimonial = _engagement_action(
    "testimonial",
    TestimonialForm,
    lambda actor, application, data: testimonial_submit(
        application_id=application.pk, actor=actor, text=data["text"]
    ),
    lambda: _("Merci pour votre témoignage : l'association le lira avec attention."),
)


# --- Attestation ------------------------------------------------------------------------


@signed_in
def attestation(request, pk: int):
    if request.user.is_staff:
        application = get_object_or_404(
            Application.objects.select_related("mission__association", "volunteer__user"), pk=pk
        )
        mission = application.mission
        is_own = application.volunteer.user_id == request.user.pk
        if not is_own and not request.user.can_moderate_departement(
            mission.departement_id or mission.association.departement_id
        ):
            raise Http404
    else:
        application = get_object_or_404(
            Application.objects.select_related("mission__association", "volunteer__user").filter(
                volunteer__user=request.user
            ),
            pk=pk,
        )
    if application.state != Application.State.COMPLETED:
        raise Http404
    response = HttpResponse(render_attestation(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-probono-{pk}.pdf"'
    return response


# --- Calendar ---------------------------------------------------------------------------


@signed_in
def engagement_calendar(request, pk: int):
    """One of the person's own engagements as an ``.ics`` file; anyone else's is not found."""
    application = get_object_or_404(
        calendar.engagements_on_calendar(request.user).select_related("mission__association"),
        pk=pk,
    )
    event = calendar.engagement_event(application)
    if event is None:
        raise Http404
    return calendar_response(
        [event], name=application.mission.title, filename=f"engagement-{application.pk}.ics"
    )
