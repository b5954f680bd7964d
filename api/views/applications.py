"""Engagements: applications and their state changes, hours, evaluations."""

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from companies import services as company_services
from missions import services as mission_services
from missions.models import Application, Evaluation, HoursEntry, Mission

from .. import serializers as s
from ..errors import ApiError
from ..filters import ApplicationFilter, HoursFilter
from ..permissions import (
    Authenticated,
    KeyReach,
    KeyReachesApplicationAssociation,
    KeyReachesApplicationEmployer,
    KeyReachesHoursAssociation,
)
from ..scope import Requester
from .base import IDEMPOTENCY_HEADER, ApiViewMixin, refuse_keys


def _engagements_filter(requester: Requester, prefix: str = "") -> Q:
    """Applications (under ``prefix``) the requester may see."""
    scope = Q(**{f"{prefix}mission__association_id__in": requester.association_ids})
    if requester.company_approver_ids:
        scope |= Q(
            **{
                f"{prefix}is_work_time": True,
                f"{prefix}volunteer__employer_id__in": requester.company_approver_ids,
            }
        )
    if requester.key is None and requester.is_authenticated:
        scope |= Q(**{f"{prefix}volunteer__user": requester.user})
    return scope


def _visible_applications(requester: Requester):
    """The applications the requester may read (as ``GET /applications/`` lists them):
    one outside them answers 404, one inside that the services refuse answers 403."""
    if requester.is_staff:
        return Application.objects.all()
    return Application.objects.filter(_engagements_filter(requester))


# The organisation whose key may act, per state change: the mission's association, the
# volunteer's employer, or none for the volunteer's own acts.
BY_ASSOCIATION = [Authenticated, KeyReachesApplicationAssociation]
BY_EMPLOYER = [Authenticated, KeyReachesApplicationEmployer]
BY_VOLUNTEER = [Authenticated, KeyReach]


@extend_schema_view(
    list=extend_schema(
        summary="List applications",
        description=(
            "Your own applications as a volunteer, those to your associations' missions, "
            "and, for company managers, their employees' work-time engagements."
        ),
        tags=["applications"],
    ),
    retrieve=extend_schema(summary="One application", tags=["applications"]),
    create=extend_schema(
        summary="Apply to a mission (volunteer)",
        request=s.ApplicationCreateSerializer,
        responses={201: s.ApplicationSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        tags=["applications"],
    ),
)
class ApplicationViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        queryset = Application.objects.select_related("mission", "volunteer__user", "volunteer")
        if self.requester.is_staff:
            return queryset
        return queryset.filter(_engagements_filter(self.requester))

    def create(self, request, *args, **kwargs):
        body = s.ApplicationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        volunteer = self.requester.volunteer
        if volunteer is None:
            raise ApiPermissionDenied(_("Créez d'abord votre profil de bénévole."))
        mission_id = body.validated_data["mission"]
        if not Mission.objects.public().filter(pk=mission_id).exists():
            raise ApiError(_("Certaines données sont invalides."), code="invalid") from None
        application = mission_services.application_create(
            mission_id=mission_id,
            volunteer=volunteer,
            actor=request.user,
            message=body.validated_data["message"],
            is_work_time=body.validated_data["is_work_time"],
        )
        fresh = self.get_queryset().get(pk=application.pk)
        return Response(s.ApplicationSerializer(fresh).data, status=status.HTTP_201_CREATED)

    def _transition(self, service, body=None) -> Response:
        application = self.get_object()
        arguments = {}
        if body is not None:
            parsed = body(data=self.request.data)
            parsed.is_valid(raise_exception=True)
            arguments = dict(parsed.validated_data)
        service(application_id=application.pk, actor=self.request.user, **arguments)
        fresh = self.get_queryset().get(pk=application.pk)
        return Response(s.ApplicationSerializer(fresh).data)

    @extend_schema(
        summary="Accept (association)",
        request=s.MessageSerializer,
        responses={200: s.ApplicationSerializer},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"], permission_classes=BY_ASSOCIATION)
    def accept(self, request, pk=None):
        return self._transition(mission_services.application_accept, s.MessageSerializer)

    @extend_schema(
        summary="Decline (association)",
        request=s.DeclineSerializer,
        responses={200: s.ApplicationSerializer},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"], permission_classes=BY_ASSOCIATION)
    def decline(self, request, pk=None):
        return self._transition(mission_services.application_decline, s.DeclineSerializer)

    @extend_schema(
        summary="Withdraw (volunteer)",
        request=s.WithdrawSerializer,
        responses={200: s.ApplicationSerializer},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"], permission_classes=BY_VOLUNTEER)
    def withdraw(self, request, pk=None):
        return self._transition(mission_services.application_withdraw, s.WithdrawSerializer)

    @extend_schema(
        summary="Start the engagement (association)",
        request=None,
        responses={200: s.ApplicationSerializer},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"], permission_classes=BY_ASSOCIATION)
    def activate(self, request, pk=None):
        return self._transition(mission_services.application_activate)

    @extend_schema(
        summary="Complete the engagement (association)",
        request=None,
        responses={200: s.ApplicationSerializer},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"], permission_classes=BY_ASSOCIATION)
    def complete(self, request, pk=None):
        return self._transition(mission_services.application_complete)

    @extend_schema(
        summary="Stop the engagement",
        request=s.MessageSerializer,
        responses={200: s.ApplicationSerializer},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"], permission_classes=BY_ASSOCIATION)
    def abandon(self, request, pk=None):
        return self._transition(mission_services.application_abandon, s.MessageSerializer)

    @extend_schema(
        summary="Approve work time (employer)",
        request=s.ApproveSerializer,
        responses={200: s.ApplicationSerializer},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"], permission_classes=BY_EMPLOYER)
    def approve(self, request, pk=None):
        return self._transition(company_services.application_approve, s.ApproveSerializer)

    @extend_schema(
        summary="Refuse work time (employer)",
        request=s.ReasonSerializer,
        responses={200: s.ApplicationSerializer},
        tags=["applications"],
    )
    @action(detail=True, methods=["post"], permission_classes=BY_EMPLOYER)
    def refuse(self, request, pk=None):
        return self._transition(company_services.application_refuse, s.ReasonSerializer)


@extend_schema_view(
    list=extend_schema(summary="List hours entries", tags=["hours"]),
    retrieve=extend_schema(summary="One hours entry", tags=["hours"]),
    create=extend_schema(
        summary="Log hours (volunteer)",
        request=s.HoursCreateSerializer,
        responses={201: s.HoursEntrySerializer},
        parameters=[IDEMPOTENCY_HEADER],
        tags=["hours"],
    ),
)
class HoursViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.HoursEntrySerializer
    filterset_class = HoursFilter
    ordering_fields = ["date", "created_at"]
    ordering = ["-date", "-pk"]
    permission_classes = [Authenticated, KeyReachesHoursAssociation]

    def get_queryset(self):
        queryset = HoursEntry.objects.select_related("application__mission")
        if self.requester.is_staff:
            return queryset
        return queryset.filter(_engagements_filter(self.requester, "application__"))

    def create(self, request, *args, **kwargs):
        refuse_keys(self.requester)
        body = s.HoursCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        application_id = data.pop("application")
        if not _visible_applications(self.requester).filter(pk=application_id).exists():
            raise ApiError(_("Engagement introuvable."), code="not_found", status_code=404)
        entry = mission_services.hours_log(
            application_id=application_id, actor=request.user, **data
        )
        return Response(s.HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Validate hours (association)",
        request=None,
        responses={200: s.HoursEntrySerializer},
        tags=["hours"],
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        entry = self.get_object()
        entry = mission_services.hours_validate(entry_id=entry.pk, actor=request.user)
        return Response(s.HoursEntrySerializer(entry).data)

    @extend_schema(
        summary="Refuse hours (association)",
        request=s.ReasonSerializer,
        responses={200: s.HoursEntrySerializer},
        tags=["hours"],
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = mission_services.hours_reject(
            entry_id=self.get_object().pk, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(s.HoursEntrySerializer(entry).data)


@extend_schema_view(
    list=extend_schema(summary="List evaluations", tags=["evaluations"]),
    retrieve=extend_schema(summary="One evaluation", tags=["evaluations"]),
    create=extend_schema(
        summary="Evaluate a completed engagement",
        request=s.EvaluationCreateSerializer,
        responses={201: s.EvaluationSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        tags=["evaluations"],
    ),
)
class EvaluationViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.EvaluationSerializer
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        queryset = Evaluation.objects.all()
        if self.requester.is_staff:
            return queryset
        return queryset.filter(_engagements_filter(self.requester, "application__"))

    def create(self, request, *args, **kwargs):
        refuse_keys(self.requester)
        body = s.EvaluationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        application_id = data.pop("application")
        if not _visible_applications(self.requester).filter(pk=application_id).exists():
            raise ApiError(_("Engagement introuvable."), code="not_found", status_code=404)
        evaluation = mission_services.evaluation_submit(
            application_id=application_id, actor=request.user, **data
        )
        return Response(s.EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)
