"""Associations: the verified ones, plus your own."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from associations.models import Association

from .. import serializers as s
from .base import ApiViewMixin, PublicReadMixin


@extend_schema_view(
    list=extend_schema(
        summary="List associations",
        description="Verified associations, plus your own whatever their state.",
        tags=["associations"],
    ),
    retrieve=extend_schema(summary="One association", tags=["associations"]),
)
class AssociationViewSet(PublicReadMixin, ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AssociationSerializer
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        queryset = Association.objects.select_related("departement").prefetch_related("causes")
        if self.requester.is_staff:
            return queryset
        return queryset.filter(
            Q(verification_state=Association.State.VERIFIED)
            | Q(pk__in=self.requester.association_ids)
        )
