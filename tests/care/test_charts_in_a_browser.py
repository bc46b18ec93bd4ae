"""Two score charts on one page in a real Chromium, with the site's CSS: axe-clean, readable
as drawn, and kept whole when printed. The page is the include rendered on its own (no view
needs to exist for it), opened with set_content; the screenshot is docs/screenshots/
score-chart.png."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from care.charts import build_chart
from tests.browser.conftest import axe, browser, check_page  # noqa: F401 -- shared fixtures

pytestmark = pytest.mark.browser

STATIC = Path(settings.BASE_DIR) / "static"
PAGE = Template("""{% load i18n %}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scores over time</title></head>
<body><main class="container py-4"><h1>Scores over time</h1>
<h2>Depression</h2>{% include "care/_score_chart.html" with chart=depression %}
<h2>Anxiety</h2>{% include "care/_score_chart.html" with chart=anxiety %}
</main></body></html>""")


def fortnights(*scores):
    start = datetime.date(2026, 12, 2)
    return [(start + datetime.timedelta(days=14 * i), s) for i, s in enumerate(scores)]


@pytest.fixture
def chart_page(browser):  # noqa: F811 -- the fixture imported above
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    html = PAGE.render(Context({
        "depression": build_chart("phq9", fortnights(17, 15, 12, 9, 9, 6)),
        "anxiety": build_chart("gad7", fortnights(8, 10, 14)),
    }))
    page.set_content(html)
    for css in ("vendor/bootstrap-5.3.9/bootstrap.min.css", "css/app.css"):
        page.add_style_tag(content=(STATIC / css).read_text())
    yield page
    context.close()


def test_two_charts_on_a_page_are_accessible(chart_page, check_page):  # noqa: F811
    check_page(chart_page, "score-chart")
    images = chart_page.get_by_role("img")
    assert images.count() == 2
    assert images.nth(0).get_attribute("aria-labelledby") == (
        "score-chart-phq9-title score-chart-phq9-desc")
    names = chart_page.evaluate(
        "() => [...document.querySelectorAll('svg title')].map(t => t.textContent)")
    assert names == ["PHQ-9: depression score over time", "GAD-7: anxiety score over time"]
    assert chart_page.get_by_role("table").count() == 2
    assert chart_page.get_by_role("columnheader", name="Band").count() == 2
    assert chart_page.get_by_text("Your depression score went from 17 to 6.").is_visible()
    assert chart_page.get_by_text("Your anxiety score went from 8 to 14.").is_visible()


def test_the_chart_fits_its_box_and_is_kept_whole_when_printed(chart_page):
    box = chart_page.locator("svg").first.bounding_box()
    assert box is not None and 600 <= box["width"] <= 800  # 48rem at most, scaled
    assert round(box["height"] / box["width"], 2) == round(320 / 700, 2)
    chart_page.emulate_media(media="print")
    kept = chart_page.evaluate(
        "() => getComputedStyle(document.querySelector('figure.score-chart')).breakInside")
    assert kept == "avoid"
    assert chart_page.locator("svg").first.is_visible()
