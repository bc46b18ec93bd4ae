"""The `screen` command's work, without Django: cases in, one JSON line per case out.

`python manage.py screen` runs this. With --criteria-file, manage.py calls it directly and
Django is never loaded (SPEC §7: no server and no database); otherwise the Django command
passes in a loader for stored criteria versions. JSON is read and written with orjson, with
the standard library as the fallback that explains a line orjson refuses.

A case is {"id": ..., "answers": {...}}; the public test-case keys `note` and `expect` may
sit beside them and are ignored, anything else is refused like an unknown answer field.
Exit status: 0 all screened, 1 if any case was bad, 2 for bad usage. Never a traceback.
"""

import argparse
import collections
import itertools
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import orjson

from screening.engine import AnswersError, Criteria, CriteriaError, catalogue, load_criteria, screen
from screening.jsontext import decode, id_of_refused, may_repeat_a_key, repeated_keys
from screening.jsontext import loads as strict_loads

DEFAULT_CRITERIA_FILE = Path(__file__).resolve().parent / "criteria" / "default-2.json"
CASE_KEYS = frozenset(("id", "answers", "note", "expect"))
BOM = b"\xef\xbb\xbf"  # some Windows editors start UTF-8 files with it
ANSWER_OBJECTS = tuple(name for name in catalogue.TOP_LEVEL  # SPEC §3
                       if catalogue.answer(name).kind == "object")
BATCH = 2000
# Long JSON Lines inputs are screened in chunks by one process per core (order kept;
# SCREEN_PROCESSES=1 turns it off); below a few chunks the pool costs more than it saves.
CHUNK = 2000
PARALLEL_FROM_CHUNKS = 3
IN_FLIGHT_PER_CORE = 3


class UsageError(Exception):
    """Bad usage: a message on stderr and exit status 2."""


def encode(data) -> bytes:
    try:
        return orjson.dumps(data)
    except TypeError:  # e.g. an id that is an integer past 64 bits
        return json.dumps(data).encode()


def error_line(case_id, message: str) -> bytes:
    return encode({"id": case_id, "error": message})


def repeated_line(case, where: str) -> bytes:
    field = where.removeprefix("answers.")
    return error_line(case.get("id") if type(case) is dict else None,
                      f"{field}: given twice (each field may appear once)")


def case_line(case, criteria: Criteria) -> tuple[bytes, bool]:
    """(output line, True if screened) for one decoded case."""
    if type(case) is not dict:
        return error_line(None, 'a case is a JSON object {"id": ..., "answers": {...}}'), False
    case_id = case.get("id")
    if not case.keys() <= CASE_KEYS:
        unknown = next(key for key in case if key not in CASE_KEYS)
        return error_line(case_id, f"{unknown}: unknown field in the case (answers go inside "
                                   '"answers")'), False
    if "answers" not in case:
        return error_line(case_id, "answers: required"), False
    try:
        return encode(screen(case["answers"], criteria, case_id).to_dict()), True
    except AnswersError as error:
        return error_line(case_id, str(error)), False
    except Exception as error:  # a bug of ours: this case is reported, the rest still run
        return error_line(case_id, f"could not be screened (internal error: "
                                   f"{type(error).__name__})"), False


def key_count(case: dict) -> int:
    """How many keys a screened case holds: its own, its answers' and those of the objects
    in its answers (valid answers have no others)."""
    answers = case["answers"]
    count = len(case) + len(answers)
    for name in ANSWER_OBJECTS:
        if (value := answers.get(name)) is not None:
            count += len(value)
    return count


def document_lines(data: bytes, criteria: Criteria, where: str) -> Iterator[tuple[bytes, bool]]:
    """Output lines for one JSON document: a case, or a list of cases."""
    data = data.removeprefix(BOM)
    try:
        decoded = decode(data)
    except ValueError as error:
        yield error_line(id_of_refused(data), f"{where}: not valid JSON ({error})"), False
        return
    cases = decoded if type(decoded) is list else [decoded]
    repeats: dict[int, str] = {}
    for path in repeated_keys(data):
        if type(decoded) is list:  # "[2].answers.phq9": case 2, answers.phq9
            position, _, path = path.partition("].")
            repeats.setdefault(int(position.lstrip("[")), path)
        else:
            repeats.setdefault(0, path)
    for index, case in enumerate(cases):
        if index in repeats:
            yield repeated_line(case, repeats[index]), False
        else:
            yield case_line(case, criteria)


def jsonl_lines(lines: Iterable[bytes], criteria: Criteria,
                start: int = 1) -> Iterator[tuple[bytes, bool]]:
    """Output lines for JSON Lines input (numbered from `start`); blank lines are skipped."""
    for number, line in enumerate(lines, start=start):
        if number == 1:
            line = line.removeprefix(BOM)
        if not line.strip():
            continue
        try:
            case = decode(line)
        except ValueError as error:
            yield error_line(id_of_refused(line), f"line {number}: not valid JSON ({error})"), False
            continue
        output, screened = case_line(case, criteria)
        # Only a screened case needs the look for a repeated key (a refused one is refused
        # anyway), and the cheap count settles it for nearly every line.
        if (screened and may_repeat_a_key(line, key_count(case))
                and (repeats := repeated_keys(line))):
            output, screened = repeated_line(case, repeats[0]), False
        yield output, screened


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cases", nargs="*", metavar="CASE.json",
                        help='case files: {"id": ..., "answers": {...}} (or a list of them)')
    parser.add_argument("--jsonl", metavar="FILE", help="JSON Lines input; - for stdin")
    parser.add_argument("--criteria-file", metavar="PATH",
                        help="criteria from a JSON file (the shipped default: "
                             "screening/criteria/default-2.json)")
    parser.add_argument("--criteria", metavar="VERSION",
                        help="a stored criteria version (default: the published one)")


def uses_criteria_file(argv: list[str]) -> bool:
    """True when these `screen` arguments name a criteria file (so no database is needed)."""
    return any(arg == "--criteria-file" or arg.startswith("--criteria-file=") for arg in argv)


def _read_criteria(path: str) -> dict:
    try:
        return strict_loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"--criteria-file {path}: {error.strerror}") from None
    except ValueError as error:
        raise UsageError(f"--criteria-file {path}: not valid JSON ({error})") from None


def _file_lines(path: str, criteria: Criteria) -> Iterator[tuple[bytes, bool]]:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        yield error_line(None, f"{path}: cannot read ({error.strerror})"), False
        return
    yield from document_lines(data, criteria, path)


def _jsonl_input(jsonl: str):
    if jsonl == "-":
        return sys.stdin.buffer
    try:
        return open(jsonl, "rb")  # noqa: SIM115 - read to the end, then the process exits
    except OSError as error:
        raise UsageError(f"--jsonl {jsonl}: {error.strerror}") from None


def _write(outputs: Iterable[tuple[bytes, bool]]) -> int:
    bad = 0
    batch: list[bytes] = []
    write = sys.stdout.buffer.write
    for line, ok in outputs:
        batch.append(line)
        bad += not ok
        if len(batch) >= BATCH:
            batch.append(b"")
            write(b"\n".join(batch))
            batch = []
    if batch:
        batch.append(b"")
        write(b"\n".join(batch))
    sys.stdout.buffer.flush()
    return bad


_worker_criteria: Criteria | None = None


def _worker_start(document: dict) -> None:
    global _worker_criteria
    _worker_criteria = load_criteria(document)


def _screen_chunk(chunk: tuple[int, list[bytes]]) -> list[tuple[bytes, bool]]:
    start, lines = chunk
    assert _worker_criteria is not None, "set by _worker_start in every pool process"
    return list(jsonl_lines(lines, _worker_criteria, start))


def _chunks(lines: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    lines = iter(lines)
    start = 1
    while chunk := list(itertools.islice(lines, CHUNK)):
        yield start, chunk
        start += len(chunk)


def _jsonl_outputs(source, compiled: Criteria, document: dict):
    """Output lines for JSON Lines, on every core when the input is long."""
    chunks = _chunks(source)
    first = list(itertools.islice(chunks, PARALLEL_FROM_CHUNKS))
    cores = int(os.environ.get("SCREEN_PROCESSES") or os.cpu_count() or 1)
    if len(first) < PARALLEL_FROM_CHUNKS or cores < 2:
        for start, lines in itertools.chain(first, chunks):
            yield from jsonl_lines(lines, compiled, start)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    # Pool.imap would read the whole input ahead into memory; a window of chunks in flight
    # keeps memory flat however long the input is, and the output in input order.
    pending: collections.deque = collections.deque()
    with context.Pool(cores, initializer=_worker_start, initargs=(document,)) as pool:
        for chunk in itertools.chain(first, chunks):
            pending.append(pool.apply_async(_screen_chunk, (chunk,)))
            if len(pending) >= cores * IN_FLIGHT_PER_CORE:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def run(cases: list[str], jsonl: str | None, criteria_file: str | None,
        criteria: str | None, load_stored: Callable[[str | None], dict] | None = None) -> int:
    """Screen the cases; returns the exit status. Raises UsageError for bad usage."""
    if cases and jsonl:
        raise UsageError("give case files or --jsonl, not both")
    if not cases and not jsonl:
        raise UsageError("nothing to screen: give CASE.json files or --jsonl FILE|-")
    if criteria_file and criteria:
        raise UsageError("give --criteria-file or --criteria, not both")
    if criteria_file:
        document = _read_criteria(criteria_file)
    elif load_stored is not None:
        document = load_stored(criteria)
    else:
        raise UsageError("--criteria needs the database: run python manage.py screen")
    try:
        compiled = load_criteria(document)
    except CriteriaError as error:
        raise UsageError(f"the criteria are not valid: {error}") from None
    if jsonl:
        outputs = _jsonl_outputs(_jsonl_input(jsonl), compiled, document)
    else:
        outputs = (line for path in cases for line in _file_lines(path, compiled))
    return 1 if _write(outputs) else 0


def guarded(work: Callable[[], int]) -> int:
    """Run `work`, turning every failure into a message and an exit status."""
    try:
        return work()
    except UsageError as error:
        sys.stderr.write(f"screen: {error}\n")
        return 2
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug of ours: say so plainly, still no traceback
        sys.stderr.write(f"screen: internal error ({type(error).__name__}: {error})\n")
        return 2


def main(argv: list[str]) -> int:
    """`manage.py screen ...` without Django (criteria from a file). Returns the exit status."""
    parser = argparse.ArgumentParser(prog="manage.py screen", description=__doc__.split("\n")[0])
    add_arguments(parser)
    options = parser.parse_args(argv)  # exits 2 with usage on bad arguments
    return guarded(lambda: run(options.cases, options.jsonl, options.criteria_file,
                               options.criteria))
