"""The OpenAPI document: served at a stable address and valid OpenAPI 3."""

import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_served_and_validates(reader):
    response = reader.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    paths = schema["paths"]
    for path in ("/api/v1/intakes/", "/api/v1/intakes/{id}/", "/api/v1/programs/",
                 "/api/v1/fhir/QuestionnaireResponse", "/api/v1/fhir/$export"):
        assert path in paths, path
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    intake_filters = {p["name"] for p in paths["/api/v1/intakes/"]["get"]["parameters"]}
    assert {"state", "level", "flag", "submitted_from", "submitted_to", "cursor"} <= \
        intake_filters
