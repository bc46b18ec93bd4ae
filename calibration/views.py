"""Calibration pages: the rounds, a round's cases, a case rated blind, the results.

Clinicians rate; admins open rounds and read everything, never rate (as on the dashboard).
A clinician sees a case's engine answer and expected level only once they have rated it,
and the round's results only once they have rated every case (the results hold the
engine's answers and the others' ratings). The cases are synthetic public test cases, not
patients: showing them writes no audit row.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import admin_required, clinician_required, staff_required
from intake.display import answer_sections
from review import display

from .forms import RatingForm, RoundOpenForm
from .models import CalibrationRound
from .results_page import results_page_context
from .selectors import rated_counts, ratings_by_case, round_case_get, round_get
from .services import CalibrationError, calibration_rate, calibration_round_open


def _rounds_page(request, form: RoundOpenForm | None = None, status: int = 200):
    rounds = list(CalibrationRound.objects.select_related("criteria_version", "opened_by"))
    counts = rated_counts(request.user) if request.user.is_clinician else {}
    rows = [{"round": round_, "cases": len(round_.cases), "rated": counts.get(round_.pk, 0)}
            for round_ in rounds]
    return render(request, "calibration/rounds.html", {
        "rows": rows, "form": form or RoundOpenForm(),
        "can_open": request.user.is_admin_role}, status=status)


@staff_required
@require_GET
def rounds(request):
    return _rounds_page(request)


@admin_required
@require_POST
def round_open(request):
    form = RoundOpenForm(request.POST)
    if not form.is_valid():
        return _rounds_page(request, form, status=400)
    try:
        round_ = calibration_round_open(actor=request.user, name=form.cleaned_data["name"],
                                        request=request)
    except CalibrationError as error:
        form.add_error(None, str(error))
        return _rounds_page(request, form, status=400)
    messages.success(request, f"Round \u201c{round_.name}\u201d opened with "
                              f"{len(round_.cases)} cases.")
    return redirect("calibration:round", pk=round_.pk)


@staff_required
@require_GET
def round_detail(request, pk: int):
    round_ = round_get(pk)
    rated = ratings_by_case(round_, request.user) if request.user.is_clinician else {}
    cases = [{"case": case, "number": number, "rating": rated.get(case["id"])}
             for number, case in enumerate(round_.cases, start=1)]
    return render(request, "calibration/round.html", {
        "round": round_, "cases": cases, "rated": len(rated),
        "level_names": display.LEVEL_NAMES, "is_rater": request.user.is_clinician})


def _case_page(request, round_, case, *, form=None, status=200):
    rating = ratings_by_case(round_, request.user).get(case["id"]) \
        if request.user.is_clinician else None
    blind = request.user.is_clinician and rating is None
    engine = case["engine"]
    total = len(round_.cases)
    number = round_.case_ids.index(case["id"]) + 1
    return render(request, "calibration/case.html", {
        "round": round_, "case": case, "rating": rating, "blind": blind,
        "form": form or RatingForm(), "number": number, "total": total,
        "next_number": number + 1 if number < total else None,
        "sections": answer_sections(case["answers"], for_staff=True),
        "instruments": display.instrument_rows(engine["scores"], engine["bands"]),
        "level_names": display.LEVEL_NAMES,
        # Only once rated (or for an admin, who does not rate): the engine's answer.
        "engine": None if blind else engine,
        "flags": [] if blind else display.flag_rows(
            engine["flags"], display.flag_reasons(round_.criteria_version.document)),
        "expected": None if blind else (case.get("expect") or {}).get("level"),
    }, status=status)


@staff_required
@require_GET
def case_detail(request, pk: int, number: int):
    round_ = round_get(pk)
    return _case_page(request, round_, round_case_get(round_, number))


@clinician_required
@require_POST
def case_rate(request, pk: int, number: int):
    round_ = round_get(pk)
    case = round_case_get(round_, number)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _case_page(request, round_, case, form=form, status=400)
    try:
        calibration_rate(round_=round_, clinician=request.user, case_id=case["id"],
                         level=form.cleaned_data["level"], note=form.cleaned_data["note"])
    except CalibrationError as error:
        messages.error(request, str(error))
    return redirect("calibration:case", pk=round_.pk, number=number)


@staff_required
@require_GET
def results(request, pk: int):
    round_ = round_get(pk)
    sees_everyone = request.user.is_admin_role and not request.user.is_clinician
    if request.user.is_clinician:
        left = len(round_.cases) - len(ratings_by_case(round_, request.user))
        if left > 0:
            return render(request, "calibration/results_not_yet.html",
                          {"round": round_, "left": left})
    return render(request, "calibration/results.html",
                  results_page_context(round_=round_, viewer=request.user,
                                       sees_everyone=sees_everyone))
