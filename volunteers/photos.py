"""A volunteer's photo is personal data: it is served by a view that checked who asks
(the volunteer, or an association the access rules allow), never as a public file."""

from django.http import FileResponse, Http404

from .models import VolunteerProfile


def photo_response(profile: VolunteerProfile) -> FileResponse:
    """The photo of ``profile``, kept out of shared caches."""
    if not profile.photo:
        raise Http404
    try:
        file = profile.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = "image/png" if profile.photo.name.lower().endswith(".png") else "image/jpeg"
    response = FileResponse(file, content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
