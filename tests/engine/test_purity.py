"""The engine is plain Python: importing and running it never loads Django."""

import subprocess
import sys

from .conftest import ROOT

PROGRAM = """
import json, sys
from screening.engine import load_criteria, screen
criteria = load_criteria(json.load(open("screening/criteria/default-2.json")))
case = json.load(open("screening/criteria/cases/v07-high-suicide-risk.json"))
print(screen(case["answers"], criteria).level)
from screening.engine.counterfactual import level_changes
assert level_changes(case["answers"], criteria).down.ways
print(sorted(name for name in sys.modules if name.split(".")[0] == "django"))
"""


def test_it_imports_and_screens_without_django():
    result = subprocess.run([sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["inpatient", "[]"]
