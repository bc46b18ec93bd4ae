"""Score charts (care/charts.py and templates/care/): the bands where the engine puts them,
every point where its score is, escaped text, zero, one and many screens, and the table."""

import datetime
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from care import charts
from care.change import IMPROVED
from care.charts import PLOT_BOTTOM, PLOT_HEIGHT, PLOT_TOP, build_chart, y_of
from screening.engine.catalogue import INSTRUMENTS

SVG = "{http://www.w3.org/2000/svg}"
DAY = datetime.date(2026, 12, 2)


def fortnights(*scores):
    """A screen every 2 weeks from DAY, as a program re-screens (SPEC §8b)."""
    return [(DAY + datetime.timedelta(days=14 * index), score)
            for index, score in enumerate(scores)]


def drawing(chart):
    return ET.fromstring(str(chart.svg))  # noqa: S314 -- our own drawing, not input


def edges(chart):
    """{score the edge is drawn at: y} for each dashed band edge."""
    return {float(line.get("data-edge")): float(line.get("y1"))
            for line in drawing(chart).iter(f"{SVG}line") if line.get("data-edge")}


def cut_offs(instrument, sex="female"):
    bands = INSTRUMENTS[instrument].bands
    if instrument == "auditc":
        bands = bands[sex]
    return sorted(cut for band, cut in bands.items() if type(cut) in (int, float))


# --- bands --------------------------------------------------------------------------------


def test_phq9_band_edges_are_drawn_at_the_right_heights():
    chart = build_chart("phq9", fortnights(17, 9))
    # A band starts half a point below its cut-off, on a 256-unit plot for 0..27 from y=272.
    assert edges(chart) == {4.5: 229.3, 9.5: 181.9, 14.5: 134.5, 19.5: 87.1}
    assert [band.band for band in chart.bands] == ["none", "mild", "moderate",
                                                   "moderately_severe", "severe"]
    assert [(band.lowest, band.highest) for band in chart.bands] == [
        (0, 4), (5, 9), (10, 14), (15, 19), (20, 27)]


@pytest.mark.parametrize("instrument", ["phq9", "gad7", "dast10", "pcptsd5", "scoff", "mdq"])
def test_every_whole_number_instruments_edges_follow_the_engines_cut_offs(instrument):
    highest = INSTRUMENTS[instrument].score_range[1]
    chart = build_chart(instrument, fortnights(highest))
    expected = {cut - 0.5: round(PLOT_BOTTOM - PLOT_HEIGHT * (cut - 0.5) / highest, 1)
                for cut in cut_offs(instrument)}
    assert edges(chart) == expected


@pytest.mark.parametrize(("sex", "expected"), [("female", [2.5, 4.5, 7.5]),
                                               ("male", [3.5, 5.5, 7.5])])
def test_auditc_draws_the_bands_of_the_persons_sex_at_birth(sex, expected):
    chart = build_chart("auditc", fortnights(4), sex_at_birth=sex)
    assert sorted(edges(chart)) == expected == [cut - 0.5 for cut in cut_offs("auditc", sex)]
    assert chart.rows[0].band == ("mild" if sex == "female" else "mild")
    assert build_chart("auditc", fortnights(3), sex_at_birth=sex).rows[0].band == (
        "mild" if sex == "female" else "none")


def test_peg_edges_sit_half_a_tenth_below_its_cut_offs():
    chart = build_chart("peg", fortnights(6.3, 5.3))
    assert sorted(edges(chart)) == [3.95, 6.95]
    assert [(band.lowest, band.highest) for band in chart.bands] == [
        (0, 3.9), (4.0, 6.9), (7.0, 10)]


def test_a_clinics_own_cut_offs_move_the_edges_and_the_bands():
    # A criteria version may move a cut-off (docs/criteria.md): PHQ-9 moderate from 12.
    own = {"mild": 5, "moderate": 12, "moderately_severe": 15, "severe": 20}
    chart = build_chart("phq9", fortnights(11, 12), cut_offs=own)
    assert sorted(edges(chart)) == [4.5, 11.5, 14.5, 19.5]
    assert [row.band for row in chart.rows] == ["mild", "moderate"]


def test_the_bands_fill_the_plot_without_gaps_or_overlaps():
    for instrument in INSTRUMENTS:
        chart = build_chart(instrument, [], sex_at_birth="male")
        assert chart.bands[0].lower_edge == 0
        assert chart.bands[-1].upper_edge == INSTRUMENTS[instrument].score_range[1]
        for below, above in zip(chart.bands, chart.bands[1:], strict=False):
            assert below.upper_edge == above.lower_edge


def test_the_band_regions_and_labels_are_drawn():
    svg = drawing(build_chart("phq9", fortnights(12)))
    rects = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("data-band")]
    assert [rect.get("data-band") for rect in rects] == ["none", "mild", "moderate",
                                                         "moderately_severe", "severe"]
    assert sum(float(rect.get("height")) for rect in rects) == pytest.approx(PLOT_HEIGHT,
                                                                             abs=0.3)
    assert min(float(rect.get("y")) for rect in rects) == PLOT_TOP
    labels = [text.text for text in svg.iter(f"{SVG}text")
              if text.get("class") == "score-chart-band-label"]
    assert labels == ["None (0\u20134)", "Mild (5\u20139)", "Moderate (10\u201314)",
                      "Moderately severe (15\u201319)", "Severe (20\u201327)"]


def test_a_one_score_band_is_labelled_with_that_score():
    svg = drawing(build_chart("pcptsd5", fortnights(3)))
    labels = [text.text for text in svg.iter(f"{SVG}text")
              if text.get("class") == "score-chart-band-label"]
    assert labels == ["None (0\u20132)", "Moderate (3)", "Moderately severe (4\u20135)"]


# --- points -------------------------------------------------------------------------------


def test_each_point_sits_at_its_score_and_date():
    chart = build_chart("phq9", fortnights(17, 12, 9, 4))
    circles = list(drawing(chart).iter(f"{SVG}circle"))
    assert [float(c.get("cy")) for c in circles] == [y_of(s, 27) for s in (17, 12, 9, 4)]
    assert [c.get("data-score") for c in circles] == ["17", "12", "9", "4"]
    assert y_of(0, 27) == PLOT_BOTTOM and y_of(27, 27) == PLOT_TOP
    xs = [float(c.get("cx")) for c in circles]
    gaps = [round(b - a, 1) for a, b in zip(xs, xs[1:], strict=False)]
    assert len(set(gaps)) == 1 and gaps[0] > 0  # a screen every 2 weeks: evenly spaced


def test_points_are_spaced_by_time_and_sorted_by_date():
    points = [(DAY + datetime.timedelta(days=30), 9), (DAY, 17),
              (DAY + datetime.timedelta(days=10), 12)]
    chart = build_chart("phq9", points)
    assert [row.score for row in chart.rows] == [17, 12, 9]
    xs = [float(c.get("cx")) for c in drawing(chart).iter(f"{SVG}circle")]
    assert (xs[1] - xs[0]) * 2 == pytest.approx(xs[2] - xs[1], abs=0.2)


def test_the_line_joins_the_points_in_order():
    chart = build_chart("gad7", fortnights(15, 11, 6))
    svg = drawing(chart)
    (line,) = svg.iter(f"{SVG}polyline")
    circles = list(svg.iter(f"{SVG}circle"))
    assert line.get("points") == " ".join(f"{c.get('cx')},{c.get('cy')}" for c in circles)


# --- zero, one and many -------------------------------------------------------------------


def test_no_scores_give_no_drawing_and_a_message():
    chart = build_chart("phq9", [])
    assert (chart.svg, chart.rows, chart.summary) == ("", (), None)
    html = render_to_string("care/_score_chart.html", {"chart": chart})
    assert "<svg" not in html and "<table" not in html
    assert "No scores yet: the chart appears after the first screen." in html
    assert "No scores yet." in render_to_string("care/_score_summary.html",
                                                {"summary": chart.summary})


def test_one_score_is_one_point_without_a_line():
    chart = build_chart("phq9", fortnights(12))
    svg = drawing(chart)
    assert len(list(svg.iter(f"{SVG}circle"))) == 1
    assert not list(svg.iter(f"{SVG}polyline"))
    (circle,) = svg.iter(f"{SVG}circle")
    assert float(circle.get("cx")) == (charts.PLOT_LEFT + charts.PLOT_RIGHT) / 2
    assert chart.rows[0].difference is None and chart.rows[0].change is None
    sentence = render_to_string("care/_score_summary.html", {"summary": chart.summary})
    assert "Your depression score was 12 on 2 Dec 2026." in sentence


def test_many_scores_are_all_drawn_with_at_most_six_dates_under_them():
    scores = [20, 19, 17, 15, 14, 12, 12, 10, 9, 8, 6, 5, 4, 4, 3, 3, 2, 2, 2, 1]
    chart = build_chart("phq9", fortnights(*scores))
    svg = drawing(chart)
    assert len(list(svg.iter(f"{SVG}circle"))) == len(scores) == len(chart.rows)
    dates = [text.text for text in svg.iter(f"{SVG}text")
             if text.get("class") == "score-chart-date"]
    assert len(dates) == 6
    assert dates[0] == "2 Dec" and dates[-1] == "25 Aug"  # the first and the last screen
    values = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "score-chart-value"]
    assert values == []  # 20 points: no number over each (the table has them)
    axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "score-chart-axis-title"]
    assert axis == ["Date (2026\u20132027)"]


def test_the_same_scores_draw_the_same_bytes():
    assert build_chart("phq9", fortnights(17, 9)).svg == build_chart("phq9",
                                                                     fortnights(17, 9)).svg


# --- accessibility and escaping -----------------------------------------------------------


def test_the_drawing_is_an_image_named_by_its_title_and_description():
    svg = drawing(build_chart("phq9", fortnights(17, 12, 9)))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "score-chart-phq9-title score-chart-phq9-desc"
    assert svg.find(f"{SVG}title").get("id") == "score-chart-phq9-title"
    assert svg.find(f"{SVG}title").text == "PHQ-9: depression score over time"
    assert svg.find(f"{SVG}desc").text == (
        "3 scores from 2 Dec 2026 to 30 Dec 2026: first 17, last 9, on a scale of 0 to 27. "
        "The table beside the chart lists each one.")


def test_two_charts_on_a_page_have_their_own_ids():
    one = build_chart("phq9", fortnights(12), element_id="week-phq9")
    assert 'id="week-phq9-title"' in one.svg
    assert 'id="score-chart-gad7-title"' in build_chart("gad7", fortnights(12)).svg


def test_every_text_is_escaped(monkeypatch):
    hostile = '<script>alert("x")</script> & <b>'
    monkeypatch.setitem(charts.TOPICS, "phq9", hostile)
    monkeypatch.setitem(charts.BAND_WORDS, "mild", hostile)
    chart = build_chart("phq9", fortnights(17, 7))
    assert "<script>" not in chart.svg and "<b>" not in chart.svg
    svg = drawing(chart)  # still well-formed
    assert svg.find(f"{SVG}title").text == f"PHQ-9: {hostile} score over time"
    html = render_to_string("care/_score_chart.html", {"chart": chart})
    assert "<script>" not in html.replace(str(chart.svg), "")
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("element_id", ['x"><script>', "1chart", "a b", ""])
def test_an_id_that_is_not_plain_is_refused(element_id):
    if element_id == "":
        assert build_chart("phq9", [], element_id=element_id).instrument == "phq9"
        return
    with pytest.raises(ValueError, match="element_id"):
        build_chart("phq9", [], element_id=element_id)


# --- rows and the table -------------------------------------------------------------------


def test_each_row_has_its_band_and_the_change_from_the_screen_before():
    chart = build_chart("phq9", fortnights(17, 12, 9, 9, 14))
    assert [(r.score, r.band, r.difference) for r in chart.rows] == [
        (17, "moderately_severe", None), (12, "moderate", -5), (9, "mild", -3),
        (9, "mild", 0), (14, "moderate", 5)]
    assert [r.change.marks if r.change else () for r in chart.rows] == [
        (), (IMPROVED,), (), (), ("worsened",)]


def test_the_engines_own_bands_are_used_when_given():
    # SCOFF's severe needs a low BMI and MDQ's moderate more than a count: only the engine
    # knows, so without its bands the row shows none rather than a wrong one.
    assert [r.band for r in build_chart("scoff", fortnights(2, 3)).rows] == [None, None]
    given = build_chart("scoff", fortnights(2, 3), bands=["severe", "moderate"])
    assert [r.band for r in given.rows] == ["severe", "moderate"]
    assert [r.band for r in build_chart("mdq", fortnights(8)).rows] == [None]


def find_table(html):
    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.heads, self.caption, self._in = [], [], "", None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            if tag in ("th", "td"):
                self._in = tag
                self.rows[-1].append("")
                if tag == "th":
                    self.heads.append(dict(attrs).get("scope"))
            if tag == "caption":
                self._in = "caption"

        def handle_endtag(self, tag):
            if tag in ("th", "td", "caption"):
                self._in = None

        def handle_data(self, data):
            if self._in == "caption":
                self.caption += data
            elif self._in:
                self.rows[-1][-1] += data

    parser = Cells()
    parser.feed(html[html.index("<table"):html.index("</table>")])
    return parser


def test_the_table_lists_every_screen_with_headers_for_each_cell():
    chart = build_chart("phq9", fortnights(17, 12, 9, 4))
    html = render_to_string("care/_score_chart.html", {"chart": chart})
    table = find_table(html)
    assert " ".join(table.caption.split()) == (
        "PHQ-9 scores, oldest first, on a scale of 0 to 27 (higher means more symptoms)")
    assert table.heads == ["col"] * 5 + ["row"] * 4
    cells = [[" ".join(cell.split()) for cell in row] for row in table.rows]
    assert cells == [
        ["Date", "Score", "Band", "Change since the screen before",
         "Change since the first screen"],
        ["2 Dec 2026", "17", "Moderately severe", "First screen", "\u2014"],
        ["16 Dec 2026", "12", "Moderate", "Down 5 points: a meaningful improvement",
         "Down 5 points: a meaningful improvement"],
        ["30 Dec 2026", "9", "Mild", "Down 3 points",
         "Down 8 points: now below the screening cut-off; a meaningful improvement"],
        ["13 Jan 2027", "4", "None", "Down 5 points: a meaningful improvement",
         "Down 13 points: remission; response (down by half or more); now below the "
         "screening cut-off; a meaningful improvement"],
    ]
    assert "<figure" in html and "<figcaption" in html and str(chart.svg) in html


def test_a_row_with_several_marks_names_each_one():
    chart = build_chart("phq9", fortnights(12, 4))
    cells = find_table(render_to_string("care/_score_chart.html", {"chart": chart})).rows
    assert " ".join(cells[2][3].split()) == (
        "Down 8 points: remission; response (down by half or more); now below the "
        "screening cut-off; a meaningful improvement")


def test_a_rise_of_one_point_is_singular_and_unmarked():
    chart = build_chart("gad7", fortnights(6, 7))
    cells = find_table(render_to_string("care/_score_chart.html", {"chart": chart})).rows
    assert " ".join(cells[2][3].split()) == "Up 1 point"


# --- the sentence for the person ----------------------------------------------------------


@pytest.mark.parametrize(("instrument", "scores", "sentence"), [
    ("phq9", (17, 9), "Your depression score went from 17 to 9. That is a meaningful "
                      "improvement: your score is now below the usual level for concern."),
    ("phq9", (17, 4), "Your depression score went from 17 to 4. That is a large improvement: "
                      "your score is now in the lowest range."),
    ("phq9", (20, 10), "Your depression score went from 20 to 10. That is a large "
                       "improvement: your score has come down by half or more."),
    ("gad7", (12, 8, 8), "Your anxiety score went from 12 to 8. That is a meaningful "
                         "improvement: your score is now below the usual level for concern."),
    ("gad7", (9, 5), "Your anxiety score went from 9 to 5. That is a meaningful improvement."),
    ("phq9", (6, 12), "Your depression score went from 6 to 12. That is a meaningful rise. "
                      "Please talk it over with your clinician."),
    ("phq9", (12, 10), "Your depression score went from 12 to 10."),
    ("phq9", (12, 15, 12), "Your depression score stayed at 12."),
    ("auditc", (9, 2), "Your alcohol use score went from 9 to 2."),  # no published threshold
])
def test_the_summary_says_it_in_plain_words(instrument, scores, sentence):
    chart = build_chart(instrument, fortnights(*scores), sex_at_birth="female")
    html = render_to_string("care/_score_summary.html", {"summary": chart.summary})
    assert " ".join(html.replace('<p class="score-summary">', "").replace("</p>", "")
                    .split()) == sentence


def test_the_summary_measures_from_the_first_screen_to_the_last():
    chart = build_chart("phq9", fortnights(20, 14, 9, 7))
    summary = chart.summary
    assert (summary.first, summary.last, summary.count, summary.direction) == (20, 7, 4, "down")
    assert (summary.first_date, summary.last_date) == (DAY, DAY + datetime.timedelta(days=42))
    assert summary.change is not None and summary.change.headline == "response"
    assert [r.change.marks if r.change else () for r in chart.rows][1:] == [
        (IMPROVED,), ("below_cutoff", IMPROVED), ()]
    # Since the first screen, as response and remission are measured:
    assert [r.since_first.change.marks for r in chart.rows[1:]] == [
        (IMPROVED,), ("response", "below_cutoff", IMPROVED),
        ("response", "below_cutoff", IMPROVED)]
    assert chart.rows[0].since_first is None and chart.rows[0].since_previous is None


def test_it_is_in_spanish_for_a_spanish_speaker():
    with translation.override("es"):
        chart = build_chart("peg", fortnights(6.3, 5.3))
        html = render_to_string("care/_score_chart.html", {"chart": chart})
    assert chart.title == "PEG: puntuación de dolor a lo largo del tiempo"
    assert "Su puntuación de dolor pasó de 6,3 a 5,3. Es una mejoría significativa." in " ".join(
        html.split())
    assert "Bajó 1,0 punto: <strong" in html
    assert "Leve (4,0\u20136,9)" in chart.svg
    assert 'data-score="6,3"' in chart.svg


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: build_chart("phq10", []), "unknown instrument: 'phq10'"),
    (lambda: build_chart("phq9", fortnights(28)),
     "points: expected a PHQ-9 score, a whole number from 0 to 27, got 28"),
    (lambda: build_chart("phq9", fortnights(True)),
     "points: expected a PHQ-9 score, a whole number from 0 to 27, got True"),
    (lambda: build_chart("gad7", fortnights(4.5)),
     "points: expected a GAD-7 score, a whole number from 0 to 21, got 4.5"),
    (lambda: build_chart("phq9", [("2026-12-02", 4)]),
     "points: expected a date, got '2026-12-02'"),
    (lambda: build_chart("auditc", fortnights(4)),
     "sex_at_birth: AUDIT-C's bands depend on it: expected one of female, male, intersex, "
     "unknown, got None"),
    (lambda: build_chart("phq9", fortnights(4, 5), bands=["none"]),
     "bands: expected one band per point (2), got 1"),
])
def test_it_refuses_bad_input_by_name(call, message):
    with pytest.raises(ValueError) as raised:
        call()
    assert str(raised.value) == message
