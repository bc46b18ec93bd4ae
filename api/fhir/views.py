"""FHIR R4 over the API: read one resource, bulk-export a date range, import a response.

Same tokens, scopes, rate limit and audit as the REST API; bodies are
`application/fhir+json`, errors are OperationOutcomes naming the element at fault.
"""

from datetime import date, datetime, time

import orjson
from django.http import Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from audit.models import AuditEvent
from intake.models import Intake
from screening.engine import catalogue as C

from ..views import NoStore, api_audit
from .importing import ResponseRefused, questionnaire_response_import
from .questionnaire import questionnaire_resource
from .resources import (
    intake_resources,
    observation_resources,
    patient_resource,
    questionnaire_response_resource,
    risk_assessment_resource,
)

FHIR_JSON = "application/fhir+json"
EXPORT_CHUNK = 500


class FhirRenderer(renderers.JSONRenderer):
    media_type = FHIR_JSON
    format = "fhir"


class FhirParser(parsers.JSONParser):
    media_type = FHIR_JSON


def operation_outcome(message: str, *, code: str = "invalid", where: str = "") -> dict:
    issue = {"severity": "error", "code": code, "diagnostics": message}
    if where:
        issue["expression"] = [where]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


class FhirView(NoStore, APIView):
    renderer_classes = [FhirRenderer, renderers.JSONRenderer]
    parser_classes = [FhirParser, parsers.JSONParser]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        detail = _words(response.data)
        code = {401: "login", 403: "forbidden", 404: "not-found", 429: "throttled"}.get(
            response.status_code, "invalid")
        response.data = operation_outcome(str(detail) or "Refused.", code=code)
        return response


def _words(data) -> str:
    """DRF's error data (a detail, a list, or fields with lists) as one sentence."""
    if isinstance(data, dict):
        if "detail" in data:
            return str(data["detail"])
        return " ".join(f"{name}: {_words(value)}" for name, value in data.items())
    if isinstance(data, list):
        return " ".join(_words(value) for value in data)
    return str(data or "")


def _submitted(pk: int) -> Intake:
    intake = (Intake.objects.exclude(status=Intake.Status.DRAFT)
              .select_related("recommendation__criteria_version").filter(pk=pk).first())
    if intake is None:
        raise Http404
    return intake


class QuestionnaireRead(FhirView):
    @extend_schema(summary="A questionnaire version as a FHIR R4 Questionnaire",
                   responses={(200, FHIR_JSON): OpenApiTypes.OBJECT})
    def get(self, request, version: str):
        if version not in C.QUESTIONNAIRE_VERSIONS:
            raise Http404
        api_audit(request, object_type="questionnaire", object_id=version)
        return Response(questionnaire_resource(version))


class QuestionnaireResponses(FhirView):
    @extend_schema(
        summary="Screen a QuestionnaireResponse for the current questionnaire like a web "
                "intake (read-and-write token)",
        request={FHIR_JSON: OpenApiTypes.OBJECT},
        responses={(201, FHIR_JSON): OpenApiTypes.OBJECT,
                   (400, FHIR_JSON): OpenApiResponse(description="OperationOutcome naming "
                                                                 "the item at fault")})
    def post(self, request):
        try:
            intake = questionnaire_response_import(response=request.data, request=request)
        except ResponseRefused as refused:
            return Response(operation_outcome(f"{refused.item}: {refused.message}",
                                              where=refused.item), status=refused.status)
        intake = _submitted(intake.pk)
        api_audit(request, action=AuditEvent.Action.CREATE, object_type="intake",
                  object_id=intake.pk, intake_id=intake.pk, detail={"via": "fhir_import"})
        response = Response(questionnaire_response_resource(intake), status=201)
        response["Location"] = request.build_absolute_uri(
            reverse("api:fhir-questionnaire-response", args=[intake.pk]))
        return response


class QuestionnaireResponseRead(FhirView):
    @extend_schema(summary="A submitted intake as a FHIR R4 QuestionnaireResponse",
                   responses={(200, FHIR_JSON): OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        intake = _submitted(pk)
        api_audit(request, object_type="intake", object_id=pk, intake_id=pk,
                  detail={"as": "QuestionnaireResponse"})
        return Response(questionnaire_response_resource(intake))


class RiskAssessmentRead(FhirView):
    @extend_schema(summary="An intake's recommendation as a FHIR R4 RiskAssessment",
                   responses={(200, FHIR_JSON): OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        intake = _submitted(pk)
        api_audit(request, object_type="recommendation", object_id=pk, intake_id=pk,
                  detail={"as": "RiskAssessment"})
        return Response(risk_assessment_resource(intake))


class ObservationRead(FhirView):
    @extend_schema(summary="One instrument total of an intake as a FHIR R4 Observation",
                   responses={(200, FHIR_JSON): OpenApiTypes.OBJECT})
    def get(self, request, pk: int, instrument: str):
        intake = _submitted(pk)
        wanted = f"{pk}-{instrument}"
        found = [obs for obs in observation_resources(intake) if obs["id"] == wanted]
        if not found:
            raise Http404
        api_audit(request, object_type="recommendation", object_id=pk, intake_id=pk,
                  detail={"as": "Observation", "instrument": instrument})
        return Response(found[0])


class PatientRead(FhirView):
    @extend_schema(summary="A person who has submitted an intake, as a FHIR R4 Patient "
                           "(name and e-mail address)",
                   responses={(200, FHIR_JSON): OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        # Only someone with an intake after submit: staff accounts and people who never
        # submitted are not the clinic's patients to hand over.
        person = User.objects.filter(pk=pk, intakes__submitted_at__isnull=False).first()
        if person is None:
            raise Http404
        api_audit(request, object_type="patient", object_id=pk, detail={"as": "Patient"})
        return Response(patient_resource(person))


def _moment(value: str, name: str, *, end: bool) -> datetime:
    """A `_since` / `_until` bound: a date (the whole day counts) or an instant with its
    offset. Raises ValidationError naming the parameter."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if not 2000 <= day.year <= 2100:
                raise ValueError
            moment = datetime.combine(day, time.max if end else time.min)
            return timezone.make_aware(moment)
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None or not 2000 <= moment.year <= 2100:
            raise ValueError
        return moment
    except ValueError:
        raise exceptions.ValidationError(
            f"{name}: give a date (2026-01-31) or an instant with its offset "
            "(2026-01-31T09:00:00+00:00), from 2000 to 2100.") from None


def export_lines(since: datetime, until: datetime, types: set[str]):
    """NDJSON lines of every intake submitted in [since, until], oldest first, then each
    person they are about, once.

    Iterated in chunks straight from the database cursor, so memory stays flat however many
    intakes there are (the people come from a second query rather than from a set of the
    ids seen); each line is one resource.
    """
    intakes = (Intake.objects.exclude(status=Intake.Status.DRAFT)
               .filter(submitted_at__gte=since, submitted_at__lte=until))
    intake_types = types - {"Patient"}
    if intake_types:
        rows = (intakes.select_related("recommendation__criteria_version")
                .order_by("submitted_at", "id"))
        for intake in rows.iterator(chunk_size=EXPORT_CHUNK):
            for resource in intake_resources(intake):
                if resource["resourceType"] in intake_types:
                    yield orjson.dumps(resource) + b"\n"
    if "Patient" in types:
        people = User.objects.filter(pk__in=intakes.values("patient_id")).order_by("pk")
        for person in people.iterator(chunk_size=EXPORT_CHUNK):
            yield orjson.dumps(patient_resource(person)) + b"\n"


EXPORT_TYPES = ("QuestionnaireResponse", "Observation", "RiskAssessment", "Patient")


class Export(FhirView):
    @extend_schema(
        summary="Bulk download: every intake submitted in a date range, one FHIR resource "
                "a line (NDJSON), streamed",
        parameters=[
            OpenApiParameter("_since", str, required=True,
                             description="First day (or instant), inclusive."),
            OpenApiParameter("_until", str, required=True,
                             description="Last day (or instant), inclusive."),
            OpenApiParameter("_type", str, description="Comma-separated resource types: "
                             + ", ".join(EXPORT_TYPES) + " (all by default)."),
        ],
        responses={(200, "application/fhir+ndjson"): OpenApiTypes.STR})
    def get(self, request):
        params = request.query_params
        for name in ("_since", "_until"):
            if not params.get(name):
                raise exceptions.ValidationError(f"{name}: give a date, e.g. 2026-01-31.")
        since = _moment(params["_since"], "_since", end=False)
        until = _moment(params["_until"], "_until", end=True)
        if since > until:
            raise exceptions.ValidationError("_until: the range ends before it starts.")
        types = set(params.get("_type", "").split(",")) - {""} or set(EXPORT_TYPES)
        unknown = types - set(EXPORT_TYPES)
        if unknown:
            raise exceptions.ValidationError(
                f"_type: {', '.join(sorted(unknown))} is not exported; choose from "
                f"{', '.join(EXPORT_TYPES)}.")
        api_audit(request, action=AuditEvent.Action.EXPORT, object_type="fhir_export",
                  detail={"since": since.isoformat(), "until": until.isoformat(),
                          "types": sorted(types)})
        response = StreamingHttpResponse(export_lines(since, until, types),
                                         content_type="application/fhir+ndjson")
        response["Content-Disposition"] = 'attachment; filename="intakes.ndjson"'
        return response
