"""The legal pages, at stable addresses, and the page asking to accept a new version."""

from allauth.account.adapter import get_adapter
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import markup, selectors, services
from .forms import AcceptForm
from .models import DocumentKind


def client_ip(request) -> str | None:
    """The person's address as allauth reads it (behind the configured proxies)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def document(request, kind: str):
    current = selectors.current_document(kind)
    if current is None:
        raise Http404
    return render(
        request,
        "legal/document.html",
        {
            "document": current,
            "title": DocumentKind(kind).label,
            "body": markup.render(current.body()),
        },
    )


@login_required
def accept(request):
    pending = selectors.documents_to_accept(request.user)
    if not pending:
        return redirect(_next(request))
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.consent_record(user=request.user, documents=pending, ip_address=client_ip(request))
        return redirect(_next(request))
    return render(
        request,
        "legal/accept.html",
        {"documents": pending, "form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )
