from django.db import connection
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render

from associations.models import Association
from missions.models import HoursEntry, Mission


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
