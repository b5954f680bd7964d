from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import saml, views

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("test/clients", views.register_client),
    path("test/people", views.add_person),
    path("saml/metadata", saml.metadata),
    path("saml/sso", saml.single_sign_on),
    path("test/saml/certificate", saml.certificate),
    path("test/saml/service-providers", saml.register_service_provider),
]
