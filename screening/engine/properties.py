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
from . import catalogue as C
from .criteria import Criteria
from .errors import AnswersError
from .levels import LEVEL_RANK
from .screen import screen

# Answers whose order in the catalogue is not "least to most worrying" for the checks.
NOT_WORSENED = frozenset(path for path, question in C.ANSWERS.items()
                         if not question.ordered or question.kind not in ("boolean", "choice"))


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


def _worse(values: tuple, value):
    """The next more worrying value after `value`, or None when it is the worst."""
    rank = values.index(value)
    return values[rank + 1] if rank + 1 < len(values) else None


def _said(path: str, old, new) -> str:
    if type(new) is bool:
        return f"{path} answered {'yes' if new else 'no'}"
    return f"{path} {new} instead of {old}"


def worsenings(answers: dict) -> Iterator[tuple[str, dict]]:
    """Every answers object one step worse than `answers`, with what was made worse.

    "Worse" is the catalogue's order, least to most worrying: one item score higher, a yes
    instead of a no on a symptom or risk item (a no on "always able to stop" or "home is
    safe"), less support, and so on. An answer not asked counts as no, so a yes to it is a
    worsening too.
    """
    for instrument in C.INSTRUMENTS.values():
        outer, _, inner = instrument.path.partition(".")
        items = answers.get(outer)
        if items is not None and inner:
            if outer == "pcptsd5" and not items["exposure"]:
                continue  # the items count only once exposure is yes (below)
            items = items.get(inner)
        if items is None:
            continue
        for index, item in enumerate(instrument.items):
            worse = _worse(item.values, items[index])
            if worse is not None:
                what = "raised" if type(worse) is int else f"answered {'yes' if worse else 'no'}"
                yield f"{instrument.key} item {index + 1} {what}", _changed(
                    answers, (*instrument.path.split("."), index), worse)
    for path, question in C.ANSWERS.items():
        if path in NOT_WORSENED:
            continue
        outer, _, inner = path.partition(".")
        parent = answers.get(outer) if inner else None
        if inner:
            if parent is None:
                if outer == "psychotic_symptoms":  # not asked: one of them yes, the other no
                    yield f"{path} answered yes", _changed(answers, (outer,), {
                        name: name == inner for name in A.PSYCHOTIC_SYMPTOMS})
                continue
            value = parent.get(inner, False)  # absent C-SSRS follow-ups mean no
        else:
            value = answers.get(path, False)  # an optional yes/no not asked
        worse = _worse(question.values, value)
        if worse is None:
            continue
        if path == "pcptsd5.exposure" and parent is not None:
            yield _said(path, value, worse), _changed(answers, ("pcptsd5",), {
                "exposure": True, "items": parent.get("items", [False] * A.PCPTSD5_ITEMS)})
        else:
            yield _said(path, value, worse), _changed(answers, tuple(path.split(".")), worse)


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

    def mostly_first(values, p):
        # The least worrying answer with probability p, else a worse one, each half as
        # likely as the one before it: most people are well, a few are at each extreme.
        if rng.random() < p or len(values) == 1:
            return values[0]
        return rng.choices(values[1:], [2.0 ** -rank for rank in range(len(values) - 1)])[0]

    answers = {
        "age": rng.randint(A.AGE[0], 90),
        "sex_at_birth": rng.choice(A.SEX_AT_BIRTH),
        "concerns": rng.sample(A.CONCERNS, rng.randint(0, 3)),
        "cssrs": {"wish_dead": yes(0.2), "suicidal_thoughts": yes(0.15),
                  "behavior_lifetime": yes(0.1)},
        "harm_to_others": mostly_first(A.HARM_TO_OTHERS, 0.9),
        "phq9": items(*A.PHQ9),
        "gad7": items(*A.GAD7),
        "auditc": items(*A.AUDITC),
        "dast10": [yes(0.15) for _ in range(A.DAST10_ITEMS)],
        "withdrawal": {"current_symptoms": mostly_first(A.WITHDRAWAL_SYMPTOMS, 0.8),
                       "history_seizures_or_dts": yes(0.05), "daily_use": yes(0.1)},
        "medical": {"unstable": yes(0.03), "pregnant": yes(0.05)},
        "support": rng.choice(A.SUPPORT),
        "housing": mostly_first(A.HOUSING, 0.85),
        "home_safe": not yes(0.1),
        "recent_inpatient": mostly_first(A.RECENT_INPATIENT, 0.8),
        "failed_outpatient": yes(0.2),
        "functioning": rng.choice(A.FUNCTIONING),
    }
    cssrs = answers["cssrs"]
    for name in A.CSSRS_FOLLOW_UPS[:-1]:  # Q3-Q5, asked after a yes to Q2
        if cssrs["suicidal_thoughts"] or yes(0.02):
            cssrs[name] = yes(0.3)
    if cssrs["behavior_lifetime"]:
        cssrs["behavior_past_3_months"] = yes(0.3)
    dast10 = answers["dast10"]
    dast10[C.DAST10_ABLE_TO_STOP] = not yes(0.2)
    if yes(0.5):
        exposure = yes(0.5)
        answers["pcptsd5"] = {"exposure": exposure}
        if exposure:
            answers["pcptsd5"]["items"] = [yes(0.4) for _ in range(A.PCPTSD5_ITEMS)]
    if yes(0.4):
        answers["scoff"] = [yes(0.3) for _ in range(A.SCOFF_ITEMS)]
        answers["height_cm"] = round(rng.uniform(140, 200), 1)
        answers["weight_kg"] = round(rng.uniform(30, 140), 1)
    if yes(0.3):
        answers["mdq"] = {"items": [yes(0.4) for _ in range(A.MDQ_ITEMS)],
                          "same_period": yes(0.5),
                          "problem": rng.choice(A.MDQ_PROBLEM)}
    if yes(0.3):
        answers["peg"] = items(*A.PEG)
    if yes(0.5):
        answers["availability"] = rng.sample(A.AVAILABILITY,
                                             rng.randint(1, len(A.AVAILABILITY)))
        answers["hours_available_per_week"] = rng.randint(*A.HOURS)
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
