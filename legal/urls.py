from django.urls import path

from . import views
from .models import SLUGS

app_name = "legal"

urlpatterns = [
    *(path(f"{slug}/", views.document, {"kind": kind}, name=kind) for kind, slug in SLUGS.items()),
    path("accepter/", views.accept, name="accept"),
]
