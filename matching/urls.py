"""Matching's pages. ``volunteer_urlpatterns`` belong to the ``volunteers`` namespace,
composed in ``probono.urls``."""

from django.urls import path

from . import views

volunteer_urlpatterns = [
    path("missions-pour-vous/", views.suggestions, name="suggestions"),
]
