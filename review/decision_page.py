"""What the intake page shows after the decision: its versions, the outcome so far, and the
forms for the moves the state table allows now (amend, close, reopen, each outcome step)."""

from django.forms import Form

from accounts.models import User
from intake.models import Intake

from .decision_forms import AmendForm, ReopenForm, outcome_form
from .decisions import LEVELS, decision_history
from .matching import no_place_at_level
from .outcomes import outcome_history
from .placement import preferred_language, programs_fitting
from .state import MOVE_LABELS, OUTCOME_MOVES, Move, moves_allowed


def form_name(move: Move) -> str:
    """The name a move's form has in the page's context."""
    return f"{move}_form"


def decision_page_context(user: User, intake: Intake, bound: dict[str, Form]) -> dict:
    """The after-the-decision part of the intake page. `bound` holds a form that was posted
    and refused, by its name, to show again with what was typed."""
    decision = getattr(intake, "decision", None)
    if decision is None:  # nothing after a decision yet, and no queries for it
        recommendation = getattr(intake, "recommendation", None)
        deciding = (user.is_clinician and recommendation is not None
                    and Move.DECIDE in moves_allowed(intake.status))
        return {"decision_versions": [], "outcome_events": [], "reopenings": [], "wait_list": [],
                "amend_form": None, "reopen_form": None, "outcome_forms": [],
                "after_forms_shown": set(),
                **_fits(intake, recommendation.level if deciding else None)}
    allowed = set(moves_allowed(intake.status, decision.outcome)) if user.is_clinician else set()
    shown: dict[str, Form] = {}
    if Move.AMEND in allowed:
        shown[form_name(Move.AMEND)] = bound.get(form_name(Move.AMEND)) or AmendForm(
            recommended_level=decision.recommended_level, prefix="amend",
            initial=AmendForm.initial_for(decision))
    if Move.REOPEN in allowed:
        shown[form_name(Move.REOPEN)] = bound.get(form_name(Move.REOPEN)) or ReopenForm(
            prefix="reopen")
    outcome_forms = []
    for move in OUTCOME_MOVES:
        if move in allowed:
            form = bound.get(form_name(move)) or outcome_form(
                move, start_level=decision.start_level)
            shown[form_name(move)] = form
            outcome_forms.append({"move": move, "label": MOVE_LABELS[move], "form": form,
                                  "open": form.is_bound})
    placing = Move.AMEND in allowed or Move.SCHEDULE in allowed
    fits = _fits(intake, decision.start_level if placing else None)
    programs_in_rank_order(shown.get(form_name(Move.AMEND)), fits["program_fits"])
    return {
        **fits,
        "decision_versions": decision_history(decision),
        "outcome_events": outcome_history(decision),
        "reopenings": list(intake.reopenings.select_related("reopened_by")),
        "wait_list": list(intake.wait_list_entries.filter(left_at__isnull=True)),
        "amend_form": shown.get(form_name(Move.AMEND)),
        "reopen_form": shown.get(form_name(Move.REOPEN)),
        "outcome_forms": outcome_forms,
        "after_forms_shown": set(shown),
    }


def _fits(intake: Intake, level: str | None) -> dict:
    """The programs ranked for the person at `level` (None: not placing now, no queries)."""
    if level is None:
        return {"program_fits": [], "fits_level": None, "no_place": False}
    fits = programs_fitting(intake, level, preferred_language(intake))
    return {"program_fits": fits, "fits_level": level, "fits_level_name": LEVELS[level],
            "no_place": no_place_at_level(fits, level)}


def programs_in_rank_order(form: Form | None, fits: list) -> None:
    """Order the program choices of a decision or amend form as the ranking does (the
    programs of the level being placed, best fit first, then the rest). Only the order
    changes: what can be chosen is still the form's queryset."""
    if form is None or "program" not in form.fields or not fits:
        return
    field = form.fields["program"]
    rank = {fit.program.key: index for index, fit in enumerate(fits)}
    choices = list(field.choices)
    empty = [choice for choice in choices if choice[0] == ""]
    rest = [choice for choice in choices if choice[0] != ""]
    rest.sort(key=lambda choice: rank.get(int(str(choice[0])), len(rank)))
    field.choices = empty + rest
