"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's own browser download cannot work on these machines, so the system Chromium is
launched with the flags that keep it off the network. Screenshots go to SCREENSHOT_DIR.
"""

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls on the test database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots"))
BLOCKING_IMPACTS = {"serious", "critical"}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is missing: install it (apt-get install chromium) or set "
                    "CHROMIUM_PATH; `make test` installs it when it can.")
    return path


# One Chromium for the whole run: a test module elsewhere that imports this fixture gets a
# second session fixture of its own, and Playwright's sync API cannot start twice at once.
_RUNNING: dict = {}


@pytest.fixture(scope="session")
def browser():
    if "browser" in _RUNNING:
        yield _RUNNING["browser"]
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                             args=CHROMIUM_FLAGS)
        _RUNNING["browser"] = browser
        try:
            yield browser
        finally:
            _RUNNING.pop("browser", None)
            browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280,
                                                                      "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def check_page(axe):
    """Screenshot the page under a name, and fail on serious or critical axe violations."""

    def check(page, name: str) -> None:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
        results = axe.run(page)
        blocking = [f"{v['id']} ({v['impact']}): {v['help']} at "
                    + ", ".join(str(n["target"]) for n in v["nodes"][:3])
                    for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        assert not blocking, f"accessibility problems on {name}:\n" + "\n".join(blocking)

    return check
