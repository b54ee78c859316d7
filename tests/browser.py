"""Browser test helpers: Debian's Chromium driven by Playwright, pages opened from disk, axe-core."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import REPO
from workbook.pipeline import BuildOptions, Paths, build

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async selector => (await axe.run(selector)).violations.map(
    rule => ({id: rule.id, help: rule.help, nodes: rule.nodes.map(node => node.target)}))"""


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch Debian's Chromium (Playwright's own browsers cannot be downloaded here)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def watched(context: BrowserContext) -> Iterator[BrowserContext]:
    """Yield a context; afterwards, check no page error, no request off the disk and no cookie."""
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.on("weberror", lambda error: errors.append(str(error.error)))
    yield context
    cookies = context.cookies()
    context.close()
    assert errors == []
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []
    assert cookies == []


def build_site(root: Path, output: Path) -> Path:
    """Build a project's HTML site (no booklets) into `output` and return it."""
    build(Paths(root), output, BuildOptions(booklets=False))
    return output


def file_url(path: Path) -> str:
    """Return the file:// URL of a page on disk."""
    return path.resolve().as_uri()


def axe_violations(page: Page, within: str = "html") -> list[dict[str, Any]]:
    """Run axe-core's default rules (WCAG A and AA, best practice) on the page or a part; return the violations."""
    if not AXE.is_file():
        raise FileNotFoundError(f"{AXE} is missing: run `npm ci` in {REPO} to install axe-core")
    if not page.evaluate("() => typeof axe === 'object'"):
        page.add_script_tag(content=AXE.read_text("utf-8"))
    # Only the violations leave the page: the whole result (every rule passed, with its elements) is large enough
    # on a long page that carrying it out of the browser takes longer than the check.
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN, within)
    return violations
