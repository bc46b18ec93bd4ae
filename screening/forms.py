"""Forms of the criteria editor (admins only): versions, cut-offs, rules and flags.

The editor never holds criteria of its own: each form reads the draft's document, and
`apply()` returns a new document that the service validates with the engine's
`load_criteria` before saving. A CriteriaError is put back on the form, next to what the
admin typed.
"""

import copy
import json
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from screening.engine import LEVELS
from screening.engine import catalogue as CATALOGUE
from screening.engine.criteria import BMI_CUTOFF_RANGE
from screening.engine.criteria import SCORE_RANGES as ENGINE_SCORE_RANGES
from screening.engine.words import condition_words

from .models import CriteriaVersion

# --- the document's shape ---------------------------------------------------------------
# Everything that knows the engine's criteria format lives in this block.

CUTOFF_SECTION = "bands"
RULES, FLAGS = "rules", "flags"
NOUN = {RULES: "rule", FLAGS: "flag"}
WHEN = "when"  # the key of a rule's condition tree
FACT, OP, VALUE = "fact", "op", "value"
# Score ranges (SPEC §4) for checking cut-offs before the engine sees them.
SCORE_RANGES = {**ENGINE_SCORE_RANGES, "bmi": BMI_CUTOFF_RANGE}
INSTRUMENT_NAMES = {key: f"{instrument.name} ({instrument.topic})"
                    for key, instrument in CATALOGUE.INSTRUMENTS.items()} | {"bmi": "BMI"}


class EditError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- versions ---------------------------------------------------------------------------


class DraftCreateForm(forms.Form):
    version = forms.CharField(
        label="Name of the new draft", max_length=60, required=False,
        help_text="Lowercase letters, digits and dashes, e.g. 2026-spring. "
                  "Leave empty for the next draft-N.")
    note = forms.CharField(label="What this draft is for", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label="Compare", queryset=CriteriaVersion.objects.none())
    b = forms.ModelChoiceField(label="with", queryset=CriteriaVersion.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].queryset = CriteriaVersion.objects.order_by("created_at", "pk")
            self.fields[name].label_from_instance = lambda v: f"{v.version} ({v.status})"


# --- cut-offs ---------------------------------------------------------------------------

BAND_ORDER = ("none", "mild", "moderate", "moderately_severe", "severe")


def _numeric_leaves(node, path=()):
    """(path, value) of every number under `node`, in document order."""
    if isinstance(node, bool):
        return
    if isinstance(node, int | float):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _numeric_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _numeric_leaves(value, (*path, index))


def _field_name(path) -> str:
    return "cut__" + "__".join(str(part) for part in path)


def _words(part) -> str:
    return str(part).replace("_", " ")


def _range_for(path) -> tuple[float, float]:
    if any("bmi" in str(part) for part in path):
        return SCORE_RANGES["bmi"]
    return SCORE_RANGES.get(str(path[0]), (0, 1000))


class CutoffsForm(forms.Form):
    """One number field per cut-off in the document, grouped by instrument.

    Each field is the lowest score of a band (e.g. PHQ-9 moderate from 10). Bands of one
    table must start at strictly increasing scores within the instrument's range; the engine
    then checks the document as a whole.
    """

    def __init__(self, data=None, *, document: dict):
        super().__init__(data)
        self.section = document.get(CUTOFF_SECTION, {})
        self.paths = {}
        for path, value in _numeric_leaves(self.section):
            name = _field_name(path)
            low, high = _range_for(path)
            last = path[-1]
            if last in BAND_ORDER:  # a score of 0 is always "none": a band starts above it
                low += Decimal("0.1") if isinstance(value, float) else 1
            label = f"{_words(last)} from" if last in BAND_ORDER else _words(last)
            label = f"{INSTRUMENT_NAMES.get(str(path[0]), path[0])}: {label}"
            if isinstance(value, float):
                field = forms.DecimalField(label=label, decimal_places=1, min_value=low,
                                           max_value=high, initial=value)
            else:
                field = forms.IntegerField(label=label, min_value=low, max_value=high,
                                           initial=value)
            field.widget.attrs.update({"class": "form-control", "inputmode": "decimal"})
            self.fields[name] = field
            self.paths[name] = path

    def groups(self):
        """[(instrument label, [(table label, [bound fields])])] for the template."""
        out: dict = {}
        # PostgreSQL's jsonb does not keep key order: show bands in their clinical order.
        instruments = list(INSTRUMENT_NAMES)

        def order(item):
            path = item[1]
            first = instruments.index(path[0]) if path[0] in instruments else 99
            band = BAND_ORDER.index(path[-1]) if path[-1] in BAND_ORDER else 99
            return (first, str(path[0]), [str(p) for p in path[1:-1]], band)

        ordered = sorted(self.paths.items(), key=order)
        for name, path in ordered:
            instrument = str(path[0])
            table = " ".join(_words(p) for p in path[1:-1])
            tables = out.setdefault(instrument, {})
            tables.setdefault(table, []).append(self[name])
        return [(INSTRUMENT_NAMES.get(k, k), list(v.items())) for k, v in out.items()]

    def clean(self):
        cleaned = super().clean()
        tables: dict = {}
        for name, path in self.paths.items():
            if name in cleaned and cleaned[name] is not None:
                tables.setdefault(path[:-1], []).append((name, path[-1], cleaned[name]))
        for entries in tables.values():
            banded = [(n, key, v) for n, key, v in entries if key in BAND_ORDER]
            banded.sort(key=lambda e: BAND_ORDER.index(e[1]))
            for (_, low_key, low), (name, key, value) in zip(banded, banded[1:], strict=False):
                if value <= low:
                    self.add_error(name, f"{_words(key).capitalize()} must start above "
                                         f"{_words(low_key)} ({low}): bands go up in order.")
        return cleaned

    def apply(self, document: dict) -> dict:
        document = copy.deepcopy(document)
        for name, path in self.paths.items():
            value = self.cleaned_data[name]
            value = float(value) if isinstance(value, Decimal) else value
            node = document[CUTOFF_SECTION]
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        return document

    def error_for(self, message: str) -> str | None:
        """The field a CriteriaError message points at, if one can be told."""
        best = None
        for name, path in self.paths.items():
            dotted = ".".join(str(p) for p in path)
            if dotted in message:
                return name
            if best is None and f"{CUTOFF_SECTION}.{path[0]}" in message:
                best = name
        return best


# --- rules and flags --------------------------------------------------------------------

ITEM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,59}$")
# A reason is read beside every intake it applies to: a sentence or two, not a paragraph.
REASON_MAX_CHARS = 300


class ItemForm(forms.Form):
    """A rule's id, level and reason (a flag's id and description); its condition is
    edited in the tree below it (screening/item_editing.py)."""

    id = forms.CharField(label="Id", max_length=60,
                         help_text="Letters, digits and dashes, e.g. IOP-SYMPTOMS.")
    level = forms.ChoiceField(label="Level it recommends",
                              choices=[(lvl, lvl) for lvl in LEVELS])
    reason = forms.CharField(
        label="Reason, in plain words (shown to clinicians)", max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"Keep the reason to {REASON_MAX_CHARS} characters at "
                                      f"most (it has %(show_value)d): clinicians read it "
                                      f"beside each intake."})

    def __init__(self, *args, kind: str, taken: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = taken
        if kind != RULES:
            del self.fields["level"]
            self.fields["reason"].label = "Description, in plain words"
            self.fields["reason"].required = False

    def clean_id(self):
        value = self.cleaned_data["id"].strip()
        if not ITEM_ID.match(value):
            raise ValidationError("Use letters, digits and dashes, starting with a letter.")
        if value in self.taken:
            raise ValidationError(f"{value} is already used: ids must be unique.")
        return value

    def apply(self, item: dict) -> dict:
        """The item with this form's id, level and reason (its condition unchanged)."""
        new = copy.deepcopy(item)
        new["id"] = self.cleaned_data["id"]
        if "level" in self.fields:
            new["level"] = self.cleaned_data["level"]
        reason = self.cleaned_data.get("reason", "")
        if reason or "reason" in new or "level" in self.fields:
            new["reason"] = reason
        return new


def attach_error(form, error) -> None:
    """Put the engine's CriteriaError on the form, next to the field it names if it can."""
    message = f"Not saved: {error}"
    field = form.error_for(str(error)) if hasattr(form, "error_for") else None
    form.add_error(field, message)


# --- the lists of rules and flags -------------------------------------------------------


def items(document: dict, kind: str) -> list[dict]:
    out = []
    for position, item in enumerate(document.get(kind, [])):
        out.append({"id": item.get("id"), "level": item.get("level"),
                    "reason": item.get("reason", ""), "when": describe(item.get(WHEN)),
                    "position": position})
    return out


def item(document: dict, kind: str, item_id: str) -> dict | None:
    return next((i for i in document.get(kind, []) if i.get("id") == item_id), None)


def list_action(document: dict, kind: str, item_id: str, action: str) -> dict:
    """The document with one rule (or flag) moved up, moved down or removed."""
    document = copy.deepcopy(document)
    entries = document.get(kind, [])
    index = next((n for n, i in enumerate(entries) if i.get("id") == item_id), None)
    if index is None:
        raise EditError(f"There is no {NOUN[kind]} {item_id} in this draft.")
    if action == "up":
        if index == 0:
            raise EditError(f"{item_id} is already first.")
        entries[index - 1], entries[index] = entries[index], entries[index - 1]
    elif action == "down":
        if index == len(entries) - 1:
            raise EditError(f"{item_id} is already last.")
        entries[index + 1], entries[index] = entries[index], entries[index + 1]
    elif action == "remove":
        del entries[index]
    else:
        raise EditError("Unknown action.")
    return document


def action_message(kind: str, item_id: str, action: str) -> str:
    verb = {"up": "moved up", "down": "moved down", "remove": "removed"}[action]
    return f"{NOUN[kind].capitalize()} {item_id} {verb}."


def describe(tree) -> str:
    """A condition tree in words: "the highest severity is at least moderate and (...)"."""
    return condition_words(tree) if isinstance(tree, dict) else ""


def summary(document: dict) -> dict:
    """What the version page shows: cut-off tables, rules and flags in words."""
    cutoffs = []
    for instrument, tables in CutoffsForm(document=document).groups():
        rows = [(table, [(f.label.split(": ", 1)[-1], f.initial) for f in fields])
                for table, fields in tables]
        cutoffs.append((instrument, rows))
    return {"cutoffs": cutoffs, "rules": items(document, RULES),
            "flags": items(document, FLAGS)}


SECTION_TITLES = {CUTOFF_SECTION: "Cut-offs", RULES: "Rules", FLAGS: "Flags"}


def group_changes(changes) -> list[dict]:
    """Diff entries grouped by section, in the order cut-offs, rules, flags, other."""
    sections: dict = {}
    for change in changes:
        label = change.path.split("/", 1)[1] if "/" in change.path else change.path
        if change.section == CUTOFF_SECTION:
            parts = label.split("/")
            label = INSTRUMENT_NAMES.get(parts[0], parts[0]) + (
                " " + " ".join(_words(p) for p in parts[1:]) if len(parts) > 1 else "")
        entry = {"kind": change.kind, "label": label, "old_text": change.old_text,
                 "new_text": change.new_text}
        sections.setdefault(change.section, []).append(entry)
    order = [CUTOFF_SECTION, RULES, FLAGS]
    keys = [k for k in order if k in sections] + [k for k in sections if k not in order]
    return [{"title": SECTION_TITLES.get(k, k.replace("_", " ").capitalize()),
             "changes": sections[k]} for k in keys]


# --- import -----------------------------------------------------------------------------

IMPORT_MAX_BYTES = 500_000  # the default criteria are about 20 kB


class ImportForm(forms.Form):
    file = forms.FileField(label="Criteria file (JSON)",
                           error_messages={"required": "Choose the JSON file to import.",
                                           "empty": "The file is empty.",
                                           "invalid": "Choose the JSON file to import."})
    version = forms.CharField(
        label="Name of the new draft", max_length=60, required=False,
        help_text="Leave empty to use the name in the file when it is free, else draft-N.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(f"The file is {upload.size // 1000} kB; criteria files are "
                                  f"at most {IMPORT_MAX_BYTES // 1000} kB.")
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except UnicodeDecodeError:
            raise ValidationError(
                "The file is not text in UTF-8: export it again as JSON.") from None
        except ValueError as error:
            line = getattr(error, "lineno", None)
            where = f" (line {line}, column {error.colno})" if line else ""
            raise ValidationError(f"The file is not valid JSON{where}: "
                                  f"{getattr(error, 'msg', error)}.") from None
        if not isinstance(document, dict):
            raise ValidationError("The file holds JSON, but not a criteria document: it must "
                                  "be one object with bands, rules and flags.")
        for kind in (RULES, FLAGS):
            for entry in document.get(kind) or ():
                reason = entry.get("reason") if isinstance(entry, dict) else None
                if isinstance(reason, str) and len(reason) > REASON_MAX_CHARS:
                    raise ValidationError(
                        f"The reason of {NOUN[kind]} {entry.get('id')} has {len(reason)} "
                        f"characters: keep it to {REASON_MAX_CHARS} at most.")
        return document
