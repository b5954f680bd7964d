"""The person calling: everything the platform holds about them (right of access)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.personal_data import export_document

from .base import ApiViewMixin, refuse_keys


class MyDataExportView(ApiViewMixin, APIView):
    @extend_schema(
        summary="Export all your personal data",
        description=(
            "Everything the platform holds about you, as one JSON document: account, "
            "volunteer profile, skills, availability, applications, hours, evaluations, "
            "messages, notifications, favourites, memberships and the audit-log entries "
            "about you. Only in your own name: API keys are refused."
        ),
        tags=["me"],
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="`sections` maps each part of your data to its rows.",
                examples=[
                    OpenApiExample(
                        "Export",
                        value={
                            "format": "probono-personal-data/1",
                            "exported_at": "2026-03-02T10:00:00+01:00",
                            "sections": {
                                "account": [{"email": "camille@example.org"}],
                                "applications": [],
                            },
                        },
                    )
                ],
            )
        },
    )
    def get(self, request):
        refuse_keys(self.requester)
        document = export_document(request.user)
        return Response(
            document,
            headers={
                "Content-Disposition": 'attachment; filename="mes-donnees-probono.json"',
                "Cache-Control": "no-store",
            },
        )
