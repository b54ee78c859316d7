"""Accessibility, checked by two tools: axe-core and HTML_CodeSniffer (WCAG2AA, as pa11y runs it).

The real project's site is built once for the module (no booklets) and one Chromium serves every test. Each page
type, and the scoring page in each state a team brings it to, must give no axe-core violation, no HTML_CodeSniffer
error and no pseudo-heading (a paragraph that is only bold text, H42), which screen-reader users cannot jump to.
Every page of the site is also read by HTML_CodeSniffer alone (axe-core is too slow for all of them).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import axe_violations, build_site, file_url, watched
from tests.codesniffer import Issue, codesniffer_issues, pa11y_cli_issues
from tests.conftest import REPO, real_workbook
from workbook.model import Workbook

PSEUDO_HEADING = "WCAG2AA.Principle1.Guideline1_3.1_3_1.H42"
NO_SUBMIT_BUTTON = "WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2"
# What HTML_CodeSniffer may report, by (code, element), and why it is right to let it be.
ALLOWED = {
    (NO_SUBMIT_BUTTON, "#score-form"): (
        "the scoring form has no submit button: answers save as they change, there is nothing to submit"
    ),
}


# ---------- Fixtures: the real site built once, one browser, a fresh context per test ----------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's site, built once for the module without booklets."""
    return build_site(REPO, tmp_path_factory.mktemp("accessibility") / "output")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh desktop-sized context (its own empty storage), checked afterwards (see `watched`)."""
    yield from watched(browser.new_context(viewport={"width": 1280, "height": 900}))


# ---------- What the tools find ----------


def problems(issues: list[Issue]) -> list[str]:
    """HTML_CodeSniffer's errors and pseudo-headings, less what ALLOWED lets be, each as `code at selector: HTML`."""
    return [
        f"{issue.code} at {issue.selector}: {issue.context}"
        for issue in issues
        if (issue.type == "error" or issue.code == PSEUDO_HEADING) and (issue.code, issue.selector) not in ALLOWED
    ]


def assert_accessible(page: Page) -> None:
    """Both tools find nothing wrong with the page as it is now (a failure shows what each found)."""
    found = {"HTML_CodeSniffer": problems(codesniffer_issues(page)), "axe-core": axe_violations(page)}
    assert found == {"HTML_CodeSniffer": [], "axe-core": []}


def open_page(context: BrowserContext, site: Path, path: str) -> Page:
    """Open a page of the built site (a site path, with an optional ?query) from disk."""
    page = context.new_page()
    path, _, query = path.partition("?")
    page.goto(file_url(site / path) + (f"?{query}" if query else ""))
    return page


# ---------- Every page type ----------

PAGE_TYPES = {
    "home": "index.html",
    "workbook overview": "homecare/index.html",
    "section": "homecare/sections/the-person.html",
    "front matter": "homecare/introduction.html",
    "back matter": "homecare/resources.html",
    "framework": "homecare/frameworks/cqc-outcomes.html",
    "guide": "homecare/guide.html",
    "tools glossary": "tools.html",
    "search with a query": "search.html?q=medicines",
    "scoring, fresh": "health-check/score/index.html",
}


@pytest.mark.parametrize("path", list(PAGE_TYPES.values()), ids=list(PAGE_TYPES))
def test_each_page_type_passes_both_tools(site: Path, context: BrowserContext, path: str) -> None:
    """axe-core and HTML_CodeSniffer find nothing on one page of each type, as it opens, every disclosure opened
    (a scoring page's views are its states, below)."""
    page = open_page(context, site, path)
    if path.startswith("search.html"):
        expect(page.locator("#search-status")).not_to_be_empty()
    if "/score/" in path:
        expect(page.locator("#score-app")).to_be_visible()
    else:
        page.evaluate("() => document.querySelectorAll('details').forEach(details => { details.open = true; })")
    assert_accessible(page)


def test_no_page_of_the_site_has_a_codesniffer_error_or_a_pseudo_heading(site: Path, context: BrowserContext) -> None:
    """HTML_CodeSniffer on every page the build writes: each problem named with its page."""
    page = context.new_page()
    found: dict[str, list[str]] = defaultdict(list)
    paths = sorted(site.rglob("*.html"))
    assert len(paths) > 50
    for path in paths:
        page.goto(file_url(path))
        for problem in problems(codesniffer_issues(page)):
            found[str(path.relative_to(site))].append(problem)
    assert dict(found) == {}


# ---------- The scoring page in each state a team brings it to ----------

# Tick statements as a click does (the page hears the same events), at once: Playwright's checks take seconds.
TICK = "ids => ids.forEach(id => document.getElementById(id).click())"


def open_score(context: BrowserContext, site: Path, slug: str) -> Page:
    """Open a workbook's scoring page from disk, once its script has drawn it."""
    page = context.new_page()
    page.goto(file_url(site / slug / "score" / "index.html"))
    expect(page.locator("#score-app")).to_be_visible()
    return page


def answer_all(page: Page, wb: Workbook, seed: str) -> None:
    """Name the assessment and who took part, tick every topic (levels drawn from `seed`), write one plan."""
    rng = random.Random(seed)
    page.fill("#assessment-name", f"{seed}\u2019s review")
    page.fill("#assessment-people", seed)
    ticks = [f"topic_{topic.id}_{rng.randint(1, len(wb.levels))}" for topic in wb.topics]
    page.evaluate(TICK, ticks)
    plan = page.locator("#plan-content textarea").first
    plan.fill("Ask the families what a good day looks like.")
    expect(page.locator("#progress")).to_contain_text(f"{len(wb.topics)} of {len(wb.topics)}")


def new_assessment(page: Page, *, from_latest: bool = False) -> None:
    """Start another assessment: the page offers the latest one's answers or a blank one."""
    page.click("#new-assessment")
    page.click("#new_from_latest" if from_latest else "#new_blank")


def open_view(page: Page, view: str) -> None:
    """Open a view's disclosure, unless the page already did."""
    if not page.locator(f"#{view}[open]").count():
        page.click(f"#{view} summary")


def answered(page: Page, wb: Workbook, links: list[str]) -> None:
    """One assessment, every topic ticked."""
    answer_all(page, wb, "Ann")


def compared(page: Page, wb: Workbook, links: list[str]) -> None:
    """Two assessments, both fully answered, the compare view open."""
    answer_all(page, wb, "Ann")
    new_assessment(page)
    answer_all(page, wb, "Ben")
    open_view(page, "compare_view")
    expect(page.locator("#compare-table")).to_be_visible()


def over_time(page: Page, wb: Workbook, links: list[str]) -> None:
    """Three assessments, the third started from the second's answers (the offer shown first), the trend open."""
    answer_all(page, wb, "Ann")
    new_assessment(page)
    answer_all(page, wb, "Ben")
    page.click("#new-assessment")
    assert_accessible(page)  # the offer: the latest one's answers or blank
    page.click("#new_from_latest")
    open_view(page, "trend_view")
    expect(page.locator("#trend_content table")).to_be_visible()


def team(page: Page, wb: Workbook, links: list[str]) -> None:
    """The lead's own assessment and three people's share links pasted, the team view open."""
    answer_all(page, wb, "Lee")
    page.fill("#team_links", "\n".join(links))
    page.click("#team_links_add")
    expect(page.locator("#status")).to_contain_text(f"Imported {len(links)} assessments")
    open_view(page, "team_view")
    expect(page.locator("#team-table")).to_be_visible()


# Each state: how to bring a scoring page to it. A new view (over time, a trend) adds its state here.
STATES: dict[str, Callable[[Page, Workbook, list[str]], None]] = {
    "answered": answered,
    "compared": compared,
    "team": team,
    "over time": over_time,
}
# Which workbook's scoring page is checked in which state: homecare's in each, the Health Check's (named levels, the
# most topics) answered. Every state of both would double the module's slowest part for the same page.
SCORED = [("homecare", state) for state in STATES] + [("health-check", "answered")]


@pytest.fixture(scope="module")
def share_links(browser: Browser, site: Path) -> Callable[[str], list[str]]:
    """Three people's share links for a workbook, each fully answered, made once per workbook in a browser."""
    made: dict[str, list[str]] = {}

    def links(slug: str) -> list[str]:
        if slug not in made:
            made[slug] = []
            for context in watched(browser.new_context()):
                page = open_score(context, site, slug)
                for number, person in enumerate(("Cat", "Dev", "Eve")):
                    if number:
                        new_assessment(page)
                    answer_all(page, real_workbook(slug), person)
                    if page.locator("#share_open").count():
                        page.click("#share_open")
                    expect(page.locator("#share_link")).to_have_value(re.compile(r"#share=\w"))
                    made[slug].append(page.input_value("#share_link"))
        return made[slug]

    return links


@pytest.mark.parametrize(("slug", "state"), SCORED, ids=[f"{slug}-{state}" for slug, state in SCORED])
def test_the_scoring_page_in_each_state_passes_both_tools(
    site: Path, context: BrowserContext, share_links: Callable[[str], list[str]], slug: str, state: str
) -> None:
    """axe-core and HTML_CodeSniffer find nothing on the scoring page answered, comparing and showing a team."""
    page = open_score(context, site, slug)
    STATES[state](page, real_workbook(slug), share_links(slug) if state == "team" else [])
    assert_accessible(page)


# ---------- pa11y itself ----------


def test_pa11y_itself_reports_what_the_injected_runner_reports(
    site: Path, context: BrowserContext, tmp_path: Path
) -> None:
    """The pa11y command, with Debian's Chromium, finds on a fresh scoring page exactly what this module's runner
    finds (the form's notice among them): the checks above are pa11y's."""
    path = site / "reablement" / "score" / "index.html"
    ours = codesniffer_issues(open_score(context, site, "reablement"))
    theirs = pa11y_cli_issues(file_url(path), tmp_path)
    assert any(issue.code == NO_SUBMIT_BUTTON for issue in theirs)
    assert sorted(theirs, key=repr) == sorted(ours, key=repr)
