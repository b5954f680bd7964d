from django.shortcuts import get_object_or_404, render

from missions.models import Mission

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
        {"association": association, "missions": missions, "causes": association.causes.all()},
    )
