"""The engine's two error types: bad answers, and bad criteria. Both name the bad part."""


class EngineError(ValueError):
    """Base of the engine's errors: `field` names the bad part, `message` says what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class AnswersError(EngineError):
    """Intake answers that are not valid engine input (SPEC §3)."""


class CriteriaError(EngineError):
    """A criteria document that is not valid (unknown fact, bad value, bands out of order...)."""
