from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from missions.models import Mission

from . import selectors, services
from .diagnosis import templates_for
from .forms import AssociationRegisterForm, DiagnosisForm
from .models import Association


def association_detail(request, slug: str):
    association = get_object_or_404(
        Association.objects.verified().select_related("departement__region"), slug=slug
    )
    missions = (
        Mission.objects.open_for_applications()
        .filter(association=association)
        .select_related("cause", "departement")
        .with_taken_seats()
        .newest_first()
    )
    return render(
        request,
        "associations/association_detail.html",
        {
            "association": association,
            "missions": missions,
            "causes": association.causes.all(),
            "responsiveness": selectors.responsiveness(association),
            "testimonials": selectors.published_testimonials(association)[:10],
        },
    )


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: next to the field it names, or on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def register(request):
    form = AssociationRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.association_register(user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Votre association est enregistrée : l'équipe va la vérifier."),
            )
            return redirect("asso:dashboard")
    return render(request, "associations/register.html", {"form": form})


@login_required
def dashboard(request):
    boards = selectors.dashboard(request.user)
    if not boards:
        return redirect("asso:register")
    return render(request, "associations/dashboard.html", {"boards": boards})


def _member_association(request, slug: str) -> Association:
    return get_object_or_404(selectors.member_associations(request.user), slug=slug)


@login_required
@require_POST
def resubmit(request, slug: str):
    association = _member_association(request, slug)
    try:
        services.association_resubmit(association_id=association.pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Votre demande de vérification est renvoyée à l'équipe."))
    return redirect("asso:dashboard")


@login_required
def diagnosis(request, slug: str):
    association = _member_association(request, slug)
    form = DiagnosisForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            drafts = services.diagnosis_create_drafts(
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
