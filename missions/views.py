from django.shortcuts import get_object_or_404, render

from associations.models import Association

from . import figures, selectors
from .models import Mission


def mission_detail(request, pk: int):
    """A public mission page (anyone): drafts and missions never published are not found."""
    mission = get_object_or_404(
        Mission.objects.public()
        .select_related("association", "cause", "departement", "programme")
        .with_taken_seats(),
        pk=pk,
    )
    skills = mission.skills.select_related("skill__family").order_by("importance", "skill__name_fr")
    return render(request, "missions/mission_detail.html", {"mission": mission, "skills": skills})


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
        {
            "association": association,
            "missions": missions,
            "causes": association.causes.all(),
            "responsiveness": figures.association_responsiveness(association),
            "testimonials": selectors.published_testimonials(association)[:10],
        },
    )
