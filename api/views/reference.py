"""Reference data anyone may read: skills, causes, départements."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from taxonomy.models import Cause, Departement, Skill

from .. import serializers as s
from .base import ApiViewMixin, PublicReadMixin


@extend_schema_view(
    list=extend_schema(summary="List skills", tags=["reference"]),
    retrieve=extend_schema(summary="One skill", tags=["reference"]),
)
class SkillViewSet(PublicReadMixin, ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SkillSerializer
    lookup_field = "code"
    ordering_fields = ["code", "name_fr"]
    ordering = ["name_fr"]

    def get_object(self):
        return viewsets.ReadOnlyModelViewSet.get_object(self)

    def get_queryset(self):
        return Skill.objects.select_related("family")


@extend_schema_view(
    list=extend_schema(summary="List causes", tags=["reference"]),
    retrieve=extend_schema(summary="One cause", tags=["reference"]),
)
class CauseViewSet(PublicReadMixin, ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CauseSerializer
    lookup_field = "code"
    ordering = ["name_fr"]

    def get_object(self):
        return viewsets.ReadOnlyModelViewSet.get_object(self)

    def get_queryset(self):
        return Cause.objects.all()


@extend_schema_view(
    list=extend_schema(summary="List territories (départements)", tags=["reference"]),
    retrieve=extend_schema(summary="One département", tags=["reference"]),
)
class TerritoryViewSet(PublicReadMixin, ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TerritorySerializer
    lookup_field = "code"
    ordering = ["code"]
    pagination_class = None

    def get_object(self):
        return viewsets.ReadOnlyModelViewSet.get_object(self)

    def get_queryset(self):
        return Departement.objects.select_related("region")
