"""The pages of measurement-based care: the person starts a re-screen they were invited to
and reads their history; a clinician decides on a re-screen's suggestion."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import clinician_required, patient_required
from intake.models import Intake
from intake.services import RescreenNotStarted
from intake.steps import next_step
from review.display import LEVEL_NAMES
from review.selectors import intake_get_for_staff
from review.state import ReviewError
from review.views import intake_page_refused

from . import services
from .forms import SuggestionDecideForm
from .models import RescreenInvitation
from .page import charts_of, score_rows


def _invitation_for_patient(user, pk: int) -> RescreenInvitation:
    """The person's own invitation; Http404 for anyone else's."""
    invitation = RescreenInvitation.objects.filter(pk=pk, intake__patient=user).select_related(
        "intake", "rescreen").first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


@patient_required
@require_POST
def rescreen_start(request, pk: int):
    invitation = _invitation_for_patient(request.user, pk)
    if invitation.answered:
        return redirect("intake:status", pk=invitation.rescreen_id)
    try:
        rescreen = services.rescreen_begin(invitation=invitation, request=request)
    except RescreenNotStarted:
        messages.error(request, _("Please finish or submit the intake you started first; "
                                  "then your check-in will be here."))
        return redirect("intake:home")
    # Where they left off: the first step not saved yet, else the review page.
    step = next_step(rescreen.answers, rescreen.steps_done, rescreen.asks)
    if step is None:
        return redirect("intake:review", pk=rescreen.pk)
    return redirect("intake:step", pk=rescreen.pk, slug=step.slug)


@patient_required
def care_history(request, pk: int):
    """The person's screens of the care decided on their intake `pk`, with their scores."""
    first = Intake.objects.filter(pk=pk, patient=request.user, kind=Intake.Kind.INTAKE,
                                  submitted_at__isnull=False).select_related(
        "recommendation").first()
    if first is None:
        raise Http404("No such intake.")
    rows = score_rows(first)
    return render(request, "care/history.html", {"first": first, "rows": rows,
                                                 "charts": charts_of(first, rows)})


@clinician_required
@require_POST
def suggestion_decide(request, pk: int):
    rescreen = intake_get_for_staff(request.user, pk)
    suggestion = getattr(rescreen, "suggestion", None)
    if not rescreen.is_rescreen or suggestion is None:
        raise Http404("No suggestion to decide on.")
    form = SuggestionDecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = services.suggestion_decide(
                suggestion=suggestion, actor=request.user, request=request,
                content=services.SuggestionDecision(
                    accept=data["outcome"] == "accept", level=data.get("level") or "",
                    reason_code=data.get("reason_code") or "",
                    reason_text=data.get("reason_text") or ""))
        except ReviewError as error:
            if error.field:
                form.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
                return redirect("review:intake", pk=pk)
        else:
            verb = "accepted" if row.accepted else "overridden"
            messages.success(request, f"Re-screen decided: suggestion {verb}; the person's "
                                      f"care is at {LEVEL_NAMES[row.decided_level]}.")
            return redirect("review:intake", pk=pk)
    return intake_page_refused(request, rescreen, care_form=form)
