"""The moves an intake can make after submit, as one table (SPEC §8, §8b "After the decision").

An intake's place in the pathway is a pair: its review state (`Intake.status`) and, once it
is decided, the outcome of the decision (`Decision.outcome`): has the person been scheduled,
did they start, not show, decline, go elsewhere, or could they not be reached.

Every service that moves an intake asks `move_check` first, and nothing else decides whether
a move is allowed: "may this intake be decided" is `move_check(Move.DECIDE, ...)`, here and
only here. tests/review/test_state.py walks every state, outcome and move of the table.
"""

from enum import StrEnum

from django.db import models

from intake.models import Intake

Status = Intake.Status


class ReviewError(Exception):
    """A review action refused: the message says why, in words a clinician can act on."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Outcome(models.TextChoices):
    """What came of a decision. AWAITING until a clinician records something."""

    AWAITING = "awaiting", "Not arranged yet"
    SCHEDULED = "scheduled", "First session scheduled"
    STARTED = "started", "Started"
    NO_SHOW = "no_show", "Did not come to the first session"
    DECLINED = "declined", "Declined"
    REFERRED = "referred", "Referred elsewhere"
    COULD_NOT_REACH = "could_not_reach", "Could not be reached"


class Move(StrEnum):
    START_REVIEW = "start_review"
    PUT_BACK = "put_back"
    DECIDE = "decide"
    AMEND = "amend"
    CLOSE = "close"
    REOPEN = "reopen"
    SCHEDULE = "schedule"
    START = "start"
    NO_SHOW = "no_show"
    RECONTACT = "recontact"
    DECLINE = "decline"
    REFER = "refer"
    COULD_NOT_REACH = "could_not_reach"


# Moves of the review state: move -> (the states it starts from, the state it leads to).
REVIEW_MOVES: dict[Move, tuple[frozenset[str], str]] = {
    Move.START_REVIEW: (frozenset({Status.SUBMITTED}), Status.IN_REVIEW),
    Move.PUT_BACK: (frozenset({Status.IN_REVIEW}), Status.SUBMITTED),
    Move.DECIDE: (frozenset({Status.IN_REVIEW}), Status.DECIDED),
    Move.AMEND: (frozenset({Status.DECIDED}), Status.DECIDED),
    Move.CLOSE: (frozenset({Status.DECIDED}), Status.CLOSED),
    Move.REOPEN: (frozenset({Status.CLOSED}), Status.DECIDED),
}

_NOT_STARTED = {Outcome.AWAITING, Outcome.SCHEDULED, Outcome.NO_SHOW, Outcome.COULD_NOT_REACH}

# Moves of the outcome, made only while the intake is decided (a closed intake is reopened
# first): move -> (the outcomes it starts from, the outcome it leads to).
OUTCOME_MOVES: dict[Move, tuple[frozenset[str], str]] = {
    # A person who declined or could not be reached may still come: they are scheduled again.
    Move.SCHEDULE: (frozenset({Outcome.AWAITING, Outcome.SCHEDULED, Outcome.DECLINED,
                               Outcome.COULD_NOT_REACH}), Outcome.SCHEDULED),
    Move.START: (frozenset({Outcome.SCHEDULED}), Outcome.STARTED),
    Move.NO_SHOW: (frozenset({Outcome.SCHEDULED}), Outcome.NO_SHOW),
    # After a no-show the person is contacted again and given another first session.
    Move.RECONTACT: (frozenset({Outcome.NO_SHOW}), Outcome.SCHEDULED),
    Move.DECLINE: (frozenset(_NOT_STARTED), Outcome.DECLINED),
    Move.REFER: (frozenset(_NOT_STARTED | {Outcome.DECLINED}), Outcome.REFERRED),
    Move.COULD_NOT_REACH: (frozenset({Outcome.AWAITING, Outcome.NO_SHOW}),
                           Outcome.COULD_NOT_REACH),
}

MOVE_LABELS: dict[Move, str] = {
    Move.START_REVIEW: "Start review",
    Move.PUT_BACK: "Put back in the queue",
    Move.DECIDE: "Record the decision",
    Move.AMEND: "Amend the decision",
    Move.CLOSE: "Close the intake",
    Move.REOPEN: "Reopen the intake",
    Move.SCHEDULE: "Schedule the first session",
    Move.START: "Started the program",
    Move.NO_SHOW: "Did not come",
    Move.RECONTACT: "Re-contacted: new first session",
    Move.DECLINE: "Declined",
    Move.REFER: "Referred elsewhere",
    Move.COULD_NOT_REACH: "Could not reach",
}

_STATUS_WORDS = dict(Status.choices)
_OUTCOME_WORDS = dict(Outcome.choices)


def move_check(move: str, status: str, outcome: str = "") -> tuple[str, str]:
    """Where `move` leads from `status` (and, once decided, `outcome`): (status, outcome).

    Raises ReviewError, saying why in a clinician's words, for a move the table does not
    allow from there (or a move that does not exist).
    """
    try:
        move = Move(move)
    except ValueError:
        raise ReviewError("That is not something an intake can do.") from None
    if move in REVIEW_MOVES:
        starts, leads_to = REVIEW_MOVES[move]
        if status not in starts:
            raise ReviewError(_review_refusal(move, status))
        if move == Move.DECIDE:
            return leads_to, Outcome.AWAITING
        return leads_to, outcome
    starts, leads_to = OUTCOME_MOVES[move]
    if status != Status.DECIDED:
        raise ReviewError(_review_refusal(move, status))
    if outcome not in starts:
        now = _OUTCOME_WORDS.get(outcome, outcome).lower()
        raise ReviewError(f"\u201c{MOVE_LABELS[move]}\u201d cannot be recorded: the outcome "
                          f"is \u201c{now}\u201d.")
    return status, leads_to


def _review_refusal(move: Move, status: str) -> str:
    if status == Status.DRAFT:
        return "This intake has not been submitted yet."
    if move == Move.DECIDE:
        if status == Status.SUBMITTED:
            return "Start the review before deciding: only an intake in review can be decided."
        return "This intake has already been decided."
    if move in OUTCOME_MOVES or move == Move.AMEND:
        if status == Status.CLOSED:
            return "This intake is closed: reopen it first."
        return "This intake has no decision yet: decide it first."
    state = _STATUS_WORDS.get(status, status).lower()
    target = _STATUS_WORDS[REVIEW_MOVES[move][1]].lower()
    return f"An intake that is {state} cannot move to {target}."


def moves_allowed(status: str, outcome: str = "") -> list[Move]:
    """Every move the table allows from here, in the table's order."""
    allowed = []
    for move in Move:
        try:
            move_check(move, status, outcome)
        except ReviewError:
            continue
        allowed.append(move)
    return allowed
