"""The re-screen's suggestion (SPEC §8b): step up, step down after two screens in a row,
else continue, with the rules and flags that moved. Pure: no database."""

import subprocess
import sys
from pathlib import Path

import pytest

from care.suggestion import (
    CONTINUE,
    STEP_DOWN,
    STEP_UP,
    Screen,
    SuggestionError,
    suggest,
)

SAFETY = ("urgent", "safety_followup", "safety_discordant")
INTAKE_IOP = Screen("iop", rules=("IOP-DEPRESSION",), flags=())


def _suggest(care_level, *screens, after=2):
    return suggest(care_level=care_level, screens=list(screens), safety_flags=SAFETY,
                   step_down_after=after)


def test_it_steps_up_when_the_new_screen_recommends_more_than_the_program():
    result = _suggest("iop", INTAKE_IOP, Screen("inpatient", rules=("IP-SUICIDE",),
                                               flags=("urgent",)))
    assert (result.move, result.level) == (STEP_UP, "inpatient")
    assert result.rules_added == ("IP-SUICIDE",)
    assert result.rules_removed == ("IOP-DEPRESSION",)
    assert result.new_safety_flags == ("urgent",)
    assert result.worsening


def test_one_screen_below_the_program_is_not_yet_a_step_down():
    result = _suggest("iop", INTAKE_IOP, Screen("outpatient"))
    assert (result.move, result.level, result.below_in_a_row) == (CONTINUE, "iop", 1)
    assert not result.worsening


def test_two_screens_in_a_row_below_the_program_suggest_a_step_down():
    result = _suggest("iop", INTAKE_IOP, Screen("outpatient"), Screen("outpatient"))
    assert (result.move, result.level, result.below_in_a_row) == (STEP_DOWN, "outpatient", 2)


def test_a_screen_at_the_program_level_in_between_starts_the_count_again():
    result = _suggest("iop", INTAKE_IOP, Screen("outpatient"), Screen("iop"),
                      Screen("outpatient"))
    assert (result.move, result.below_in_a_row) == (CONTINUE, 1)


def test_the_number_of_screens_for_a_step_down_is_a_setting():
    assert _suggest("iop", INTAKE_IOP, Screen("outpatient"), after=1).move == STEP_DOWN
    assert _suggest("iop", INTAKE_IOP, Screen("outpatient"), Screen("outpatient"),
                    after=3).move == CONTINUE


def test_it_continues_at_the_program_level():
    result = _suggest("iop", INTAKE_IOP, Screen("iop", rules=("IOP-DEPRESSION",)))
    assert (result.move, result.level) == (CONTINUE, "iop")
    assert result.rules_added == result.rules_removed == ()


def test_a_new_safety_flag_is_worsening_even_without_a_step_up():
    result = _suggest("iop", INTAKE_IOP, Screen("iop", flags=("safety_followup", "other")))
    assert result.move == CONTINUE
    assert result.new_flags == ("safety_followup", "other")
    assert result.new_safety_flags == ("safety_followup",)
    assert result.worsening


def test_a_safety_flag_already_there_before_is_not_new():
    before = Screen("iop", flags=("safety_followup",))
    result = _suggest("iop", before, Screen("iop", flags=("safety_followup",)))
    assert result.new_safety_flags == ()
    assert not result.worsening


def test_a_step_down_from_inpatient_goes_to_the_level_recommended():
    result = _suggest("inpatient", Screen("inpatient"), Screen("iop"), Screen("outpatient"))
    assert (result.move, result.level) == (STEP_DOWN, "outpatient")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"care_level": "day"}, "care_level"),
    ({"screens": []}, "screens"),
    ({"screens": [Screen("iop"), Screen("weekly")]}, "screens[1].level"),
    ({"step_down_after": 0}, "step_down_after"),
])
def test_bad_input_names_the_field(kwargs, field):
    arguments = {"care_level": "iop", "screens": [INTAKE_IOP], "safety_flags": SAFETY,
                 **kwargs}
    with pytest.raises(SuggestionError) as error:
        suggest(**arguments)
    assert error.value.field == field


def test_the_module_loads_without_django():
    root = Path(__file__).resolve().parents[2]
    code = "import sys, care.suggestion; print('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"
