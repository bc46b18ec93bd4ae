"""The two properties every criteria set must keep (SPEC §6), checked on many cases.

- Safety floor: high suicide risk, intent to harm others, severe withdrawal risk or a
  medically unstable condition always give inpatient with the urgent flag.
- Monotone: a worse answer never lowers the level.

Publishing a draft runs both over the public test cases and generated ones; the test suite
runs them with hypothesis. `worsenings` is the one list of "a worse answer" both use.
"""

import copy
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import answers as A
from .criteria import Criteria
from .errors import AnswersError
from .levels import LEVEL_RANK
from .screen import screen

ITEM_SCALES = {"phq9": (9, 3), "gad7": (7, 3), "auditc": (3, 4), "peg": (3, 10)}
# Orders from better to worse, as SPEC §6 lists them.
WORSE_ORDER = {
    "harm_to_others": A.HARM_TO_OTHERS,
    "support": tuple(reversed(A.SUPPORT)),
    "housing": A.HOUSING,
    "functioning": A.FUNCTIONING,
    "recent_inpatient": A.RECENT_INPATIENT,
}
RISK_YES = ("home_safe",)  # a yes here is the better answer


@dataclass(frozen=True)
class Violation:
    """One case where a property fails, in plain words."""

    message: str
    answers: dict

    def __str__(self) -> str:
        return self.message


def _changed(answers: dict, path: tuple, value) -> dict:
    worse = copy.deepcopy(answers)
    node = worse
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return worse


def worsenings(answers: dict) -> Iterator[tuple[str, dict]]:
    """Every answers object one step worse than `answers`, with what was made worse."""
    for name, (_, high) in ITEM_SCALES.items():
        items = answers.get(name) or ()
        for index in range(len(items)):
            if items[index] < high:
                yield f"{name} item {index + 1} raised", _changed(answers, (name, index),
                                                                   items[index] + 1)
    for index, yes in enumerate(answers["dast10"]):
        # Item 3 ("always able to stop") is worse when answered no.
        worse = index != 2
        if yes != worse:
            yield f"dast10 item {index + 1} answered {'yes' if worse else 'no'}", \
                _changed(answers, ("dast10", index), worse)
    for name, count in (("scoff", 5),):
        for index in range(count if name in answers else 0):
            if not answers[name][index]:
                yield f"{name} item {index + 1} answered yes", _changed(answers, (name, index),
                                                                        True)
    pcptsd5 = answers.get("pcptsd5")
    if pcptsd5 is not None:
        if not pcptsd5["exposure"]:
            yield "pcptsd5 exposure answered yes", _changed(
                answers, ("pcptsd5",), {"exposure": True,
                                        "items": pcptsd5.get("items", [False] * 5)})
        for index, yes in enumerate(pcptsd5.get("items") or ()):
            if pcptsd5["exposure"] and not yes:
                yield f"pcptsd5 item {index + 1} answered yes", _changed(
                    answers, ("pcptsd5", "items", index), True)
    mdq = answers.get("mdq")
    if mdq is not None:
        for index, yes in enumerate(mdq["items"]):
            if not yes:
                yield f"mdq item {index + 1} answered yes", _changed(
                    answers, ("mdq", "items", index), True)
        if not mdq["same_period"]:
            yield "mdq same period answered yes", _changed(answers, ("mdq", "same_period"), True)
        rank = A.MDQ_PROBLEM.index(mdq["problem"])
        if rank + 1 < len(A.MDQ_PROBLEM):
            yield "mdq problem worse", _changed(answers, ("mdq", "problem"),
                                                A.MDQ_PROBLEM[rank + 1])
    for name in A.CSSRS_FIELDS:
        if not answers["cssrs"].get(name, False):
            yield f"cssrs {name} answered yes", _changed(answers, ("cssrs", name), True)
    for name, order in WORSE_ORDER.items():
        rank = order.index(answers[name])
        if rank + 1 < len(order):
            yield f"{name} {order[rank + 1]} instead of {answers[name]}", _changed(
                answers, (name,), order[rank + 1])
    if answers["home_safe"]:
        yield "home not safe", _changed(answers, ("home_safe",), False)
    if not answers["failed_outpatient"]:
        yield "failed outpatient answered yes", _changed(answers, ("failed_outpatient",), True)
    withdrawal = answers["withdrawal"]
    rank = A.WITHDRAWAL_SYMPTOMS.index(withdrawal["current_symptoms"])
    if rank + 1 < len(A.WITHDRAWAL_SYMPTOMS):
        yield "withdrawal symptoms worse", _changed(
            answers, ("withdrawal", "current_symptoms"), A.WITHDRAWAL_SYMPTOMS[rank + 1])
    for name in ("daily_use", "history_seizures_or_dts"):
        if not withdrawal[name]:
            yield f"withdrawal {name} answered yes", _changed(answers, ("withdrawal", name), True)
    if not answers["medical"]["unstable"]:
        yield "medically unstable", _changed(answers, ("medical", "unstable"), True)
    # SPEC v2's optional risk answers: a yes is worse than a no or than not asked.
    for name in A.OPTIONAL_YES_NO:
        if not answers.get(name, False):
            yield f"{name} answered yes", _changed(answers, (name,), True)
    psychotic = answers.get("psychotic_symptoms")
    for name in A.PSYCHOTIC_SYMPTOMS:
        if psychotic is None:
            yield f"psychotic_symptoms {name} answered yes", _changed(
                answers, ("psychotic_symptoms",),
                {other: other == name for other in A.PSYCHOTIC_SYMPTOMS})
        elif not psychotic[name]:
            yield f"psychotic_symptoms {name} answered yes", _changed(
                answers, ("psychotic_symptoms", name), True)


def safety_floor_variants(answers: dict) -> Iterator[tuple[str, dict]]:
    """`answers` with each acute risk of the safety floor added."""
    yield "suicide risk high (intent)", _changed(answers, ("cssrs", "intent"), True)
    yield "suicide risk high (plan)", _changed(answers, ("cssrs", "plan"), True)
    yield "suicide risk high (behavior in the past 3 months)", _changed(
        answers, ("cssrs", "behavior_past_3_months"), True)
    yield "intent to harm others", _changed(answers, ("harm_to_others",), "intent")
    yield "severe withdrawal symptoms", _changed(
        answers, ("withdrawal", "current_symptoms"), "severe")
    yield "seizure/DT history with daily use", _changed(
        _changed(answers, ("withdrawal", "daily_use"), True),
        ("withdrawal", "history_seizures_or_dts"), True)
    yield "medically unstable", _changed(answers, ("medical", "unstable"), True)


def check_safety_floor(criteria: Criteria, cases: Iterable[dict]) -> list[Violation]:
    """Cases where an acute risk does not give inpatient + urgent (empty when none)."""
    violations = []
    for answers in cases:
        for what, risky in safety_floor_variants(answers):
            try:
                result = screen(risky, criteria)
            except AnswersError:
                continue
            if result.level != "inpatient" or "urgent" not in result.flags:
                violations.append(Violation(
                    f"{what} gave {result.level}"
                    f"{'' if 'urgent' in result.flags else ' without the urgent flag'}, "
                    "must be inpatient and urgent", risky))
    return violations


def check_monotone(criteria: Criteria, cases: Iterable[dict]) -> list[Violation]:
    """Cases where one worse answer lowers the level (empty when none)."""
    violations = []
    for answers in cases:
        try:
            base = LEVEL_RANK[screen(answers, criteria).level]
        except AnswersError:
            continue
        for what, worse in worsenings(answers):
            level = screen(worse, criteria).level
            if LEVEL_RANK[level] < base:
                before = screen(answers, criteria).level
                violations.append(Violation(f"{what} lowered the level from {before} to "
                                            f"{level}", worse))
    return violations


def random_answers(rng: random.Random) -> dict:
    """One valid answers object, spread over the whole answer space."""
    def yes(p=0.3):
        return rng.random() < p

    def items(count, high):
        # Most people score low on most instruments: skew towards 0 so that generated
        # cases sit near every cut-off, not all at "moderate".
        load = rng.random() ** 2
        return [rng.randint(1, high) if rng.random() < load else 0 for _ in range(count)]

    answers = {
        "age": rng.randint(12, 90),
        "sex_at_birth": rng.choice(A.SEX_AT_BIRTH),
        "concerns": rng.sample(A.CONCERNS, rng.randint(0, 3)),
        "cssrs": {"wish_dead": yes(0.2), "suicidal_thoughts": yes(0.15),
                  "behavior_lifetime": yes(0.1)},
        "harm_to_others": rng.choices(A.HARM_TO_OTHERS, (90, 8, 2))[0],
        "phq9": items(9, 3),
        "gad7": items(7, 3),
        "auditc": items(3, 4),
        "dast10": [yes(0.15) for _ in range(10)],
        "withdrawal": {"current_symptoms": rng.choices(A.WITHDRAWAL_SYMPTOMS,
                                                         (80, 10, 7, 3))[0],
                       "history_seizures_or_dts": yes(0.05), "daily_use": yes(0.1)},
        "medical": {"unstable": yes(0.03), "pregnant": yes(0.05)},
        "support": rng.choice(A.SUPPORT),
        "housing": rng.choices(A.HOUSING, (85, 10, 5))[0],
        "home_safe": not yes(0.1),
        "recent_inpatient": rng.choices(A.RECENT_INPATIENT, (80, 15, 5))[0],
        "failed_outpatient": yes(0.2),
        "functioning": rng.choice(A.FUNCTIONING),
    }
    cssrs = answers["cssrs"]
    for name in ("method", "intent", "plan"):
        if cssrs["suicidal_thoughts"] or yes(0.02):
            cssrs[name] = yes(0.3)
    if cssrs["behavior_lifetime"]:
        cssrs["behavior_past_3_months"] = yes(0.3)
    dast10 = answers["dast10"]
    dast10[2] = not yes(0.2)
    if yes(0.5):
        exposure = yes(0.5)
        answers["pcptsd5"] = {"exposure": exposure}
        if exposure:
            answers["pcptsd5"]["items"] = [yes(0.4) for _ in range(5)]
    if yes(0.4):
        answers["scoff"] = [yes(0.3) for _ in range(5)]
        answers["height_cm"] = round(rng.uniform(140, 200), 1)
        answers["weight_kg"] = round(rng.uniform(30, 140), 1)
    if yes(0.3):
        answers["mdq"] = {"items": [yes(0.4) for _ in range(13)], "same_period": yes(0.5),
                          "problem": rng.choice(A.MDQ_PROBLEM)}
    if yes(0.3):
        answers["peg"] = items(3, 10)
    if yes(0.5):
        answers["availability"] = rng.sample(A.AVAILABILITY, rng.randint(1, 4))
        answers["hours_available_per_week"] = rng.randint(0, 40)
    for name in A.OPTIONAL_YES_NO:  # asked of most people, rarely yes
        if yes(0.7):
            answers[name] = yes(0.1)
    if yes(0.7):
        answers["psychotic_symptoms"] = {name: yes(0.08) for name in A.PSYCHOTIC_SYMPTOMS}
    return answers


def generate_cases(count: int, seed: int = 0) -> list[dict]:
    """`count` random valid answers objects, the same for the same seed."""
    rng = random.Random(seed)
    return [random_answers(rng) for _ in range(count)]
