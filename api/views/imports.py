"""All-or-nothing imports of draft missions and employees from CSV or XLSX."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from associations.models import Association
from companies.models import Company

from .. import serializers as s
from ..services import ImportRejected, import_employees, import_missions, read_rows
from .base import IDEMPOTENCY_HEADER, ApiViewMixin, organisation_from


def _import_rejected(message: str, rejected: ImportRejected) -> Response:
    """Nothing was imported: the error shape, plus each rejected row's errors."""
    return Response(
        {
            "code": "import_rejected",
            "message": message % {"count": len(rejected.errors)},
            "errors": {},
            "rows": [{"row": row, "errors": errors} for row, errors in rejected.errors],
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


def _imported(objects) -> Response:
    return Response(
        {"created": len(objects), "ids": [o.pk for o in objects]},
        status=status.HTTP_201_CREATED,
    )


class MissionImportView(ApiViewMixin, APIView):
    @extend_schema(
        summary="Import draft missions from CSV or XLSX (all or nothing)",
        description=(
            "Columns: `title`, `summary`, `cause` (code), `skills` (`code:level:importance` "
            "separated by `|`), and optionally every other mission field. If any row is "
            "wrong nothing is imported and the answer lists each row's errors."
        ),
        request={"multipart/form-data": s.ImportSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: s.ImportResultSerializer,
            400: OpenApiResponse(
                response=s.ImportRejectedSerializer,
                description="Nothing imported: `rows` lists each rejected row's errors.",
                examples=[
                    OpenApiExample(
                        "Rejected rows",
                        value={
                            "code": "import_rejected",
                            "message": "Aucune mission importée : 1 ligne en erreur.",
                            "errors": {},
                            "rows": [{"row": 3, "errors": {"cause": ["Objet inexistant."]}}],
                        },
                    )
                ],
            ),
        },
        tags=["imports"],
    )
    def post(self, request):
        body = s.ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        association = organisation_from(
            self.requester, association=body.validated_data.get("association", "")
        )
        if not isinstance(association, Association):
            raise ApiPermissionDenied(_("Seule une association importe des missions."))
        if association.pk not in self.requester.association_ids:
            raise ApiPermissionDenied(
                _("Seuls les membres de l'association importent ses missions.")
            )
        rows = read_rows(body.validated_data["file"])
        try:
            missions = import_missions(association=association, actor=request.user, rows=rows)
        except ImportRejected as rejected:
            return _import_rejected(
                _("Aucune mission importée : %(count)s ligne(s) en erreur."), rejected
            )
        return _imported(missions)


class EmployeeImportView(ApiViewMixin, APIView):
    @extend_schema(
        summary="Import employees from CSV or XLSX (all or nothing)",
        description=(
            "Columns: `email`, `role` (`employee`, `manager` or `programme_admin`; default "
            "`employee`), optional `allowance_hours_override`. Unknown addresses get an "
            "account and an invitation e-mail, sent only if every row passes."
        ),
        request={"multipart/form-data": s.ImportSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: s.ImportResultSerializer,
            400: OpenApiResponse(
                response=s.ImportRejectedSerializer,
                description="Nothing imported: `rows` lists each rejected row's errors.",
                examples=[
                    OpenApiExample(
                        "Rejected rows",
                        value={
                            "code": "import_rejected",
                            "message": "Aucun salarié importé : 1 ligne(s) en erreur.",
                            "errors": {},
                            "rows": [
                                {
                                    "row": 2,
                                    "errors": {"email": ["Saisissez une adresse e-mail valide."]},
                                }
                            ],
                        },
                    )
                ],
            ),
        },
        tags=["imports"],
    )
    def post(self, request):
        body = s.ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        company = organisation_from(self.requester, company=body.validated_data.get("company", ""))
        if not isinstance(company, Company):
            raise ApiPermissionDenied(_("Seule une entreprise importe des salariés."))
        if company.pk not in self.requester.company_admin_ids:
            raise ApiPermissionDenied(
                _("Seuls les responsables de l'entreprise importent ses salariés.")
            )
        rows = read_rows(body.validated_data["file"])
        try:
            members = import_employees(company=company, actor=request.user, rows=rows)
        except ImportRejected as rejected:
            return _import_rejected(
                _("Aucun salarié importé : %(count)s ligne(s) en erreur."), rejected
            )
        return _imported(members)
