from django.urls import path

from . import views

app_name = "associations"
urlpatterns = [
    path("<slug:slug>/", views.association_detail, name="detail"),
]
