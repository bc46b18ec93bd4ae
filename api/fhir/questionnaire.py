"""Each questionnaire version as a FHIR R4 `Questionnaire`, and answers <-> QR items.

Every item's linkId is the answer's path in SPEC §3 ("age", "cssrs.intent", "phq9[3]"),
the same path the engine names in its errors, so an error on an imported response names
the item the sender wrote. Wording, options and LOINC codes come from the catalogue.
"""

import functools

from django.conf import settings

from screening.engine import catalogue as C

# When a question is asked (SPEC §8: C-SSRS Q3-Q5 after a yes to Q2, the Q6 follow-up after
# a yes to Q6, the PC-PTSD-5 items after exposure, height and weight with eating concerns,
# MDQ with mood swings, PEG with chronic pain): the question it hangs on, and the answer.
ENABLE_WHEN: dict[str, tuple[str, object]] = {
    "cssrs.method": ("cssrs.suicidal_thoughts", True),
    "cssrs.intent": ("cssrs.suicidal_thoughts", True),
    "cssrs.plan": ("cssrs.suicidal_thoughts", True),
    "cssrs.behavior_past_3_months": ("cssrs.behavior_lifetime", True),
    "pcptsd5.items": ("pcptsd5.exposure", True),
    "height_cm": ("concerns", "eating"),
    "weight_kg": ("concerns", "eating"),
    "mdq": ("concerns", "bipolar"),
    "peg": ("concerns", "chronic_pain"),
}
LOINC = "http://loinc.org"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def fhir_base() -> str:
    """Where the FHIR resources are read, also the base of their canonical URLs."""
    return settings.SITE_URL + "/api/v1/fhir"


def questionnaire_url(version: str) -> str:
    return f"{fhir_base()}/Questionnaire/{version}"


def code_system(path: str) -> str:
    """The code system of one answer's values: its path without an item index."""
    return f"{fhir_base()}/CodeSystem/{path.split('[')[0]}"


def asked_in(question: C.Question, version: str) -> bool:
    versions = C.QUESTIONNAIRE_VERSIONS
    return versions.index(question.since) <= versions.index(version)


def instrument_of(question: C.Question) -> C.Instrument | None:
    return C.INSTRUMENTS.get(question.instrument) if question.kind == "items" else None


def _coding(path: str, value, version: str) -> dict:
    # The bulk export builds the same few hundred codings millions of times: each is made
    # once (per base URL, answer and version) and copied, so no caller shares a dict.
    return dict(_coding_made(fhir_base(), path, type(value), value, version))


@functools.lru_cache(maxsize=4096)
def _coding_made(base: str, path: str, kind: type, value, version: str) -> dict:
    return {"system": f"{base}/CodeSystem/{path.split('[')[0]}", "code": _code(value),
            "display": C.option_label(path, value, version) or str(value)}


def _code(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _enable_when(path: str) -> list[dict]:
    if path not in ENABLE_WHEN:
        return []
    question, answer = ENABLE_WHEN[path]
    if isinstance(answer, bool):
        return [{"question": question, "operator": "=", "answerBoolean": answer}]
    return [{"question": question, "operator": "=",
             "answerCoding": {"system": code_system(question), "code": answer}}]


def _questionnaire_item(question: C.Question, version: str) -> dict:
    path = question.path
    item: dict = {"linkId": path}
    text = C.question(path, version)
    if text:
        item["text"] = text
    if question.kind == "boolean":
        item["type"] = "boolean"
    elif question.kind in ("choice", "choices"):
        item["type"] = "choice"
        item["answerOption"] = [{"valueCoding": _coding(path, option.value, version)}
                                for option in question.options]
        if question.kind == "choices":
            item["repeats"] = True
    elif question.kind == "integer" and question.options:
        # An instrument item: the person picks a labelled answer that scores its points.
        item["type"] = "choice"
        item["answerOption"] = [{
            "valueCoding": _coding(path, option.value, version),
            "extension": [{"url": ORDINAL_VALUE, "valueDecimal": option.points}],
        } for option in question.options]
    elif question.kind in ("integer", "number"):
        item["type"] = "integer" if question.kind == "integer" else "decimal"
        value = "valueInteger" if question.kind == "integer" else "valueDecimal"
        item["extension"] = [{"url": url, value: bound} for url, bound in (
            (MIN_VALUE, question.low), (MAX_VALUE, question.high)) if bound is not None]
    elif question.kind == "object":
        item["type"] = "group"
        item["item"] = [_questionnaire_item(part, version) for part in C.parts(path)
                        if asked_in(part, version)]
    elif question.kind == "items":
        instrument = C.INSTRUMENTS[question.instrument]
        item["type"] = "group"
        if instrument.loinc_panel:
            item["code"] = [{"system": LOINC, "code": instrument.loinc_panel,
                             "display": instrument.name}]
        item["item"] = [_questionnaire_item(part, version) for part in instrument.items]
        if instrument.loinc_total:
            # The total is worked out by the clinic (SPEC §4), never typed: read only.
            item["item"].append({
                "linkId": f"{instrument.key}.total", "text": f"{instrument.name} total score",
                "type": "integer", "readOnly": True,
                "code": [{"system": LOINC, "code": instrument.loinc_total,
                          "display": f"{instrument.name} total score"}]})
    else:
        raise ValueError(f"{path}: no FHIR item type for kind {question.kind!r}")
    item["required"] = question.required
    enable_when = _enable_when(path)
    if enable_when:
        item["enableWhen"] = enable_when
    return item


def questionnaire_resource(version: str) -> dict:
    """The questionnaire version `version` ("q-1", "q-2") as a FHIR R4 Questionnaire.
    Raises KeyError for an unknown version."""
    if version not in C.QUESTIONNAIRE_VERSIONS:
        raise KeyError(version)
    return {
        "resourceType": "Questionnaire",
        "id": version,
        "url": questionnaire_url(version),
        "version": version,
        "name": "IOPIntake",
        "title": "Intake questionnaire: level-of-care screening",
        "status": "active" if version == C.CURRENT_QUESTIONNAIRE else "retired",
        "subjectType": ["Patient"],
        "item": [_questionnaire_item(C.ANSWERS[path], version) for path in C.TOP_LEVEL
                 if asked_in(C.ANSWERS[path], version)],
    }


# --- answers -> QuestionnaireResponse items ----------------------------------------------


def _answer_value(question: C.Question, value, version: str) -> dict:
    if question.kind == "boolean":
        return {"valueBoolean": value}
    if question.kind in ("choice", "choices") or question.options:
        return {"valueCoding": _coding(question.path, value, version)}
    if question.kind == "integer":
        return {"valueInteger": value}
    return {"valueDecimal": value}


def _response_item(question: C.Question, value, version: str) -> dict:
    path = question.path
    item: dict = {"linkId": path}
    text = C.question(path, version)
    if text:
        item["text"] = text
    if question.kind == "object":
        item["item"] = [_response_item(part, value[part.path.rsplit(".", 1)[1]], version)
                        for part in C.parts(path) if part.path.rsplit(".", 1)[1] in value]
    elif question.kind == "items":
        instrument = C.INSTRUMENTS[question.instrument]
        item["item"] = [_response_item(part, value[index], version)
                        for index, part in enumerate(instrument.items) if index < len(value)]
    elif question.kind == "choices":
        if value:
            item["answer"] = [_answer_value(question, one, version) for one in value]
    else:
        item["answer"] = [_answer_value(question, value, version)]
    return item


def response_items(answers: dict, version: str) -> list[dict]:
    """The answers (SPEC §3) as QuestionnaireResponse items, in the questionnaire's order."""
    return [_response_item(C.ANSWERS[path], answers[path], version) for path in C.TOP_LEVEL
            if path in answers]
