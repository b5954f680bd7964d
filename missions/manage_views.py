"""The association's pages on its own missions: its board, the needs diagnosis that
drafts missions, the editor and the pipeline.

Every mission is looked up among the missions of the requester's associations, so that
another association's mission, or a guessed id, is a 404; the services check again.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations import access as association_access
from associations.diagnosis import templates_for
from associations.forms import DiagnosisForm
from core.forms import add_service_errors
from volunteers.models import VolunteerProfile
from volunteers.photos import photo_response

from . import access, outreach, selectors, services, suggestions
from .forms import (
    AcceptForm,
    DeclineForm,
    EvaluationForm,
    HoursRejectForm,
    InviteForm,
    MissionForm,
    skill_formset,
)
from .models import Application, Evaluation, HoursEntry, Invitation, Mission

SUGGESTIONS_SHOWN = 20


def _mission(request, pk: int) -> Mission:
    return get_object_or_404(
        access.manageable_by(request.user).select_related("association", "cause", "parent"),
        pk=pk,
    )


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Editor ---------------------------------------------------------------------------


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in outreach.EDITABLE_FIELDS} | {
        "city": form.cleaned_data["city"],
        "postcode": form.cleaned_data["postcode"],
    }


def _submit(request, mission: Mission) -> bool:
    try:
        services.mission_submit(mission_id=mission.pk, actor=request.user)
    except ValidationError as error:
        _refusal(request, error)
        return False
    messages.success(request, _("Mission soumise : l'équipe la relit avant de la publier."))
    return True


def _editor(request, *, association, mission=None):
    form = MissionForm(request.POST or None, instance=mission)
    skills = skill_formset(request.POST or None, mission=mission)
    # Both validated (no short-circuit): every error shows at once.
    if request.method == "POST" and form.is_valid() & skills.is_valid():
        try:
            if mission is None:
                mission = services.mission_create(
                    association=association,
                    actor=request.user,
                    skills=skills.skills(),
                    **_fields(form),
                )
            else:
                outreach.mission_update(
                    mission_id=mission.pk,
                    actor=request.user,
                    skills=skills.skills(),
                    **_fields(form),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "submit" in request.POST and _submit(request, mission):
                return redirect("asso:mission_pipeline", pk=mission.pk)
            if "submit" not in request.POST:
                messages.success(request, _("Brouillon enregistré."))
            return redirect("asso:mission_edit", pk=mission.pk)
    context = {"association": association, "mission": mission, "form": form, "skills": skills}
    if mission is not None and mission.pk:
        groups = outreach.required_skill_groups(mission)
        context |= {
            "too_wide": len(groups) > outreach.MAX_SKILL_GROUPS,
            "group_count": len(groups),
            "parts": list(mission.parts.order_by("pk")),
            "siblings": list(mission.parent.parts.exclude(pk=mission.pk).order_by("pk"))
            if mission.parent_id
            else [],
        }
    return render(request, "missions/manage/mission_form.html", context)


@login_required
def mission_create(request, slug: str):
    association = get_object_or_404(association_access.managed_by(request.user), slug=slug)
    return _editor(request, association=association)


@login_required
def mission_edit(request, pk: int):
    mission = _mission(request, pk)
    return _editor(request, association=mission.association, mission=mission)


@login_required
@require_POST
def mission_split(request, pk: int):
    mission = _mission(request, pk)
    try:
        parts = outreach.mission_split(mission_id=mission.pk, actor=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("Mission découpée : %(count)d mission(s) liée(s) créée(s), à relire.")
            % {"count": len(parts)},
        )
    return redirect(reverse("asso:mission_edit", args=[mission.pk]) + "#parts")


# --- The association's board and needs diagnosis ---------------------------------------


@login_required
def dashboard(request):
    boards = selectors.dashboard(request.user)
    if not boards:
        return redirect("asso:register")
    return render(request, "associations/dashboard.html", {"boards": boards})


@login_required
def diagnosis(request, slug: str):
    association = get_object_or_404(association_access.managed_by(request.user), slug=slug)
    form = DiagnosisForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            drafts = outreach.diagnosis_create_drafts(
                association_id=association.pk,
                actor=request.user,
                template_codes=templates_for(form.answers()),
                cause=form.cleaned_data["cause"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d brouillon(s) de mission préparé(s) : relisez-les et complétez-les.")
                % {"count": len(drafts)},
            )
            return redirect("asso:mission_edit", pk=drafts[0].pk)
    return render(
        request, "associations/diagnosis.html", {"association": association, "form": form}
    )


# --- A candidate's profile ---------------------------------------------------------------


def _candidacy(request, pk: int, volunteer_pk: int) -> access.Candidacy:
    candidacy = access.candidacy_for(request.user, mission_id=pk, volunteer_id=volunteer_pk)
    if candidacy is None:
        raise Http404
    return candidacy


@login_required
def candidate(request, pk: int, volunteer_pk: int):
    """A candidate's full profile, for the association of one of their missions."""
    candidacy = _candidacy(request, pk, volunteer_pk)
    return render(
        request,
        "missions/manage/candidate.html",
        {
            "candidacy": candidacy,
            "mission": candidacy.mission,
            "association": candidacy.mission.association,
            "volunteer": candidacy.volunteer,
            "profile": selectors.candidate_profile(candidacy.volunteer, candidacy.mission),
        },
    )


@login_required
def candidate_photo(request, pk: int, volunteer_pk: int):
    return photo_response(_candidacy(request, pk, volunteer_pk).volunteer)


# --- Pipeline -------------------------------------------------------------------------


def _pipeline(request, mission: Mission, *, bound=None, status=200):
    """The pipeline page; ``bound`` is ``(key, form)`` of an action that failed, shown
    again in place with what was typed and what is wrong."""
    is_open = mission.is_open_for_applications()
    # Only a verified association sees volunteers it could invite (volunteers.exposure).
    suggested = (
        suggestions.for_mission(mission, VolunteerProfile.objects.select_related("user"))[
            :SUGGESTIONS_SHOWN
        ]
        if mission.association.is_verified
        else []
    )
    provider = suggestions.provider()
    invited = set(
        Invitation.objects.filter(
            mission=mission, volunteer__in=[suggestion.volunteer_id for suggestion in suggested]
        ).values_list("volunteer_id", flat=True)
    )
    applications = list(
        mission.applications.select_related("volunteer__user", "testimonial")
        .annotate(
            evaluated=Exists(
                Evaluation.objects.filter(
                    application=OuterRef("pk"), side=Evaluation.Side.ASSOCIATION
                )
            )
        )
        .order_by("created_at")
    )
    hours = list(
        HoursEntry.objects.filter(application__mission=mission, state=HoursEntry.State.SUBMITTED)
        .select_related("application__volunteer__user")
        .order_by("date", "pk")
    )
    bound_key, bound_form = bound or (None, None)

    def form_for(key, form_class):
        return bound_form if key == bound_key else form_class(prefix=key)

    now = timezone.now()
    for suggestion in suggested:
        suggestion.invited = suggestion.volunteer_id in invited
        suggestion.invite_form = form_for(f"invite-{suggestion.volunteer_id}", InviteForm)
        if provider is not None:
            suggestion.hide_form = form_for(f"hide-{suggestion.volunteer_id}", provider.hide_form)
    # Rows decorated for the template (forms, flags).
    groups: dict[str, list[Any]] = {state: [] for state in Application.State.values}
    application: Any
    entry: Any
    for application in applications:
        application.is_slow = (
            application.state == Application.State.APPLIED
            and now - application.created_at > selectors.SLOW_ANSWER
        )
        application.accept_form = form_for(f"accept-{application.pk}", AcceptForm)
        application.decline_form = form_for(f"decline-{application.pk}", DeclineForm)
        application.evaluation_form = form_for(f"evaluate-{application.pk}", EvaluationForm)
        groups[application.state].append(application)
    for entry in hours:
        entry.reject_form = form_for(f"reject-{entry.pk}", HoursRejectForm)
    S = Application.State
    return render(
        request,
        "missions/manage/pipeline.html",
        {
            "mission": mission,
            "association": mission.association,
            "is_open": is_open,
            "is_full": sum(a.state in Application.SEAT_STATES for a in applications)
            >= mission.seats,
            "suggestions": suggested,
            "waiting": groups[S.APPLIED],
            "waitlisted": groups[S.WAITLISTED],
            "engaged": groups[S.ACCEPTED] + groups[S.ACTIVE],
            "completed": groups[S.COMPLETED],
            "closed": groups[S.DECLINED] + groups[S.WITHDRAWN] + groups[S.ABANDONED],
            "hours": hours,
            "can_start": Mission.states.can(mission, "start"),
            "can_complete": Mission.states.can(mission, "complete"),
        },
        status=status,
    )


@login_required
def pipeline(request, pk: int):
    return _pipeline(request, _mission(request, pk))


def _act(request, mission, key, form, call, success: str, anchor: str):
    """Run ``call(form)`` for a valid form; on refusal show the page again with the form."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(reverse("asso:mission_pipeline", args=[mission.pk]) + anchor)
    return _pipeline(request, mission, bound=(key, form), status=400)


def _application(mission, application_pk: int) -> Application:
    return get_object_or_404(mission.applications.all(), pk=application_pk)


@login_required
@require_POST
def invite(request, pk: int, volunteer_pk: int):
    mission = _mission(request, pk)
    key = f"invite-{volunteer_pk}"
    return _act(
        request,
        mission,
        key,
        InviteForm(request.POST, prefix=key),
        lambda data: outreach.invitation_send(
            mission_id=mission.pk,
            volunteer_id=volunteer_pk,
            actor=request.user,
            message=data["message"],
        ),
        _("Invitation envoyée."),
        "#suggestions",
    )


@login_required
@require_POST
def hide(request, pk: int, volunteer_pk: int):
    mission = _mission(request, pk)
    provider = suggestions.provider()
    if (
        provider is None
        or not mission.association.is_verified
        or not any(s.volunteer_id == volunteer_pk for s in suggestions.for_mission(mission))
    ):
        raise Http404
    key = f"hide-{volunteer_pk}"
    return _act(
        request,
        mission,
        key,
        provider.hide_form(request.POST, prefix=key),
        lambda data: provider.hide(
            mission_id=mission.pk,
            volunteer_id=volunteer_pk,
            actor=request.user,
            reason=data["reason"],
            comment=data["comment"],
        ),
        _("Suggestion écartée : cette personne ne sera plus proposée pour cette mission."),
        "#suggestions",
    )


@login_required
@require_POST
def accept(request, pk: int, application_pk: int):
    mission = _mission(request, pk)
    application = _application(mission, application_pk)
    key = f"accept-{application.pk}"
    return _act(
        request,
        mission,
        key,
        AcceptForm(request.POST, prefix=key),
        lambda data: services.application_accept(
            application_id=application.pk, actor=request.user, message=data["message"]
        ),
        _("Candidature acceptée : le bénévole est prévenu."),
        "#applications",
    )


@login_required
@require_POST
def decline(request, pk: int, application_pk: int):
    mission = _mission(request, pk)
    application = _application(mission, application_pk)
    key = f"decline-{application.pk}"
    return _act(
        request,
        mission,
        key,
        DeclineForm(request.POST, prefix=key),
        lambda data: services.application_decline(
            application_id=application.pk,
            actor=request.user,
            reason=data["reason"],
            message=data["message"],
        ),
        _("Candidature déclinée : le bénévole est prévenu."),
        "#applications",
    )


@login_required
@require_POST
def evaluate(request, pk: int, application_pk: int):
    mission = _mission(request, pk)
    application = _application(mission, application_pk)
    key = f"evaluate-{application.pk}"
    return _act(
        request,
        mission,
        key,
        EvaluationForm(request.POST, prefix=key),
        lambda data: services.evaluation_submit(
            application_id=application.pk, actor=request.user, **data
        ),
        _("Merci : votre évaluation est enregistrée."),
        "#completed",
    )


@login_required
@require_POST
def hours_validate(request, pk: int, entry_pk: int):
    mission = _mission(request, pk)
    entry = get_object_or_404(HoursEntry.objects.filter(application__mission=mission), pk=entry_pk)
    try:
        services.hours_validate(entry_id=entry.pk, actor=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Heures validées."))
    return redirect(reverse("asso:mission_pipeline", args=[mission.pk]) + "#hours")


@login_required
@require_POST
def hours_reject(request, pk: int, entry_pk: int):
    mission = _mission(request, pk)
    entry = get_object_or_404(HoursEntry.objects.filter(application__mission=mission), pk=entry_pk)
    key = f"reject-{entry.pk}"
    return _act(
        request,
        mission,
        key,
        HoursRejectForm(request.POST, prefix=key),
        lambda data: services.hours_reject(
            entry_id=entry.pk, actor=request.user, reason=data["reason"]
        ),
        _("Heures refusées : le bénévole voit votre motif."),
        "#hours",
    )


@login_required
@require_POST
def mission_transition(request, pk: int, transition: str):
    mission = _mission(request, pk)
    service = {"start": services.mission_start, "complete": services.mission_complete}.get(
        transition
    )
    if service is None:
        raise Http404
    if transition == "complete" and request.POST.get("confirm") != "1":
        messages.warning(request, _("Confirmez la fin de la mission : elle clôt les engagements."))
        return redirect("asso:mission_pipeline", pk=mission.pk)
    try:
        service(mission_id=mission.pk, actor=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("La mission a démarré.") if transition == "start" else _("La mission est terminée."),
        )
    return redirect("asso:mission_pipeline", pk=mission.pk)


@login_required
@require_POST
def testimonial_toggle(request, pk: int, application_pk: int):
    mission = _mission(request, pk)
    application = get_object_or_404(
        mission.applications.select_related("testimonial").filter(testimonial__isnull=False),
        pk=application_pk,
    )
    testimonial = application.testimonial
    if testimonial.is_published:
        outreach.testimonial_unpublish(testimonial_id=testimonial.pk, actor=request.user)
        messages.success(request, _("Témoignage retiré de votre page publique."))
    else:
        outreach.testimonial_publish(testimonial_id=testimonial.pk, actor=request.user)
        messages.success(request, _("Témoignage publié sur votre page publique."))
    return redirect(reverse("asso:mission_pipeline", args=[mission.pk]) + "#completed")
