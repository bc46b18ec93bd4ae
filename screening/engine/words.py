"""Criteria conditions in plain words, for the admins who edit them and read their changes.

Pure: the words come from the catalogue (staff labels of answers, instrument names) and the
facts the engine knows, with the direction of each scale said outright. A scale runs from
least to most worrying, so "support is at least limited" would hide that it means "limited
or none": it reads "support is at least as worrying as limited (limited or none)". Scales
whose values are already degrees of worry (none, low, moderate, high) read "at least moderate".
"""

import re

from . import catalogue as C
from .facts import FACTS, FLAG_FACTS

# Values that say how worrying they are by themselves: "at least moderate" needs no gloss.
_DEGREE_WORDS = {"none", "low", "mild", "moderate", "moderately_severe", "severe", "high"}
_NAMES = {"suicide_risk": "suicide risk", "bmi": "BMI", "severity": "the highest severity",
          "severe_count": "the number of instruments at severe",
          "level": "the recommended level", "harm_to_others": "harm to others"}


def fact_words(name: str) -> str:
    """A fact as staff say it: "support", "PHQ-9 score", "suicide risk"."""
    if name in _NAMES:
        return _NAMES[name]
    head, _, tail = name.partition(".")
    if head in ("score", "band") and tail in C.INSTRUMENTS:
        return f"{C.INSTRUMENTS[tail].name} {head}"
    if name in C.ANSWERS and "." not in name:
        return C.ANSWERS[name].staff.lower()
    spec = FACTS.get(name) or FLAG_FACTS.get(name)
    if spec is not None and spec.get("text"):
        return str(spec["text"])
    return name.replace("_", " ").replace(".", " ")


def value_words(name: str, value) -> str:
    """One value of a fact as staff read it: "limited", "some difficulty", "yes"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return _either([value_words(name, one) for one in value])
    if name in C.ANSWERS and isinstance(value, str):
        label = C.staff_label(name, value)
        if label != str(value):
            return label.lower()
    return str(value).replace("_", " ")


def _either(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _scale(name: str) -> tuple | None:
    spec = FACTS.get(name) or FLAG_FACTS.get(name)
    if spec is None or spec.get("kind") != "scale":
        return None
    return tuple(spec["values"])


def _scale_test(name: str, op: str, value, values: tuple) -> str:
    subject = fact_words(name)
    index = values.index(value)
    chosen = {"gte": values[index:], "gt": values[index + 1:], "lte": values[:index + 1],
              "lt": values[:index]}[op]
    if len(chosen) == 1:
        return f"{subject} is {value_words(name, chosen[0])}"
    if not chosen:
        return f"{subject} is never so (no value is {op} {value_words(name, value)})"
    degrees = set(values) <= _DEGREE_WORDS
    shown = value_words(name, value)
    if degrees:
        phrase = {"gte": f"at least {shown}", "gt": f"above {shown}",
                  "lte": f"at most {shown}", "lt": f"below {shown}"}[op]
        return f"{subject} is {phrase}"
    phrase = {"gte": f"at least as worrying as {shown}", "gt": f"more worrying than {shown}",
              "lte": f"at most as worrying as {shown}",
              "lt": f"less worrying than {shown}"}[op]
    listed = _either([value_words(name, one) for one in chosen])
    return f"{subject} is {phrase} ({listed})"


def is_degree_scale(name: str) -> bool:
    """A scale whose values say how worrying they are (none, mild, ... severe)."""
    values = _scale(name)
    return values is not None and set(values) <= _DEGREE_WORDS


def operator_words(name: str, op: str) -> str:
    """An operator as the editor offers it for this fact: on a scale such as support, whose
    values do not say which way is worse, "is at least as worrying as"; else "is at least"."""
    if _scale(name) is not None and not is_degree_scale(name) and op in _WORRY_OPS:
        return _WORRY_OPS[op]
    if name == "rules" and op == "contains":
        return "include the rule"
    return _OP_WORDS.get(op, op)


def scale_words(name: str) -> str:
    """Which way a scale runs, for the editor: "from least to most worrying: strong,
    adequate, limited, none"; empty for a fact that is no scale."""
    values = _scale(name)
    if values is None:
        return ""
    return "from least to most worrying: " + ", ".join(value_words(name, v) for v in values)


_WORRY_OPS = {"gte": "is at least as worrying as", "gt": "is more worrying than",
              "lte": "is at most as worrying as", "lt": "is less worrying than"}
_OP_WORDS = {"eq": "is", "ne": "is not", "gte": "is at least", "gt": "is above",
             "lte": "is at most", "lt": "is below", "in": "is one of", "contains": "include"}


_NUMBER_OPS = {"gte": "is at least", "gt": "is above", "lte": "is at most", "lt": "is below",
               "eq": "is", "ne": "is not"}


def _leaf(node: dict) -> str:
    name, op, value = node.get("fact"), node.get("op"), node.get("value")
    if not isinstance(name, str):
        return str(node)
    subject = fact_words(name)
    if name == "rules" and op == "contains":
        return f"rule {value} matched"
    values = _scale(name)
    if values is not None and op in ("gte", "gt", "lte", "lt") and value in values:
        return _scale_test(name, op, value, values)
    if isinstance(value, bool) and op in ("eq", "ne"):
        yes = value if op == "eq" else not value
        return f"{subject}: {'yes' if yes else 'no'}"
    if op == "in":
        return f"{subject} is {value_words(name, value)}"
    if op == "contains":
        return f"{subject} include {value_words(name, value)}"
    return f"{subject} {_NUMBER_OPS.get(str(op), str(op))} {value_words(name, value)}"


def condition_words(tree) -> str:
    """A condition tree in words: "support is at least as worrying as limited (limited or
    none) and (housing is homeless or the home is safe: no)". Groups inside groups are in
    brackets; a group of one reads as its one test."""
    if not isinstance(tree, dict):
        return str(tree)
    for combinator, joiner in (("all", " and "), ("any", " or ")):
        if isinstance(tree.get(combinator), list):
            parts = []
            for sub in tree[combinator]:
                text = condition_words(sub)
                grouped = (isinstance(sub, dict) and "fact" not in sub
                           and len(next(iter(sub.values()), []) or []) > 1)
                parts.append(f"({text})" if grouped else text)
            return joiner.join(parts) if parts else ("always" if combinator == "all"
                                                     else "never")
    if "not" in tree:
        return f"not ({condition_words(tree['not'])})"
    return _leaf(tree)


# --- what changed between two criteria documents, in sentences ------------------------------

_LEVEL_WORDS = {"outpatient": "outpatient", "iop": "IOP", "inpatient": "inpatient"}


def _level(level) -> str:
    return _LEVEL_WORDS.get(str(level), str(level))


def _by_id(document: dict, key: str) -> dict[str, dict]:
    return {item["id"]: item for item in document.get(key, ()) if isinstance(item, dict)
            and isinstance(item.get("id"), str)}


def _item_changes(old: dict, new: dict, key: str) -> list[str]:
    before, after = _by_id(old, key), _by_id(new, key)
    noun = "" if key == "rules" else "flag "
    out = []
    for ident, item in before.items():
        if ident not in after:
            what = (f"it recommended {_level(item.get('level'))} when "
                    if key == "rules" else "it was raised when ")
            out.append(f"{noun}{ident} removed ({what}{condition_words(item.get('when'))})")
    for ident, item in after.items():
        if ident not in before:
            what = (f"recommends {_level(item.get('level'))} when "
                    if key == "rules" else "raised when ")
            out.append(f"{noun}{ident} added: {what}{condition_words(item.get('when'))}")
            continue
        was = before[ident]
        if was == item:
            continue
        parts = []
        if key == "rules":
            if was.get("level") == item.get("level"):
                parts.append(f"level stays {_level(item.get('level'))}")
            else:
                parts.append(f"level changed from {_level(was.get('level'))} to "
                             f"{_level(item.get('level'))}")
        if was.get("when") != item.get("when"):
            parts.append(f"condition changed from '{condition_words(was.get('when'))}' to "
                         f"'{condition_words(item.get('when'))}'")
        if was.get("reason") != item.get("reason"):
            parts.append(f"reason changed to '{item.get('reason', '')}'")
        out.append(f"{noun}{ident}: " + "; ".join(parts))
    kept_before = [ident for ident in before if ident in after]
    kept_after = [ident for ident in after if ident in before]
    if kept_before != kept_after:
        title = "Rules" if key == "rules" else "Flags"
        out.append(f"{title} in a new order: {', '.join(kept_after)}")
    return out


def _band_changes(old: dict, new: dict) -> list[str]:
    out = []
    before, after = old.get("bands") or {}, new.get("bands") or {}
    for instrument in list(before) + [i for i in after if i not in before]:
        name = C.INSTRUMENTS[instrument].name if instrument in C.INSTRUMENTS else instrument
        was, now = before.get(instrument) or {}, after.get(instrument) or {}
        for band in list(was) + [b for b in now if b not in was]:
            words = C.BAND_NAMES.get(band, band).lower()
            if band not in now:
                out.append(f"{name}: the '{words}' band removed (it started at {was[band]})")
            elif band not in was:
                out.append(f"{name}: a '{words}' band added, starting at {now[band]}")
            elif was[band] != now[band]:
                out.append(f"{name}: '{words}' starts at {now[band]} (was {was[band]})")
    return out


def criteria_changes_in_words(old: dict, new: dict) -> list[str]:
    """What changed from `old` to `new`, one sentence each: "IP-SUICIDE: level stays
    inpatient; condition changed from 'suicide risk is high' to 'suicide risk is at least
    moderate'". Cut-offs first, then rules, flags, title and description."""
    old, new = old or {}, new or {}
    out = _band_changes(old, new) + _item_changes(old, new, "rules") + _item_changes(
        old, new, "flags")
    for key in ("title", "description"):
        if old.get(key) != new.get(key):
            out.append(f"{key.capitalize()} changed to '{new.get(key, '')}'")
    return out


_ITEM = re.compile(r"^(rules|flags)\[\d+\] \(([^)]*)\)")
_GROUP = re.compile(r"\.(all|any)\[(\d+)\]")


def part_words(field: str) -> str:
    """The part of a criteria document an error names, as an admin finds it on the page:
    "rules[5] (IP-NO-SAFE-BASE).when.any[1].value" -> "rule IP-NO-SAFE-BASE, its
    condition, test 2 of the group, value"."""
    text = _ITEM.sub(lambda m: f"{'rule' if m.group(1) == 'rules' else 'flag'} {m.group(2)}",
                     field)
    text = text.replace(".when", ", its condition")
    text = _GROUP.sub(lambda m: f", part {int(m.group(2)) + 1} of the "
                                f"{'all' if m.group(1) == 'all' else 'any'} group", text)
    if text.startswith("bands."):
        instrument, _, rest = text[len("bands."):].partition(".")
        name = C.INSTRUMENTS[instrument].name if instrument in C.INSTRUMENTS else instrument
        text = f"cut-offs of {name}" + (f", {rest.replace('_', ' ')}" if rest else "")
    return text.replace(".", ", ")


# --- what would change the level (counterfactual.py), in clinicians' words -----------------

# What each derived fact is read from, for "which answers would have to differ".
_READ_FROM = {"suicide_risk": "the C-SSRS answers",
              "withdrawal_risk": "the withdrawal answers (symptoms now, seizures or DTs, "
                                 "daily heavy use)",
              "bmi": "height and weight"}


def answer_words(fact: str) -> str:
    """Which answers a change of `fact` would need to differ: "the PHQ-9 answers", "the
    answer to Support"."""
    head, _, tail = fact.partition(".")
    if head in ("score", "band") and tail in C.INSTRUMENTS:
        return f"the {C.INSTRUMENTS[tail].name} answers"
    if fact in _READ_FROM:
        return _READ_FROM[fact]
    if fact in C.ANSWERS:
        return f"the answer to \u201c{C.ANSWERS[fact].staff}\u201d"
    return fact_words(fact)


def change_words(fact: str, was, now) -> str:
    """One fact changed, as the end of "IOP if ...": "support were adequate (now limited)",
    "the home is safe: yes (now no)", "BMI were 15.0 (now 14.2)"."""
    subject = fact_words(fact)
    if fact == "bmi" and isinstance(was, (int, float)) and isinstance(now, (int, float)):
        # One decimal as reported, two when one would make the two read the same.
        digits = 1 if f"{was:.1f}" != f"{now:.1f}" else 2
        return f"{subject} were {now:.{digits}f} (now {was:.{digits}f})"
    if isinstance(now, bool):
        return f"{subject}: {value_words(fact, now)} (now {value_words(fact, was)})"
    return f"{subject} were {value_words(fact, now)} (now {value_words(fact, was)})"


def _score(value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def instrument_change_words(instrument: str, was, band_was: str, band_now: str,
                            score_range: tuple) -> str:
    """"the depression score (PHQ-9) were in the moderate band (10–14; now 17, moderately
    severe)"."""
    spec = C.INSTRUMENTS[instrument]
    low, high = score_range
    scores = _score(low) if low == high else f"{_score(low)}\u2013{_score(high)}"
    return (f"the {spec.topic} score ({spec.name}) were in the "
            f"{C.BAND_NAMES[band_now].lower()} band ({scores}; now {_score(was)}, "
            f"{C.BAND_NAMES[band_was].lower()})")


def way_words(level: str, changes: list[str]) -> str:
    """"IOP if support were adequate (now limited) and ..."."""
    name = _level(level)
    return f"{name[0].upper()}{name[1:]} if " + " and ".join(changes)


def level_change_heading(direction: str, size: int) -> str:
    facts = "one answer" if size == 1 else f"{size} answers together"
    return f"{'Higher' if direction == 'up' else 'Lower'} level: changing {facts}"


def no_level_change_words(direction: str, max_facts: int) -> str:
    return (f"{'Higher' if direction == 'up' else 'Lower'} level: no change of up to "
            f"{max_facts} answers moves it (the search stops at {max_facts}).")
