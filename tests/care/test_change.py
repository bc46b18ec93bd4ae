"""Clinically meaningful change (care/change.py): each published threshold on both sides of
its edge, the instruments without one marked never, and bad input refused by name."""

import subprocess
import sys
from pathlib import Path

import pytest

from care.change import (
    BELOW_CUTOFF,
    IMPROVED,
    MARKS,
    REMISSION,
    RESPONSE,
    THRESHOLDS,
    WORSENED,
    describe_change,
)
from screening.engine.catalogue import INSTRUMENTS

ROOT = Path(__file__).resolve().parents[2]


def marks(instrument, before, after):
    change = describe_change(instrument, before, after)
    return () if change is None else change.marks


# (before, after, the marks expected, strongest first)
PHQ9 = [
    # the MCID, 5 points, either way
    (15, 10, (IMPROVED,)),
    (15, 11, ()),
    (5, 10, (WORSENED,)),
    (5, 9, ()),
    (22, 27, (WORSENED,)),
    (0, 4, ()),
    # response: a fall of half or more, from 10 or above (NQF 1885)
    (10, 5, (RESPONSE, BELOW_CUTOFF, IMPROVED)),
    (12, 6, (RESPONSE, BELOW_CUTOFF, IMPROVED)),
    (11, 6, (BELOW_CUTOFF, IMPROVED)),  # 45%: not yet a response
    (20, 10, (RESPONSE, IMPROVED)),
    (20, 11, (IMPROVED,)),
    (27, 13, (RESPONSE, IMPROVED)),
    (27, 14, (IMPROVED,)),
    # remission: below 5, from 10 or above (NQF 0710)
    (10, 4, (REMISSION, RESPONSE, BELOW_CUTOFF, IMPROVED)),
    (10, 0, (REMISSION, RESPONSE, BELOW_CUTOFF, IMPROVED)),
    (9, 4, (IMPROVED,)),  # from below 10 there is no response or remission to measure
    (9, 0, (IMPROVED,)),
    (8, 4, ()),  # half, but only 4 points and not from 10
    # below the cut-off of 10, by a meaningful fall
    (14, 9, (BELOW_CUTOFF, IMPROVED)),
    (13, 9, ()),
    (10, 9, ()),  # within the test's own noise
    (17, 9, (BELOW_CUTOFF, IMPROVED)),
    (17, 10, (IMPROVED,)),
    # no change, or small changes
    (12, 12, ()),
    (27, 27, ()),
    (0, 0, ()),
]

GAD7 = [
    (8, 4, (IMPROVED,)),
    (8, 5, ()),
    (3, 7, (WORSENED,)),
    (3, 6, ()),
    (17, 21, (WORSENED,)),
    (10, 6, (BELOW_CUTOFF, IMPROVED)),
    (10, 7, ()),
    (13, 9, (BELOW_CUTOFF, IMPROVED)),
    (14, 10, (IMPROVED,)),
    # no remission or response mark for GAD-7 (docs/instruments.md says why)
    (21, 0, (BELOW_CUTOFF, IMPROVED)),
    (10, 0, (BELOW_CUTOFF, IMPROVED)),
]

PEG = [
    (6.3, 5.3, (IMPROVED,)),  # exactly 1.0 in decimal, though not in binary floats
    (6.3, 5.4, ()),
    (2.0, 3.0, (WORSENED,)),
    (2.0, 2.9, ()),
    (10, 0, (IMPROVED,)),
    (0, 10, (WORSENED,)),
    (4.7, 4.7, ()),
]


@pytest.mark.parametrize(("before", "after", "expected"), PHQ9)
def test_it_marks_phq9_changes_at_every_edge(before, after, expected):
    assert marks("phq9", before, after) == expected


@pytest.mark.parametrize(("before", "after", "expected"), GAD7)
def test_it_marks_gad7_changes_at_every_edge(before, after, expected):
    assert marks("gad7", before, after) == expected


@pytest.mark.parametrize(("before", "after", "expected"), PEG)
def test_it_marks_peg_changes_at_every_edge(before, after, expected):
    assert marks("peg", before, after) == expected


@pytest.mark.parametrize("instrument", ["auditc", "dast10", "pcptsd5", "scoff", "mdq"])
def test_it_marks_nothing_where_no_threshold_is_published(instrument):
    low, high = INSTRUMENTS[instrument].score_range
    assert instrument not in THRESHOLDS
    assert describe_change(instrument, high, low) is None
    assert describe_change(instrument, low, high) is None


def test_every_instrument_is_either_in_the_table_or_documented_as_without_a_threshold():
    section = (ROOT / "docs" / "instruments.md").read_text().split(
        "## Clinically meaningful change", 1)[1]
    for spec in INSTRUMENTS.values():
        assert spec.name in section, f"{spec.name} is not in the change section"
    for key, row in THRESHOLDS.items():
        assert key in INSTRUMENTS
        assert row.source, key
        first_author = row.source.split(":", 1)[1].split()[0].rstrip(",")
        assert first_author in section, f"{key}: {first_author} not cited in the docs"


def test_a_change_carries_its_numbers_and_its_strongest_mark():
    change = describe_change("phq9", 17, 4)
    assert change is not None
    assert (change.before, change.after, change.difference, change.percent) == (17, 4, -13, -76)
    assert change.headline == REMISSION
    assert change.better
    rise = describe_change("phq9", 4, 9)
    assert rise is not None
    assert (rise.difference, rise.percent, rise.headline, rise.better) == (5, 125, WORSENED,
                                                                          False)


def test_a_rise_from_zero_has_no_percentage():
    change = describe_change("phq9", 0, 5)
    assert change is not None
    assert change.percent is None
    assert change.marks == (WORSENED,)


def test_peg_differences_are_in_tenths():
    change = describe_change("peg", 6.3, 5.3)
    assert change is not None
    assert change.difference == -1.0
    assert type(change.difference) is float


def test_marks_are_listed_strongest_first():
    for before in range(28):
        for after in range(28):
            found = marks("phq9", before, after)
            assert list(found) == sorted(found, key=MARKS.index)
            assert not (IMPROVED in found and WORSENED in found)


@pytest.mark.parametrize(("instrument", "before", "after", "message"), [
    ("phq10", 1, 2, "unknown instrument: 'phq10'"),
    ("phq9", 28, 2, "before: expected a PHQ-9 score, a whole number from 0 to 27, got 28"),
    ("phq9", 2, -1, "after: expected a PHQ-9 score, a whole number from 0 to 27, got -1"),
    ("gad7", 22, 2, "before: expected a GAD-7 score, a whole number from 0 to 21, got 22"),
    ("phq9", True, 2, "before: expected a PHQ-9 score, a whole number from 0 to 27, got True"),
    ("phq9", "5", 2, "before: expected a PHQ-9 score, a whole number from 0 to 27, got '5'"),
    ("phq9", 5, None, "after: expected a PHQ-9 score, a whole number from 0 to 27, got None"),
    ("phq9", 9.5, 2, "before: expected a PHQ-9 score, a whole number from 0 to 27, got 9.5"),
    ("phq9", 9.0, 2, "before: expected a PHQ-9 score, a whole number from 0 to 27, got 9.0"),
    ("peg", 10.1, 2, "before: expected a PEG score, a number from 0 to 10, got 10.1"),
    ("peg", True, 2, "before: expected a PEG score, a number from 0 to 10, got True"),
])
def test_it_refuses_bad_input_by_name(instrument, before, after, message):
    with pytest.raises(ValueError) as raised:
        describe_change(instrument, before, after)
    assert str(raised.value) == message


def test_it_is_plain_python_without_django():
    program = ("import sys; from care.change import describe_change; "
               "print(describe_change('phq9', 17, 9).marks); "
               "print(sorted(n for n in sys.modules if n.split('.')[0] == 'django'))")
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["('below_cutoff', 'improved')", "[]"]
