from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Mission

PUBLIC_STATES = (Mission.State.PUBLISHED, Mission.State.IN_PROGRESS, Mission.State.COMPLETED)


def mission_list(request):
    missions = (
        Mission.objects.open_for_applications()
        .select_related("association", "cause", "departement")
        .with_taken_seats()
        .newest_first()
    )
    page = Paginator(missions, 20).get_page(request.GET.get("page"))
    return render(request, "missions/mission_list.html", {"page": page})


def mission_detail(request, pk: int):
    mission = get_object_or_404(
        Mission.objects.filter(state__in=PUBLIC_STATES)
        .select_related("association", "cause", "departement", "programme")
        .with_taken_seats(),
        pk=pk,
    )
    skills = mission.skills.select_related("skill__family").order_by("importance", "skill__name_fr")
    return render(request, "missions/mission_detail.html", {"mission": mission, "skills": skills})
