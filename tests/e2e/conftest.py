"""Browser tests: a real headless Chromium (Debian's) driven by Playwright's sync API."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def browser(transactional_db):
    """A headless Chromium, started once the test database is ready and closed before
    it is flushed.

    Playwright's sync API keeps an event loop running in the test thread for as long
    as it lives. Django then refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set,
    and its database connections are no longer the ones the test database setup
    prepared (so serialized rollback would be silently skipped). Hence a browser per
    test, nested inside the database fixture, and the variable set only meanwhile:
    left in the environment, it would also leak into other tests' subprocesses and
    fail `check --deploy` (async.E001).
    """
    if not CHROMIUM.exists():
        message = f"Chromium is missing at {CHROMIUM}: install Debian's chromium package."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


from tests.sso_idp.fixtures import identity_provider  # noqa: E402, F401  (a fixture)
