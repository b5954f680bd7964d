from django.urls import path

from . import manage_views, views

# The association's pages on its missions, in the ``asso`` namespace (composed with the
# association's own pages in probono.urls).
urlpatterns = [
    path("", manage_views.dashboard, name="dashboard"),
    path("<slug:slug>/diagnostic/", manage_views.diagnosis, name="diagnosis"),
    path("<slug:slug>/missions/nouvelle/", manage_views.mission_create, name="mission_create"),
    path("missions/<int:pk>/", manage_views.pipeline, name="mission_pipeline"),
    path("missions/<int:pk>/modifier/", manage_views.mission_edit, name="mission_edit"),
    path("missions/<int:pk>/decouper/", manage_views.mission_split, name="mission_split"),
    path(
        "missions/<int:pk>/<str:transition>/",
        manage_views.mission_transition,
        name="mission_transition",
    ),
    path(
        "missions/<int:pk>/candidats/<int:volunteer_pk>/",
        manage_views.candidate,
        name="candidate",
    ),
    path(
        "missions/<int:pk>/candidats/<int:volunteer_pk>/photo/",
        manage_views.candidate_photo,
        name="candidate_photo",
    ),
    path(
        "missions/<int:pk>/suggestions/<int:volunteer_pk>/inviter/",
        manage_views.invite,
        name="invite",
    ),
    path(
        "missions/<int:pk>/suggestions/<int:volunteer_pk>/ecarter/",
        manage_views.hide,
        name="hide",
    ),
    path(
        "missions/<int:pk>/candidatures/<int:application_pk>/accepter/",
        manage_views.accept,
        name="accept",
    ),
    path(
        "missions/<int:pk>/candidatures/<int:application_pk>/decliner/",
        manage_views.decline,
        name="decline",
    ),
    path(
        "missions/<int:pk>/candidatures/<int:application_pk>/evaluer/",
        manage_views.evaluate,
        name="evaluate",
    ),
    path(
        "missions/<int:pk>/candidatures/<int:application_pk>/temoignage/",
        manage_views.testimonial_toggle,
        name="testimonial_toggle",
    ),
    path(
        "missions/<int:pk>/heures/<int:entry_pk>/valider/",
        manage_views.hours_validate,
        name="hours_validate",
    ),
    path(
        "missions/<int:pk>/heures/<int:entry_pk>/refuser/",
        manage_views.hours_reject,
        name="hours_reject",
    ),
]


# An association's public profile, in the ``associations`` namespace.
association_urlpatterns = [
    path("<slug:slug>/", views.association_detail, name="detail"),
    path("<slug:slug>/apercu.png", views.association_preview, name="preview"),
]
