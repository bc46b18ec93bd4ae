"""What would change the level: the smallest changes to an intake's facts that move it.

For clinicians beside the reasons ("IOP if support were adequate (now limited)"): for an
appeal to a payer, or to see what a plan of care works on. It explains the criteria; it is
never advice to the person.

The search works over the criteria's own facts, the ones its rules test, each over the
values it can take:
- a named scale (support, suicide risk, ...) over its values, a yes/no over the other answer,
  a number over the values either side of each cut-off a rule compares it with;
- the symptom facts (severity, the number of instruments at severe, an instrument's band
  or score) through each instrument that was given: its score moves to the nearest score
  in another band, and its band, the severity and the severe count follow as facts_of
  works them out, so a changed world is one some answers could give;
- BMI, when a rule tests it or it decides the SCOFF band.
Answers not given (an instrument not asked, no height and weight) and facts with no order
(sex at birth, lists of concerns) are not varied.

Smallest means fewest facts: every one-fact change first; two-fact changes only when no one
fact is enough; the search stops at two (MAX_FACTS) and says so. Each fact goes to the
nearest value on its scale that moves the level, in the direction asked. A change may
move it two steps (inpatient to outpatient); the way names the level it gives, and ways
to the next level come first. Every result is the engine's own: each changed world is
run through the same rules_matched that `screen` runs.
"""

from itertools import combinations, product
from typing import NamedTuple

from . import catalogue as C
from . import words as W
from .answers import validate_answers
from .criteria import Criteria
from .facts import FACTS, Facts, facts_of, severity_of
from .instruments import peg_score
from .levels import BAND_RANK, INSTRUMENTS, LEVEL_RANK, LEVELS
from .screen import level_of, rules_matched

MAX_FACTS = 2
# Facts about acute risk and safety: a way through them explains how the criteria read a
# safety answer ("IOP if suicide risk were moderate"); the page words it as such.
SAFETY_FACTS = frozenset({
    "suicide_risk", "harm_to_others", "withdrawal_risk", "medical.unstable", "bmi",
    "phq9.item9", "firearm_access", "self_harm_past_month", "overdose_past_year",
    *(name for name in FACTS if name.split(".")[0] in ("cssrs", "withdrawal",
                                                        "psychotic_symptoms")),
})
# Facts worked out from every instrument's band.
_FROM_ALL_INSTRUMENTS = frozenset({"severity", "severe_count"})
_NOT_VARIED_KINDS = ("choice", "list")
# Every PEG score three answers of 0-10 can give (a mean to one decimal).
_PEG_SCORES = tuple(sorted({peg_score([min(total, 10), min(max(total - 10, 0), 10),
                                       max(total - 20, 0)]) for total in range(31)}))


class Change(NamedTuple):
    """One fact changed. For an instrument, `fact` is "score.<key>", `was` and `now` are
    scores, and the bands and the band's score range say what the change means."""

    fact: str
    was: object
    now: object
    steps: float  # how far along its scale: 1 = the next value
    safety: bool
    answer: str  # which answers would have to differ, in words
    words: str  # "support were adequate (now limited)"
    band_was: str | None = None
    band_now: str | None = None
    band_range: tuple | None = None


class Way(NamedTuple):
    """A set of changes that moves the level to `level`."""

    level: str
    changes: tuple  # of Change
    words: str  # "IOP if support were adequate (now limited)"

    @property
    def safety(self) -> bool:
        return any(change.safety for change in self.changes)


class Direction(NamedTuple):
    """The smallest ways up (or down) from the current level."""

    direction: str  # "up" or "down"
    ways: tuple  # of Way, next level first, then fewest steps, then the criteria's order
    size: int  # facts changed in each way; 0 when none of up to MAX_FACTS facts moves it
    words: str  # a heading, or what was searched when nothing was found


class LevelChanges(NamedTuple):
    level: str
    criteria_version: str
    up: Direction | None  # None at the highest level
    down: Direction | None  # None at the lowest
    max_facts: int = MAX_FACTS


class _Candidate(NamedTuple):
    value: object
    steps: float
    worse: bool | None  # more worrying than the current value; None when not ordered
    distance: float  # within equal steps, how far the value itself moves


class _Variable(NamedTuple):
    fact: str
    instrument: str | None
    current: object
    candidates: tuple  # of _Candidate
    position: int  # where the criteria first test it: the order ways are listed in


def level_changes(answers: dict, criteria: Criteria) -> LevelChanges:
    """The smallest changes to the facts of `answers` that move the level up and down.

    Raises AnswersError naming the first bad field, as `screen` does.
    """
    validate_answers(answers)
    return level_changes_of_facts(facts_of(answers, criteria.bands), criteria)


def level_changes_of_facts(facts: Facts, criteria: Criteria) -> LevelChanges:
    matched = rules_matched(facts, criteria)  # also works out every fact the rules test
    level = level_of(matched)
    variables = _variables(facts, criteria)
    references = _rule_references(criteria)
    return LevelChanges(level, criteria.version,
                        _search(facts, criteria, variables, level, matched, references,
                                up=True),
                        _search(facts, criteria, variables, level, matched, references,
                                up=False))


def applied(facts: Facts, criteria: Criteria, changes) -> Facts:
    """A copy of `facts` with `changes` ((fact, value) pairs, or Change) made, and the facts
    worked out from a changed score or BMI worked out again. Pure: `facts` is unchanged."""
    world = Facts(facts)
    world.answers = facts.answers
    rebanded: set[str] = set()
    scores = bands = None
    for change in changes:
        fact, value = (change.fact, change.now) if isinstance(change, Change) else change
        instrument = _instrument_of(fact)
        if instrument is not None or fact == "bmi":
            if scores is None:
                scores, bands = dict(facts["scores"]), dict(facts["bands"])
            if instrument is not None:
                scores[instrument] = value
                rebanded.add(instrument)
            else:
                world["bmi"] = value
                scores["bmi"] = round(value, 1) if isinstance(value, (int, float)) else None
                rebanded.add("scoff")
        else:
            world[fact] = value
    if scores is not None and bands is not None:
        answers = facts.answers
        for instrument in rebanded:
            bands[instrument] = criteria.bands.band(
                instrument, scores[instrument], answers["sex_at_birth"], world["bmi"],
                answers.get("mdq"))
        world["scores"], world["bands"] = scores, bands
        world["severity"], world["severe_count"] = severity_of(
            tuple(BAND_RANK[bands[key]] for key in INSTRUMENTS))
        for key in INSTRUMENTS:  # worked out again from the new scores when a rule asks
            world.pop(f"band.{key}", None)
            world.pop(f"score.{key}", None)
    return world


def level_with(facts: Facts, criteria: Criteria, changes) -> str:
    """The level the engine gives `facts` with `changes` made."""
    return level_of(rules_matched(applied(facts, criteria, changes), criteria))


# --- what may vary ------------------------------------------------------------------------


def _instrument_of(fact: str) -> str | None:
    head, _, tail = fact.partition(".")
    return tail if head in ("score", "band") and tail in INSTRUMENTS else None


def _leaves(node):
    if isinstance(node, dict):
        if "fact" in node:
            yield node
        for key in ("all", "any"):
            for child in node.get(key) or ():
                yield from _leaves(child)


def _tested(criteria: Criteria) -> list[dict]:
    return [leaf for rule in criteria.document.get("rules", ())
            for leaf in _leaves(rule.get("when"))]


def _variables(facts: Facts, criteria: Criteria) -> tuple:
    leaves = _tested(criteria)
    cutoffs: dict[str, list] = {}
    order: list[str] = []  # "score.<key>" for an instrument
    for leaf in leaves:
        fact, value = leaf["fact"], leaf["value"]
        cutoffs.setdefault(fact, []).extend(value if isinstance(value, list) else [value])
        if fact in _FROM_ALL_INSTRUMENTS:
            names = [f"score.{key}" for key in INSTRUMENTS]
        elif (instrument := _instrument_of(fact)) is not None:
            names = [f"score.{instrument}"]
        else:
            names = [fact]
        order.extend(name for name in names if name not in order)
    if "score.scoff" in order and "bmi" not in order:
        order.append("bmi")  # BMI decides whether a SCOFF score is severe
    variables = []
    for position, name in enumerate(order):
        instrument = _instrument_of(name)
        if instrument is not None:
            variable = _instrument_variable(facts, criteria, instrument,
                                            cutoffs.get(name, []), position)
        else:
            variable = _fact_variable(facts, criteria, name, cutoffs.get(name, []), position)
        if variable is not None and variable.candidates:
            variables.append(variable)
    return tuple(variables)


def _depends_on(fact: str) -> list[str]:
    """The search's variables a tested fact is worked out from."""
    if fact in _FROM_ALL_INSTRUMENTS:
        return [f"score.{key}" for key in INSTRUMENTS] + ["bmi"]
    instrument = _instrument_of(fact)
    if instrument is not None:
        return [f"score.{instrument}"] + (["bmi"] if instrument == "scoff" else [])
    return [fact]


def _rule_references(criteria: Criteria) -> dict[str, frozenset]:
    """Each rule's id with the variables its condition reads: a rule whose variables are
    all unchanged gives the same answer, so the search skips changes that cannot move the
    level (it never decides a level this way: the rules do, below)."""
    return {rule.get("id"): frozenset(name for leaf in _leaves(rule.get("when"))
                                      for name in _depends_on(leaf["fact"]))
            for rule in criteria.document.get("rules", ())}


def _score_domain(instrument: str) -> tuple:
    if instrument == "peg":
        return _PEG_SCORES
    low, high = C.INSTRUMENTS[instrument].score_range
    return tuple(range(int(low), int(high) + 1))


def band_ranges(facts: Facts, criteria: Criteria, instrument: str) -> dict[str, tuple]:
    """Each band this instrument's score can reach, with the lowest and highest score in it,
    given the person's other answers (sex at birth for AUDIT-C, BMI for SCOFF, the other
    MDQ answers)."""
    answers = facts.answers
    ranges: dict[str, tuple] = {}
    for score in _score_domain(instrument):
        band = criteria.bands.band(instrument, score, answers["sex_at_birth"], facts["bmi"],
                                   answers.get("mdq"))
        low, high = ranges.get(band, (score, score))
        ranges[band] = (min(low, score), max(high, score))
    return dict(sorted(ranges.items(), key=lambda item: BAND_RANK[item[0]]))


def _instrument_variable(facts, criteria, instrument, cutoffs, position):
    current = facts["scores"][instrument]
    if current is None:
        return None  # not given: there is no answer to change
    ranges = band_ranges(facts, criteria, instrument)
    reachable = list(ranges)
    now_band = facts["bands"][instrument]
    here = reachable.index(now_band)
    # The nearest score in each other band, and either side of a score a rule compares.
    scores = {min((score for score in _score_domain(instrument)
                   if ranges[band][0] <= score <= ranges[band][1]),
                  key=lambda score: abs(score - current))
              for band in reachable if band != now_band}
    domain = _score_domain(instrument)
    for cutoff in cutoffs:
        if isinstance(cutoff, (int, float)) and not isinstance(cutoff, bool):
            scores.update(score for score in domain if abs(score - cutoff) <= 1)
    scores.discard(current)
    candidates = []
    for score in sorted(scores):
        band = criteria.bands.band(instrument, score, facts.answers["sex_at_birth"],
                                   facts["bmi"], facts.answers.get("mdq"))
        steps = abs(reachable.index(band) - here)
        worse = score > current
        candidates.append(_Candidate(score, steps, worse, abs(score - current)))
    return _Variable(f"score.{instrument}", instrument, current, tuple(candidates), position)


def _worry_order(fact: str, spec: dict) -> tuple | None:
    question = C.ANSWERS.get(fact)
    if question is not None:
        return question.values if question.ordered else None
    return tuple(spec["values"]) if spec["kind"] in ("scale", "boolean") else None


def _fact_variable(facts, criteria, fact, cutoffs, position):
    spec = FACTS.get(fact)
    if spec is None or spec["kind"] in _NOT_VARIED_KINDS:
        return None
    current = facts[fact]
    if current is None:
        return None  # not asked: there is no answer to change
    kind = spec["kind"]
    if kind in ("scale", "boolean"):
        values = tuple(spec["values"])
        order = _worry_order(fact, spec)
        here = values.index(current)
        candidates = []
        for index, value in enumerate(values):
            if value == current:
                continue
            worse = None if order is None else order.index(value) > order.index(current)
            steps = abs(index - here) if kind == "scale" else 1
            candidates.append(_Candidate(value, steps, worse, steps))
        return _Variable(fact, None, current, tuple(candidates), position)
    # A number: the values either side of each cut-off a rule (or the SCOFF band) compares
    # it with, within its range.
    whole = spec.get("whole")
    tick = 1 if whole is not None else 0.1
    points = [cutoff for cutoff in cutoffs
              if isinstance(cutoff, (int, float)) and not isinstance(cutoff, bool)]
    if fact == "bmi" and facts["scores"]["scoff"] is not None:
        points.append(criteria.bands.scoff_severe_below_bmi)
    near: set = set()
    for point in points:
        for value in (point - tick, point, point + tick):
            value = round(value, 1) if whole is None else int(value)
            if whole is None or whole[0] <= value <= whole[1]:
                near.add(value)
    near.discard(current)
    return _Variable(fact, None, current, tuple(
        _Candidate(value, round(abs(value - current), 1), value > current, abs(value - current))
        for value in sorted(near)), position)


# --- the search ---------------------------------------------------------------------------


def _search(facts, criteria, variables, level, matched, references, *,
            up: bool) -> Direction | None:
    rank = LEVEL_RANK[level]
    if (up and rank == len(LEVELS) - 1) or (not up and rank == 0):
        return None
    if up:
        # A higher level needs a rule above this one to start matching: a change must
        # touch what one of them reads.
        reach = frozenset().union(*(references[rule.id] for rule in criteria.rules
                                    if LEVEL_RANK[rule.level] > rank))

        def may_move(names) -> bool:
            return any(name in reach for name in names)
    else:
        # A lower level needs every rule matching at this level or above to stop: a change
        # must touch what each of them reads.
        holding = [references[rule.id] for rule in matched if LEVEL_RANK[rule.level] >= rank]

        def may_move(names) -> bool:
            return all(any(name in held for name in names) for held in holding)

    # Whether a change moves the level is decided by the rules that can tell: up, a rule
    # above this level matching; down, none at this level or above matching. A change that
    # does is then run through the whole rule set, as `screen` runs it, for its level.
    telling = [rule.test for rule in criteria.rules
               if (LEVEL_RANK[rule.level] > rank if up else LEVEL_RANK[rule.level] >= rank)]

    def moved_to(changes) -> str | None:
        world = applied(facts, criteria, changes)
        if any(test(world) for test in telling) is not up:
            return None
        new_level = level_of(rules_matched(world, criteria))
        new_rank = LEVEL_RANK[new_level]
        return new_level if (new_rank > rank if up else new_rank < rank) else None

    def nearest_first(candidate: _Candidate):
        # Equal steps either way (some difficulty -> independent or unable): the value in
        # the direction asked first.
        return (candidate.steps, candidate.worse is not up, candidate.distance)

    ordered = {variable.fact: sorted(variable.candidates, key=nearest_first)
               for variable in variables}
    found: list[tuple] = []
    for variable in variables:
        if not may_move((variable.fact,)):
            continue
        for candidate in ordered[variable.fact]:
            new_level = moved_to([(variable.fact, candidate.value)])
            if new_level is not None:
                found.append((new_level, ((variable, candidate),)))
                break
    size = 1
    if not found:
        size = 2
        for first, second in combinations(variables, 2):
            if not may_move((first.fact, second.fact)):
                continue
            pairs = sorted(product(ordered[first.fact], ordered[second.fact]),
                           key=lambda pair: (pair[0].steps + pair[1].steps,
                                             nearest_first(pair[0]), nearest_first(pair[1])))
            for one, other in pairs:
                new_level = moved_to([(first.fact, one.value), (second.fact, other.value)])
                if new_level is not None:
                    found.append((new_level, ((first, one), (second, other))))
                    break
    found.sort(key=lambda item: (abs(LEVEL_RANK[item[0]] - rank),
                                 sum(candidate.steps for _, candidate in item[1]),
                                 [variable.position for variable, _ in item[1]]))
    ways = tuple(_way(facts, criteria, new_level, changed) for new_level, changed in found)
    direction = "up" if up else "down"
    if not ways:
        return Direction(direction, (), 0, W.no_level_change_words(direction, MAX_FACTS))
    return Direction(direction, ways, size, W.level_change_heading(direction, size))


def _way(facts, criteria, level, changed) -> Way:
    changes = tuple(_change(facts, criteria, variable, candidate.value, candidate.steps)
                    for variable, candidate in changed)
    return Way(level, changes, W.way_words(level, [change.words for change in changes]))


def _change(facts, criteria, variable, value, steps) -> Change:
    instrument = variable.instrument
    if instrument is None:
        return Change(variable.fact, variable.current, value, steps,
                      variable.fact in SAFETY_FACTS, W.answer_words(variable.fact),
                      W.change_words(variable.fact, variable.current, value))
    ranges = band_ranges(facts, criteria, instrument)
    band_now = criteria.bands.band(instrument, value, facts.answers["sex_at_birth"],
                                   facts["bmi"], facts.answers.get("mdq"))
    band_was = facts["bands"][instrument]
    return Change(variable.fact, variable.current, value, steps, False,
                  W.answer_words(variable.fact),
                  W.instrument_change_words(instrument, variable.current, band_was,
                                            band_now, ranges[band_now]),
                  band_was, band_now, ranges[band_now])


__all__ = ["Change", "Direction", "LevelChanges", "MAX_FACTS", "SAFETY_FACTS", "Way",
           "applied", "band_ranges", "level_changes", "level_changes_of_facts", "level_with"]
