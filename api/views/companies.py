"""Companies you administer: their impact report, employees and programmes."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from companies.models import Company, CompanyMember, Programme
from companies.reports import ReportScope, impact_report

from .. import serializers as s
from ..errors import ApiError
from .base import ApiViewMixin


@extend_schema_view(
    list=extend_schema(summary="Companies you administer", tags=["companies"]),
    retrieve=extend_schema(summary="One company you administer", tags=["companies"]),
)
class CompanyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CompanySerializer
    ordering = ["name"]

    def get_queryset(self):
        queryset = Company.objects.all()
        if self.requester.is_staff:
            return queryset
        return queryset.filter(pk__in=self.requester.company_admin_ids)

    @extend_schema(
        summary="Impact report of a company you administer",
        description=(
            "Planned and validated hours, breakdowns by month, cause, skill family, "
            "association and département, participation, evaluations, valuation and the "
            "estimated tax reduction; the same figures as the reports page."
        ),
        parameters=[s.ReportQuerySerializer],
        responses={200: s.ImpactReportSerializer},
        filters=False,
        tags=["companies"],
    )
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        company = self.get_object()
        query = s.ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        default_start, default_end = company.allowance_year(timezone.localdate())
        programme = query.validated_data.get("programme")
        if programme and not company.programmes.filter(pk=programme).exists():
            raise ApiError(_("Programme introuvable."), code="not_found", status_code=404)
        scope = ReportScope(
            company=company,
            start=query.validated_data.get("start", default_start),
            end=query.validated_data.get("end", default_end),
            programme_id=programme,
        )
        if scope.end < scope.start:
            raise ApiError(_("La fin précède le début."), code="invalid")
        return Response(s.ImpactReportSerializer(impact_report(scope)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Employees of the companies you administer",
        parameters=[OpenApiParameter("company", OpenApiTypes.STR, description="Company slug.")],
        tags=["companies"],
    ),
    retrieve=extend_schema(summary="One employee", tags=["companies"]),
)
class EmployeeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.EmployeeSerializer
    ordering_fields = ["joined_at"]
    ordering = ["-joined_at", "-pk"]

    def get_queryset(self):
        queryset = CompanyMember.objects.select_related("user", "company")
        if not self.requester.is_staff:
            queryset = queryset.filter(company_id__in=self.requester.company_admin_ids)
        company = self.request.query_params.get("company")
        if company:
            queryset = queryset.filter(company__slug=company)
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Programmes of the companies you administer", tags=["companies"]),
    retrieve=extend_schema(summary="One programme", tags=["companies"]),
)
class ProgrammeViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProgrammeSerializer
    ordering_fields = ["starts_on"]
    ordering = ["-starts_on", "-pk"]

    def get_queryset(self):
        queryset = Programme.objects.select_related("company").prefetch_related(
            "causes", "departements"
        )
        if self.requester.is_staff:
            return queryset
        return queryset.filter(company_id__in=self.requester.company_admin_ids)
