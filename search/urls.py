from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.saved_search_list, name="list"),
    path("enregistrer/", views.saved_search_create, name="save"),
    path("<int:pk>/supprimer/", views.saved_search_delete, name="delete"),
]

# The public search of missions, in the ``missions`` namespace (composed in probono.urls).
mission_urlpatterns = [
    path("", views.mission_list, name="list"),
]
