from django.urls import path

from . import views

app_name = "missions"
urlpatterns = [
    path("<int:pk>/", views.mission_detail, name="detail"),
]
