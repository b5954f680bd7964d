from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from associations import space_urls as association_space_urls
from companies import sso_views
from companies import urls as companies_urls
from matching import urls as matching_urls
from missions import manage_urls as mission_manage_urls
from missions import urls as mission_urls
from missions import volunteer_urls as missions_volunteer_urls
from search import urls as search_urls
from volunteers import urls as volunteers_urls

from . import calendar_views, views
from .metrics import metrics_view

admin.site.site_header = _("Administration de probono")
# Staff sign in through the site's own login (password, then the two-factor code), never
# through the admin's password-only form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_title = _("probono")
admin.site.index_title = _("Équipe de la plateforme")

# The volunteer's space spans several apps: each page lives in the lowest app that holds
# what it shows (the profile in volunteers, engagements in missions, suggestions in
# matching), under one namespace.
volunteer_space = (
    volunteers_urls.urlpatterns
    + missions_volunteer_urls.urlpatterns
    + matching_urls.volunteer_urlpatterns
)

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

handler500 = "probono.views.server_error"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/", include("api.urls")),
    # Polled by calendar software, in no language of the site's: the person's own.
    path("agenda/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("comptes/", include("accounts.urls")),
    # Before allauth's own, at the same address: see the view.
    path(
        "comptes/saml/<str:organization_slug>/acs/finish/",
        sso_views.saml_finish_acs,
        name="company_saml_finish_acs",
    ),
    path("comptes/", include("allauth.urls")),
    path("informations-legales/", include("legal.urls")),
    path("mon-compte/", include("accounts.data_rights_urls")),
    # A namespace may gather the pages of several apps: each page lives in the lowest app
    # that holds all it shows (see "A tour of the code" in the README).
    path(
        "missions/",
        include((search_urls.mission_urlpatterns + mission_urls.urlpatterns, "missions")),
    ),
    path("associations/", include((mission_manage_urls.association_urlpatterns, "associations"))),
    path(
        "association/",
        include(
            (association_space_urls.urlpatterns + mission_manage_urls.urlpatterns, "asso"),
        ),
    ),
    path("benevole/", include((volunteer_space, "volunteers"))),
    path("entreprise/", include(companies_patterns)),
    path("organisation/", include("api.page_urls")),
    path("recherches/", include("search.urls")),
    path("", include("notifications.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
