"""Notification list, e-mail preferences and the message thread of an application.

Who may see what: a signed-in person sees and marks only their own notifications and
preferences; an application's thread is read by its applicant, the members of the
mission's association and staff of its territory (everyone else gets a 404), and
written by the first two only."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors

from . import services, unsubscribe
from .forms import MessageForm, PreferencesForm
from .models import Notification, NotificationPreference
from .wording import word

PAGE_SIZE = 25
# LOGIN_URL is not set project-wide: send people to allauth's login page.
signed_in = login_required(login_url="account_login")


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _item(notification: Notification, language: str) -> dict:
    return {
        "notification": notification,
        "wording": word(notification.kind, notification.context),
        "url": services.localized_url(notification.url, language) if notification.url else "",
    }


def _list_context(request) -> dict:
    notifications = Notification.objects.filter(recipient=request.user).order_by(
        "-created_at", "-pk"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    return {"page": page, "items": [_item(n, language) for n in page]}


@signed_in
def notification_list(request):
    return render(request, "notifications/notification_list.html", _list_context(request))


def _back_to_list(request):
    url = reverse("notifications:list")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@signed_in
@require_POST
def mark_read(request, pk: int):
    try:
        notification = services.notification_mark_read(notification_id=pk, actor=request.user)
    except Notification.DoesNotExist as error:
        raise Http404 from error
    if _is_htmx(request):
        return render(
            request,
            "notifications/_mark_read_response.html",
            {"item": _item(notification, get_language()), "focus": True},
        )
    messages.success(request, _("Notification marquée comme lue."))
    return _back_to_list(request)


@signed_in
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if _is_htmx(request):
        return render(
            request,
            "notifications/_mark_all_read_response.html",
            {**_list_context(request), "status": _("Toutes les notifications sont lues.")},
        )
    if count:
        messages.success(request, _("Toutes les notifications sont lues."))
    return _back_to_list(request)


@signed_in
@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = services.preferences_for(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                services.preferences_update(
                    actor=request.user,
                    email_frequency=form.cleaned_data["email_frequency"],
                    emailed_kinds=form.cleaned_data["emailed_kinds"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Vos préférences sont enregistrées."))
                return redirect("notifications:preferences")
    else:
        form = PreferencesForm(
            initial={
                "email_frequency": preference.email_frequency,
                "emailed_kinds": [
                    str(kind)
                    for kind in NotificationPreference.emailable_kinds()
                    if kind not in preference.muted_kinds
                ],
            }
        )
    return render(request, "notifications/preferences.html", {"form": form})


@signed_in
@require_http_methods(["GET", "POST"])
def thread(request, pk: int):
    application = get_object_or_404(
        services.threads_visible_to(request.user).select_related(
            "mission__association", "volunteer__user"
        ),
        pk=pk,
    )
    side = services.thread_side(application, request.user)
    form = MessageForm()
    if request.method == "POST":
        if not side:
            raise PermissionDenied(
                _("L'équipe de la plateforme lit cette conversation sans y écrire.")
            )
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.message_post(
                    application_id=application.pk,
                    actor=request.user,
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if not _is_htmx(request):
                    messages.success(request, _("Votre message est envoyé."))
                return redirect(
                    reverse("notifications:thread", args=[application.pk]) + "#conversation"
                )
    thread_messages = list(application.messages.select_related("author"))
    volunteer_user_id = application.volunteer.user_id
    message: Any  # decorated for the template (side, is_new)
    for message in thread_messages:
        message.side = "volunteer" if message.author_id == volunteer_user_id else "association"
        # New to the reader: from the other side and not read before this visit.
        message.is_new = bool(side) and message.side != side and message.read_at is None
    if request.method == "GET":
        services.thread_mark_read(application=application, reader=request.user, side=side)
    return render(
        request,
        "notifications/thread.html",
        {
            "application": application,
            "mission": application.mission,
            "side": side,
            "thread_messages": thread_messages,
            "form": form,
        },
    )


# No sign-in and no CSRF token: the signed link is the authority, and mail clients POST
# "List-Unsubscribe=One-Click" to it on their own (RFC 8058). GET only asks (link
# checkers and mail scanners open links); POST, from the page or the client, acts.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token: str):
    found = unsubscribe.read_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    context = {
        "digest": found.what == unsubscribe.DIGEST,
        "kind": "" if found.what == unsubscribe.DIGEST else Notification.Kind(found.what).label,
    }
    if request.method == "POST":
        services.preferences_unsubscribe(user_id=found.user_id, what=found.what)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
