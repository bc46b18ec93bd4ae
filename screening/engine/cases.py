"""Screening many cases from JSON text: one output line per case, errors as lines too.

Shared by the `screen` command, the benchmark and the tests. A case is
{"id": ..., "answers": {...}}; the public test-case keys `note` and `expect` are allowed
beside them and ignored, anything else is refused like an unknown answer field.
"""

import json
from collections.abc import Iterable, Iterator

from .criteria import Criteria
from .errors import AnswersError
from .screen import screen

CASE_KEYS = frozenset(("id", "answers", "note", "expect"))
_decode = json.JSONDecoder(parse_constant=lambda name: _refuse_constant(name)).decode
_encode = json.JSONEncoder(allow_nan=False).encode


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def error_line(case_id, message: str) -> str:
    return _encode({"id": case_id, "error": message})


def case_line(case, criteria: Criteria) -> tuple[str, bool]:
    """(output line, True if it was screened) for one decoded case."""
    if type(case) is not dict:
        return error_line(None, "a case is a JSON object {\"id\": ..., \"answers\": {...}}"), False
    case_id = case.get("id")
    for key in case:
        if key not in CASE_KEYS:
            return error_line(case_id, f"{key}: unknown field in the case (answers go "
                                       "inside \"answers\")"), False
    if "answers" not in case:
        return error_line(case_id, "answers: required"), False
    try:
        return _encode(screen(case["answers"], criteria, case_id).to_dict()), True
    except AnswersError as error:
        return error_line(case_id, str(error)), False


def text_lines(text: str, criteria: Criteria, where: str) -> Iterator[tuple[str, bool]]:
    """Output lines for a whole JSON document: one case, or a list of cases."""
    try:
        data = _decode(text)
    except ValueError as error:
        yield error_line(None, f"{where}: not valid JSON ({error})"), False
        return
    for case in data if type(data) is list else [data]:
        yield case_line(case, criteria)


def jsonl_lines(lines: Iterable[str], criteria: Criteria) -> Iterator[tuple[str, bool]]:
    """Output lines for JSON Lines input; blank lines are skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = _decode(line)
        except ValueError as error:
            yield error_line(None, f"line {number}: not valid JSON ({error})"), False
            continue
        yield case_line(case, criteria)
