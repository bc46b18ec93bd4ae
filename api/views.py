"""The REST API (/api/v1/): thin views over the selectors; every call is audited.

Authentication, scope and rate limit come from REST_FRAMEWORK in settings, so no view can
forget them; each view writes its own audit row, like the pages do.
"""

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEvent
from audit.services import audit_record
from review.models import Program
from screening.models import CriteriaVersion

from . import serializers as S
from .selectors import intake_for_api, intakes_for_api


def api_audit(request, *, action: str = AuditEvent.Action.VIEW, object_type: str,
              object_id: object = "", intake_id: int | None = None,
              detail: dict | None = None) -> None:
    """One audit row for one API call: which token, what it read or wrote (ids only)."""
    audit_record(actor=None, action=action, object_type=object_type, object_id=object_id,
                 intake_id=intake_id, request=request,
                 detail={"api_token": request.auth.pk, **(detail or {})})


class NoStore:
    # API answers carry patient data: no cache on the way may keep them. (A comment, not a
    # docstring: drf-spectacular would print a docstring as each operation's description.)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response


class IntakePages(CursorPagination):
    """Oldest submitted first; a cursor, not a page number, so a page costs the same deep
    in the list and no intake is skipped or repeated while new ones arrive."""

    ordering = ("submitted_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IntakeList(NoStore, generics.ListAPIView):
    serializer_class = S.IntakeSummary
    pagination_class = IntakePages

    def get_queryset(self):
        filters = S.IntakeFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return intakes_for_api(filters.validated_data)

    @extend_schema(parameters=[S.IntakeFilters], summary="Intakes after submit")
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        api_audit(request, object_type="intake_list",
                  detail={"intakes": [row["id"] for row in response.data["results"]]})
        return response


class IntakeRead(NoStore, APIView):
    @extend_schema(responses=S.IntakeDetail, summary="One intake with its answers")
    def get(self, request, pk: int):
        intake = intake_for_api(pk)
        api_audit(request, object_type="intake", object_id=pk, intake_id=pk)
        return Response(S.IntakeDetail(intake).data)


class IntakeRecommendation(NoStore, APIView):
    @extend_schema(responses=S.RecommendationSerializer, summary="An intake's recommendation")
    def get(self, request, pk: int):
        intake = intake_for_api(pk)
        if intake.recommendation_or_none is None:
            raise Http404
        api_audit(request, object_type="recommendation", object_id=pk, intake_id=pk)
        return Response(S.RecommendationSerializer(intake.recommendation_or_none).data)


class IntakeDecision(NoStore, APIView):
    @extend_schema(responses=S.DecisionSerializer,
                   summary="The clinician's decision on an intake (404 until decided)")
    def get(self, request, pk: int):
        intake = intake_for_api(pk)
        if intake.decision_or_none is None:
            raise Http404
        api_audit(request, object_type="decision", object_id=pk, intake_id=pk)
        return Response(S.DecisionSerializer(intake.decision_or_none).data)


class CriteriaVersionList(NoStore, generics.ListAPIView):
    serializer_class = S.CriteriaVersionSerializer
    queryset = CriteriaVersion.objects.order_by("-created_at", "-id")
    pagination_class = None

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        api_audit(request, object_type="criteria_version_list")
        return response


class CriteriaVersionRead(NoStore, generics.RetrieveAPIView):
    serializer_class = S.CriteriaVersionSerializer
    queryset = CriteriaVersion.objects.all()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        api_audit(request, object_type="criteria_version", object_id=kwargs["pk"])
        return response


class ProgramList(NoStore, generics.ListAPIView):
    serializer_class = S.ProgramSerializer
    queryset = Program.objects.order_by("level", "name", "id")
    pagination_class = None

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        api_audit(request, object_type="program_list")
        return response


class Schema(NoStore, SpectacularAPIView):
    """The OpenAPI 3 document, behind a token like the rest (SPECTACULAR_SETTINGS says so;
    it names no patient, but it is for integrations only)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        api_audit(request, object_type="api_schema")
        return response


def schema_keep_dollar(result, generator, request, public):
    """drf-spectacular drops the "$" of FHIR's operation names from paths: put it back, so
    the document names the address that answers (/api/v1/fhir/$export)."""
    paths = result.get("paths", {})
    if "/api/v1/fhir/export" in paths:
        paths["/api/v1/fhir/$export"] = paths.pop("/api/v1/fhir/export")
    return result
