"""What every browser test checks on the pages it visits: an accessibility audit with
axe-core (vendored, injected into the page) and screenshots at desktop and phone width,
saved under ``test-artifacts/screenshots/``."""

from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.x A/AA violations axe-core finds on the page."""
    # Evaluated through the DevTools protocol rather than added as an inline <script>,
    # which the site's Content-Security-Policy (rightly) blocks.
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        })"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}: {violations}"


def check_page(page, name: str) -> None:
    """Audit the page and save it at desktop and phone width; at phone width nothing
    may overflow horizontally (usable at 375 px), and the audit runs again (a menu or a
    table laid out for the phone must be accessible too)."""
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size or DESKTOP
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.screenshot(path=SCREENSHOTS / f"{name}-mobile.png", full_page=True)
    phone_violations = axe_violations(page)
    page.set_viewport_size(viewport)
    assert overflow <= 1, f"{page.url} overflows by {overflow}px at 375 px wide"
    assert not phone_violations, f"{page.url} at 375 px wide: {phone_violations}"
