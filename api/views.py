"""The REST API's endpoints: thin interfaces over the services.

Every queryset is built from the requester's scope (``api.scope.Requester``): an
object outside it answers 404, an action the services refuse answers 403 or 409.
"""

import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from associations.models import Association
from companies import services as company_services
from companies.models import Company, CompanyMember, Programme
from matching.selectors import mission_suggestions, volunteer_suggestions
from missions import services as mission_services
from missions.models import Application, Evaluation, HoursEntry, Mission, MissionSkill
from taxonomy.models import Cause, Departement, Skill
from volunteers.models import VolunteerProfile, VolunteerSkill
from volunteers.services import PROFILE_FIELDS, volunteer_profile_save

from . import serializers as s
from .errors import ApiError, error_responses
from .filters import ApplicationFilter, HoursFilter, MissionFilter
from .idempotency import IdempotencyMixin
from .models import WebhookEndpoint
from .permissions import Authenticated, KeyScope
from .scope import Requester
from .services import (
    ImportRejected,
    import_employees,
    import_missions,
    read_rows,
    webhook_endpoint_create,
    webhook_endpoint_delete,
)

PUBLIC_MISSION_STATES = (
    Mission.State.PUBLISHED,
    Mission.State.IN_PROGRESS,
    Mission.State.COMPLETED,
)
MAX_ID = 2**62
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string: a retried POST with the same key returns the first answer.",
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The mission's current ETag, as returned by GET: refuses lost updates.",
)


class ApiViewMixin(IdempotencyMixin):
    permission_classes = [Authenticated]

    def initialize_request(self, request, *args, **kwargs):
        # /api/ is outside the language-prefixed URLs, where LocaleMiddleware falls back to
        # French: answer in the language the client asks for (Accept-Language).
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return super().initialize_request(request, *args, **kwargs)

    @property
    def requester(self) -> Requester:
        return Requester.of(self.request)

    def get_object(self):
        raw = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if not str(raw).isdigit() or int(raw) > MAX_ID:
            raise NotFound(_("Introuvable."))
        return super().get_object()


def require_key_reach(requester: Requester, *, association_id=None, company_id=None) -> None:
    """A key acts only on its own organisation's objects, whatever else its creator may do."""
    key = requester.key
    if key is None:
        return
    if (association_id and key.association_id == association_id) or (
        company_id and key.company_id == company_id
    ):
        return
    raise ApiPermissionDenied(_("Cette clé d'API ne permet pas d'agir sur cet objet."))


def refuse_keys(requester: Requester) -> None:
    if requester.key is not None:
        raise ApiPermissionDenied(
            _("Cette action se fait en son nom propre, pas avec une clé d'API.")
        )


class PublicReadMixin:
    """Lists anyone may read, signed in or not."""

    permission_classes = [KeyScope]


# --- Reference data -------------------------------------------------------------------


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


# --- Associations ---------------------------------------------------------------------


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


# --- Missions -------------------------------------------------------------------------


def mission_etag(mission: Mission) -> str:
    version = f"{mission.pk}:{mission.updated_at.isoformat()}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


MISSION_EXAMPLE = OpenApiExample(
    "A mission",
    request_only=True,
    value={
        "title": "Refonte du site web",
        "summary": "Refaire le site de l'association pour mieux accueillir les bénévoles.",
        "cause": "education",
        "location_mode": "remote",
        "effort_hours": 30,
        "seats": 1,
        "skills": [{"skill": "web-development", "min_level": 3, "importance": "required"}],
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="Search missions",
        description=(
            "Public missions (published, in progress, completed), plus every mission of "
            "your own associations. Filters mirror the search page."
        ),
        tags=["missions"],
    ),
    retrieve=extend_schema(
        summary="One mission",
        description="The `ETag` header is the version to send back in `If-Match` on update.",
        tags=["missions"],
    ),
    create=extend_schema(
        summary="Draft a mission",
        description="Creates a draft for your association; submit it for moderation next.",
        request=s.MissionWriteSerializer,
        responses={201: s.MissionSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        examples=[MISSION_EXAMPLE],
        tags=["missions"],
    ),
    update=extend_schema(
        summary="Replace a draft mission",
        request=s.MissionWriteSerializer,
        responses={200: s.MissionSerializer},
        parameters=[IF_MATCH_HEADER],
        tags=["missions"],
    ),
    partial_update=extend_schema(
        summary="Change a draft mission",
        request=s.MissionWriteSerializer,
        responses={200: s.MissionSerializer},
        parameters=[IF_MATCH_HEADER],
        tags=["missions"],
    ),
)
class MissionViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.MissionSerializer
    filterset_class = MissionFilter
    ordering_fields = ["published_at", "created_at", "application_deadline", "start_date", "title"]
    ordering = ["-created_at", "-pk"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [KeyScope()]
        return super().get_permissions()

    def get_queryset(self):
        queryset = (
            Mission.objects.select_related("association", "cause", "departement")
            .prefetch_related(
                Prefetch("skills", MissionSkill.objects.select_related("skill").order_by("pk"))
            )
            .with_taken_seats()
        )
        if self.requester.is_staff:
            return queryset
        return queryset.filter(
            Q(state__in=PUBLIC_MISSION_STATES)
            | Q(association_id__in=self.requester.association_ids)
        )

    def _fresh(self, mission_id: int) -> Mission:
        return self.get_queryset().get(pk=mission_id)

    def _respond(self, mission: Mission, status_code=status.HTTP_200_OK) -> Response:
        mission = self._fresh(mission.pk)
        response = Response(
            s.MissionSerializer(mission, context=self.get_serializer_context()).data,
            status=status_code,
        )
        response["ETag"] = mission_etag(mission)
        return response

    def retrieve(self, request, *args, **kwargs):
        mission = self.get_object()
        response = Response(self.get_serializer(mission).data)
        response["ETag"] = mission_etag(mission)
        return response

    def _own_association(self, association):
        requester = self.requester
        if not requester.association_ids and not requester.is_staff:
            raise ApiPermissionDenied(
                _("Seuls les membres d'une association peuvent créer des missions.")
            )
        if association is None:
            if len(requester.association_ids) != 1:
                raise ApiError(
                    _("Indiquez l'association (son identifiant d'URL)."),
                    code="association_required",
                )
            return Association.objects.get(pk=next(iter(requester.association_ids)))
        if association.pk not in requester.association_ids and not requester.is_staff:
            raise ApiPermissionDenied(
                _("Seuls les membres de l'association peuvent créer ses missions.")
            )
        return association

    def create(self, request, *args, **kwargs):
        serializer = s.MissionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        association = self._own_association(data.pop("association", None))
        skills = s.skills_as_tuples(data.pop("skills"))
        mission = mission_services.mission_create(
            association=association, actor=request.user, skills=skills, **data
        )
        response = self._respond(mission, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"/api/v1/missions/{mission.pk}/")
        return response

    def update(self, request, *args, **kwargs):
        from missions.outreach import EDITABLE_FIELDS, mission_update

        partial = kwargs.pop("partial", False)
        mission = self.get_object()
        require_key_reach(self.requester, association_id=mission.association_id)
        if not mission.association.has_member(request.user):
            raise ApiPermissionDenied(
                _("Seuls les membres de l'association peuvent gérer cette mission.")
            )
        expected = request.headers.get("If-Match", "").strip()
        if not expected:
            raise ApiError(
                _("Envoyez l'en-tête If-Match avec l'ETag de la mission."),
                code="precondition_required",
                status_code=428,
            )
        serializer = s.MissionWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("association", None)
        with transaction.atomic():
            current = Mission.objects.select_for_update(of=("self",)).get(pk=mission.pk)
            if expected not in ("*", mission_etag(current)):
                raise ApiError(
                    _("La mission a changé depuis votre lecture : relisez-la puis réessayez."),
                    code="precondition_failed",
                    status_code=412,
                )
            fields = {name: getattr(current, name) for name in EDITABLE_FIELDS}
            fields.update({k: v for k, v in data.items() if k in EDITABLE_FIELDS})
            if "skills" in data:
                skills = s.skills_as_tuples(data["skills"])
            else:
                skills = [
                    (row.skill, row.min_level, row.importance)
                    for row in current.skills.select_related("skill")
                ]
            mission_update(
                mission_id=current.pk,
                actor=request.user,
                skills=skills,
                city=data.get("city", current.city),
                postcode=data.get("postcode", current.postcode),
                **fields,
            )
        return self._respond(current)

    def _transition(self, service, **arguments) -> Response:
        mission = self.get_object()
        require_key_reach(self.requester, association_id=mission.association_id)
        service(mission_id=mission.pk, actor=self.request.user, **arguments)
        return self._respond(mission)

    @extend_schema(
        summary="Submit a draft for moderation",
        request=None,
        responses={200: s.MissionSerializer},
        tags=["missions"],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(mission_services.mission_submit)

    @extend_schema(
        summary="Start a published mission",
        request=None,
        responses={200: s.MissionSerializer},
        tags=["missions"],
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(mission_services.mission_start)

    @extend_schema(
        summary="Complete a mission in progress",
        request=None,
        responses={200: s.MissionSerializer},
        tags=["missions"],
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._transition(mission_services.mission_complete)

    @extend_schema(
        summary="Cancel a mission",
        description="Closes every open application on it, with the reason.",
        request=s.ReasonSerializer,
        responses={200: s.MissionSerializer},
        tags=["missions"],
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._transition(
            mission_services.mission_cancel, reason=body.validated_data["reason"]
        )

    @extend_schema(
        summary="Suggested volunteers for the mission",
        description=(
            "The mission's top volunteers, best first, each with the reasons; for the "
            "mission's association (and staff). Only volunteers whose profile is visible."
        ),
        responses={200: s.VolunteerSuggestionSerializer(many=True)},
        filters=False,
        tags=["suggestions"],
    )
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        mission = self.get_object()
        if mission.association_id not in self.requester.association_ids and not (
            self.requester.is_staff
        ):
            raise ApiPermissionDenied(_("Seule l'association de la mission voit ses suggestions."))
        suggestions = mission_suggestions(
            mission,
            VolunteerProfile.objects.select_related("user", "departement").prefetch_related(
                Prefetch("skills", VolunteerSkill.objects.select_related("skill")), "causes"
            ),
        )
        page = self.paginate_queryset(suggestions)
        data = s.VolunteerSuggestionSerializer(page, many=True).data
        return self.get_paginated_response(data)


# --- Applications, hours, evaluations -------------------------------------------------


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


BY_ASSOCIATION = {"accept", "decline", "activate", "complete", "abandon"}
BY_EMPLOYER = {"approve", "refuse"}


def _application_actions():
    def transition(name, service, body=None, summary=""):
        def view(self, request, pk=None):
            application = self.get_object()
            require_key_reach(
                self.requester,
                association_id=application.mission.association_id
                if name in BY_ASSOCIATION
                else None,
                company_id=application.volunteer.employer_id if name in BY_EMPLOYER else None,
            )
            arguments = {}
            if body is not None:
                parsed = body(data=request.data)
                parsed.is_valid(raise_exception=True)
                arguments = dict(parsed.validated_data)
            service(application_id=application.pk, actor=request.user, **arguments)
            fresh = self.get_queryset().get(pk=application.pk)
            return Response(s.ApplicationSerializer(fresh).data)

        # DRF routes an action by its function name: name it before decorating.
        view.__name__ = view.__qualname__ = name
        view = action(detail=True, methods=["post"], url_path=name)(view)
        return extend_schema(
            summary=summary,
            request=body,
            responses={200: s.ApplicationSerializer},
            tags=["applications"],
        )(view)

    ms = mission_services
    return {
        "accept": transition(
            "accept", ms.application_accept, s.MessageSerializer, "Accept (association)"
        ),
        "decline": transition(
            "decline", ms.application_decline, s.DeclineSerializer, "Decline (association)"
        ),
        "withdraw": transition(
            "withdraw", ms.application_withdraw, s.WithdrawSerializer, "Withdraw (volunteer)"
        ),
        "activate": transition(
            "activate", ms.application_activate, None, "Start the engagement (association)"
        ),
        "complete": transition(
            "complete", ms.application_complete, None, "Complete the engagement (association)"
        ),
        "abandon": transition(
            "abandon", ms.application_abandon, s.MessageSerializer, "Stop the engagement"
        ),
        "approve": transition(
            "approve",
            company_services.application_approve,
            s.ApproveSerializer,
            "Approve work time (employer)",
        ),
        "refuse": transition(
            "refuse",
            company_services.application_refuse,
            s.ReasonSerializer,
            "Refuse work time (employer)",
        ),
    }


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
    locals().update(_application_actions())

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
        if not Mission.objects.filter(pk=mission_id, state__in=PUBLIC_MISSION_STATES).exists():
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

    def _reachable(self) -> HoursEntry:
        entry = self.get_object()
        require_key_reach(self.requester, association_id=entry.application.mission.association_id)
        return entry

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
        entry = self._reachable()
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
            entry_id=self._reachable().pk, actor=request.user, reason=body.validated_data["reason"]
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


# --- Volunteers and suggestions -------------------------------------------------------


def _volunteer_queryset():
    return VolunteerProfile.objects.select_related("user", "departement").prefetch_related(
        Prefetch("skills", VolunteerSkill.objects.select_related("skill")), "causes"
    )


@extend_schema_view(
    list=extend_schema(
        summary="List volunteers",
        description=(
            "For associations: the volunteers who made their profile visible. A volunteer "
            "sees only their own profile. No e-mail addresses."
        ),
        tags=["volunteers"],
    ),
    retrieve=extend_schema(summary="One volunteer", tags=["volunteers"]),
)
class VolunteerViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.VolunteerSerializer
    ordering_fields = ["updated_at"]
    ordering = ["-updated_at", "-pk"]

    def get_queryset(self):
        requester = self.requester
        queryset = _volunteer_queryset()
        if requester.is_staff:
            return queryset
        scope = Q(pk__in=[])
        if requester.association_ids:
            scope |= Q(is_visible=True, user__is_active=True)
        if requester.volunteer is not None:
            scope |= Q(pk=requester.volunteer.pk)
        return queryset.filter(scope)

    def _me(self) -> VolunteerProfile:
        if self.requester.volunteer is None:
            raise NotFound(_("Vous n'avez pas de profil de bénévole."))
        return _volunteer_queryset().select_related("employer").get(pk=self.requester.volunteer.pk)

    @extend_schema(
        methods=["GET"],
        summary="Your own volunteer profile",
        responses={200: s.OwnVolunteerSerializer},
        filters=False,
        tags=["volunteers"],
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change your own volunteer profile",
        description=(
            "Only the fields sent change; `skills` and `causes`, when sent, replace the "
            "whole list. The place is located again from `city` and `postcode`, and your "
            "suggestions are refreshed. In your own name: not with an API key."
        ),
        request=s.VolunteerProfileWriteSerializer,
        responses={200: s.OwnVolunteerSerializer, **error_responses(404)},
        filters=False,
        tags=["volunteers"],
    )
    # JSON only: nested skills have no multipart form.
    @action(
        detail=False,
        methods=["get", "patch"],
        pagination_class=None,
        parser_classes=[JSONParser],
    )
    def me(self, request):
        if request.method == "PATCH":
            return self._change_me(request)
        return Response(s.OwnVolunteerSerializer(self._me()).data)

    def _change_me(self, request) -> Response:
        refuse_keys(self.requester)
        profile = self._me()
        body = s.VolunteerProfileWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "skills" in data:
            skills = {row["skill"].pk: row["level"] for row in data.pop("skills")}
        else:
            skills = {row.skill_id: row.level for row in profile.skills.all()}
        causes = list(data.pop("causes")) if "causes" in data else list(profile.causes.all())
        city = data.pop("city", profile.city)
        postcode = data.pop("postcode", profile.postcode)
        fields = {name: getattr(profile, name) for name in PROFILE_FIELDS}
        fields.update(data)
        volunteer_profile_save(
            actor=request.user,
            city=city,
            postcode=postcode,
            skills=skills,
            causes=causes,
            **fields,
        )
        return Response(s.OwnVolunteerSerializer(self._me()).data)

    @extend_schema(
        summary="Missions suggested to you",
        description="Your top missions, best first, each with the reasons.",
        responses={200: s.MissionSuggestionSerializer(many=True)},
        filters=False,
        tags=["suggestions"],
    )
    @action(detail=False, methods=["get"], url_path="me/suggestions")
    def my_suggestions(self, request):
        volunteer = self._me()
        suggestions = volunteer_suggestions(
            volunteer,
            Mission.objects.select_related("association", "cause", "departement").prefetch_related(
                Prefetch("skills", MissionSkill.objects.select_related("skill").order_by("pk"))
            ),
        )
        page = self.paginate_queryset(suggestions)
        context = self.get_serializer_context()
        return self.get_paginated_response(
            s.MissionSuggestionSerializer(page, many=True, context=context).data
        )


# --- Companies ------------------------------------------------------------------------


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
        from companies.reports import ReportScope, impact_report

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


# --- Webhooks and imports -------------------------------------------------------------


def organisation_from(requester: Requester, *, association: str = "", company: str = ""):
    """The organisation a call is about: the key's own, or the one named for a person."""
    if requester.key is not None:
        organisation = requester.key.organisation
        named = association or company
        if named and named != organisation.slug:
            raise ApiPermissionDenied(_("Cette clé d'API appartient à une autre organisation."))
        return organisation
    if association:
        found = Association.objects.filter(slug=association).first()
    elif company:
        found = Company.objects.filter(slug=company).first()
    else:
        raise ApiError(
            _("Indiquez l'association ou l'entreprise concernée."), code="organisation_required"
        )
    if found is None:
        raise ApiError(_("Organisation introuvable."), code="not_found", status_code=404)
    return found


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
            return queryset.filter(association_id=key.association_id, company_id=key.company_id)
        from .scope import administered_organisations

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


# --- Unknown addresses ----------------------------------------------------------------


class UnknownPathView(ApiViewMixin, APIView):
    """Any address under /api/v1/ that no endpoint answers: the API's 404, not Django's
    HTML page. Without its trailing slash, a known address is still redirected (GET),
    as ``APPEND_SLASH`` does elsewhere."""

    permission_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(_("Introuvable."))

    def dispatch(self, request, *args, **kwargs):
        path = request.path_info
        if settings.APPEND_SLASH and request.method in ("GET", "HEAD") and path[-1:] != "/":
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not type(self):
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    request.path + "/" + (f"?{query}" if query else "")
                )
        return super().dispatch(request, *args, **kwargs)
