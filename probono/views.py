import logging

from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults

from associations.models import Association
from core import outbox
from core.cache import cache_status
from core.models import OutboxMessage
from missions.models import HoursEntry, Mission

from .celery import app
from .platform import WINDOW
from .platform import platform_figures as compute_platform_figures

logger = logging.getLogger(__name__)


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


def _broker_status() -> str:
    if app.conf.task_always_eager:
        return "in-process"
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception:
        logger.warning("Broker unreachable", exc_info=True)
        return "unreachable"
    return "ok"


def healthz(request):
    """For load balancers and monitoring: JSON, 200 while the database answers (with
    "degraded" when Redis does not: the site works, side effects wait in the outbox),
    503 when the database does not."""
    body: dict = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = OutboxMessage.objects.pending()
        body["outbox"] = {
            "pending": pending.count(),
            "oldest_pending_seconds": outbox.oldest_pending_age(),
            "abandoned": OutboxMessage.objects.filter(
                delivered_at__isnull=True, abandoned_at__isnull=False
            ).count(),
        }
        body["database"] = "ok"
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        body["database"] = "unreachable"
    body["cache"] = cache_status(caches["default"])
    body["broker"] = _broker_status()
    if body["database"] != "ok":
        body["status"] = "down"
        return JsonResponse(body, status=503)
    if "unreachable" in (body["cache"], body["broker"]):
        body["status"] = "degraded"
    return JsonResponse(body)


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


def server_error(request):
    """A 500 in the API's JSON error shape under /api/ (an error outside its views, e.g.
    in a middleware), the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": "server_error",
                "message": _("Erreur interne : l'équipe de la plateforme est prévenue."),
                "errors": {},
            },
            status=500,
        )
    return defaults.server_error(request)
