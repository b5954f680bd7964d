"""The site's URLs plus views that fail on purpose, to see the error pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from probono.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied("Cette page est réservée aux membres de l'association.")


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("essai/interdit/", forbidden),
    path("essai/panne/", broken),
    *site_urlpatterns,
]
