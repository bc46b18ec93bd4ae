"""The condition of a rule or flag edited in forms, any depth, without JavaScript.

Each group and each test on the page has its own small form (add to this group, change
all / any, move up or down, remove, change this test), posted to the rule's page with the
node's path (screening/condition_tree.py). A test is chosen in two steps that work as plain
forms: first the fact, then the operators valid for that fact's kind and the values of its
scale or options (never free text for a fact). The engine's own validator checks the whole
document before anything is saved (screening.versions.criteria_draft_update).
"""

from decimal import Decimal

from django import forms

from screening.engine import FACTS, FLAG_FACTS
from screening.engine.criteria import SCORE_RANGES, operators_for
from screening.engine.words import (
    condition_words,
    fact_words,
    is_degree_scale,
    operator_words,
    scale_words,
    value_words,
)

FLAGS = "flags"
ADD_WHAT = {"test": "a test", "all": "a group: all of these hold",
            "any": "a group: any of these holds"}
# A whole-number fact with at most this many values may be tested with "is one of" ticks.
MAX_TICKS = 13
# Ranges for the decimal facts the engine does not bound (it only asks for a number).
DECIMAL_RANGES = {"bmi": (0, 100), "score.peg": SCORE_RANGES.get("peg", (0, 10))}


def facts_for(kind: str) -> dict[str, dict]:
    """The facts a rule (or, with `level` and `rules`, a flag) may test."""
    return {**FACTS, **FLAG_FACTS} if kind == FLAGS else dict(FACTS)


def _group_of(name: str) -> str:
    if name in FLAG_FACTS:
        return "Known once the rules have run (flags only)"
    if name.startswith("score."):
        return "Instrument scores"
    if name.startswith("band."):
        return "Instrument bands"
    if name.startswith("cssrs."):
        return "C-SSRS answers"
    if name in ("severity", "severe_count", "suicide_risk", "withdrawal_risk",
                "harm_to_others"):
        return "Severity and risks"
    return "Answers"


def fact_choices(facts: dict) -> list:
    """The facts as a grouped select: [("Severity and risks", [(name, label), ...]), ...]."""
    grouped: dict[str, list] = {}
    for name in facts:
        label = fact_words(name)
        grouped.setdefault(_group_of(name), []).append(
            (name, f"{label[:1].upper()}{label[1:]} ({name})"))
    return list(grouped.items())


def _whole_values(spec: dict) -> list[int] | None:
    if "whole" not in spec:
        return None
    low, high = spec["whole"]
    return list(range(low, high + 1)) if high - low + 1 <= MAX_TICKS else None


def value_options(name: str, spec: dict, document: dict) -> list | None:
    """The values a test of this fact may compare with, or None for a number typed in."""
    if spec["kind"] == "boolean":
        return [True, False]
    if name == "rules":  # a flag testing which rules matched: the rules of this document
        return [rule.get("id") for rule in document.get("rules", [])
                if isinstance(rule, dict) and isinstance(rule.get("id"), str)]
    if spec.get("values"):
        return list(spec["values"])
    return None


def _key(value) -> str:
    """A value as a form sends it: "true", "limited", "3"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class TestForm(forms.Form):
    """One test: fact, operator and value(s), each from what the engine knows of the fact.

    Bound with `fact` naming the fact the page showed the operators and values for
    (`shown_fact`): a form whose fact was changed in the select is not a test yet, the page
    then shows that fact's operators and values (see `choosing`).
    """

    node = forms.CharField(widget=forms.HiddenInput, required=False)
    what = forms.ChoiceField(choices=list(ADD_WHAT.items()), widget=forms.HiddenInput,
                             required=False)
    rev = forms.CharField(widget=forms.HiddenInput, required=False)
    shown_fact = forms.CharField(widget=forms.HiddenInput, required=False)
    fact = forms.ChoiceField(label="Fact")

    def __init__(self, data=None, *, facts: dict, document: dict, fact: str, **kwargs):
        super().__init__(data, prefix="test", **kwargs)
        self.facts = facts
        self.fact_name = fact if fact in facts else next(iter(facts))
        self.spec = facts[self.fact_name]
        self.fields["fact"].choices = fact_choices(facts)
        self.fields["fact"].widget.attrs["data-fact-step"] = "1"  # static/js/condition-editor.js
        self.fields["shown_fact"].initial = self.fact_name
        self.fields["fact"].initial = self.fact_name
        ops = list(operators_for(self.spec))
        self.options = value_options(self.fact_name, self.spec, document)
        ticks = self.options if self.options is not None else _whole_values(self.spec)
        if self.spec["kind"] == "boolean" or not ticks:
            ops = [op for op in ops if op != "in"]
        self.fields["op"] = forms.ChoiceField(
            label="Test", choices=[(op, operator_words(self.fact_name, op)) for op in ops])
        if ops != ["in"]:
            self.fields["value"] = self._value_field()
        if "in" in ops:
            self.fields["values"] = forms.MultipleChoiceField(
                label="Values, for \u201cis one of\u201d", required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(_key(v), value_words(self.fact_name, v)) for v in ticks or ()])
        self.scale_text = scale_words(self.fact_name)
        self.fact_label = fact_words(self.fact_name)
        self.is_degree_scale = is_degree_scale(self.fact_name)

    def _value_field(self):
        name, spec = self.fact_name, self.spec
        if self.options is not None:
            if not self.options:  # a flag testing rules when the draft has none
                choices = [("", "no rule to choose")]
            else:
                choices = [(_key(v), value_words(name, v)) for v in self.options]
            return forms.ChoiceField(label="Value", choices=choices, required=False)
        if "whole" in spec:
            low, high = spec["whole"]
            return forms.IntegerField(label="Value", min_value=low, max_value=high,
                                      required=False)
        low, high = DECIMAL_RANGES.get(name, (0, 1000))
        return forms.DecimalField(label="Value", min_value=low, max_value=high,
                                  decimal_places=2, max_digits=6, required=False)

    @property
    def choosing(self) -> bool:
        """True when the posted fact is not the one whose operators the page showed."""
        return self.is_bound and (self.data.get("test-step") == "fact"
                                  or self.data.get("test-shown_fact") != self.data.get("test-fact"))

    def _value_of(self, key: str):
        for option in self.options or _whole_values(self.spec) or ():
            if _key(option) == key:
                return option
        raise forms.ValidationError("Choose one of the values listed.")

    def clean(self):
        cleaned = super().clean()
        op = cleaned.get("op")
        if op == "in":
            keys = cleaned.get("values") or []
            if not keys:
                self.add_error("values", "Tick at least one value for \u201cis one of\u201d.")
            else:
                cleaned["test_value"] = [self._value_of(key) for key in keys]
            return cleaned
        if op is None or "value" not in self.fields:
            return cleaned
        raw = cleaned.get("value")
        if raw in (None, ""):
            self.add_error("value", "Give the value to compare with.")
        elif self.options is not None:
            try:
                cleaned["test_value"] = self._value_of(raw)
            except forms.ValidationError as error:
                self.add_error("value", error)
        elif isinstance(raw, Decimal):
            cleaned["test_value"] = int(raw) if raw == raw.to_integral_value() else float(raw)
        else:
            cleaned["test_value"] = raw
        return cleaned

    def test(self) -> dict:
        """The test as the criteria document writes it."""
        return {"fact": self.fact_name, "op": self.cleaned_data["op"],
                "value": self.cleaned_data["test_value"]}

    def words(self) -> str:
        """What the test says, for the page: the one being changed or the one just typed."""
        current = None
        if self.is_bound and not self.choosing and self.is_valid():
            current = self.test()
        elif not self.is_bound:
            current = self.initial.get("current")  # the test being changed, as saved
        if current is None:
            return ""
        try:
            return condition_words(current)
        except (ValueError, KeyError, TypeError):  # a value not on the fact's scale
            return ""


def test_initial(test: dict) -> dict:
    """The form's initial data for an existing test."""
    value = test.get("value")
    initial = {"fact": test.get("fact"), "op": test.get("op")}
    if isinstance(value, list):
        initial["values"] = [_key(v) for v in value]
    elif value is not None:
        initial["value"] = _key(value) if not isinstance(value, int | float) \
            or isinstance(value, bool) else value
    return initial


def posted_fact(data, facts: dict) -> str | None:
    """The fact a posted test form names, when it is one the engine knows."""
    name = data.get("test-fact")
    return name if name in facts else None


def node_words(part: dict) -> str:
    """A node of the tree (from condition_tree.nodes) in words."""
    if part["kind"] == "test":
        return condition_words(part["node"])
    return ("All of these hold" if part["combinator"] == "all" else "Any of these holds")


def annotate(part: dict) -> dict:
    """Words on every node of the tree, for the template."""
    part["words"] = node_words(part)
    for child in part.get("parts", ()):
        annotate(child)
    return part
