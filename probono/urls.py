from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from companies import urls as companies_urls

from . import views

admin.site.site_header = _("Administration de probono")
admin.site.site_title = _("probono")
admin.site.index_title = _("Équipe de la plateforme")

# The platform figures for staff read every app, so they are the project's view, not the
# companies' (which may not import what sits above them); they keep the companies' URL
# namespace and path they always had.
companies_patterns = (
    [
        *companies_urls.urlpatterns,
        path("plateforme/", views.platform_figures, name="platform_figures"),
    ],
    companies_urls.app_name,
)

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("api/", include("api.urls")),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("missions/", include("missions.urls")),
    path("associations/", include("associations.urls")),
    path("association/", include("associations.space_urls")),
    path("benevole/", include("volunteers.urls")),
    path("entreprise/", include(companies_patterns)),
    path("organisation/", include("api.page_urls")),
    path("recherches/", include("search.urls")),
    path("", include("notifications.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
