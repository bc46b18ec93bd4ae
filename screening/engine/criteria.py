"""Criteria documents: checked, then compiled once into plain Python closures.

A document is data an admin edits: band cut-offs, rules and flags. A rule is an id, a
level, a plain-words reason and a condition; a condition is either one test of a fact
({"fact", "op", "value"}) or a group ({"all": [...]} or {"any": [...]}). Nothing in a
document is ever executed as code: each test becomes a small closure over a checked value.
See docs/criteria.md for the format with the default as the worked example.
"""

import json
import math
import operator
from dataclasses import dataclass

from . import catalogue as C
from .errors import CriteriaError
from .facts import FACTS, FLAG_FACTS, BandTables
from .levels import BAND_RANK, BANDS, INSTRUMENTS, LEVEL_RANK, LEVELS
from .result import Reason

OPERATORS = ("eq", "ne", "gte", "lte", "gt", "lt", "in", "contains")
_ORDER_OPS = {"gte": operator.ge, "lte": operator.le, "gt": operator.gt, "lt": operator.lt}
_OPS_BY_KIND = {
    "scale": ("eq", "ne", "gte", "lte", "gt", "lt", "in"),
    "number": ("eq", "ne", "gte", "lte", "gt", "lt", "in"),
    "boolean": ("eq", "ne"),
    "choice": ("eq", "ne", "in"),
    "list": ("contains",),
}


def operators_for(spec: dict) -> tuple[str, ...]:
    """The operators a test of a fact of this kind may use (the editor offers these)."""
    return _OPS_BY_KIND[spec["kind"]]


# Score ranges (SPEC §4): a cut-off outside them could never be reached.
SCORE_RANGES = {key: instrument.score_range for key, instrument in C.INSTRUMENTS.items()}
# A BMI below which SCOFF counts as severe: the range an admin may set it in.
BMI_CUTOFF_RANGE = (10, 60)
SEXES = C.values("sex_at_birth")
DOCUMENT_KEYS = ("version", "title", "description", "bands", "rules", "flags")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: str
    reason: str
    test: object  # facts -> bool
    explained: Reason  # made once here, shared by every result the rule matches
    order: int  # minus the level's rank: sorting on it puts the highest level first


@dataclass(frozen=True, slots=True)
class Flag:
    id: str
    reason: str
    test: object


@dataclass(frozen=True, slots=True)
class Criteria:
    """A compiled criteria document: what `screen` runs on."""

    version: str
    bands: BandTables
    rules: tuple
    flags: tuple
    document: dict
    # The rules highest level first, criteria order kept within a level: the first of
    # them that matches gives the level (screen_level stops there).
    by_level: tuple = ()


def _is_number(value) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


# --- conditions ---------------------------------------------------------------------------


def _value_error(path, fact, spec, value):
    if spec["kind"] == "number":
        wanted = "a number"
    elif spec["kind"] == "boolean":
        wanted = "true or false"
    else:
        wanted = "one of " + ", ".join(spec["values"] or ())
    return CriteriaError(f"{path}.value", f"{json.dumps(value)} is not a value of {fact}: "
                                          f"expected {wanted}")


def _check_value(path, fact, spec, value):
    kind = spec["kind"]
    if kind == "number":
        ok = _is_number(value)
    elif kind == "boolean":
        ok = type(value) is bool
    elif spec["values"] is None:
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, str) and value in spec["values"]
    if not ok:
        raise _value_error(path, fact, spec, value)


def _leaf(node: dict, path: str, facts: dict):
    unknown = set(node) - {"fact", "op", "value"}
    if unknown:
        raise CriteriaError(f"{path}.{sorted(unknown)[0]}", "unknown key in a condition")
    for key in ("fact", "op", "value"):
        if key not in node:
            raise CriteriaError(f"{path}.{key}", "required in a condition")
    name, op, value = node["fact"], node["op"], node["value"]
    if name not in facts:
        hint = " (known once the rules have run: only flags may use it)" \
            if name in FLAG_FACTS else ""
        raise CriteriaError(f"{path}.fact", f"unknown fact {json.dumps(name)}{hint}")
    spec = facts[name]
    if op not in OPERATORS:
        raise CriteriaError(f"{path}.op", f"unknown operator {json.dumps(op)}: "
                                          f"use one of {', '.join(OPERATORS)}")
    if op not in _OPS_BY_KIND[spec["kind"]]:
        raise CriteriaError(f"{path}.op", f"{op} cannot be used with {name}: use one of "
                                          f"{', '.join(_OPS_BY_KIND[spec['kind']])}")
    if op == "in":
        if type(value) is not list or not value:
            raise CriteriaError(f"{path}.value", "expected a non-empty list for 'in'")
        for item in value:
            _check_value(path, name, spec, item)
        return _member(name, frozenset(value))
    _check_value(path, name, spec, value)
    if op == "contains":
        return lambda facts: value in facts[name]
    if spec["kind"] == "scale" and op != "eq":
        # On a named scale every test is "one of these values": one set lookup per case.
        compare = _ORDER_OPS.get(op, operator.ne)
        values = spec["values"]
        rank = values.index(value)
        return _member(name, frozenset(v for i, v in enumerate(values)
                                       if (compare(i, rank) if op in _ORDER_OPS
                                           else v != value)))
    if "whole" in spec:
        # Only whole numbers in a known range: the test is "one of the numbers that pass".
        low, high = spec["whole"]
        compare = _ORDER_OPS.get(op) or (operator.eq if op == "eq" else operator.ne)
        return _member(name, frozenset(n for n in range(low, high + 1) if compare(n, value)))
    if op == "eq":
        # A fact holds values of its own kind or None, so "equals" is "one of {value}".
        return _member(name, frozenset((value,)))
    if op == "ne":
        return lambda facts: (current := facts[name]) is not None and current != value
    compare = _ORDER_OPS[op]
    return lambda facts: (current := facts[name]) is not None and compare(current, value)


def _member(name: str, values: frozenset):
    """The test "the fact is one of these values" (None is never one), marked with what it
    tests so that a group of such tests can be joined into one function (_joined)."""
    def test(facts):
        return facts[name] in values
    setattr(test, "member", (name, values))  # noqa: B010 (mypy knows no such attribute)
    return test


def _joined(combinator: str, tests: list):
    """A group of two to four "one of these values" tests as one function, without a call
    per test; None when the group holds any other kind of test."""
    found = [getattr(test, "member", None) for test in tests]
    if None in found or not 2 <= len(found) <= 4:
        return None
    members: list[tuple[str, frozenset]] = [member for member in found if member is not None]
    if combinator == "any" and len({name for name, _ in members}) == 1:
        return _member(members[0][0], frozenset().union(*(values for _, values in members)))
    (n1, s1), (n2, s2) = members[:2]
    if len(members) == 2:
        if combinator == "all":
            return lambda facts: facts[n1] in s1 and facts[n2] in s2
        return lambda facts: facts[n1] in s1 or facts[n2] in s2
    n3, s3 = members[2]
    if len(members) == 3:
        if combinator == "all":
            return lambda facts: facts[n1] in s1 and facts[n2] in s2 and facts[n3] in s3
        return lambda facts: facts[n1] in s1 or facts[n2] in s2 or facts[n3] in s3
    n4, s4 = members[3]
    if combinator == "all":
        return lambda facts: (facts[n1] in s1 and facts[n2] in s2 and facts[n3] in s3
                              and facts[n4] in s4)
    return lambda facts: (facts[n1] in s1 or facts[n2] in s2 or facts[n3] in s3
                          or facts[n4] in s4)


def _all(tests):
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        if (member := getattr(first, "member", None)) is not None:
            name, values = member  # "this fact is one of these, and ...": one call fewer
            return lambda facts: facts[name] in values and second(facts)
        return lambda facts: first(facts) and second(facts)

    def every(facts):  # a plain loop: a generator inside all() costs more per case
        for test in tests:  # noqa: SIM110
            if not test(facts):
                return False
        return True

    return every


def _any(tests):
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        if (member := getattr(first, "member", None)) is not None:
            name, values = member
            return lambda facts: facts[name] in values or second(facts)
        return lambda facts: first(facts) or second(facts)

    def some(facts):
        for test in tests:  # noqa: SIM110
            if test(facts):
                return True
        return False

    return some


def compile_condition(node, path: str, facts: dict):
    """A condition tree as a function of the facts. Raises CriteriaError naming the part."""
    if type(node) is not dict:
        raise CriteriaError(path, "expected a condition: {\"fact\", \"op\", \"value\"} or "
                                  "{\"all\": [...]} or {\"any\": [...]}")
    groups = [key for key in ("all", "any") if key in node]
    if not groups:
        return _leaf(node, path, facts)
    if len(node) != 1:
        raise CriteriaError(path, "a group holds exactly one of all or any, and nothing else")
    combinator = groups[0]
    children = node[combinator]
    if type(children) is not list or not children:
        raise CriteriaError(f"{path}.{combinator}", "needs at least one condition")
    tests = [compile_condition(child, f"{path}.{combinator}[{index}]", facts)
             for index, child in enumerate(children)]
    # Every child was checked above: joining them only makes the group faster.
    if combinator == "any" and (merged := _any_contains(children)) is not None:
        return merged
    if (joined := _joined(combinator, tests)) is not None:
        return joined
    return _all(tests) if combinator == "all" else _any(tests)


def _any_contains(children: list):
    """"The list holds any of these" as one set operation, when every child is a
    `contains` test of the same list fact (urgent: rules contains any of four ids)."""
    if len(children) < 2 or any(child.get("op") != "contains" for child in children):
        return None
    names = {child["fact"] for child in children}
    if len(names) != 1:
        return None
    name, values = names.pop(), frozenset(child["value"] for child in children)
    return lambda facts: not values.isdisjoint(facts[name])


# --- bands --------------------------------------------------------------------------------


def _band_table(table, path: str, low: float, high: float, integer: bool) -> tuple:
    """(lowest score, band) pairs, highest band first."""
    if type(table) is not dict or not table:
        raise CriteriaError(path, "expected cut-offs: {\"band\": lowest score, ...}")
    previous = None
    for band in sorted(table, key=lambda b: BAND_RANK.get(b, -1)):
        if band not in BAND_RANK or band == "none":
            raise CriteriaError(f"{path}.{band}", f"unknown band: use {', '.join(BANDS[1:])} "
                                                  "(none is every score below the first)")
        cut = table[band]
        if not _is_number(cut) or (integer and cut != int(cut)):
            kind = "a whole number" if integer else "a number"
            raise CriteriaError(f"{path}.{band}", f"expected {kind}, got {json.dumps(cut)}")
        if not low < cut <= high:
            raise CriteriaError(f"{path}.{band}", f"must be above {low} and at most {high}, "
                                                  f"got {cut}")
        if previous is not None and cut <= previous[1]:
            raise CriteriaError(f"{path}.{band}", f"must start above {previous[0]} "
                                                  f"({previous[1]}): bands go up in order")
        previous = (band, cut)
    return tuple(sorted(((cut, band) for band, cut in table.items()), reverse=True))


def _number_at(node, key, path, low, high, integer=False):
    if type(node) is not dict or key not in node:
        raise CriteriaError(f"{path}.{key}", "required")
    value = node[key]
    if not _is_number(value) or (integer and value != int(value)) or not low <= value <= high:
        raise CriteriaError(f"{path}.{key}", f"expected a number from {low} to {high}, "
                                             f"got {json.dumps(value)}")
    return value


def _bands(section) -> BandTables:
    if type(section) is not dict:
        raise CriteriaError("bands", "expected an object of cut-offs per instrument")
    known = set(INSTRUMENTS)
    for name in section:
        if name not in known:
            raise CriteriaError(f"bands.{name}", "unknown instrument")
    for name in INSTRUMENTS:
        if name not in section:
            raise CriteriaError(f"bands.{name}", "required")
    tables = {}
    for name in ("phq9", "gad7", "dast10", "pcptsd5", "peg"):
        low, high = SCORE_RANGES[name]
        tables[name] = _band_table(section[name], f"bands.{name}", low, high,
                                   integer=name != "peg")
    auditc = section["auditc"]
    if type(auditc) is not dict:
        raise CriteriaError("bands.auditc", "expected one table of cut-offs per sex at birth")
    for sex in auditc:
        if sex not in SEXES:
            raise CriteriaError(f"bands.auditc.{sex}", f"unknown sex at birth: use "
                                                       f"{', '.join(SEXES)}")
    by_sex = {}
    for sex in SEXES:
        if sex not in auditc:
            raise CriteriaError(f"bands.auditc.{sex}", "required")
        by_sex[sex] = _band_table(auditc[sex], f"bands.auditc.{sex}", *SCORE_RANGES["auditc"],
                                  integer=True)
    scoff = section["scoff"]
    if type(scoff) is not dict:
        raise CriteriaError("bands.scoff", "expected cut-offs")
    low_weight = scoff.get("with_low_weight")
    if type(low_weight) is not dict or set(low_weight) != {"severe", "bmi_below"}:
        raise CriteriaError("bands.scoff.with_low_weight",
                            "expected {\"severe\": lowest SCOFF score, \"bmi_below\": BMI}")
    tables["scoff"] = _band_table({k: v for k, v in scoff.items() if k != "with_low_weight"},
                                  "bands.scoff", *SCORE_RANGES["scoff"], integer=True)
    mdq = section["mdq"]
    if type(mdq) is not dict or set(mdq) != {"moderate"}:
        raise CriteriaError("bands.mdq", "expected {\"moderate\": lowest count of yes items}")
    return BandTables(
        tables=tables, auditc=by_sex,
        scoff_severe_from=_number_at(low_weight, "severe", "bands.scoff.with_low_weight", 1,
                                     SCORE_RANGES["scoff"][1], integer=True),
        scoff_severe_below_bmi=_number_at(low_weight, "bmi_below",
                                          "bands.scoff.with_low_weight", *BMI_CUTOFF_RANGE),
        mdq_moderate_from=_number_at(mdq, "moderate", "bands.mdq", 1, SCORE_RANGES["mdq"][1],
                                     integer=True),
        score_max={name: high for name, (_, high) in SCORE_RANGES.items() if name != "peg"},
    )


# --- rules and flags ----------------------------------------------------------------------


def _items(document, key: str, facts: dict, with_level: bool) -> tuple:
    items = document.get(key)
    if type(items) is not list:
        raise CriteriaError(key, "expected a list")
    seen = set()
    compiled: list[Rule | Flag] = []
    allowed = {"id", "reason", "when"} | ({"level"} if with_level else set())
    for index, item in enumerate(items):
        label = f"{key}[{index}]"
        if type(item) is not dict:
            raise CriteriaError(label, "expected an object with id, reason and when")
        item_id = item.get("id")
        if type(item_id) is not str or not item_id.strip():
            raise CriteriaError(f"{label}.id", "required: a short name such as IP-SUICIDE")
        label = f"{key}[{index}] ({item_id})"
        if item_id in seen:
            raise CriteriaError(f"{label}.id", "used twice: ids must be unique")
        seen.add(item_id)
        for extra in item:
            if extra not in allowed:
                raise CriteriaError(f"{label}.{extra}", "unknown key")
        reason = item.get("reason", "")
        if type(reason) is not str or (with_level and not reason.strip()):
            raise CriteriaError(f"{label}.reason", "required: say in plain words why")
        if "when" not in item:
            raise CriteriaError(f"{label}.when", "required: the condition")
        test = compile_condition(item["when"], f"{label}.when", facts)
        if with_level:
            if item.get("level") not in LEVELS:
                raise CriteriaError(f"{label}.level", f"expected one of {', '.join(LEVELS)}, "
                                                      f"got {json.dumps(item.get('level'))}")
            compiled.append(Rule(item_id, item["level"], reason, test,
                                 Reason(item_id, item["level"], reason),
                                 -LEVEL_RANK[item["level"]]))
        else:
            compiled.append(Flag(item_id, reason, test))
    return tuple(compiled)


def _compile(document) -> Criteria:
    if type(document) is not dict:
        raise CriteriaError("", "a criteria document is a JSON object")
    for key in document:
        if key not in DOCUMENT_KEYS:
            raise CriteriaError(key, "unknown key in a criteria document")
    version = document.get("version")
    if type(version) is not str or not version.strip():
        raise CriteriaError("version", "required: the name of this criteria version")
    bands = _bands(document.get("bands"))
    rules = _items(document, "rules", FACTS, with_level=True)
    flags = _items(document, "flags", {**FACTS, **FLAG_FACTS}, with_level=False)
    return Criteria(version=version, bands=bands, rules=rules, flags=flags, document=document,
                    by_level=tuple(sorted(rules, key=lambda rule: rule.order)))


_CACHE: dict[str, Criteria] = {}
_CACHE_SIZE = 32


def load_criteria(document: dict) -> Criteria:
    """Check a criteria document and compile it for `screen`; compiled once per content.

    Returns a Criteria. Raises CriteriaError naming the bad part, e.g.
    "rules[7] (IP-SEVERE-COOCCURRING).when.value: ...".
    """
    try:
        key = json.dumps(document, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise CriteriaError("", f"not JSON data: {error}") from None
    compiled = _CACHE.get(key)
    if compiled is None:
        compiled = _compile(document)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = compiled
    return compiled


def level_rank(level: str) -> int:
    return LEVEL_RANK[level]
