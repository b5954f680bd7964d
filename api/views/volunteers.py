"""Volunteers: visible profiles, your own profile, missions suggested to you."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from matching.selectors import volunteer_suggestions
from missions.models import Application, Mission, MissionSkill
from volunteers.models import VolunteerProfile, VolunteerSkill
from volunteers.services import PROFILE_FIELDS, volunteer_profile_save

from .. import serializers as s
from ..errors import error_responses
from .base import ApiViewMixin, refuse_keys


def _volunteer_queryset():
    return VolunteerProfile.objects.select_related("user", "departement").prefetch_related(
        Prefetch("skills", VolunteerSkill.objects.select_related("skill")), "causes"
    )


@extend_schema_view(
    list=extend_schema(
        summary="List volunteers",
        description=(
            "For verified associations: the volunteers who made their profile visible, and "
            "those who applied to their missions, with only what a matching decision needs "
            "(first name and initial until they apply; never an e-mail address). A member "
            "of an association not yet verified is refused (403). A volunteer sees only "
            "their own profile."
        ),
        responses={200: s.VolunteerSerializer(many=True), **error_responses(403)},
        tags=["volunteers"],
    ),
    retrieve=extend_schema(summary="One volunteer", tags=["volunteers"]),
)
class VolunteerViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.VolunteerSerializer
    ordering_fields = ["updated_at"]
    ordering = ["-updated_at", "-pk"]

    def get_serializer_class(self):
        if self.requester.is_staff:
            return s.StaffVolunteerSerializer
        return s.VolunteerSerializer

    def get_queryset(self):
        requester = self.requester
        queryset = _volunteer_queryset()
        if requester.is_staff:
            return queryset
        scope = Q(pk__in=[])
        verified = requester.verified_association_ids
        if verified:
            applied = Application.objects.filter(
                volunteer=OuterRef("pk"), mission__association__in=verified
            )
            queryset = queryset.annotate(applied_to_reader=Exists(applied))
            scope |= Q(is_visible=True, user__is_active=True) | Q(applied_to_reader=True)
        if requester.volunteer is not None:
            scope |= Q(pk=requester.volunteer.pk)
        return queryset.filter(scope)

    def list(self, request, *args, **kwargs):
        requester = self.requester
        if not (
            requester.is_staff
            or requester.verified_association_ids
            or requester.volunteer is not None
        ):
            raise PermissionDenied(
                _("Seules les associations vérifiées consultent les profils des bénévoles.")
            )
        return super().list(request, *args, **kwargs)

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
        # The stubs take a queryset only; DRF pages any sequence.
        page = self.paginate_queryset(suggestions)  # type: ignore[arg-type]
        context = self.get_serializer_context()
        return self.get_paginated_response(
            s.MissionSuggestionSerializer(page, many=True, context=context).data
        )
