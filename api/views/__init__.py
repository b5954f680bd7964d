"""The REST API's endpoints, one module per resource: thin interfaces over the services.

Every queryset is built from the requester's scope (``api.scope.Requester``): an
object outside it answers 404, an action the services refuse answers 403 or 409.
Who may call an endpoint, and act on the object it fetches, is declared by its
``permission_classes`` (``api.permissions``); refusals that depend on the request's
body stay in the handlers, after its validation.
"""

from .applications import ApplicationViewSet, EvaluationViewSet, HoursViewSet
from .associations import AssociationViewSet
from .companies import CompanyViewSet, EmployeeViewSet, ProgrammeViewSet
from .imports import EmployeeImportView, MissionImportView
from .me import MyDataExportView
from .missions import MissionViewSet
from .reference import CauseViewSet, SkillViewSet, TerritoryViewSet
from .unknown import UnknownPathView
from .volunteers import VolunteerViewSet
from .webhooks import WebhookEndpointViewSet

__all__ = [
    "ApplicationViewSet",
    "AssociationViewSet",
    "CauseViewSet",
    "CompanyViewSet",
    "EmployeeImportView",
    "EmployeeViewSet",
    "EvaluationViewSet",
    "HoursViewSet",
    "MissionImportView",
    "MissionViewSet",
    "MyDataExportView",
    "ProgrammeViewSet",
    "SkillViewSet",
    "TerritoryViewSet",
    "UnknownPathView",
    "VolunteerViewSet",
    "WebhookEndpointViewSet",
]
