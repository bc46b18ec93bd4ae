"""What `screen` returns: a frozen result that explains itself (SPEC §7)."""

from typing import NamedTuple

# NamedTuples rather than frozen dataclasses: as immutable, and several times cheaper to
# make, which counts when a run screens tens of thousands of cases.


class Reason(NamedTuple):
    """One matched rule: its id, the level it asks for and why, in plain words."""

    id: str
    level: str
    reason: str


class Result(NamedTuple):
    id: object
    level: str
    criteria_version: str
    reasons: tuple  # of Reason, highest level first, then in criteria order
    flags: tuple
    severity: str
    suicide_risk: str
    withdrawal_risk: str
    scores: dict
    bands: dict

    @property
    def rules(self) -> list[str]:
        return [reason.id for reason in self.reasons]

    def to_dict(self) -> dict:
        """The JSON object of SPEC §7, keys in its order."""
        return {
            "id": self.id,
            "level": self.level,
            "criteria_version": self.criteria_version,
            "rules": [reason.id for reason in self.reasons],
            "flags": list(self.flags),
            "severity": self.severity,
            "suicide_risk": self.suicide_risk,
            "withdrawal_risk": self.withdrawal_risk,
            "scores": dict(self.scores),
            "bands": dict(self.bands),
        }
