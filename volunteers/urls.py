"""The volunteer's own pages. The ``volunteers`` namespace also gathers the volunteer's
pages that live in higher apps (engagements in ``missions``, suggestions in
``matching``): ``probono.urls`` composes it."""

from django.urls import path

from . import views

urlpatterns = [
    path("profil/", views.profile_edit, name="profile"),
    path("profil/photo/", views.own_photo, name="photo"),
]
