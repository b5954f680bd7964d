"""The volunteer's pages about missions, mounted in the ``volunteers`` namespace by
``probono.urls`` (hence no ``app_name`` here)."""

from django.urls import path

from . import volunteer_views as views

urlpatterns = [
    path("favoris/", views.favourites, name="favourites"),
    path("favoris/<int:pk>/", views.favourite_toggle, name="favourite_toggle"),
    path("candidater/<int:pk>/", views.apply, name="apply"),
    path("engagements/", views.engagements, name="engagements"),
    path("engagements/<int:pk>/retrait/", views.withdraw, name="withdraw"),
    path("engagements/<int:pk>/heures/", views.log_hours, name="log_hours"),
    path("engagements/<int:pk>/evaluation/", views.evaluate, name="evaluate"),
    path("engagements/<int:pk>/temoignage/", views.testimonial, name="testimonial"),
    path("engagements/<int:pk>/attestation/", views.attestation, name="attestation"),
    path("engagements/<int:pk>/agenda.ics", views.engagement_calendar, name="engagement_calendar"),
]
