"""Preview a criteria version: over the public test cases, and replayed over past intakes.

Both answer the admin's question before publishing a draft: "whose level would change?".
The baseline is the published version: an intake's stored level is used when the published
version made it, otherwise the published criteria are run again, so the shift table always
reads "published level x draft level" even when older intakes were screened by a retired one.
"""

import contextvars
import json
import logging
import os
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models.functions import Cast
from django.utils import timezone

from audit.services import audit_record
from intake.models import Intake
from iop.db_router import replica_alias
from screening.engine import AnswersError, CriteriaError, load_criteria, screen, screen_level
from screening.jsontext import decode

from .models import LEVEL_CHOICES, CriteriaVersion, Recommendation, ReplayRun
from .selectors import criteria_version_published

logger = logging.getLogger(__name__)

LEVEL_ORDER = [code for code, _ in LEVEL_CHOICES]  # outpatient < iop < inpatient


# --- the public test cases ------------------------------------------------------------


def vignettes_dir() -> Path:
    """Where the public test cases live: $IOP_SHARED_DIR/vignettes, else ../shared/vignettes,
    else the copy shipped in screening/criteria/cases (a site without the shared folder)."""
    shared = os.environ.get("IOP_SHARED_DIR")
    if shared:
        return Path(shared) / "vignettes"
    beside = Path(settings.BASE_DIR).parent / "shared" / "vignettes"
    return beside if beside.is_dir() else SHIPPED_CASES


SHIPPED_CASES = Path(__file__).resolve().parent / "criteria" / "cases"


def vignettes_load() -> list[dict]:
    """The public test cases, sorted by file name. An empty list when the folder is missing.

    Files that are not valid JSON objects with `answers` are skipped (and logged by name).
    """
    folder = vignettes_dir()
    if not folder.is_dir():
        return []
    cases = []
    for path in sorted(folder.glob("*.json")):
        try:
            case = json.loads(path.read_text())
        except (OSError, ValueError):
            logger.warning("test case %s is not readable JSON: skipped", path.name)
            continue
        if isinstance(case, dict) and isinstance(case.get("answers"), dict):
            case.setdefault("id", path.stem)
            cases.append(case)
    return cases


@dataclass
class CaseRow:
    id: str
    note: str
    published: str | None
    draft: str | None
    expected: str | None
    draft_rules: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def changed(self) -> bool:
        return self.published != self.draft

    @property
    def off_expectation(self) -> bool:
        return self.expected is not None and self.draft != self.expected


@dataclass
class CasesPreview:
    rows: list[CaseRow]
    baseline_version: str

    @property
    def changed(self) -> list[CaseRow]:
        return [row for row in self.rows if row.changed]

    @property
    def off_expectation(self) -> list[CaseRow]:
        return [row for row in self.rows if row.off_expectation]


def cases_preview(*, version: CriteriaVersion, cases: list[dict] | None = None) -> CasesPreview:
    """Screen each test case with `version` and with the published version.

    Returns the rows (one per case: published level, draft level, the case's expected level).
    Raises screening.engine.CriteriaError when `version`'s document is not valid criteria.
    """
    cases = vignettes_load() if cases is None else cases
    draft = load_criteria(version.document)
    published_version = criteria_version_published()
    published = load_criteria(published_version.document)
    rows = []
    for case in cases:
        expected = (case.get("expect") or {}).get("level")
        row = CaseRow(id=str(case.get("id", "")), note=str(case.get("note", "")),
                      published=None, draft=None, expected=expected)
        try:
            result = screen(case["answers"], draft, case_id=row.id)
            row.draft = result.level
            row.draft_rules = [reason.id for reason in result.reasons]
            row.published = screen(case["answers"], published, case_id=row.id).level
        except AnswersError as error:
            row.error = f"{error.field}: {error.message}"
        rows.append(row)
    return CasesPreview(rows=rows, baseline_version=published_version.version)


# --- replay over past intakes ----------------------------------------------------------


def _replay_queryset():
    # Every intake that was submitted (whatever happened to it since); drafts never count.
    # Read from the replica when there is one: a replay reads the whole history, and its
    # progress (ReplayRun) is written to the primary.
    return Intake.objects.using(replica_alias()).exclude(status=Intake.Status.DRAFT)


@transaction.atomic
def replay_start(*, version: CriteriaVersion, actor, request=None) -> ReplayRun:
    """Create a replay of `version` over past intakes and enqueue it once this commits.

    Returns the run (pending). A broker outage leaves it pending: the page offers to start
    it again, and `replay_execute` is idempotent.
    """
    run = ReplayRun.objects.create(version=version, started_by=actor,
                                   baseline=CriteriaVersion.objects.filter(
                                       status=CriteriaVersion.Status.PUBLISHED).first())
    audit_record(actor=actor, action="create", object_type="criteria_version",
                 object_id=version.pk, request=request,
                 detail={"replay": run.pk, "version": version.version})
    transaction.on_commit(lambda: replay_enqueue(replay_id=run.pk))
    return run


def replay_enqueue(*, replay_id: int) -> bool:
    """Hand the replay to the broker. Returns False when the broker is unavailable."""
    from .tasks import replay_run

    try:
        replay_run.delay(replay_id)
    except Exception as error:  # the run stays pending and can be started again
        logger.warning("replay %s left pending: broker unavailable (%s)", replay_id,
                       type(error).__name__)
        return False
    return True


def _bump(shift: dict, before: str, after: str) -> None:
    row = shift.setdefault(before, {})
    row[after] = row.get(after, 0) + 1


def replay_execute(*, replay_id: int, chunk_size: int | None = None) -> ReplayRun | None:
    """Run a replay to the end, saving progress after every chunk. Returns the run.

    Idempotent and resumable: a finished run is returned untouched; a run interrupted half
    way (its worker was killed, or it failed) goes on after the last chunk it saved, with
    the counts saved with it, so no intake is counted twice or missed. Intakes are read in
    keyset order by id, a chunk at a time and only the columns needed, so memory stays flat
    however many there are. Each chunk's save only lands if the run is still where this
    worker left it: when a second worker took the same run over (a redelivered task), the
    one behind stops. Returns None when the run no longer exists (its draft was discarded).
    """
    chunk_size = chunk_size or settings.REPLAY_CHUNK_SIZE
    run = ReplayRun.objects.select_related("version", "baseline").filter(pk=replay_id).first()
    if run is None or run.status == ReplayRun.Status.DONE:
        return run
    try:
        draft = load_criteria(run.version.document)
        baseline_version = run.baseline or criteria_version_published()
        baseline = load_criteria(baseline_version.document)
    except (CriteriaError, CriteriaVersion.DoesNotExist) as error:
        return _replay_fail(run, f"The criteria could not be loaded: {error}")

    queryset = _replay_queryset()
    total = queryset.count()
    last_id = run.resume_after_id
    if last_id:
        shift, moved = run.shift, run.moved
        moved_total, processed, errors = run.moved_total, run.processed, run.errors
        logger.info("replay %s resumes after %d intakes", run.pk, processed)
    else:
        shift, moved, moved_total, processed, errors = {}, [], 0, 0, 0
    ReplayRun.objects.filter(pk=run.pk).update(
        status=ReplayRun.Status.RUNNING, started_at=run.started_at or timezone.now(),
        finished_at=None, total=max(total, processed), message="", progress_at=timezone.now(),
        **({} if last_id else {"processed": 0, "errors": 0, "shift": {}, "moved": [],
                               "moved_total": 0}))
    chunks = _read_ahead(queryset, last_id, chunk_size)
    try:
        for chunk_start, rows, stored in chunks:
            for intake_id, answers_text in rows:
                last_id = intake_id
                stored_level, stored_version_id = stored.get(intake_id, (None, None))
                processed += 1
                try:
                    answers = decode(answers_text)
                    if stored_level and stored_version_id == baseline_version.pk:
                        before = stored_level
                    else:
                        before = screen_level(answers, baseline)
                    after = screen_level(answers, draft)
                except AnswersError:
                    errors += 1
                    continue
                _bump(shift, before, after)
                if before != after:
                    moved_total += 1
                    if len(moved) < ReplayRun.MOVED_CAP:
                        moved.append({"intake_id": intake_id, "from": before, "to": after})
            saved = ReplayRun.objects.filter(pk=run.pk, resume_after_id=chunk_start).update(
                processed=processed, errors=errors, shift=shift, moved=moved,
                moved_total=moved_total, total=max(total, processed), resume_after_id=last_id,
                progress_at=timezone.now())
            if not saved:
                logger.warning("replay %s: another worker went on with it; this one stops",
                               run.pk)
                run.refresh_from_db()
                return run
    except Exception as error:
        _replay_fail(run, f"The replay stopped: {type(error).__name__}.")
        raise
    finally:
        chunks.close()
    ReplayRun.objects.filter(pk=run.pk, resume_after_id=last_id).update(
        status=ReplayRun.Status.DONE, finished_at=timezone.now(), total=processed)
    logger.info("replay %s finished: %d intakes, %d would move, %d refused", run.pk,
                processed, moved_total, errors)
    run.refresh_from_db()
    return run


def _chunks(queryset, after_id: int, chunk_size: int):
    """(id the chunk starts after, [(intake id, answers as JSON text)], stored levels) for
    each chunk in keyset order by id, after `after_id`."""
    while True:
        # The answers as their JSON text, read by orjson: Django's JSONField reads them
        # with the standard library, which took a fifth of the replay's time.
        rows = list(queryset.filter(pk__gt=after_id).order_by("pk")
                    .annotate(answers_text=Cast("answers", models.TextField()))
                    .values_list("pk", "answers_text")[:chunk_size])
        if not rows:
            return
        # The stored levels come in a second query by id: joined into the first, the
        # join was planned from the start of the recommendations for every chunk, so
        # each chunk took longer than the last (45 s at 200,000 intakes instead of 12).
        yield after_id, rows, _stored_levels(after_id, rows[-1][0])
        after_id = rows[-1][0]


class _ReadAhead:
    """The chunks of _chunks, read one chunk ahead by a thread on its own connection, so
    PostgreSQL turns the next chunk's answers into text while this one is screened.

    At most READ_AHEAD chunks wait in the queue, so memory stays bounded by the chunk size.
    close() stops the reader and closes its connection; call it however the replay ends.
    When the caller is inside a transaction on the read alias, a second connection would
    not see what it has not committed, so the chunks are read in line instead.
    """

    READ_AHEAD = 1
    _END = object()

    def __init__(self, queryset, after_id: int, chunk_size: int):
        self._queue: queue.Queue = queue.Queue(maxsize=self.READ_AHEAD)
        self._stop = threading.Event()
        # In the caller's context, so replica_alias() answers there as it does here.
        self._thread = threading.Thread(target=contextvars.copy_context().run,
                                        name="replay-reader", daemon=True,
                                        args=(self._read, queryset, after_id, chunk_size))
        self._thread.start()

    def _read(self, queryset, after_id: int, chunk_size: int) -> None:
        try:
            for chunk in _chunks(queryset, after_id, chunk_size):
                if not self._put(chunk):
                    return
            self._put(self._END)
        except BaseException as error:  # handed to the replay, which fails the run
            self._put(error)
        finally:
            connections.close_all()  # this thread's own connections only

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self):
        while True:
            item = self._queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


class _InLine:
    def __init__(self, queryset, after_id: int, chunk_size: int):
        self._chunks = _chunks(queryset, after_id, chunk_size)

    def __iter__(self):
        return self._chunks

    def close(self) -> None:
        self._chunks.close()


def _read_ahead(queryset, after_id: int, chunk_size: int):
    if connections[queryset.db].in_atomic_block:
        return _InLine(queryset, after_id, chunk_size)
    return _ReadAhead(queryset, after_id, chunk_size)


def replays_stalled(*, minutes: int | None = None) -> list[int]:
    """Ids of replays left running or waiting with no progress for `minutes` (default
    REPLAY_STALL_MINUTES): their worker died, or the broker lost the task."""
    minutes = settings.REPLAY_STALL_MINUTES if minutes is None else minutes
    cutoff = timezone.now() - timezone.timedelta(minutes=minutes)
    return list(ReplayRun.objects.filter(
        status__in=[ReplayRun.Status.RUNNING, ReplayRun.Status.PENDING])
        .filter(models.Q(progress_at__lt=cutoff)
                | models.Q(progress_at__isnull=True, created_at__lt=cutoff))
        .values_list("pk", flat=True))


def replay_is_stuck(run: ReplayRun) -> bool:
    """True when the page should offer to restart this run: it failed, or it is left
    running with no progress for REPLAY_STALL_MINUTES."""
    if run.status == ReplayRun.Status.FAILED:
        return True
    return run.status == ReplayRun.Status.RUNNING and run.pk in replays_stalled()


def replay_restart(*, run: ReplayRun, actor, request=None) -> bool:
    """Hand a stuck or failed run to a worker again; it resumes after its last saved chunk.
    Returns False when the broker is unavailable (the run is kept as it is)."""
    ReplayRun.objects.filter(pk=run.pk).exclude(status=ReplayRun.Status.DONE).update(
        status=ReplayRun.Status.PENDING, progress_at=timezone.now(), message="")
    audit_record(actor=actor, action="change", object_type="replay_run", object_id=run.pk,
                 request=request, detail={"restart": True, "resume_after": run.processed})
    return replay_enqueue(replay_id=run.pk)


def _stored_levels(after_id: int, last_id: int) -> dict[int, tuple[str, int]]:
    """{intake id: (stored level, id of the criteria version that made it)} for the intakes
    after `after_id` up to `last_id`: a chunk's ids as one index range (a list of 500 ids
    cost more to send and bind than the rows it read)."""
    rows = (Recommendation.objects.using(replica_alias()).filter(intake_id__gt=after_id, intake_id__lte=last_id)
            .values_list("intake_id", "level", "criteria_version_id"))
    return {intake_id: (level, version_id) for intake_id, level, version_id in rows}


def _replay_fail(run: ReplayRun, message: str) -> ReplayRun:
    ReplayRun.objects.filter(pk=run.pk).update(status=ReplayRun.Status.FAILED,
                                               finished_at=timezone.now(),
                                               message=message[:300])
    logger.warning("replay %s failed", run.pk)
    run.refresh_from_db()
    return run


def replay_shift_table(run: ReplayRun) -> dict:
    """The shift table for display: rows are the published level, columns the draft level."""
    levels = LEVEL_ORDER
    labels = dict(LEVEL_CHOICES)
    rows = []
    for before in levels:
        counts = [run.shift.get(before, {}).get(after, 0) for after in levels]
        rows.append({"level": before, "label": labels[before], "counts": counts,
                     "cells": [{"count": c, "moved": levels[i] != before, "level": levels[i]}
                               for i, c in enumerate(counts)],
                     "total": sum(counts)})
    columns = [{"level": level, "label": labels[level],
                "total": sum(run.shift.get(b, {}).get(level, 0) for b in levels)}
               for level in levels]
    return {"rows": rows, "columns": columns,
            "total": sum(row["total"] for row in rows)}
