"""A FHIR QuestionnaireResponse sent by an integration, screened like a web intake.

The response is read back into answers (SPEC §3) by its items' linkIds, checked by the
engine (whose errors name the same paths), and then goes through the intake services, step
by step and submit, exactly as a person's web intake does: one screening path.
"""

from typing import NoReturn

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError as NotAnAddress
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from pydantic import ValidationError

from accounts.models import User
from accounts.roles import PATIENT
from intake.models import Intake
from intake.services import IntakeIncomplete, intake_start, intake_step_save, intake_submit
from intake.steps import BY_SLUG, STEPS, steps_for
from screening.engine import AnswersError, validate_answers
from screening.engine import catalogue as C

from .questionnaire import ENABLE_WHEN, fhir_base, questionnaire_url

ITEM_PATHS = {**C.ANSWERS, **C.item_questions()}
TOTALS = {f"{key}.total" for key, instrument in C.INSTRUMENTS.items() if instrument.loinc_total}


class ResponseRefused(Exception):
    """The response is refused: `item` is the linkId (or element) at fault, `message` why,
    `status` the HTTP status to answer with."""

    def __init__(self, item: str, message: str, status: int = 400):
        super().__init__(f"{item}: {message}")
        self.item, self.message, self.status = item, message, status


def _fail(item: str, message: str, status: int = 400) -> NoReturn:
    raise ResponseRefused(item, message, status)


def _one_answer(item: dict, path: str) -> dict:
    answers = item.get("answer") or []
    if len(answers) != 1:
        _fail(path, "give exactly one answer.")
    return answers[0]


def _value(question: C.Question, item: dict):
    path = question.path
    if question.kind == "boolean":
        answer = _one_answer(item, path)
        if not isinstance(answer.get("valueBoolean"), bool):
            _fail(path, "expected a yes/no answer (valueBoolean).")
        return answer["valueBoolean"]
    if question.kind in ("choice", "choices") or question.options:
        codes = []
        answers = item.get("answer") or []
        if question.kind != "choices" and len(answers) != 1:
            _fail(path, "give exactly one answer.")
        for answer in answers:
            coding = answer.get("valueCoding")
            if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
                _fail(path, "expected a coded answer (valueCoding with a code).")
            codes.append(coding["code"])
        if question.kind == "choices":
            return codes
        code = codes[0]
        if question.kind == "integer":
            if not code.isdigit():
                _fail(path, f"'{code}' is not one of the answer codes "
                      f"{', '.join(str(value) for value in question.values)}.")
            return int(code)
        return code
    answer = _one_answer(item, path)
    if question.kind == "integer":
        if "valueInteger" not in answer:
            _fail(path, "expected a whole number (valueInteger).")
        return answer["valueInteger"]
    if "valueDecimal" in answer:
        return float(answer["valueDecimal"])
    if "valueInteger" in answer:
        return answer["valueInteger"]
    _fail(path, "expected a number (valueDecimal).")


def _group(question: C.Question, item: dict):
    children = item.get("item") or []
    if question.kind == "object":
        value = {}
        for child in children:
            path = child.get("linkId", "")
            part = ITEM_PATHS.get(path)
            if part is None or not path.startswith(question.path + "."):
                _fail(path or question.path, f"not a part of {question.path}.")
            value[path.rsplit(".", 1)[1]] = _read(part, child)
        return value
    items = {}
    for child in children:
        path = child.get("linkId", "")
        if path in TOTALS:
            continue  # a total is the clinic's to work out, never taken from the sender
        part = ITEM_PATHS.get(path)
        if part is None or not path.startswith(question.path + "["):
            _fail(path or question.path, f"not an item of {question.path}.")
        items[int(path.rsplit("[", 1)[1].rstrip("]"))] = _read(part, child)
    for index in range(len(items)):
        if index not in items:
            _fail(f"{question.path}[{index}]", "this item has no answer.")
    return [items[index] for index in range(len(items))]


def _read(question: C.Question, item: dict):
    if question.kind in ("object", "items"):
        if item.get("answer"):
            _fail(question.path, "a group holds items, not answers.")
        return _group(question, item)
    if item.get("item"):
        _fail(question.path, "a question holds answers, not items.")
    return _value(question, item)


def answers_from_response(response: dict) -> dict:
    """The SPEC §3 answers in a QuestionnaireResponse for the current questionnaire.

    Raises ResponseRefused naming the linkId (or element) at fault, with the engine's own
    message when the answers are not valid input.
    """
    from fhir.resources.questionnaireresponse import QuestionnaireResponse

    if not isinstance(response, dict) or response.get("resourceType") != \
            "QuestionnaireResponse":
        _fail("resourceType", "send a QuestionnaireResponse.")
    try:
        QuestionnaireResponse.parse_obj(response)
    except ValidationError as error:
        first = error.errors()[0]
        _fail(".".join(str(part) for part in first["loc"]) or "QuestionnaireResponse",
              f"not a valid FHIR R4 QuestionnaireResponse: {first['msg']}.")
    current = questionnaire_url(C.CURRENT_QUESTIONNAIRE)
    if response.get("questionnaire") not in (current, f"{current}|{C.CURRENT_QUESTIONNAIRE}"):
        _fail("questionnaire", f"answer the current questionnaire, {current}.")
    if response.get("status") != "completed":
        _fail("status", "only a completed response is screened.")
    answers = {}
    for item in response.get("item") or []:
        path = item.get("linkId", "")
        question = C.ANSWERS.get(path)
        if question is None or "." in path:
            _fail(path or "item", f"not a question of {C.CURRENT_QUESTIONNAIRE}.")
        if path in answers:
            _fail(path, "answered twice.")
        answers[path] = _read(question, item)
    try:
        validate_answers(answers)
    except AnswersError as error:
        _fail(error.field, error.message)
    _check_asked(answers)
    return answers


def _patient_for(response: dict) -> User:
    """The patient the response is about: the clinic's own patient id (as exported), or a
    contained Patient with a name and an e-mail address, found or given an account."""
    subject = response.get("subject") or {}
    identifier = subject.get("identifier") or {}
    reference = subject.get("reference", "")
    own = identifier.get("system") == f"{fhir_base()}/patient-id"
    if own or (reference.startswith("Patient/") and not subject.get("identifier")):
        value = identifier.get("value", "") if own else reference.removeprefix("Patient/")
        patient = User.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if patient is None or not patient.is_patient:
            _fail("subject", "no patient of this clinic has this id.")
        return patient
    contained = {resource.get("id"): resource for resource in response.get("contained") or []
                 if resource.get("resourceType") == "Patient"}
    person = contained.get(reference[1:]) if reference.startswith("#") else None
    if person is None:
        _fail("subject", "name the patient: 'Patient/<the clinic's patient id>', or '#id' of "
              "a contained Patient with a name and an e-mail address.")
    names = [name.get("text") or " ".join([*name.get("given", []), name.get("family", "")])
             for name in person.get("name") or []]
    emails = [telecom.get("value", "") for telecom in person.get("telecom") or []
              if telecom.get("system") == "email"]
    if not names or not names[0].strip():
        _fail("contained.Patient.name", "give the patient's name.")
    email = emails[0].strip().lower() if emails else ""
    try:
        validate_email(email)
    except NotAnAddress:
        _fail("contained.Patient.telecom", "give the patient's e-mail address.")
    patient = User.objects.filter(email=email).first()
    if patient is None:
        try:
            with transaction.atomic():
                # No password: the person sets one with "forgot password" to read their
                # intake.
                patient = User.objects.create_user(email=email, full_name=names[0].strip())
                patient.groups.add(Group.objects.get(name=PATIENT))
        except IntegrityError:  # the same person sent twice at once: the other one won
            patient = User.objects.get(email=email)
    if not patient.is_patient:
        _fail("contained.Patient.telecom",
              "this address belongs to an account that is not an active patient's.")
    return patient


@transaction.atomic
def questionnaire_response_import(*, response: dict, request=None) -> Intake:
    """Screen a posted QuestionnaireResponse like a web intake. Returns the submitted intake.

    Raises ResponseRefused (400, naming the item) for a response that is not valid answers, and
    (409) when the person has an unfinished intake of their own in the app.
    """
    answers = answers_from_response(response)
    patient = _patient_for(response)
    if Intake.objects.filter(patient=patient, status=Intake.Status.DRAFT).exists():
        _fail("subject", "this person has an unfinished intake in the app; it is theirs to "
              "finish first.", status=409)
    intake = intake_start(patient=patient, request=request)
    steps = steps_for(answers)
    for step in steps:
        part = {path: value for path, value in answers.items() if _step_of(path) is step}
        intake = intake_step_save(intake=intake, step=step, part=part, request=request)
    # The import stands in for the typed signature; the audit log says it came by the API.
    try:
        return intake_submit(intake=intake, signature_name=patient.full_name,
                             request=request)
    except IntakeIncomplete as missing:  # answers_from_response checked them: a safety net
        _fail(missing.step, "this step of the intake has no answers.")
    except AnswersError as error:
        _fail(error.field, error.message)


def _step_of(path: str):
    """The intake step that asks a top-level answer (the first step for one no form owns
    yet, so it is kept, not dropped)."""
    return BY_SLUG.get(C.ANSWERS[path].step) or STEPS[0]


def _check_asked(answers: dict) -> None:
    """Refuse an answer to a question the intake would not ask with these answers (the
    questionnaire's enableWhen): saved as is, the intake's steps would silently drop it."""
    for path in answers:
        condition = ENABLE_WHEN.get(path)
        if condition is None:
            continue
        question, wanted = condition
        given = answers.get(question)
        if not (given == wanted or (isinstance(given, list) and wanted in given)):
            _fail(path, f"asked only when {question} is {wanted}.")
