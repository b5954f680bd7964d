from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from associations.models import Association
from missions.models import HoursEntry, Mission

from .platform import WINDOW
from .platform import platform_figures as compute_platform_figures


def home(request):
    open_missions = Mission.objects.open_for_applications()
    context = {
        "open_mission_count": open_missions.count(),
        "association_count": Association.objects.verified().count(),
        "hours_given": HoursEntry.objects.filter(state=HoursEntry.State.VALIDATED).aggregate(
            total=Sum("hours")
        )["total"]
        or 0,
        "latest_missions": open_missions.select_related("association", "cause", "departement")
        .with_taken_seats()
        .newest_first()[:6],
    }
    return render(request, "home.html", context)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def platform_figures(request):
    """The platform's figures across associations, missions and matching, for staff.

    No company's business, but kept at the URL and name it always had
    (``companies:platform_figures``): ``probono/urls.py`` adds it to the companies'
    URLs."""
    if not request.user.is_platform_staff:
        raise PermissionDenied(_("Cette page est réservée à l'équipe de la plateforme."))
    today = timezone.localdate()
    return render(
        request,
        "companies/platform_figures.html",
        {"figures": compute_platform_figures(today=today), "today": today, "window": WINDOW},
    )
