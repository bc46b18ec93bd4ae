"""The screening engine: pure Python, no Django, no I/O, no clock.

    criteria = load_criteria(document)          # CriteriaError names the bad part
    result = screen(answers, criteria, "v01")   # AnswersError names the bad field
    result.level, result.reasons, result.flags, result.to_dict()
"""

from .answers import validate_answers
from .criteria import OPERATORS, Criteria, load_criteria
from .errors import AnswersError, CriteriaError, EngineError
from .facts import FACTS, FLAG_FACTS
from .levels import BANDS, INSTRUMENTS, LEVELS
from .result import Reason, Result
from .screen import screen, screen_level

__all__ = [
    "AnswersError", "BANDS", "Criteria", "CriteriaError", "EngineError", "FACTS", "FLAG_FACTS",
    "INSTRUMENTS", "LEVELS", "OPERATORS", "Reason", "Result", "load_criteria", "screen",
    "screen_level", "validate_answers",
]
