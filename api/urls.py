from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("skills", views.SkillViewSet, basename="skill")
router.register("causes", views.CauseViewSet, basename="cause")
router.register("territories", views.TerritoryViewSet, basename="territory")
router.register("associations", views.AssociationViewSet, basename="association")
router.register("missions", views.MissionViewSet, basename="mission")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("hours", views.HoursViewSet, basename="hours")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("volunteers", views.VolunteerViewSet, basename="volunteer")
router.register("companies", views.CompanyViewSet, basename="company")
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("webhooks", views.WebhookEndpointViewSet, basename="webhook")

urlpatterns = [
    path("v1/imports/missions/", views.MissionImportView.as_view(), name="import-missions"),
    path("v1/imports/employees/", views.EmployeeImportView.as_view(), name="import-employees"),
    path("v1/me/export/", views.MyDataExportView.as_view(), name="me-export"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", views.UnknownPathView.as_view(), name="unknown"),
    path("schema/", SpectacularAPIView.as_view(urlconf=None), name="schema"),
    # Swagger UI's init script is served as a file (no inline script under the CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc injects its own style elements and searches in a blob: worker: the one page
    # whose policy allows inline styles (never inline scripts).
    path(
        "redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
]
