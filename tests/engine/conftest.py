"""The default criteria and a builder of valid answers, for engine tests (no database)."""

import copy
import json
from pathlib import Path

import pytest

from screening.engine import load_criteria

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = ROOT / "screening" / "criteria" / "default-2.json"
CASES_DIR = ROOT / "screening" / "criteria" / "cases"


def default_document() -> dict:
    return json.loads(DEFAULT_FILE.read_text())


@pytest.fixture(scope="session")
def criteria():
    return load_criteria(default_document())


def public_cases() -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(CASES_DIR.glob("*.json"))]


def nested(answers: dict, path: str, value) -> dict:
    """A copy of `answers` with the value at a dotted path ("cssrs.intent") replaced."""
    answers = copy.deepcopy(answers)
    node = answers
    *parents, last = path.split(".")
    for part in parents:
        node = node[part]
    node[last] = value
    return answers


def well(**overrides) -> dict:
    """The answers of v01-well (no symptoms, no risk), with top-level fields replaced."""
    answers = copy.deepcopy(next(c for c in public_cases() if c["id"] == "v01-well")["answers"])
    answers["auditc"] = [0, 0, 0]
    answers.update(copy.deepcopy(overrides))
    return answers
