from django.urls import path

from . import page_views as views

app_name = "organisation"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:kind>/<slug:slug>/cles-api/", views.keys, name="keys"),
    path("<str:kind>/<slug:slug>/cles-api/<int:pk>/revoquer/", views.key_revoke, name="key_revoke"),
    path("<str:kind>/<slug:slug>/webhooks/", views.webhooks, name="webhooks"),
    path(
        "<str:kind>/<slug:slug>/webhooks/<int:pk>/supprimer/",
        views.webhook_delete,
        name="webhook_delete",
    ),
    path("<str:kind>/<slug:slug>/import/", views.imports, name="import"),
]
