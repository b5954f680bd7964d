"""Webhook endpoints of your organisations, and their recent deliveries."""

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from associations.models import Association
from companies.models import Company

from .. import serializers as s
from ..models import WebhookEndpoint
from ..scope import administered_organisations
from ..services import webhook_endpoint_create, webhook_endpoint_delete
from .base import IDEMPOTENCY_HEADER, ApiViewMixin, organisation_from


@extend_schema_view(
    list=extend_schema(summary="Your organisations' webhook endpoints", tags=["webhooks"]),
    retrieve=extend_schema(summary="One webhook endpoint", tags=["webhooks"]),
    create=extend_schema(
        summary="Register a webhook endpoint",
        description=(
            "Events: `mission.published`, `application.created`, "
            "`application.state_changed`, `hours.validated`. The response holds the "
            "signing `secret`, shown once."
        ),
        request=s.WebhookEndpointSerializer,
        parameters=[
            IDEMPOTENCY_HEADER,
            OpenApiParameter("association", OpenApiTypes.STR, description="Association slug."),
            OpenApiParameter("company", OpenApiTypes.STR, description="Company slug."),
        ],
        responses={201: s.WebhookEndpointCreatedSerializer},
        tags=["webhooks"],
    ),
    destroy=extend_schema(summary="Remove a webhook endpoint", tags=["webhooks"]),
)
class WebhookEndpointViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.WebhookEndpointSerializer
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        requester = self.requester
        queryset = WebhookEndpoint.objects.select_related("association", "company")
        if requester.is_staff:
            return queryset
        if requester.key is not None:
            key = requester.key
            # An exact lookup on None is IS NULL, which the plugin does not allow for.
            return queryset.filter(  # type: ignore[misc]
                association_id=key.association_id, company_id=key.company_id
            )
        owned = administered_organisations(requester.user)
        return queryset.filter(
            Q(association_id__in=[o.pk for o in owned if isinstance(o, Association)])
            | Q(company_id__in=[o.pk for o in owned if isinstance(o, Company)])
        )

    def create(self, request, *args, **kwargs):
        body = s.WebhookEndpointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = organisation_from(
            self.requester,
            association=request.query_params.get("association", ""),
            company=request.query_params.get("company", ""),
        )
        endpoint = webhook_endpoint_create(
            organisation=organisation,
            actor=request.user,
            url=body.validated_data["url"],
            events=body.validated_data["events"],
        )
        data = s.WebhookEndpointCreatedSerializer(endpoint).data
        return Response(data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        webhook_endpoint_delete(endpoint_id=self.get_object().pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Recent deliveries to this endpoint",
        responses={200: s.WebhookDeliverySerializer(many=True)},
        filters=False,
        tags=["webhooks"],
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        page = self.paginate_queryset(endpoint.deliveries.order_by("-created_at", "-pk"))
        return self.get_paginated_response(s.WebhookDeliverySerializer(page, many=True).data)
