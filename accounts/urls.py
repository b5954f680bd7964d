from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("nom/", views.name_edit, name="name"),
]
