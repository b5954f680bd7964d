from django.urls import path

from . import views

app_name = "missions"
urlpatterns = [
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("<int:pk>/agenda.ics", views.mission_calendar, name="calendar"),
    path("<int:pk>/apercu.png", views.mission_preview, name="preview"),
]
