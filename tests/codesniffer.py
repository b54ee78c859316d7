"""HTML_CodeSniffer run as pa11y runs it, in a page Playwright already has open: pa11y's own page scripts.

pa11y (npm) opens a page in Chromium, injects its runner (node_modules/pa11y/lib/runner.js) and its
HTML_CodeSniffer runner (the HTMLCS build it depends on, then the runner's `run`), and calls
`window.__pa11y.run(options)`. `codesniffer_issues` does exactly that in a Playwright page, so that a page can
first be brought into a state (answers ticked, views opened) and one browser serves every page;
`pa11y_cli_issues` runs pa11y itself, to show both give the same issues.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import REPO

PA11Y = REPO / "node_modules" / "pa11y"
STANDARD = "WCAG2AA"
# How pa11y's htmlcs runner is bundled for the page (pa11y/lib/pa11y.js, loadRunnerScript): its scripts' text, then
# its `run` as source. Node prints both, so the bundle is pa11y's own, whatever version is installed.
BUNDLE = """
const runner = require(process.argv[1]);
console.log(JSON.stringify({scripts: runner.scripts, run: runner.run.toString()}));
"""


@dataclass(frozen=True)
class Issue:
    """One HTML_CodeSniffer message, as pa11y reports it."""

    code: str  # e.g. WCAG2AA.Principle1.Guideline1_3.1_3_1.H42
    type: str  # error, warning or notice
    message: str
    context: str  # the element's HTML, shortened
    selector: str


@cache
def page_scripts() -> str:
    """pa11y's runner and its HTML_CodeSniffer runner, as one script for the page."""
    if not (PA11Y / "lib" / "runner.js").is_file():
        raise FileNotFoundError(f"{PA11Y} is missing: run `npm ci` in {REPO} to install pa11y")
    found = subprocess.run(
        ["node", "-e", BUNDLE, str(PA11Y / "lib" / "runners" / "htmlcs.js")],
        capture_output=True,
        text=True,
        check=True,
    )
    bundle = json.loads(found.stdout)
    scripts = "\n\n".join(Path(script).read_text("utf-8") for script in bundle["scripts"])
    runner = (PA11Y / "lib" / "runner.js").read_text("utf-8")
    return f"{runner}\n;{scripts};\n;window.__pa11y.runners.htmlcs = {bundle['run']};\n"


@cache
def pa11y_version() -> str:
    """The installed pa11y's version."""
    version: str = json.loads((PA11Y / "package.json").read_text("utf-8"))["version"]
    return version


def options() -> dict[str, Any]:
    """pa11y's options for a run: WCAG2AA, HTML_CodeSniffer only, every message kept (errors, warnings, notices)."""
    return {
        "pa11yVersion": pa11y_version(),
        "runners": ["htmlcs"],
        "standard": STANDARD,
        "rules": [],
        "ignore": [],
        "wait": 0,
        "hideElements": None,
        "rootElement": None,
    }


def codesniffer_issues(page: Page) -> list[Issue]:
    """Run HTML_CodeSniffer (WCAG2AA) on the page as it is now; return every message, as pa11y would."""
    if not page.evaluate("() => typeof window.__pa11y === 'object'"):
        page.add_script_tag(content=page_scripts())
    result: dict[str, Any] = page.evaluate("options => window.__pa11y.run(options)", options())
    return [as_issue(issue) for issue in result["issues"]]


def as_issue(issue: dict[str, Any]) -> Issue:
    """An Issue from pa11y's JSON for one."""
    return Issue(issue["code"], issue["type"], issue["message"], issue["context"] or "", issue["selector"] or "")


def pa11y_cli_issues(url: str, folder: Path) -> list[Issue]:
    """Run the pa11y command itself on a URL with Debian's Chromium (WCAG2AA, every message); return its issues."""
    config = folder / "pa11y.json"
    launch = {"executablePath": CHROMIUM, "args": CHROMIUM_ARGS}
    config.write_text(json.dumps({"chromeLaunchConfig": launch, "runners": ["htmlcs"], "standard": STANDARD}))
    found = subprocess.run(
        [
            "node",
            str(PA11Y / "bin" / "pa11y.js"),
            "--config",
            str(config),
            "--reporter",
            "json",
            "--include-warnings",
            "--include-notices",
            url,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    if found.returncode not in (0, 2):  # 2: pa11y ran and found errors
        raise RuntimeError(f"pa11y failed ({found.returncode}): {found.stderr.strip()}")
    return [as_issue(issue) for issue in json.loads(found.stdout)]
