"""Validation of one intake's answers against SPEC §3.

Strict on purpose: a misspelt safety field, a `true` where a score belongs or a "2" where a
number belongs must be refused with the field named, never guessed at. The first problem
found is reported; unknown fields are looked for first because they hide missing answers.
"""

import itertools
import math

from . import catalogue as C
from .errors import AnswersError

# Every value set, range and list length below comes from the catalogue: a choice added
# there is accepted here, with no change to this module.
SEX_AT_BIRTH = C.values("sex_at_birth")
CONCERNS = C.values("concerns")
HARM_TO_OTHERS = C.values("harm_to_others")
WITHDRAWAL_SYMPTOMS = C.values("withdrawal.current_symptoms")
SUPPORT = C.values("support")  # least to most worrying: strong first, none last
HOUSING = C.values("housing")
RECENT_INPATIENT = C.values("recent_inpatient")
FUNCTIONING = C.values("functioning")
MDQ_PROBLEM = C.values("mdq.problem")
AVAILABILITY = C.values("availability")


def _names(path: str, required: bool | None = None) -> tuple[str, ...]:
    return tuple(part.path.rsplit(".", 1)[1] for part in C.parts(path)
                 if required is None or part.required is required)


CSSRS_FIELDS = _names("cssrs")
CSSRS_REQUIRED = _names("cssrs", required=True)
CSSRS_FOLLOW_UPS = _names("cssrs", required=False)
WITHDRAWAL_FIELDS = _names("withdrawal")
MEDICAL_FIELDS = _names("medical")
PCPTSD5_FIELDS = _names("pcptsd5")
MDQ_FIELDS = _names("mdq")
PSYCHOTIC_SYMPTOMS = _names("psychotic_symptoms")

# Every field of SPEC §3 in its order, and whether it must be there.
FIELDS = {name: C.answer(name).required for name in C.TOP_LEVEL}
REQUIRED = tuple(name for name, required in FIELDS.items() if required)
# The optional yes/no answers of SPEC v2: absent means not asked, never no.
OPTIONAL_YES_NO = tuple(name for name in C.TOP_LEVEL
                        if C.answer(name).kind == "boolean" and not C.answer(name).required)


def _range(path: str) -> tuple:
    spec = C.answer(path)
    return spec.low, spec.high


def _item_shape(key: str) -> tuple[int, int]:
    """(how many items, highest points of one item) of an instrument."""
    instrument = C.INSTRUMENTS[key]
    return len(instrument.items), instrument.highest_item_points


AGE = _range("age")
HEIGHT, WEIGHT = _range("height_cm"), _range("weight_kg")
HOURS = _range("hours_available_per_week")
PHQ9, GAD7, AUDITC, PEG = (_item_shape(key) for key in ("phq9", "gad7", "auditc", "peg"))
DAST10_ITEMS = len(C.DAST10.items)
PCPTSD5_ITEMS, SCOFF_ITEMS, MDQ_ITEMS = (len(C.INSTRUMENTS[key].items)
                                         for key in ("pcptsd5", "scoff", "mdq"))


def _show(value) -> str:
    """A value as it was written in JSON, for messages."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:37]}..."'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def _unknown(value: dict, allowed, prefix: str) -> None:
    for key in value:
        if key not in allowed:
            raise AnswersError(f"{prefix}{key}", "unknown field (check the spelling)")


def _object(value, field: str) -> dict:
    if type(value) is not dict:
        raise AnswersError(field, f"expected an object, got {_show(value)}")
    return value


def _boolean(value, field: str) -> bool:
    if type(value) is not bool:
        raise AnswersError(field, f"expected true or false, got {_show(value)}")
    return value


def _integer(value, field: str, low: int, high: int) -> int:
    if type(value) is not int:
        raise AnswersError(field, f"expected a whole number from {low} to {high}, "
                                  f"got {_show(value)}")
    if not low <= value <= high:
        raise AnswersError(field, f"must be from {low} to {high}, got {value}")
    return value


def _number(value, field: str, low: float, high: float) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise AnswersError(field, f"expected a number from {low} to {high}, got {_show(value)}")
    if not low <= value <= high:
        raise AnswersError(field, f"must be from {low} to {high}, got {value}")
    return value


def _choice(value, field: str, choices: tuple) -> str:
    if type(value) is not str or value not in choices:
        raise AnswersError(field, f"expected one of {', '.join(choices)}; got {_show(value)}")
    return value


def _list(value, field: str, length: int | None = None) -> list:
    if type(value) is not list:
        raise AnswersError(field, f"expected a list, got {_show(value)}")
    if length is not None and len(value) != length:
        raise AnswersError(field, f"expected a list of {length} answers, got {len(value)}")
    return value


INT_ONLY, BOOL_ONLY = {int}, {bool}


def _scores(value, field: str, length: int, high: int) -> None:
    # Fast path first, in C: almost every list is fine, and this runs for every case.
    if (type(value) is list and len(value) == length and set(map(type, value)) == INT_ONLY
            and min(value) >= 0 and max(value) <= high):
        return
    for index, item in enumerate(_list(value, field, length)):
        _integer(item, f"{field}[{index}]", 0, high)


def _yes_no_list(value, field: str, length: int) -> None:
    if type(value) is list and len(value) == length and set(map(type, value)) == BOOL_ONLY:
        return
    for index, item in enumerate(_list(value, field, length)):
        _boolean(item, f"{field}[{index}]")


def _choices_list(value, field: str, choices: tuple) -> None:
    for index, item in enumerate(_list(value, field)):
        _choice(item, f"{field}[{index}]", choices)


def _cssrs(value) -> None:
    _object(value, "cssrs")
    _unknown(value, CSSRS_FIELDS, "cssrs.")
    for name in CSSRS_REQUIRED:
        if name not in value:
            raise AnswersError(f"cssrs.{name}", "required")
    for name, answer in value.items():
        _boolean(answer, f"cssrs.{name}")


def _pcptsd5(value) -> None:
    _object(value, "pcptsd5")
    _unknown(value, PCPTSD5_FIELDS, "pcptsd5.")
    if "exposure" not in value:
        raise AnswersError("pcptsd5.exposure", "required")
    exposed = _boolean(value["exposure"], "pcptsd5.exposure")
    if "items" in value:
        _yes_no_list(value["items"], "pcptsd5.items", PCPTSD5_ITEMS)
    elif exposed:
        raise AnswersError("pcptsd5.items", "required when exposure is true")


def _mdq(value) -> None:
    _object(value, "mdq")
    _unknown(value, MDQ_FIELDS, "mdq.")
    for name in MDQ_FIELDS:
        if name not in value:
            raise AnswersError(f"mdq.{name}", "required")
    _yes_no_list(value["items"], "mdq.items", MDQ_ITEMS)
    _boolean(value["same_period"], "mdq.same_period")
    _choice(value["problem"], "mdq.problem", MDQ_PROBLEM)


def _withdrawal(value) -> None:
    _object(value, "withdrawal")
    _unknown(value, WITHDRAWAL_FIELDS, "withdrawal.")
    for name in WITHDRAWAL_FIELDS:
        if name not in value:
            raise AnswersError(f"withdrawal.{name}", "required")
    _choice(value["current_symptoms"], "withdrawal.current_symptoms", WITHDRAWAL_SYMPTOMS)
    _boolean(value["history_seizures_or_dts"], "withdrawal.history_seizures_or_dts")
    _boolean(value["daily_use"], "withdrawal.daily_use")


def _psychotic_symptoms(value) -> None:
    _object(value, "psychotic_symptoms")
    _unknown(value, PSYCHOTIC_SYMPTOMS, "psychotic_symptoms.")
    for name in PSYCHOTIC_SYMPTOMS:
        if name not in value:
            raise AnswersError(f"psychotic_symptoms.{name}", "required when psychotic_symptoms "
                                                             "is given")
        _boolean(value[name], f"psychotic_symptoms.{name}")


def _medical(value) -> None:
    _object(value, "medical")
    _unknown(value, MEDICAL_FIELDS, "medical.")
    for name in MEDICAL_FIELDS:
        if name not in value:
            raise AnswersError(f"medical.{name}", "required")
        _boolean(value[name], f"medical.{name}")


# --- the quick check -----------------------------------------------------------------------
# Screening runs this for every case, so valid answers are recognised with a few set
# operations in C. It only ever says "valid" or "look closer": anything it does not accept
# goes through `_explain`, the one place that decides what is wrong and says so.

_FIELD_SET = frozenset(FIELDS)
_REQUIRED_SET = frozenset(REQUIRED)
_CHOICE_FIELDS = (("sex_at_birth", SEX_AT_BIRTH), ("harm_to_others", HARM_TO_OTHERS),
                  ("support", SUPPORT), ("housing", HOUSING),
                  ("recent_inpatient", RECENT_INPATIENT), ("functioning", FUNCTIONING))
# Every valid combination of the six single-choice answers (1,296): one hash lookup checks
# them all. Only a str equals a str, so a number or true can never match by accident.
_VALID_CHOICES = frozenset(itertools.product(*(values for _, values in _CHOICE_FIELDS)))
# Item scores, once their type is known to be int (True == 1 is why the type comes first).
_ITEM_LISTS = tuple((name, length, frozenset(range(high + 1)))
                    for name, (length, high) in (("phq9", PHQ9), ("gad7", GAD7),
                                                 ("auditc", AUDITC)))
_PEG_SCORES = frozenset(range(PEG[1] + 1))
_CSSRS_SET, _CSSRS_REQUIRED = frozenset(CSSRS_FIELDS), frozenset(CSSRS_REQUIRED)
_WITHDRAWAL_SET = frozenset(WITHDRAWAL_FIELDS)
_MEDICAL_SET = frozenset(MEDICAL_FIELDS)
_SYMPTOMS = frozenset(WITHDRAWAL_SYMPTOMS)
_CONCERN_SET, _AVAILABILITY_SET = frozenset(CONCERNS), frozenset(AVAILABILITY)
_CHOICE_LISTS = (("concerns", _CONCERN_SET), ("availability", _AVAILABILITY_SET))
_YES_NO_LISTS = (("scoff", SCOFF_ITEMS),)
_PCPTSD5_SET = frozenset(PCPTSD5_FIELDS)
_MDQ_SET = frozenset(MDQ_FIELDS)
_MDQ_PROBLEMS = frozenset(MDQ_PROBLEM)
_PSYCHOTIC_COUNT = len(PSYCHOTIC_SYMPTOMS)
(_AGE_LOW, _AGE_HIGH), (_HOURS_LOW, _HOURS_HIGH) = AGE, HOURS
(_HEIGHT_LOW, _HEIGHT_HIGH), (_WEIGHT_LOW, _WEIGHT_HIGH) = HEIGHT, WEIGHT
STR_ONLY, NUMBER = {str}, (int, float)


_PHQ9_SCORES, _GAD7_SCORES, _AUDITC_SCORES = (scores for _, _, scores in _ITEM_LISTS)
_SCOFF_ITEMS = _YES_NO_LISTS[0][1]
_FIREARM, _SELF_HARM, _OVERDOSE = OPTIONAL_YES_NO
_HALLUCINATIONS, _PARANOIA = PSYCHOTIC_SYMPTOMS


def _quick_valid(answers) -> bool:
    # Written out rather than looped over the tables above, and one type check for the
    # item lists together: this runs for every case, and each loop or set costs.
    if type(answers) is not dict:
        return False
    keys = answers.keys()
    if not (keys <= _FIELD_SET and keys >= _REQUIRED_SET):
        return False
    age = answers["age"]
    if type(age) is not int or not _AGE_LOW <= age <= _AGE_HIGH:
        return False
    try:
        if (answers["sex_at_birth"], answers["harm_to_others"], answers["support"],
                answers["housing"], answers["recent_inpatient"],
                answers["functioning"]) not in _VALID_CHOICES:
            return False
    except TypeError:  # a list or an object where a choice belongs
        return False
    phq9, gad7, auditc, dast10 = answers["phq9"], answers["gad7"], answers["auditc"], \
        answers["dast10"]
    cssrs, withdrawal, medical = answers["cssrs"], answers["withdrawal"], answers["medical"]
    if not (type(phq9) is list and type(gad7) is list and type(auditc) is list
            and type(dast10) is list and type(cssrs) is dict and type(withdrawal) is dict
            and type(medical) is dict
            and len(phq9) == PHQ9[0] and len(gad7) == GAD7[0] and len(auditc) == AUDITC[0]
            and len(dast10) == DAST10_ITEMS
            and cssrs.keys() <= _CSSRS_SET and cssrs.keys() >= _CSSRS_REQUIRED
            and withdrawal.keys() == _WITHDRAWAL_SET and medical.keys() == _MEDICAL_SET):
        return False
    # Item scores: their type first (True == 1), then their range.
    if not ({*map(type, phq9), *map(type, gad7), *map(type, auditc)} == INT_ONLY
            and _PHQ9_SCORES.issuperset(phq9) and _GAD7_SCORES.issuperset(gad7)
            and _AUDITC_SCORES.issuperset(auditc)):
        return False
    symptoms = withdrawal["current_symptoms"]
    if not (type(symptoms) is str and symptoms in _SYMPTOMS
            and {*map(type, dast10), *map(type, cssrs.values()), *map(type, medical.values()),
                 type(answers["home_safe"]), type(answers["failed_outpatient"]),
                 type(withdrawal["history_seizures_or_dts"]),
                 type(withdrawal["daily_use"])} == BOOL_ONLY):
        return False
    # Optional fields: absent is fine, null is not (the full check says why).
    if None in answers.values():
        return False
    get = answers.get
    value = get("concerns")
    if value is not None and not (type(value) is list and set(map(type, value)) <= STR_ONLY
                                  and _CONCERN_SET.issuperset(value)):
        return False
    value = get("availability")
    if value is not None and not (type(value) is list and set(map(type, value)) <= STR_ONLY
                                  and _AVAILABILITY_SET.issuperset(value)):
        return False
    hours = get("hours_available_per_week", 0)
    if type(hours) is not int or not _HOURS_LOW <= hours <= _HOURS_HIGH:
        return False
    value = get("scoff")
    if value is not None and not (type(value) is list and len(value) == _SCOFF_ITEMS
                                  and set(map(type, value)) == BOOL_ONLY):
        return False
    peg = get("peg")
    if peg is not None and not (type(peg) is list and len(peg) == PEG[0]
                                and set(map(type, peg)) == INT_ONLY
                                and _PEG_SCORES.issuperset(peg)):
        return False
    if "height_cm" in keys or "weight_kg" in keys:
        height, weight = get("height_cm"), get("weight_kg")
        # A NaN fails the range checks; True/False are refused by type.
        if not (type(height) in NUMBER and type(weight) in NUMBER
                and _HEIGHT_LOW <= height <= _HEIGHT_HIGH
                and _WEIGHT_LOW <= weight <= _WEIGHT_HIGH):
            return False
    pcptsd5 = get("pcptsd5")
    if pcptsd5 is not None:
        if not (type(pcptsd5) is dict and pcptsd5.keys() <= _PCPTSD5_SET
                and type(pcptsd5.get("exposure")) is bool):
            return False
        items = pcptsd5.get("items")
        if items is None:
            if pcptsd5["exposure"]:
                return False
        elif not (type(items) is list and len(items) == PCPTSD5_ITEMS
                  and set(map(type, items)) == BOOL_ONLY):
            return False
    mdq = get("mdq")
    if mdq is not None:
        if not (type(mdq) is dict and mdq.keys() == _MDQ_SET):
            return False
        items, problem = mdq["items"], mdq["problem"]
        if not (type(items) is list and len(items) == MDQ_ITEMS
                and set(map(type, items)) == BOOL_ONLY
                and type(mdq["same_period"]) is bool and type(problem) is str
                and problem in _MDQ_PROBLEMS):
            return False
    # The optional yes/no answers: absent (not asked), true or false.
    if not (type(get(_FIREARM, False)) is bool and type(get(_SELF_HARM, False)) is bool
            and type(get(_OVERDOSE, False)) is bool):
        return False
    psychotic = get("psychotic_symptoms")
    # Exactly its parts: as many keys as parts, and each part there and a yes or no.
    return psychotic is None or (type(psychotic) is dict
                                 and len(psychotic) == _PSYCHOTIC_COUNT
                                 and type(psychotic.get(_HALLUCINATIONS)) is bool
                                 and type(psychotic.get(_PARANOIA)) is bool)


def validate_answers(answers) -> None:
    """Check one intake's answers against SPEC §3.

    Returns None when they are valid. Raises AnswersError naming the first bad field (e.g.
    "phq9[3]" or "cssrs.intent") and what was expected.
    """
    if not _quick_valid(answers):
        _explain(answers)


def _explain(answers) -> None:
    """The full check, field by field in SPEC order: raises AnswersError at the first fault."""
    _object(answers, "answers")
    _unknown(answers, FIELDS, "")
    for name in REQUIRED:
        if name not in answers:
            raise AnswersError(name, "required")
    get = answers.get
    _integer(answers["age"], "age", *AGE)
    _choice(answers["sex_at_birth"], "sex_at_birth", SEX_AT_BIRTH)
    if "concerns" in answers:
        _choices_list(answers["concerns"], "concerns", CONCERNS)
    _cssrs(answers["cssrs"])
    _choice(answers["harm_to_others"], "harm_to_others", HARM_TO_OTHERS)
    _scores(answers["phq9"], "phq9", *PHQ9)
    _scores(answers["gad7"], "gad7", *GAD7)
    _scores(answers["auditc"], "auditc", *AUDITC)
    _yes_no_list(answers["dast10"], "dast10", DAST10_ITEMS)
    if "pcptsd5" in answers:
        _pcptsd5(answers["pcptsd5"])
    if "scoff" in answers:
        _yes_no_list(answers["scoff"], "scoff", SCOFF_ITEMS)
    height, weight = get("height_cm"), get("weight_kg")
    if ("height_cm" in answers) != ("weight_kg" in answers):
        missing = "weight_kg" if "height_cm" in answers else "height_cm"
        raise AnswersError(missing, "height_cm and weight_kg go together: give both or neither")
    if "height_cm" in answers:
        _number(height, "height_cm", *HEIGHT)
        _number(weight, "weight_kg", *WEIGHT)
    if "mdq" in answers:
        _mdq(answers["mdq"])
    if "peg" in answers:
        _scores(answers["peg"], "peg", *PEG)
    _withdrawal(answers["withdrawal"])
    _medical(answers["medical"])
    _choice(answers["support"], "support", SUPPORT)
    _choice(answers["housing"], "housing", HOUSING)
    _boolean(answers["home_safe"], "home_safe")
    _choice(answers["recent_inpatient"], "recent_inpatient", RECENT_INPATIENT)
    _boolean(answers["failed_outpatient"], "failed_outpatient")
    _choice(answers["functioning"], "functioning", FUNCTIONING)
    if "availability" in answers:
        _choices_list(answers["availability"], "availability", AVAILABILITY)
    if "hours_available_per_week" in answers:
        _integer(answers["hours_available_per_week"], "hours_available_per_week", *HOURS)
    for name in OPTIONAL_YES_NO:
        if name in answers:
            _boolean(answers[name], name)
    if "psychotic_symptoms" in answers:
        _psychotic_symptoms(answers["psychotic_symptoms"])
