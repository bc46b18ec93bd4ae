"""A submitted intake as FHIR R4 resources: its QuestionnaireResponse, the recommendation as
a RiskAssessment, and each instrument's total as an Observation; the person as a Patient.

Plain dicts, built without validation so the bulk export stays fast; the tests validate
every kind against the R4 models (fhir.resources). The intake's resources name the person by
the clinic's patient id only; who they are and how to reach them is in the Patient alone.
"""

from screening.engine import catalogue as C
from screening.models import LEVEL_CHOICES

from .questionnaire import LOINC, code_system, fhir_base, questionnaire_url, response_items

LEVEL_NAMES = dict(LEVEL_CHOICES)
SURVEY = {"system": "http://terminology.hl7.org/CodeSystem/observation-category",
          "code": "survey", "display": "Survey"}
# Body mass index (BMI) [Ratio].
BMI_LOINC = "39156-5"


def _iso(moment) -> str:
    return moment.isoformat()


def questionnaire_version_of(intake) -> str:
    """The questionnaire version the intake was answered on (the current one until intakes
    pin their version)."""
    return getattr(intake, "questionnaire_version", "") or C.CURRENT_QUESTIONNAIRE


def patient_identifier(patient_id: int) -> dict:
    return {"system": f"{fhir_base()}/patient-id", "value": str(patient_id)}


def subject_of(intake) -> dict:
    return {"reference": f"Patient/{intake.patient_id}",
            "identifier": patient_identifier(intake.patient_id)}


def patient_resource(person) -> dict:
    """The person (an account with the patient role) with what the clinic holds to reach
    them: their name and e-mail address."""
    return {
        "resourceType": "Patient",
        "id": str(person.pk),
        "identifier": [patient_identifier(person.pk)],
        "active": person.is_active,
        "name": [{"text": person.full_name}] if person.full_name else [],
        "telecom": [{"system": "email", "value": person.email, "use": "home"}],
    }


def questionnaire_response_resource(intake) -> dict:
    version = questionnaire_version_of(intake)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(intake.pk),
        "identifier": {"system": f"{fhir_base()}/intake", "value": intake.number},
        "questionnaire": questionnaire_url(version),
        "status": "completed",
        "subject": subject_of(intake),
        "authored": _iso(intake.submitted_at),
        "item": response_items(intake.answers, version),
    }


def _observation_id(intake, key: str) -> str:
    return f"{intake.pk}-{key}"


def observation_resources(intake) -> list[dict]:
    """One Observation per instrument given (and BMI), from the stored recommendation."""
    recommendation = intake.recommendation
    observations = []
    for key, score in recommendation.scores.items():
        if score is None:
            continue
        instrument = C.INSTRUMENTS.get(key)
        if instrument is not None and instrument.loinc_total:
            code = {"coding": [{"system": LOINC, "code": instrument.loinc_total,
                                "display": f"{instrument.name} total score"}],
                    "text": f"{instrument.name} total score"}
        elif instrument is not None:
            code = {"coding": [{"system": code_system("score"), "code": key,
                                "display": f"{instrument.name} score"}],
                    "text": f"{instrument.name} score"}
        else:  # BMI: used by the rules, not an instrument
            code = {"coding": [{"system": LOINC, "code": BMI_LOINC,
                                "display": "Body mass index (BMI) [Ratio]"}], "text": "BMI"}
        observation = {
            "resourceType": "Observation",
            "id": _observation_id(intake, key),
            "status": "final",
            "category": [{"coding": [SURVEY]}],
            "code": code,
            "subject": subject_of(intake),
            "effectiveDateTime": _iso(intake.submitted_at),
            "derivedFrom": [{"reference": f"QuestionnaireResponse/{intake.pk}"}],
        }
        if key == "bmi":
            observation["valueQuantity"] = {"value": score, "unit": "kg/m2",
                                            "system": "http://unitsofmeasure.org",
                                            "code": "kg/m2"}
        elif isinstance(score, int):
            observation["valueInteger"] = score
        else:
            observation["valueQuantity"] = {"value": score}
        band = recommendation.bands.get(key)
        if band:
            observation["interpretation"] = [{"coding": [{
                "system": code_system("band"), "code": band,
                "display": C.BAND_NAMES.get(band, band)}]}]
        observations.append(observation)
    return observations


def _prediction(kind: str, code: str, display: str, rationale: str = "") -> dict:
    prediction = {"outcome": {"coding": [{"system": code_system(kind), "code": code,
                                          "display": display}], "text": display}}
    if rationale:
        prediction["rationale"] = rationale
    return prediction


def risk_assessment_resource(intake, observations: list[dict] | None = None) -> dict:
    """The recommendation: the level with the rules' reasons, the flags, the suicide and
    withdrawal risk, pinned to the criteria version; the totals (`observations`, made here
    when not given) are its basis."""
    recommendation = intake.recommendation
    if observations is None:
        observations = observation_resources(intake)
    version = recommendation.criteria_version.version
    reasons = "; ".join(f"{reason['id']}: {reason['reason']}"
                        for reason in recommendation.reasons)
    predictions = [_prediction("level", recommendation.level,
                               LEVEL_NAMES.get(recommendation.level, recommendation.level),
                               reasons)]
    for risk in ("suicide_risk", "withdrawal_risk"):
        value = getattr(recommendation, risk)
        predictions.append({**_prediction(risk, value, value),
                            "qualitativeRisk": {"coding": [{"system": code_system(risk),
                                                            "code": value}]}})
    flag_words = {flag["id"]: flag["reason"] for flag in recommendation.flag_reasons}
    predictions += [_prediction("flag", flag, C.FLAG_NAMES.get(flag, flag),
                                flag_words.get(flag, ""))
                    for flag in recommendation.flags]
    return {
        "resourceType": "RiskAssessment",
        "id": str(intake.pk),
        "identifier": [{"system": f"{fhir_base()}/intake", "value": intake.number}],
        "status": "final",
        "method": {"coding": [{"system": code_system("criteria-version"), "code": version}],
                   "text": f"Screening criteria {version}"},
        "code": {"coding": [{"system": code_system("severity"),
                             "code": recommendation.severity}],
                 "text": "Level-of-care screening"},
        "subject": subject_of(intake),
        "occurrenceDateTime": _iso(recommendation.created_at),
        "basis": [{"reference": f"QuestionnaireResponse/{intake.pk}"}] + [
            {"reference": f"Observation/{observation['id']}"}
            for observation in observations],
        "prediction": predictions,
        "note": [{"text": f"{reason['id']} ({reason['level']}): {reason['reason']}"}
                 for reason in recommendation.reasons],
    }


def intake_resources(intake) -> list[dict]:
    """Everything one submitted intake exports as: its response, totals and assessment."""
    resources = [questionnaire_response_resource(intake)]
    if getattr(intake, "recommendation", None) is not None:
        observations = observation_resources(intake)
        resources += observations
        resources.append(risk_assessment_resource(intake, observations))
    return resources
