"""One instrument's scores over time, drawn for the clinician and the person (SPEC §8b).

`build_chart` returns a frozen Chart: an inline SVG (line and points on the instrument's
whole range, its bands drawn from the engine's cut-offs), the rows of the table shown beside
it, a title and a summary. The SVG is made here, on the server, so the chart needs no
JavaScript and no chart library, prints as it shows, and reads the same to a screen reader
(role="img" with a title and a description; the table carries every number).

Pure and deterministic: the same scores, cut-offs and language give the same bytes. Every
text that goes into the SVG is escaped. Words come from Django's translation, in the
language active when the chart is built (a view builds it inside the request).
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from screening.engine.catalogue import INSTRUMENTS
from screening.engine.instruments import band_of
from screening.engine.levels import BAND_RANK

from .change import Change, check_score, describe_change

# What each instrument measures, in the person's words: "Your depression score went from..."
TOPICS = {
    "phq9": _("depression"),
    "gad7": _("anxiety"),
    "auditc": _("alcohol use"),
    "dast10": _("drug use"),
    "pcptsd5": _("trauma symptoms"),
    "scoff": _("eating"),
    "mdq": _("mood swings"),
    "peg": _("pain"),
}
BAND_WORDS = {
    "none": _("None"),
    "mild": _("Mild"),
    "moderate": _("Moderate"),
    "moderately_severe": _("Moderately severe"),
    "severe": _("Severe"),
}
# Whose band needs more than the score (SCOFF: BMI; MDQ: same period and problem): without
# the engine's own bands for them, a row shows no band rather than a wrong one.
BAND_NEEDS_MORE_THAN_SCORE = ("scoff", "mdq")
SEXES = ("female", "male", "intersex", "unknown")

# Geometry, in SVG user units (the drawing scales to its box through the viewBox).
WIDTH, HEIGHT = 700, 320
PLOT_LEFT, PLOT_RIGHT = 44, 470  # the band labels sit right of the plot
PLOT_TOP, PLOT_BOTTOM = 16, 272
PLOT_HEIGHT = PLOT_BOTTOM - PLOT_TOP
MOST_DATE_LABELS = 6
MOST_POINT_LABELS = 16
# One light shade per band, darker as it gets worse: the label, not the colour, says which
# band it is, and a grey ramp prints on any printer.
BAND_FILLS = {"none": "#ffffff", "mild": "#f1f3f5", "moderate": "#e3e7eb",
              "moderately_severe": "#d5dbe1", "severe": "#c7cfd7"}
LINE_COLOUR = "#0a4a9e"  # the site's primary blue
INK = "#212529"
ELEMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


@dataclass(frozen=True, slots=True)
class Band:
    """One band as drawn: its code, the scores in it (lowest, highest) and where its edges
    fall on the y axis (`lower_edge`, `upper_edge`, in score units)."""

    band: str
    lowest: float
    highest: float
    lower_edge: float
    upper_edge: float

    @property
    def label(self) -> str:
        return str(BAND_WORDS[self.band])


@dataclass(frozen=True, slots=True)
class Step:
    """How a score moved from an earlier one: `difference` in points (later minus earlier)
    and the clinically meaningful change, when there is one (care.change)."""

    difference: float
    change: Change | None

    @property
    def size(self) -> float:
        """How many points the score moved, without its sign (for "down 8 points")."""
        return abs(self.difference)

    @property
    def plural_count(self) -> int:
        """The whole number gettext picks "point" or "points" by (PEG moves in tenths)."""
        return 1 if self.size == 1 else 2


@dataclass(frozen=True, slots=True)
class Row:
    """One screen in the table: its date, score, band (None when unknown: see
    BAND_NEEDS_MORE_THAN_SCORE), and how it moved since the screen before and since the
    first (None on the first row). Response and remission are read since the first."""

    date: datetime.date
    score: float
    band: str | None
    since_previous: Step | None
    since_first: Step | None

    @property
    def band_label(self) -> str:
        return str(BAND_WORDS[self.band]) if self.band else ""

    @property
    def difference(self) -> float | None:
        return None if self.since_previous is None else self.since_previous.difference

    @property
    def change(self) -> Change | None:
        return None if self.since_previous is None else self.since_previous.change


@dataclass(frozen=True, slots=True)
class Summary:
    """The numbers of "your depression score went from 17 to 9": the first and the last
    score, their dates, how many screens, and the meaningful change from first to last
    (response and remission are measured from the start of care, not the screen before)."""

    instrument: str
    topic: str
    first: float
    last: float
    first_date: datetime.date
    last_date: datetime.date
    count: int
    change: Change | None

    @property
    def direction(self) -> str:
        """"down", "up" or "same" from the first score to the last."""
        if self.last < self.first:
            return "down"
        return "up" if self.last > self.first else "same"


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn chart: `svg` is empty when there are no scores (the template says so)."""

    instrument: str
    name: str
    title: str
    highest: float
    svg: SafeString
    rows: tuple[Row, ...]
    bands: tuple[Band, ...]
    summary: Summary | None


def build_chart(instrument: str, points: Sequence[tuple[datetime.date, float]], *,
                sex_at_birth: str | None = None, cut_offs: dict | None = None,
                bands: Sequence[str] | None = None, element_id: str | None = None) -> Chart:
    """The chart of one instrument's scores, oldest first (points are sorted by date).

    cut_offs: the band cut-offs in the criteria's format ({"mild": 5, ...}, for AUDIT-C one
    such table per sex at birth), e.g. from the criteria version a screen ran on; by default
    the catalogue's (SPEC §4). AUDIT-C's bands depend on sex at birth, so it needs
    `sex_at_birth`. bands: the engine's band of each point, in the order given, when known
    (needed for SCOFF and MDQ, whose band is more than the score). element_id: the prefix of
    the SVG's ids, unique on the page (default "score-chart-<instrument>").

    Raises ValueError for an unknown instrument, a score outside its range, a missing or
    unknown sex at birth for AUDIT-C, `bands` of another length than `points`, or an id that
    is not a plain HTML id.
    """
    spec = INSTRUMENTS.get(instrument)
    if spec is None:
        raise ValueError(f"unknown instrument: {instrument!r}")
    element_id = element_id or f"score-chart-{instrument}"
    if not ELEMENT_ID.match(element_id):
        raise ValueError(f"element_id: expected letters, digits, - or _, got {element_id!r}")
    if bands is not None and len(bands) != len(points):
        raise ValueError(f"bands: expected one band per point ({len(points)}), got {len(bands)}")
    highest = spec.score_range[1]
    for day, score in points:
        if not isinstance(day, datetime.date):
            raise ValueError(f"points: expected a date, got {day!r}")
        check_score(instrument, score, "points")
    table = _cut_off_table(instrument, cut_offs, sex_at_birth)
    step = 0.1 if instrument == "peg" else 1
    drawn_bands = _bands(table, highest, step)
    given = list(bands) if bands is not None else [None] * len(points)
    ordered = sorted(zip(points, given, strict=True), key=lambda pair: pair[0][0])
    rows = _rows(instrument, ordered, table, given_bands=bands is not None)
    title = gettext("%(name)s: %(topic)s score over time") % {
        "name": spec.name, "topic": TOPICS[instrument]}
    summary = None
    if rows:
        first, last = rows[0], rows[-1]
        summary = Summary(
            instrument=instrument, topic=str(TOPICS[instrument]), first=first.score,
            last=last.score, first_date=first.date, last_date=last.date, count=len(rows),
            change=describe_change(instrument, first.score, last.score) if len(rows) > 1
            else None)
    svg = _svg(element_id, title, rows, drawn_bands, highest, instrument) if rows else SafeString("")
    return Chart(instrument=instrument, name=spec.name, title=title, highest=highest, svg=svg,
                 rows=tuple(rows), bands=drawn_bands, summary=summary)


def y_of(score: float, highest: float) -> float:
    """Where a score sits on the y axis: 0 at the bottom of the plot, `highest` at its top."""
    return round(PLOT_BOTTOM - PLOT_HEIGHT * score / highest, 1)


# --- cut-offs and bands ---------------------------------------------------------------------


def _cut_off_table(instrument: str, cut_offs: dict | None, sex_at_birth: str | None) -> tuple:
    """((lowest score, band), ...) highest first, as the engine's band_of reads them."""
    table = INSTRUMENTS[instrument].bands if cut_offs is None else cut_offs
    if instrument == "auditc" and any(type(value) is dict for value in table.values()):
        if sex_at_birth not in SEXES:
            raise ValueError(f"sex_at_birth: AUDIT-C's bands depend on it: expected one of "
                             f"{', '.join(SEXES)}, got {sex_at_birth!r}")
        table = table[sex_at_birth]
    # SCOFF's "with_low_weight" is a rule on BMI, not a cut-off on the score.
    cuts = {band: cut for band, cut in table.items() if band in BAND_RANK and band != "none"}
    return tuple(sorted(((cut, band) for band, cut in cuts.items()), reverse=True))


def _bands(table: tuple, highest: float, step: float) -> tuple[Band, ...]:
    """The bands from the bottom up. A band's region starts half a step below its cut-off,
    so a score on the cut-off (PHQ-9 10, "moderate") sits inside its band, not on a line."""
    starts = [(0, "none")] + sorted(table)
    drawn = []
    for index, (lowest, band) in enumerate(starts):
        following = starts[index + 1][0] if index + 1 < len(starts) else None
        top = highest if following is None else round(following - step, 1)
        drawn.append(Band(
            band=band, lowest=lowest, highest=top,
            lower_edge=0 if index == 0 else round(lowest - step / 2, 2),
            upper_edge=highest if following is None else round(following - step / 2, 2)))
    return tuple(drawn)


def _rows(instrument: str, ordered: list, table: tuple, given_bands: bool) -> list[Row]:
    rows: list[Row] = []
    for (day, score), band in ordered:
        if not given_bands:
            band = None if instrument in BAND_NEEDS_MORE_THAN_SCORE else band_of(score, table)
        since_previous = since_first = None
        if rows:
            since_previous = _step(instrument, rows[-1].score, score)
            since_first = _step(instrument, rows[0].score, score)
        rows.append(Row(date=day, score=score, band=band, since_previous=since_previous,
                        since_first=since_first))
    return rows


def _step(instrument: str, before: float, after: float) -> Step:
    return Step(difference=_number(after - before, instrument),
                change=describe_change(instrument, before, after))


def _number(value: float, instrument: str) -> float:
    return round(value, 1) if instrument == "peg" else int(value)


# --- drawing --------------------------------------------------------------------------------


def _svg(element_id: str, title: str, rows: list[Row], bands: tuple[Band, ...],
         highest: float, instrument: str) -> SafeString:
    first, last = rows[0], rows[-1]
    description = gettext(
        "%(count)s scores from %(first_date)s to %(last_date)s: first %(first)s, last "
        "%(last)s, on a scale of 0 to %(highest)s. The table beside the chart lists each "
        "one.") % {"count": len(rows), "first_date": _long_date(first.date),
                   "last_date": _long_date(last.date), "first": _score(first.score),
                   "last": _score(last.score), "highest": _score(highest)}
    if len(rows) == 1:
        description = gettext(
            "One score, %(score)s on %(date)s, on a scale of 0 to %(highest)s.") % {
            "score": _score(first.score), "date": _long_date(first.date),
            "highest": _score(highest)}
    xs = _x_positions([row.date for row in rows])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="score-chart-svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" '
        f'data-instrument="{escape(instrument)}">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
        _draw_bands(bands, highest),
        _draw_axes(rows, xs, bands, highest),
    ]
    if len(rows) > 1:
        line = " ".join(f"{_at(x)},{_at(y_of(row.score, highest))}"
                        for x, row in zip(xs, rows, strict=True))
        parts.append(f'<polyline class="score-chart-line" points="{line}" fill="none" '
                     f'stroke="{LINE_COLOUR}" stroke-width="2.5" stroke-linejoin="round"/>')
    parts.append(_draw_points(rows, xs, highest))
    parts.append("</svg>")
    # Every text above went through escape(): the markup is ours alone.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def _draw_bands(bands: tuple[Band, ...], highest: float) -> str:
    out = ['<g class="score-chart-bands">']
    for band in bands:
        top, bottom = y_of(band.upper_edge, highest), y_of(band.lower_edge, highest)
        scores = (_score(band.lowest) if band.lowest == band.highest
                  else f"{_score(band.lowest)}\u2013{_score(band.highest)}")
        out.append(
            f'<rect class="score-chart-band score-chart-band-{band.band}" '
            f'data-band="{band.band}" x="{PLOT_LEFT}" y="{_at(top)}" '
            f'width="{PLOT_RIGHT - PLOT_LEFT}" height="{_at(bottom - top)}" '
            f'fill="{BAND_FILLS[band.band]}"/>')
        if band.lower_edge > 0:
            out.append(
                f'<line class="score-chart-edge" data-edge="{band.lower_edge:g}" '
                f'data-band="{band.band}" x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" '
                f'y1="{_at(bottom)}" y2="{_at(bottom)}" stroke="#6c757d" '
                f'stroke-dasharray="4 3"/>')
        out.append(
            f'<text class="score-chart-band-label" x="{PLOT_RIGHT + 8}" '
            f'y="{_at((top + bottom) / 2 + 4)}" fill="{INK}" font-size="12">'
            f'{escape(band.label)} ({escape(scores)})</text>')
    out.append("</g>")
    return "".join(out)


def _draw_axes(rows: list[Row], xs: list[float], bands: tuple[Band, ...],
               highest: float) -> str:
    out = [f'<g class="score-chart-axes" fill="{INK}" font-size="12">',
           f'<line x1="{PLOT_LEFT}" x2="{PLOT_LEFT}" y1="{PLOT_TOP}" y2="{PLOT_BOTTOM}" '
           f'stroke="{INK}"/>',
           f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM}" '
           f'stroke="{INK}"/>']
    ticks = sorted({0, highest, *(band.lowest for band in bands)})
    for tick in ticks:
        y = y_of(tick, highest)
        out.append(f'<line x1="{PLOT_LEFT - 4}" x2="{PLOT_LEFT}" y1="{_at(y)}" y2="{_at(y)}" '
                   f'stroke="{INK}"/>')
        out.append(f'<text class="score-chart-tick" x="{PLOT_LEFT - 7}" y="{_at(y + 4)}" '
                   f'text-anchor="end">{escape(_score(tick))}</text>')
    for index in _labelled(len(rows)):
        x = xs[index]
        out.append(f'<line x1="{_at(x)}" x2="{_at(x)}" y1="{PLOT_BOTTOM}" '
                   f'y2="{PLOT_BOTTOM + 4}" stroke="{INK}"/>')
        out.append(f'<text class="score-chart-date" x="{_at(x)}" y="{PLOT_BOTTOM + 18}" '
                   f'text-anchor="middle">{escape(_short_date(rows[index].date))}</text>')
    years = sorted({rows[0].date.year, rows[-1].date.year})
    axis = gettext("Date (%(years)s)") % {"years": "\u2013".join(str(y) for y in years)}
    out.append(f'<text class="score-chart-axis-title" x="{(PLOT_LEFT + PLOT_RIGHT) / 2:g}" '
               f'y="{HEIGHT - 8}" text-anchor="middle">{escape(axis)}</text>')
    out.append("</g>")
    return "".join(out)


def _draw_points(rows: list[Row], xs: list[float], highest: float) -> str:
    out = ['<g class="score-chart-points">']
    labelled = len(rows) <= MOST_POINT_LABELS
    for x, row in zip(xs, rows, strict=True):
        y = y_of(row.score, highest)
        out.append(f'<circle class="score-chart-point" cx="{_at(x)}" cy="{_at(y)}" r="4.5" '
                   f'fill="{LINE_COLOUR}" stroke="#ffffff" stroke-width="1.5" '
                   f'data-score="{escape(_score(row.score))}" '
                   f'data-date="{row.date.isoformat()}"/>')
        if labelled:
            # Above the point, or below it when the point is at the top of the scale.
            label_y = y - 9 if y - 9 > PLOT_TOP + 4 else y + 18
            out.append(f'<text class="score-chart-value" x="{_at(x)}" y="{_at(label_y)}" '
                       f'text-anchor="middle" fill="{INK}" font-size="12" '
                       f'font-weight="bold">{escape(_score(row.score))}</text>')
    out.append("</g>")
    return "".join(out)


def _x_positions(days: list[datetime.date]) -> list[float]:
    """Spaced by the time between screens; one screen (or all on one day) in the middle."""
    inner_left, inner_right = PLOT_LEFT + 24, PLOT_RIGHT - 24
    span = (days[-1] - days[0]).days
    if span == 0:
        return [(inner_left + inner_right) / 2] * len(days)
    return [round(inner_left + (inner_right - inner_left) * (day - days[0]).days / span, 1)
            for day in days]


def _labelled(count: int) -> list[int]:
    """Which points get a date under them: all of a few, else the first, the last and
    evenly spaced ones between (labels would overlap)."""
    if count <= MOST_DATE_LABELS:
        return list(range(count))
    last = count - 1
    return sorted({round(i * last / (MOST_DATE_LABELS - 1)) for i in range(MOST_DATE_LABELS)})


def _at(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _score(value: float) -> str:
    """A score as the table shows it: PEG's (floats) with one decimal, the others whole."""
    if type(value) is float:
        return formats.number_format(value, decimal_pos=1)
    return str(value)


def _short_date(day: datetime.date) -> str:
    return formats.date_format(day, "j M")


def _long_date(day: datetime.date) -> str:
    return formats.date_format(day, "j M Y")
