"""Missions: search, drafts and their versions (ETag), state changes, suggested volunteers."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from associations.models import Association
from matching.selectors import mission_suggestions
from missions import services as mission_services
from missions.models import Mission, MissionSkill
from missions.outreach import EDITABLE_FIELDS, MissionChanged, mission_etag, mission_update
from taxonomy.choices import LocationMode
from taxonomy.selectors import reference_lists
from volunteers.models import VolunteerProfile, VolunteerSkill

from .. import serializers as s
from ..errors import ApiError
from ..filters import MissionFilter
from ..permissions import (
    Authenticated,
    KeyReachesMission,
    MissionAssociationSuggestions,
    MissionMembersEdit,
    PublicListAndDetail,
)
from ..scope import documents_in_reach, missions_in_reach
from .base import IDEMPOTENCY_HEADER, ApiViewMixin

IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The mission's current ETag, as returned by GET: refuses lost updates.",
)


class ReachFilterBackend(DjangoFilterBackend):
    """The filters, told which missions' search documents the requester may reach."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        return {**kwargs, "documents": documents_in_reach(view.requester)}


class RelevanceOrderingFilter(OrderingFilter):
    """``?ordering=`` as usual, ties broken by id (pages then never repeat nor skip a
    mission); without it, words (``q``) keep the search's best-first order instead of the
    view's default one."""

    def filter_queryset(self, request, queryset, view):
        if not isinstance(queryset, QuerySet):
            return queryset  # the search's results, best first (see MissionFilter)
        return super().filter_queryset(request, queryset, view)

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if ordering and not {"pk", "-pk", "id", "-id"} & set(ordering):
            ordering.append("-pk")
        return ordering


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
            "your own associations. The filters are the search page's, with the same names "
            "(older names work as aliases: `city` for `near`, `radius` for `within_km`, "
            "`skills`, `formats`, `location_modes`), and `q` is the page's search. "
            "Facet counts: `GET /api/v1/missions/facets/` with the same filters."
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
    filter_backends = [ReachFilterBackend, RelevanceOrderingFilter]
    ordering_fields = ["published_at", "created_at", "application_deadline", "start_date", "title"]
    ordering = ["-created_at", "-pk"]
    # In this order: a key acting beyond its organisation is refused before a non-member.
    permission_classes = [PublicListAndDetail, KeyReachesMission, MissionMembersEdit]

    def get_queryset(self):
        return self._in_scope(
            Mission.objects.select_related("association", "cause", "departement")
            .prefetch_related(
                Prefetch("skills", MissionSkill.objects.select_related("skill").order_by("pk"))
            )
            .with_taken_seats()
        )

    def _in_scope(self, queryset):
        return missions_in_reach(self.requester, queryset)

    @extend_schema(
        summary="Facet counts of a mission search",
        description=(
            "For the same filters as the list: how many missions each cause, format, "
            "département and location mode would find, that filter set aside and the "
            "others as they are (values with no mission are left out; most first). "
            "`count` is how many missions the filters find."
        ),
        responses={200: s.MissionFacetsSerializer},
        filters=True,
        tags=["missions"],
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def facets(self, request):
        filterset = MissionFilter(
            request.query_params,
            queryset=Mission.objects.all(),
            documents=documents_in_reach(self.requester),
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        search = filterset.search(self._in_scope(Mission.objects.all()))
        counts = search.facets()
        references = reference_lists()
        labels: dict[str, dict[str, tuple[str, Any]]] = {
            "cause": {str(c.pk): (c.code, c.name) for c in references.causes},
            "departement": {str(d.pk): (d.code, d.name) for d in references.departements},
            "format": {value: (value, label) for value, label in Mission.Format.choices},
            "location_mode": {value: (value, label) for value, label in LocationMode.choices},
        }
        body: dict[str, Any] = {"count": search.count()}
        for name, values in counts.items():
            rows = [
                {"value": labels[name][key][0], "name": str(labels[name][key][1]), "count": n}
                for key, n in values.items()
                if key in labels[name]
            ]
            body[name] = sorted(rows, key=lambda row: (-row["count"], row["name"]))
        return Response(s.MissionFacetsSerializer(body).data)

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
        partial = kwargs.pop("partial", False)
        mission = self.get_object()
        if_match = request.headers.get("If-Match", "").strip()
        if not if_match:
            raise ApiError(
                _("Envoyez l'en-tête If-Match avec l'ETag de la mission."),
                code="precondition_required",
                status_code=428,
            )
        serializer = s.MissionWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            mission_update(
                mission_id=mission.pk,
                actor=request.user,
                # "*": whatever the current version (RFC 9110).
                expected_etag=None if if_match == "*" else if_match,
                skills=s.skills_as_tuples(data["skills"]) if "skills" in data else None,
                city=data.get("city"),
                postcode=data.get("postcode"),
                **{name: value for name, value in data.items() if name in EDITABLE_FIELDS},
            )
        except MissionChanged:
            raise ApiError(
                _("La mission a changé depuis votre lecture : relisez-la puis réessayez."),
                code="precondition_failed",
                status_code=412,
            ) from None
        return self._respond(mission)

    def _transition(self, service, **arguments) -> Response:
        mission = self.get_object()
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
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[Authenticated, MissionAssociationSuggestions],
    )
    def suggestions(self, request, pk=None):
        mission = self.get_object()
        suggestions = mission_suggestions(
            mission,
            VolunteerProfile.objects.select_related("user", "departement").prefetch_related(
                Prefetch("skills", VolunteerSkill.objects.select_related("skill")), "causes"
            ),
        )
        # The stubs take a queryset only; DRF pages any sequence.
        page = self.paginate_queryset(suggestions)  # type: ignore[arg-type]
        data = s.VolunteerSuggestionSerializer(page, many=True).data
        return self.get_paginated_response(data)
