"""What the results page shows of a round, for whom: admins read every clinician by name
with their notes; a clinician reads their own figures, their pairs, and colleagues' levels
on the disagreements without names or notes."""

from review.display import LEVEL_SHORT
from screening.engine.levels import LEVEL_RANK

from .models import CalibrationRound
from .results import NO_RULE
from .selectors import round_notes, round_results_get

COLLEAGUE = "a colleague"


def _in_order(ratings: dict, viewer, sees_everyone: bool) -> list:
    """A disagreement's ratings as the viewer reads them. The raters come by name (the
    pairs table names a clinician's colleagues in that order): for a clinician, their own
    first, then the unnamed colleagues by level, so a position names nobody."""
    if sees_everyone:
        return list(ratings.items())
    return sorted(ratings.items(),
                  key=lambda row: (row[0] != viewer, LEVEL_RANK.get(row[1], len(LEVEL_RANK))))


def results_page_context(*, round_: CalibrationRound, viewer, sees_everyone: bool) -> dict:
    """The results page's context for `viewer`. Returns a dict for the template."""
    figures = round_results_get(round_)
    with_engine = figures.with_engine if sees_everyone else \
        [row for row in figures.with_engine if row.rater == viewer]
    pairs = figures.pairs if sees_everyone else \
        [row for row in figures.pairs if viewer in (row.first, row.second)]
    numbers = {case_id: number for number, case_id in enumerate(round_.case_ids, start=1)}
    notes = round_notes(round_) if figures.disagreements else {}

    def rating_row(rater, level: str, case_id: str) -> dict:
        shown = sees_everyone or rater == viewer
        return {"who": str(rater) if shown else COLLEAGUE, "level": LEVEL_SHORT[level],
                "note": notes.get((rater.pk, case_id), "") if shown else ""}

    disagreements = [{
        "case": item.case, "number": numbers[item.case.id],
        "engine": LEVEL_SHORT[item.case.engine],
        "rules": ", ".join(item.case.rules) or NO_RULE,
        "ratings": [rating_row(rater, level, item.case.id)
                    for rater, level in _in_order(item.ratings, viewer, sees_everyone)],
    } for item in figures.disagreements]
    # Under criteria other than the default, the engine may part from a case's expected
    # level: agreement "with the engine" is then not agreement with the public answer.
    off_expected = [{"number": numbers[case.id], "case": case,
                     "engine": LEVEL_SHORT[case.engine],
                     "expected": LEVEL_SHORT.get(case.expected or "", "")}
                    for case in figures.cases if case.expected and case.expected != case.engine]
    return {"round": round_, "figures": figures, "with_engine": with_engine, "pairs": pairs,
            "disagreements": disagreements, "off_expected": off_expected,
            "sees_everyone": sees_everyone}
