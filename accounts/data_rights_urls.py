from django.urls import path

from . import data_rights_views as views

app_name = "my_account"
urlpatterns = [
    path("", views.my_account, name="home"),
    path("mes-donnees/", views.my_data, name="data"),
    path("mes-donnees.json", views.my_data_download, name="data_download"),
    path("supprimer/", views.delete_account, name="delete"),
    path("agenda/nouvelle-adresse/", views.calendar_feed_create, name="calendar_feed_create"),
    path("agenda/revoquer/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
]
