"""Organisation pages: API keys, webhook endpoints and imports, for organisation admins.

An organisation someone does not administer answers 404, as an unknown one does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from associations.models import Association, AssociationMember
from companies.models import Company
from core.forms import add_service_errors

from .forms import ApiKeyForm, ImportForm, WebhookEndpointForm
from .models import ApiKey, WebhookDelivery, WebhookEndpoint
from .scope import COMPANY_ADMIN_ROLES, administered_organisations
from .services import (
    EMPLOYEE_COLUMNS,
    MISSION_COLUMNS,
    ImportRejected,
    api_key_issue,
    api_key_revoke,
    import_employees,
    import_missions,
    read_rows,
    webhook_endpoint_create,
    webhook_endpoint_delete,
)


def _organisation(request, kind: str, slug: str):
    queryset: QuerySet[Association] | QuerySet[Company]
    if kind == "association":
        queryset = Association.objects.filter(
            members__user=request.user, members__role=AssociationMember.Role.ADMIN
        )
    elif kind == "entreprise":
        queryset = Company.objects.filter(
            members__user=request.user, members__role__in=COMPANY_ADMIN_ROLES
        )
    else:
        raise Http404
    return get_object_or_404(queryset, slug=slug)


def _context(kind, organisation, current, **extra):
    return {"kind": kind, "organisation": organisation, "current": current, **extra}


@login_required
def index(request):
    organisations = administered_organisations(request.user)
    rows = [
        ("association" if isinstance(o, Association) else "entreprise", o) for o in organisations
    ]
    return render(request, "api/index.html", {"rows": rows})


@login_required
def keys(request, kind: str, slug: str):
    organisation = _organisation(request, kind, slug)
    form = ApiKeyForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = api_key_issue(
                organisation=organisation,
                actor=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiKeyForm()
    api_keys = ApiKey.objects.for_organisation(organisation).select_related("created_by")
    return render(
        request,
        "api/keys.html",
        _context(kind, organisation, "keys", form=form, api_keys=api_keys, secret=secret),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def key_revoke(request, kind: str, slug: str, pk: int):
    organisation = _organisation(request, kind, slug)
    key = get_object_or_404(ApiKey.objects.for_organisation(organisation), pk=pk)
    api_key_revoke(key_id=key.pk, actor=request.user)
    messages.success(request, _("La clé « %(name)s » est révoquée.") % {"name": key.name})
    return redirect("organisation:keys", kind=kind, slug=slug)


def _endpoints_of(organisation):
    if isinstance(organisation, Association):
        return WebhookEndpoint.objects.filter(association=organisation)
    return WebhookEndpoint.objects.filter(company=organisation)


@login_required
def webhooks(request, kind: str, slug: str):
    organisation = _organisation(request, kind, slug)
    form = WebhookEndpointForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhook_endpoint_create(
                organisation=organisation,
                actor=request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = WebhookEndpointForm()
    endpoints = list(_endpoints_of(organisation))
    deliveries = (
        WebhookDelivery.objects.filter(endpoint__in=[e.pk for e in endpoints])
        .select_related("endpoint")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "api/webhooks.html",
        _context(
            kind,
            organisation,
            "webhooks",
            form=form,
            endpoints=endpoints,
            deliveries=deliveries,
            created=created,
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def webhook_delete(request, kind: str, slug: str, pk: int):
    organisation = _organisation(request, kind, slug)
    endpoint = get_object_or_404(_endpoints_of(organisation), pk=pk)
    webhook_endpoint_delete(endpoint_id=endpoint.pk, actor=request.user)
    messages.success(
        request, _("L'adresse %(url)s ne recevra plus d'événements.") % {"url": endpoint.url}
    )
    return redirect("organisation:webhooks", kind=kind, slug=slug)


@login_required
def imports(request, kind: str, slug: str):
    organisation = _organisation(request, kind, slug)
    is_company = kind == "entreprise"
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            importer = import_employees if is_company else import_missions
            target = {"company": organisation} if is_company else {"association": organisation}
            try:
                rows = read_rows(form.cleaned_data["file"])
                created = importer(actor=request.user, rows=rows, **target)
            except ImportRejected as error:
                rejected = error.errors
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                count = len(created)
                if is_company:
                    message = ngettext(
                        "%(count)s salarié importé.", "%(count)s salariés importés.", count
                    )
                else:
                    message = ngettext(
                        "%(count)s mission importée en brouillon.",
                        "%(count)s missions importées en brouillon.",
                        count,
                    )
                messages.success(request, message % {"count": count})
                return redirect(reverse("organisation:import", kwargs={"kind": kind, "slug": slug}))
    return render(
        request,
        "api/import.html",
        _context(
            kind,
            organisation,
            "import",
            form=form,
            rejected=rejected,
            columns=EMPLOYEE_COLUMNS if is_company else MISSION_COLUMNS,
        ),
        status=status,
    )
