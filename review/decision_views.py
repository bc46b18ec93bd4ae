"""The intake page's actions after the decision: amend it, reopen a closed intake, record each
step of the outcome. Clinicians only; each refusal goes back to the intake page beside its
field, with what was typed kept (review/views.py `_refused`)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.access import clinician_required

from . import display
from .decision_forms import AmendForm, ReopenForm, outcome_form
from .decision_page import form_name
from .decisions import DecisionContent, decision_amend, intake_reopen
from .outcomes import OutcomeDetails, outcome_record
from .selectors import intake_get_for_staff
from .state import MOVE_LABELS, OUTCOME_MOVES, Move, Outcome, ReviewError
from .views import _refused


@clinician_required
@require_POST
def decision_amend_view(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    decision = getattr(intake, "decision", None)
    if decision is None:
        messages.error(request, "This intake has no decision to amend.")
        return redirect("review:intake", pk=pk)
    form = AmendForm(request.POST, recommended_level=decision.recommended_level,
                     prefix="amend")
    name = form_name(Move.AMEND)
    if not form.is_valid():
        return _refused(request, intake, **{name: form})
    data = form.cleaned_data
    try:
        amended = decision_amend(
            intake=intake, actor=request.user,
            content=DecisionContent(
                indicated_level=data["indicated_level"], start_level=data.get("start_level") or "",
                reason_code=data.get("reason_code") or "", reason_text=data.get("reason_text", ""),
                program=data.get("program"), next_steps=data.get("next_steps", "")),
            amend_reason_code=data["amend_reason_code"],
            amend_reason_text=data["amend_reason_text"], request=request)
    except ReviewError as error:
        return _refused(request, intake, form, error, **{name: form})
    messages.success(request, f"Decision amended (version {amended.version}): the patient "
                              f"starts at {display.LEVEL_NAMES[amended.start_level]}.")
    return redirect("review:intake", pk=pk)


@clinician_required
@require_POST
def intake_reopen_view(request, pk: int):
    intake = intake_get_for_staff(request.user, pk)
    form = ReopenForm(request.POST, prefix="reopen")
    name = form_name(Move.REOPEN)
    if not form.is_valid():
        return _refused(request, intake, **{name: form})
    try:
        intake_reopen(intake=intake, actor=request.user,
                      reason_code=form.cleaned_data["reason_code"],
                      reason_text=form.cleaned_data["reason_text"], request=request)
    except ReviewError as error:
        return _refused(request, intake, form, error, **{name: form})
    messages.success(request, f"{intake.number} is reopened: it is decided again, and its "
                              "decision can be amended.")
    return redirect("review:intake", pk=pk)


@clinician_required
@require_POST
def outcome_record_view(request, pk: int, move: str):
    intake = intake_get_for_staff(request.user, pk)
    try:
        step = Move(move)
    except ValueError:
        raise Http404 from None
    if step not in OUTCOME_MOVES:
        raise Http404
    decision = getattr(intake, "decision", None)
    form = outcome_form(step, request.POST,
                        start_level=decision.start_level if decision else "")
    name = form_name(step)
    if not form.is_valid():
        return _refused(request, intake, **{name: form})
    data = form.cleaned_data
    details = OutcomeDetails(**{field: data[field] for field in (
        "program", "first_session_at", "channel", "decline_reason", "referred_to",
        "referred_level", "note") if data.get(field) not in (None, "")})
    try:
        event = outcome_record(intake=intake, actor=request.user, move=step, details=details,
                               request=request)
    except ReviewError as error:
        return _refused(request, intake, form, error, **{name: form})
    messages.success(request, f"Recorded: {MOVE_LABELS[step].lower()}. The outcome is now "
                              f"\u201c{Outcome(event.outcome).label.lower()}\u201d.")
    return redirect("review:intake", pk=pk)
