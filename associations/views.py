"""The association's own pages about itself: registering it and asking for its
verification again. Its pages about its missions are in ``missions.manage_views``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from . import access, services
from .forms import AssociationRegisterForm
from .models import Association


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


def _member_association(request, slug: str) -> Association:
    return get_object_or_404(access.managed_by(request.user), slug=slug)


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
