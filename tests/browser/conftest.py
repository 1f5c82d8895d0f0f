"""Headless Chromium (Debian's, driven by Playwright) against the real server process."""

from pathlib import Path

import pytest

from ..support.required import import_or_missing, missing

playwright_api = import_or_missing("playwright.sync_api", "pip install -e '.[dev]'")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"
DESKTOP = {"width": 1280, "height": 720}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ])
        playwright_api.expect.set_options(timeout=TIMEOUT_MS)
        yield browser
        browser.close()


@pytest.fixture
def contexts(browser):
    """Opens browser contexts for one test and closes them all afterwards."""
    opened = []

    def open_context(**options):
        context = browser.new_context(**{"locale": "sv-SE", **options})
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def phone(contexts):
    def open_phone(**options):
        return contexts(**{**PHONE, **options}).new_page()

    return open_phone


def log_in(page, base: str, email: str):
    """Logs a staff member in through the real /login form."""
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/login" not in page.url, "login failed: still on " + page.url


@pytest.fixture
def facilitator(contexts, live_server):
    """A desktop context logged in as fac@live.se through the real /login form."""
    context = contexts(viewport=DESKTOP)
    log_in(context.new_page(), live_server.url, "fac@live.se")
    return context


@pytest.fixture(scope="session")
def shots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(page, name, full_page=True):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page,
                        animations="disabled")

    return shot
