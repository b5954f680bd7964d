from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from associations.models import Association
from core.calendars import calendar_response
from core.previews import cached_preview

from . import access, figures, selectors, sharing
from .calendar import mission_events
from .models import Mission

# Shared links are fetched again and again by social networks: the picture's address
# changes with its version, so caches may keep one a day.
PREVIEW_MAX_AGE = 24 * 60 * 60


def mission_detail(request, pk: int):
    """A public mission page (anyone): drafts and missions never published are not found."""
    mission = get_object_or_404(
        Mission.objects.public()
        .select_related("association", "cause", "departement", "programme")
        .with_taken_seats(),
        pk=pk,
    )
    skills = mission.skills.select_related("skill__family").order_by("importance", "skill__name_fr")
    return render(
        request,
        "missions/mission_detail.html",
        {"mission": mission, "skills": skills, "share": sharing.mission_share(mission)},
    )


def _png(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={PREVIEW_MAX_AGE}"
    return response


@require_safe
def mission_preview(request, pk: int):
    """The picture shown where a public mission is shared (404 for any other mission)."""
    mission = get_object_or_404(
        Mission.objects.public().select_related("association", "departement"), pk=pk
    )
    version, drawing = sharing.mission_preview(mission)
    return _png(cached_preview(f"missions/{mission.pk}", version, drawing))


@require_safe
def association_preview(request, slug: str):
    """The picture shown where a verified association's page is shared."""
    association = get_object_or_404(
        Association.objects.verified().select_related("departement"), slug=slug
    )
    version, drawing = sharing.association_preview(association)
    return _png(cached_preview(f"associations/{association.pk}", version, drawing))


def mission_calendar(request, pk: int):
    """The mission's dates as an ``.ics`` file: for anyone when the mission is public,
    for its association and staff otherwise (404 for anyone else)."""
    mission = get_object_or_404(Mission.objects.select_related("association"), pk=pk)
    if mission.state not in Mission.PUBLIC_STATES and not access.can_manage(request.user, mission):
        raise Http404
    return calendar_response(
        mission_events(mission), name=mission.title, filename=f"mission-{mission.pk}.ics"
    )


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
            "share": sharing.association_share(association),
        },
    )
