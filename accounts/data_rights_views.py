"""The person's account page: see and download their data, delete their account."""

import datetime
import json
import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.calendars import webcal_url
from core.forms import add_service_errors
from core.links import absolute_url

from . import services
from .erasure import account_delete, deletion_refusals
from .models import CalendarFeed
from .personal_data import collect, export_document

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class AccountDeletionForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Pour confirmer que c'est bien vous."),
        error_messages={
            "required": gettext_lazy("Saisissez votre mot de passe pour supprimer votre compte.")
        },
    )


# The new calendar address waits here between the POST that made it and the page that
# shows it, once.
NEW_FEED_SESSION_KEY = "calendar_feed_token"


@login_required
@require_GET
def my_account(request):
    token = request.session.pop(NEW_FEED_SESSION_KEY, None)
    feed_url = ""
    if token:
        feed_url = absolute_url(reverse("calendar_feed", kwargs={"token": token}))
    return render(
        request,
        "accounts/my_account.html",
        {
            "calendar_feed": CalendarFeed.objects.filter(user=request.user).first(),
            "new_feed_url": feed_url,
            "new_feed_webcal": webcal_url(feed_url) if feed_url else "",
        },
    )


@login_required
@require_POST
def calendar_feed_create(request):
    """Make (or make again) the person's secret calendar address."""
    request.session[NEW_FEED_SESSION_KEY] = services.calendar_feed_create(user=request.user)
    messages.success(
        request,
        _(
            "Votre adresse d'agenda est prête : copiez-la maintenant, elle ne sera plus "
            "affichée. Toute adresse précédente ne fonctionne plus."
        ),
    )
    return redirect(reverse("my_account:home") + "#account-calendar")


@login_required
@require_POST
def calendar_feed_revoke(request):
    """Stop the person's calendar address: it answers 404 from now on."""
    if services.calendar_feed_revoke(user=request.user):
        messages.success(
            request, _("Votre adresse d'agenda est révoquée : elle ne donne plus rien.")
        )
    return redirect(reverse("my_account:home") + "#account-calendar")


def _shown(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, str) and ISO_DATETIME.match(value):
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if value is True:
        return _("Oui")
    if value is False:
        return _("Non")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@login_required
@require_GET
def my_data(request):
    sections = [
        {
            "key": part.key,
            "title": part.title,
            "rows": [
                [(label, _shown(part.label(key, row.get(key)))) for key, label in part.columns]
                for row in part.rows
            ],
        }
        for part in collect(request.user)
    ]
    return render(request, "accounts/my_data.html", {"sections": sections})


@login_required
@require_GET
def my_data_download(request):
    document = export_document(request.user)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-probono.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = AccountDeletionForm(request.POST or None)
    refusals = deletion_refusals(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Votre compte a été supprimé : votre nom, votre adresse e-mail, votre "
                    "profil et vos messages ont été effacés."
                ),
            )
            return redirect("home")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "refusals": refusals},
        status=status,
    )
