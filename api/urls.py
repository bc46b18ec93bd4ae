"""/api/v1/: the REST API and FHIR R4, all behind a token (REST_FRAMEWORK in settings).

Ids, dates, states and codes only in these URLs and their query strings: never a name or
an e-mail address (an address ends up in proxies' and servers' logs).
"""

from django.urls import path

from . import views
from .fhir import views as fhir

app_name = "api"
urlpatterns = [
    path("schema/", views.Schema.as_view(), name="schema"),
    path("intakes/", views.IntakeList.as_view(), name="intakes"),
    path("intakes/<int:pk>/", views.IntakeRead.as_view(), name="intake"),
    path("intakes/<int:pk>/recommendation/", views.IntakeRecommendation.as_view(),
         name="recommendation"),
    path("intakes/<int:pk>/decision/", views.IntakeDecision.as_view(), name="decision"),
    path("criteria-versions/", views.CriteriaVersionList.as_view(), name="criteria-versions"),
    path("criteria-versions/<int:pk>/", views.CriteriaVersionRead.as_view(),
         name="criteria-version"),
    path("programs/", views.ProgramList.as_view(), name="programs"),
    path("fhir/Questionnaire/<slug:version>", fhir.QuestionnaireRead.as_view(),
         name="fhir-questionnaire"),
    path("fhir/QuestionnaireResponse", fhir.QuestionnaireResponses.as_view(),
         name="fhir-import"),
    path("fhir/QuestionnaireResponse/<int:pk>", fhir.QuestionnaireResponseRead.as_view(),
         name="fhir-questionnaire-response"),
    path("fhir/RiskAssessment/<int:pk>", fhir.RiskAssessmentRead.as_view(),
         name="fhir-risk-assessment"),
    path("fhir/Observation/<int:pk>-<slug:instrument>", fhir.ObservationRead.as_view(),
         name="fhir-observation"),
    path("fhir/Patient/<int:pk>", fhir.PatientRead.as_view(), name="fhir-patient"),
    path("fhir/$export", fhir.Export.as_view(), name="fhir-export"),
]
