"""What the clinician's intake page shows of measurement-based care: for an intake, its
re-screens with their suggestions and the missed invitations; for a re-screen, its
suggestion with the form to accept or override it."""

from django.utils import timezone

from intake.models import Intake
from intake.steps import BY_SLUG_ANY, CONFIRM
from screening.engine.catalogue import INSTRUMENTS
from screening.models import LEVEL_CHOICES

from .charts import Chart, build_chart
from .forms import SuggestionDecideForm
from .models import Suggestion
from .selectors import care_level_of, invitations_missed_of, rescreens_of

TRACKED = ("phq9", "gad7")  # the two asked at every re-screen


def charts_of(first: Intake, rows: list[dict] | None = None) -> list[Chart]:
    """One chart per instrument asked at every re-screen of this care (PHQ-9, GAD-7, those
    positive at intake), from the scores and bands the engine stored with each screen."""
    rows = score_rows(first) if rows is None else rows
    keys = list(TRACKED)
    for row in rows[:1]:
        keys += [key for key, band in row["recommendation"].bands.items()
                 if key in INSTRUMENTS and key not in keys and band not in (None, "", "none")]
    charts = []
    for key in keys:
        screens = [row["recommendation"] for row in rows
                   if row["recommendation"].scores.get(key) is not None]
        if not screens:
            continue
        dated = [row["date"] for row in rows
                 if row["recommendation"].scores.get(key) is not None]
        bands = [screen.bands.get(key) for screen in screens]
        charts.append(build_chart(
            key, [(day, screen.scores[key]) for day, screen in zip(dated, screens, strict=True)],
            sex_at_birth=first.answers.get("sex_at_birth"),
            bands=bands if all(bands) else None, element_id=f"score-chart-{key}"))
    return charts


def score_rows(first: Intake) -> list[dict]:
    """One row per screen (the intake, then each submitted re-screen): date, PHQ-9, GAD-7,
    the level recommended, and the suggestion with its decision for a re-screen."""
    rows = []
    for screen in [first, *rescreens_of(first)]:
        recommendation = getattr(screen, "recommendation", None)
        if recommendation is None or screen.submitted_at is None:
            continue
        rows.append({"intake": screen, "date": timezone.localdate(screen.submitted_at),
                     "recommendation": recommendation,
                     "scores": [(INSTRUMENTS[key].name, recommendation.scores.get(key))
                                for key in TRACKED],
                     "level": recommendation.level,
                     "suggestion": getattr(screen, "suggestion", None)
                     if screen.is_rescreen else None})
    return rows


def care_for_staff(intake: Intake, *, can_decide: bool,
                   form: SuggestionDecideForm | None = None) -> dict | None:
    """The care panel's context, or None for an intake with no care to follow yet."""
    if intake.is_rescreen:
        suggestion = Suggestion.objects.filter(rescreen=intake).select_related(
            "decided_by").first()
        asked = [BY_SLUG_ANY[slug].title for slug in intake.asks
                 if slug in BY_SLUG_ANY and slug != CONFIRM.slug]
        return {"rescreen": True, "first": intake.follows, "suggestion": suggestion,
                "asked": asked,
                "can_decide": can_decide and suggestion is not None
                and suggestion.decided_at is None,
                "form": form or SuggestionDecideForm(initial={"outcome": "accept"}),
                "rows": (rows := score_rows(intake.follows)),
                "charts": charts_of(intake.follows, rows)}
    decision = getattr(intake, "decision", None)  # read with the page's intake already
    # Only a person who started has re-screens: no query for every other intake's page.
    if decision is None or decision.outcome != "started":
        return None
    rows = score_rows(intake)
    missed = invitations_missed_of(intake)
    if len(rows) < 2 and not missed:
        return None
    return {"rescreen": False, "first": intake, "rows": rows, "missed": missed,
            "charts": charts_of(intake, rows),
            "care_level": dict(LEVEL_CHOICES).get(care_level_of(intake), "")}
