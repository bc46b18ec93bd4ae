"""What a re-screen suggests for the care a person is in (SPEC §8b, measurement-based care):
step up, step down or continue, and which rules moved since the screen before.

Plain Python, no Django: the inputs are passed in (the care level, the screens in order, the
flags that mean a safety worry) and the result is a frozen value. care/services.py stores it.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

LEVELS = ("outpatient", "iop", "inpatient")  # least to most intensive, as SPEC §2
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

CONTINUE, STEP_UP, STEP_DOWN = "continue", "step_up", "step_down"
MOVES = (CONTINUE, STEP_UP, STEP_DOWN)


class SuggestionError(ValueError):
    """The inputs cannot make a suggestion; `field` names which one."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Screen:
    """One screen's result: the level the engine recommended, the rules fired, the flags."""

    level: str
    rules: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    move: str  # CONTINUE, STEP_UP or STEP_DOWN
    level: str  # the level it suggests: the care level, or the recommended one when it moves
    rules_added: tuple[str, ...]  # fired now, not on the screen before
    rules_removed: tuple[str, ...]  # fired on the screen before, not now
    new_flags: tuple[str, ...]  # raised now, not on the screen before
    new_safety_flags: tuple[str, ...]  # of those, the ones that mean a safety worry
    below_in_a_row: int  # screens in a row, ending with this one, recommending less care

    @property
    def worsening(self) -> bool:
        """A step up or a new safety flag: the person goes into the queue on its tier."""
        return self.move == STEP_UP or bool(self.new_safety_flags)


def _check_level(field: str, level: str) -> None:
    if level not in LEVEL_RANK:
        raise SuggestionError(field, f"unknown level {level!r}; one of {', '.join(LEVELS)}")


def suggest(*, care_level: str, screens: Sequence[Screen], safety_flags: Collection[str],
            step_down_after: int = 2) -> Suggestion:
    """The suggestion from the newest of `screens` (oldest first, the intake's among them)
    for a person in care at `care_level`.

    Step up when the newest recommends more than the care level; step down when it and the
    `step_down_after - 1` screens before it all recommend less; else continue. The rules and
    flags that moved are against the screen just before the newest (none when it is the
    first). Raises SuggestionError for an unknown level, no screen, or `step_down_after`
    under 1.
    """
    _check_level("care_level", care_level)
    if not screens:
        raise SuggestionError("screens", "at least the new screen is needed")
    if step_down_after < 1:
        raise SuggestionError("step_down_after", "must be 1 or more")
    for number, screen in enumerate(screens):
        _check_level(f"screens[{number}].level", screen.level)
    newest = screens[-1]
    before = screens[-2] if len(screens) > 1 else Screen(level=newest.level)
    below = 0
    for screen in reversed(screens):
        if LEVEL_RANK[screen.level] >= LEVEL_RANK[care_level]:
            break
        below += 1
    if LEVEL_RANK[newest.level] > LEVEL_RANK[care_level]:
        move, level = STEP_UP, newest.level
    elif below >= step_down_after:
        move, level = STEP_DOWN, newest.level
    else:
        move, level = CONTINUE, care_level
    new_flags = tuple(flag for flag in newest.flags if flag not in before.flags)
    return Suggestion(
        move=move, level=level,
        rules_added=tuple(rule for rule in newest.rules if rule not in before.rules),
        rules_removed=tuple(rule for rule in before.rules if rule not in newest.rules),
        new_flags=new_flags,
        new_safety_flags=tuple(flag for flag in new_flags if flag in safety_flags),
        below_in_a_row=below)
