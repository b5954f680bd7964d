from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/tout-lu/", views.mark_all_read, name="mark_all_read"),
    path("notifications/<int:pk>/lue/", views.mark_read, name="mark_read"),
    path("notifications/desabonnement/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("candidatures/<int:pk>/messages/", views.thread, name="thread"),
]
