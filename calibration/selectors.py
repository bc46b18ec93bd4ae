"""Reads for the calibration pages: a round, a clinician's ratings, the round's results."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import CalibrationRating, CalibrationRound
from .results import Case, RoundResults, round_results


def round_get(pk: int) -> CalibrationRound:
    """The round, or Http404."""
    return get_object_or_404(CalibrationRound.objects.select_related("criteria_version"),
                             pk=pk)


def round_case_get(round_: CalibrationRound, number: int) -> dict:
    """The round's case at `number` (1 for the first), or Http404. Pages address a case by
    its number, never its id: the public ids name the answer ("v07-high-suicide-risk")."""
    if not 1 <= number <= len(round_.cases):
        raise Http404("No such case in this round.")
    return round_.cases[number - 1]


def ratings_by_case(round_: CalibrationRound, clinician) -> dict[str, CalibrationRating]:
    """This clinician's ratings in the round, by case id."""
    return {rating.case_id: rating
            for rating in CalibrationRating.objects.filter(round=round_, clinician=clinician)}


def rated_counts(clinician) -> dict[int, int]:
    """How many cases this clinician has rated, by round id (one query for the list)."""
    return dict(CalibrationRating.objects.filter(clinician=clinician).values("round_id")
                .annotate(rated=Count("id")).values_list("round_id", "rated"))


def round_results_get(round_: CalibrationRound) -> RoundResults:
    """The round's agreement figures; raters are the clinicians (User rows) who rated at
    least one case, by name."""
    cases = [Case(id=case["id"], engine=case["engine"]["level"],
                  rules=tuple(reason["id"] for reason in case["engine"]["reasons"]),
                  expected=(case.get("expect") or {}).get("level"))
             for case in round_.cases]
    raters = {user.pk: user for user in User.objects.filter(
        calibration_ratings__round=round_).distinct().order_by("full_name", "email")}
    ratings: dict = {user: {} for user in raters.values()}
    for clinician_id, case_id, level in CalibrationRating.objects.filter(round=round_) \
            .values_list("clinician_id", "case_id", "level"):
        ratings[raters[clinician_id]][case_id] = level
    return round_results(cases=cases, ratings=ratings)


def round_notes(round_: CalibrationRound) -> dict[tuple[int, str], str]:
    """The notes clinicians wrote with their ratings, by (clinician id, case id)."""
    return {(clinician_id, case_id): note for clinician_id, case_id, note in
            CalibrationRating.objects.filter(round=round_).exclude(note="")
            .values_list("clinician_id", "case_id", "note")}
