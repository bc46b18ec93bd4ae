"""The outcome reports page and its CSV downloads (clinicians and admins): counts, rates and
times only, never a person."""

import csv
from datetime import timedelta

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import staff_required
from audit.forms import FilterDateField
from audit.selectors import day_start

from .reports import (
    CSV_REPORTS,
    LEVELS,
    no_show_and_decline_by_program,
    overrides_by_version_and_group,
    report_rows,
    service_gap,
    time_to_decision_and_first_session,
)

# By default the reports cover intakes submitted in the last DEFAULT_DAYS: at a million
# intakes over years, every decision ever made takes seconds (docs/performance.md).
DEFAULT_DAYS = 182


class OutcomeReportForm(forms.Form):
    start = FilterDateField(label="Submitted from")
    end = FilterDateField(label="to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date.")
        return cleaned


def _period(request) -> tuple[OutcomeReportForm, object, object, tuple]:
    """The form, the first and last day, and the period (from, before) the reports cover."""
    today = timezone.localdate()
    form = OutcomeReportForm(request.GET or None)
    start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or start
        end = form.cleaned_data.get("end") or end
    start = min(start, end)
    zone = timezone.get_current_timezone()
    return form, start, end, (day_start(start, zone), day_start(end, zone, days_after=1))


def _bars(rows: list[dict], label: str, value: str) -> list[dict]:
    """Rows for a horizontal bar chart drawn as SVG in the template (no script, no CDN)."""
    top = max((row[value] or 0 for row in rows), default=0) or 1
    return [{"label": row[label], "value": row[value],
             "width": round(300 * (row[value] or 0) / top), "y": 24 * index}
            for index, row in enumerate(rows)]


@staff_required
@require_GET
def outcome_reports(request):
    form, start, end, period = _period(request)
    gap = service_gap(period)
    timing = time_to_decision_and_first_session(period)
    no_shows = no_show_and_decline_by_program(period)
    # The gap chart: people who started below (or above) the level indicated, per reason.
    gaps: dict[str, int] = {}
    for row in gap["by_reason"]:
        if row["gap"]:
            gaps[row["reason"]] = gaps.get(row["reason"], 0) + row["n"]
    gap_bars = _bars([{"label": k, "n": v} for k, v in sorted(gaps.items())], "label", "n")
    return render(request, "review/outcome_reports.html", {
        "timing": timing, "gap": gap, "no_shows": no_shows,
        "overrides": overrides_by_version_and_group(period), "level_names": LEVELS,
        "form": form, "start": start, "end": end,
        "query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
        "gap_bars": gap_bars, "gap_chart_height": 24 * len(gap_bars) + 4,
        "no_show_bars": _bars(no_shows, "program", "no_show_pct"),
        "no_show_chart_height": 24 * len(no_shows) + 4,
        "csv_reports": [(name, title) for name, (title, _) in CSV_REPORTS.items()],
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@staff_required
@require_GET
def outcome_report_csv(request, report: str):
    if report not in CSV_REPORTS:
        raise Http404
    _, columns = CSV_REPORTS[report]
    _, _, _, period = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.DictWriter(response, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in report_rows(report, period):
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return response
