"""Services of the criteria editor: drafts, edits, publishing, import, and version diffs.

A version goes draft -> published -> retired. Only a draft changes; publishing checks the
SPEC's safety floor and monotonicity first and swaps the published version in one
transaction. Every write leaves an audit row (object_type "criteria_version").
"""

import copy
import difflib
import json
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from screening.engine import CriteriaError, load_criteria
from screening.engine.properties import check_monotone, check_safety_floor, generate_cases

from .models import CriteriaVersion
from .selectors import criteria_version_published

VERSION_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
# How many generated cases publishing checks, on top of the public test cases.
PUBLISH_GENERATED_CASES = 400
PUBLISH_SEED = 20260601


class VersionError(Exception):
    """A criteria version change that is refused; `message` says why in plain words."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PublishRefused(VersionError):
    """Publishing refused: `problems` lists each broken property in plain words."""

    def __init__(self, problems: list[str]):
        super().__init__("This draft cannot be published: " + "; ".join(problems))
        self.problems = problems


# --- names ------------------------------------------------------------------------------


def criteria_version_name_validate(name: str) -> str:
    """Return the cleaned version name. Raises VersionError when malformed or taken."""
    name = (name or "").strip().lower()
    if not VERSION_NAME.match(name):
        raise VersionError("A version name uses lowercase letters, digits and dashes "
                           "(up to 60), e.g. draft-2 or 2026-spring.", field="version")
    if CriteriaVersion.objects.filter(version=name).exists():
        raise VersionError(f"A version named {name} already exists: choose another name.",
                           field="version")
    return name


def criteria_version_name_next() -> str:
    """The first free name of the form draft-N (N counting the versions so far)."""
    n = CriteriaVersion.objects.count() + 1
    taken = set(CriteriaVersion.objects.filter(version__startswith="draft-")
                .values_list("version", flat=True))
    while f"draft-{n}" in taken:
        n += 1
    return f"draft-{n}"


def _named(document: dict, name: str) -> dict:
    # The document carries its own name so every engine result says which version made it.
    document = copy.deepcopy(document)
    document["version"] = name
    return document


def _validated(document: dict) -> None:
    """Raise CriteriaError (from the engine) unless the document is valid criteria."""
    if not isinstance(document, dict):
        raise CriteriaError("The criteria must be a JSON object.")
    load_criteria(document)


# --- drafts -----------------------------------------------------------------------------


@transaction.atomic
def criteria_draft_create(*, actor, version_name: str = "", based_on: CriteriaVersion | None = None,
                          note: str = "", request=None) -> CriteriaVersion:
    """Start a draft as a copy of `based_on` (the published version by default). Returns it.

    Raises VersionError when the name is malformed or taken.
    """
    based_on = based_on or criteria_version_published()
    name = (criteria_version_name_validate(version_name) if version_name
            else criteria_version_name_next())
    try:
        with transaction.atomic():
            draft = CriteriaVersion.objects.create(
                version=name, status=CriteriaVersion.Status.DRAFT,
                document=_named(based_on.document, name), based_on=based_on, note=note,
                created_by=actor,
            )
    except IntegrityError as error:  # two admins picked the same name at the same moment
        raise VersionError(f"A version named {name} already exists: choose another name.",
                           field="version") from error
    audit_record(actor=actor, action="create", object_type="criteria_version",
                 object_id=draft.pk, request=request,
                 detail={"version": name, "based_on": based_on.version})
    return draft


def _lock_draft(version: CriteriaVersion) -> CriteriaVersion:
    locked = CriteriaVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != CriteriaVersion.Status.DRAFT:
        raise VersionError(f"{locked.version} is {locked.get_status_display().lower()}: "
                           "a published or retired version never changes. Start a new draft.")
    return locked


@transaction.atomic
def criteria_draft_update(*, version: CriteriaVersion, document: dict, actor,
                          section: str = "", note: str | None = None,
                          request=None) -> CriteriaVersion:
    """Replace a draft's document after the engine has validated it. Returns the draft.

    Raises VersionError when the version is not a draft, and screening.engine.CriteriaError
    (naming the bad rule or value) when the document is not valid criteria; nothing is saved
    then.
    """
    draft = _lock_draft(version)
    document = _named(document, draft.version)
    _validated(document)
    changes = criteria_diff(draft.document, document)
    draft.document = document
    fields = ["document", "updated_at"]
    if note is not None:
        draft.note = note
        fields.append("note")
    draft.save(update_fields=fields)
    audit_record(actor=actor, action="change", object_type="criteria_version",
                 object_id=draft.pk, request=request,
                 detail={"version": draft.version, "section": section,
                         "changes": [c.path for c in changes][:50]})
    version.document, version.note, version.updated_at = draft.document, draft.note, \
        draft.updated_at
    return draft


@transaction.atomic
def criteria_draft_discard(*, version: CriteriaVersion, actor, request=None) -> None:
    """Delete a draft (and its replays). Raises VersionError when it is not a draft."""
    draft = _lock_draft(version)
    audit_record(actor=actor, action="change", object_type="criteria_version",
                 object_id=draft.pk, request=request,
                 detail={"version": draft.version, "discarded": True})
    draft.delete()


@transaction.atomic
def criteria_version_import(*, document: dict, actor, version_name: str = "",
                            note: str = "", request=None) -> CriteriaVersion:
    """Store a criteria document from elsewhere as a new draft, validated by the engine.

    The name is `version_name`, else the document's own `version` when free, else draft-N.
    Raises CriteriaError when the document is not valid criteria, VersionError for the name.
    """
    _validated(document)
    if version_name:
        name = criteria_version_name_validate(version_name)
    else:
        own = str(document.get("version", "")).strip().lower()
        if own and VERSION_NAME.match(own) and \
                not CriteriaVersion.objects.filter(version=own).exists():
            name = own
        else:
            name = criteria_version_name_next()
    document = _named(document, name)
    _validated(document)
    draft = CriteriaVersion.objects.create(
        version=name, status=CriteriaVersion.Status.DRAFT, document=document,
        based_on=CriteriaVersion.objects.filter(status=CriteriaVersion.Status.PUBLISHED).first(),
        note=note or "Imported.", created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, action="create", object_type="criteria_version",
                 object_id=draft.pk, request=request,
                 detail={"version": name, "imported": True})
    return draft


# --- publishing -------------------------------------------------------------------------


def _describe(violation) -> str:
    """One property violation from the engine in plain words."""
    if isinstance(violation, str):
        return violation
    for attribute in ("message", "reason", "description"):
        text = getattr(violation, attribute, None)
        if text:
            return str(text)
    return str(violation)


def criteria_publish_problems(document: dict, *, cases: list[dict] | None = None) -> list[str]:
    """Why this document may not be published (empty when it may), in plain words.

    Checks SPEC §6's safety floor and monotonicity on generated cases and the public test
    cases, after the engine has accepted the document at all. The words are for the admin:
    no section numbers, each distinct failure once.
    """
    from .replay import vignettes_load

    try:
        criteria = load_criteria(document)
    except CriteriaError as error:
        return [f"The criteria are not valid: {error}"]
    if cases is None:
        cases = [case["answers"] for case in vignettes_load()]
    cases = list(cases) + list(generate_cases(PUBLISH_GENERATED_CASES, PUBLISH_SEED))
    problems: list[str] = []
    for check, rule_words in (
            (check_safety_floor, "An acute risk must always give inpatient care and the "
                                 "urgent flag, and with this draft it does not"),
            (check_monotone, "A more worrying answer must never lower the level, and with "
                             "this draft it does")):
        # The same failure shows on many cases: each is said once, with how often.
        counts: dict[str, int] = {}
        for violation in check(criteria, cases) or []:
            text = _describe(violation)
            counts[text] = counts.get(text, 0) + 1
        if counts:
            shown = "; ".join(f"{text} ({count} test case{'s' if count > 1 else ''})"
                              for text, count in list(counts.items())[:3])
            more = (f"; and {len(counts) - 3} other kind{'s' if len(counts) > 4 else ''} of "
                    f"case" if len(counts) > 3 else "")
            problems.append(f"{rule_words}: {shown}{more}.")
    return problems


@transaction.atomic
def criteria_version_publish(*, version: CriteriaVersion, actor,
                             request=None) -> CriteriaVersion:
    """Publish a draft: the published version is retired and the draft takes its place.

    Both rows are locked and changed in this one transaction, so there is never a moment
    with zero or two published versions. Returns the newly published version.
    Raises VersionError when it is not a draft, PublishRefused when the draft breaks the
    safety floor or monotonicity (nothing changes then).
    """
    # Lock the published row first, then the draft: every publisher locks in this order, so
    # two admins publishing at once queue up instead of deadlocking.
    current = (CriteriaVersion.objects.select_for_update()
               .filter(status=CriteriaVersion.Status.PUBLISHED).first())
    draft = _lock_draft(version)
    problems = criteria_publish_problems(draft.document)
    if problems:
        raise PublishRefused(problems)
    now = timezone.now()
    if current is not None:
        current.status = CriteriaVersion.Status.RETIRED
        current.retired_at = now
        current.save(update_fields=["status", "retired_at", "updated_at"])
    draft.status = CriteriaVersion.Status.PUBLISHED
    draft.published_at = now
    draft.published_by = actor
    draft.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit_record(actor=actor, action="publish", object_type="criteria_version",
                 object_id=draft.pk, request=request,
                 detail={"version": draft.version,
                         "retired": current.version if current else None})
    if current is not None:
        audit_record(actor=actor, action="change", object_type="criteria_version",
                     object_id=current.pk, request=request,
                     detail={"version": current.version, "retired": True,
                             "replaced_by": draft.version})
    version.status, version.published_at, version.published_by = \
        draft.status, draft.published_at, draft.published_by
    return draft


# --- diffs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed", "moved"
    path: str  # e.g. "rules/IP-SUICIDE/level" or "bands/phq9/cutoffs"
    old: object = None
    new: object = None

    @property
    def section(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def old_text(self) -> str:
        return _short(self.old)

    @property
    def new_text(self) -> str:
        return _short(self.new)


def _short(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _is_keyed_list(value) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in value)
            and len({item["id"] for item in value}) == len(value))


def _diff(old, new, path: str, out: list[Change]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            sub = f"{path}/{key}" if path else str(key)
            if key not in new:
                out.append(Change("removed", sub, old=old[key]))
            elif key not in old:
                out.append(Change("added", sub, new=new[key]))
            else:
                _diff(old[key], new[key], sub, out)
        return
    if _is_keyed_list(old) and _is_keyed_list(new):
        old_ids = [item["id"] for item in old]
        new_ids = [item["id"] for item in new]
        by_old = {item["id"]: item for item in old}
        by_new = {item["id"]: item for item in new}
        for ident in old_ids:
            if ident not in by_new:
                out.append(Change("removed", f"{path}/{ident}", old=by_old[ident]))
        for ident in new_ids:
            if ident not in by_old:
                out.append(Change("added", f"{path}/{ident}", new=by_new[ident]))
            else:
                _diff(by_old[ident], by_new[ident], f"{path}/{ident}", out)
        kept_old = [i for i in old_ids if i in by_new]
        kept_new = [i for i in new_ids if i in by_old]
        if kept_old != kept_new:
            out.append(Change("moved", path or "order", old=kept_old, new=kept_new))
        return
    out.append(Change("changed", path, old=old, new=new))


def criteria_diff(old: dict, new: dict) -> list[Change]:
    """What changed between two criteria documents, field by field.

    Lists of objects with an `id` (rules, flags) are matched by id, so a rule edited in
    place reads as "rules/IP-SUICIDE/level changed", and a reorder as one "moved" entry.
    The document's own `version` name is left out.
    """
    old = {k: v for k, v in (old or {}).items() if k != "version"}
    new = {k: v for k, v in (new or {}).items() if k != "version"}
    out: list[Change] = []
    _diff(old, new, "", out)
    return out


def criteria_diff_unified(old: CriteriaVersion, new: CriteriaVersion) -> str:
    """A unified diff of the two documents as pretty JSON (the fallback view)."""
    a = json.dumps(old.document, indent=2, sort_keys=True).splitlines()
    b = json.dumps(new.document, indent=2, sort_keys=True).splitlines()
    return "\n".join(difflib.unified_diff(a, b, fromfile=old.version, tofile=new.version,
                                          lineterm=""))
