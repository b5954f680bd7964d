from django.urls import path

from . import views

# The association's pages about itself, in the ``asso`` namespace; its pages about its
# missions are in ``missions.manage_urls`` (both composed in probono.urls).
urlpatterns = [
    path("inscription/", views.register, name="register"),
    path("<slug:slug>/reverification/", views.resubmit, name="resubmit"),
]
