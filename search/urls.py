from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.saved_search_list, name="list"),
    path("enregistrer/", views.saved_search_create, name="save"),
    path("<int:pk>/supprimer/", views.saved_search_delete, name="delete"),
]
