"""Results a manager can take to a meeting (issue 17): the scoring page printed as Chromium prints it, read back.

Every topic of a real workbook is ticked through the page, then the page is printed to an A4 PDF as its
"Print results" button prints it (print media, A4) and read with pdfinfo and pdftotext: at most three pages,
the workbook and the assessment named on the first, each page numbered, the tier, the priorities. "Print the
full action plan" prints the plan alone, every topic's next step in it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import build_site, file_url, watched
from tests.conftest import REPO, real_project
from tests.oracle import default_priorities, percentage, tier_reached, work_towards
from workbook.markup import plain
from workbook.model import Workbook
from workbook.scoring import PRIORITIES

NAME = "Spring review"
PEOPLE = "Ann Smith, Bob Jones"
MAX_PAGES = 3


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's site, built once (pages only)."""
    return build_site(REPO, tmp_path_factory.mktemp("results") / "output")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context at desktop width, checked afterwards for page errors, requests and cookies."""
    yield from watched(browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True))


def workbook(slug: str) -> Workbook:
    """A real workbook by slug."""
    return next(item for item in real_project().workbooks if item.slug == slug)


def pattern(book: Workbook) -> dict[str, int]:
    """A score for every topic: Wigan's at their thresholds (so a tier is reached), others spread over the levels."""
    top = len(book.levels)
    return {
        topic.id: topic.threshold if topic.threshold is not None else (index * 2) % top + 1
        for index, topic in enumerate(book.topics)
    }


def answered_page(context: BrowserContext, site: Path, book: Workbook) -> Page:
    """The workbook's scoring page with every topic ticked, the assessment named and who took part typed."""
    page = context.new_page()
    page.goto(file_url(site / book.slug / "score" / "index.html"))
    expect(page.locator("#score-app")).to_be_visible()
    for topic, score in pattern(book).items():
        page.locator(f"#topic_{topic}_{score}").check()
    page.fill("#assessment-name", NAME)
    page.fill("#assessment-people", PEOPLE)
    expect(page.locator("#progress")).to_contain_text(f"{len(book.topics)} of {len(book.topics)} topics answered")
    return page


def printed(page: Page, path: Path, what: str = "results") -> list[str]:
    """Print the page as its button for `what` does (print media, A4) into `path`; return each page's text."""
    page.emulate_media(media="print")
    page.evaluate("what => ProgressScoring.print.prepare(what)", what)
    page.pdf(path=str(path), format="A4")
    page.evaluate("() => ProgressScoring.print.done()")
    page.emulate_media(media="screen")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for number in range(1, count + 1)
    ]


def flat(text: str) -> str:
    """Text as one line of words (pdftotext breaks lines where the page did)."""
    return " ".join(text.split())


def unbroken(text: str) -> str:
    """Text without the hyphens pdftotext drops where a hyphenated word breaks a line ("person-centred")."""
    return flat(text).replace("-", "")


def title(book: Workbook, topic_id: str) -> str:
    """A topic's title as the page shows it."""
    return flat(plain(next(topic.title for topic in book.topics if topic.id == topic_id)))


@pytest.mark.parametrize("slug", ["homecare", "health-check", "wigan"])
def test_results_print_on_at_most_three_numbered_pages_naming_the_workbook(
    slug: str, site: Path, context: BrowserContext, tmp_path: Path
) -> None:
    """Fully answered, the results print on at most three A4 pages: the workbook, the assessment and who took part
    on the first, "Page N of M" on each with the workbook in the foot, the tier (Wigan) and the priorities."""
    book = workbook(slug)
    scores = pattern(book)
    page = answered_page(context, site, book)
    pages = printed(page, tmp_path / f"{slug}-results.pdf")
    assert 1 <= len(pages) <= MAX_PAGES, f"{slug}: {len(pages)} pages"
    first = flat(pages[0])
    assert book.title in first and NAME in first and PEOPLE in first
    assert book.short_title in first
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in flat(text)
        assert f"{book.full_title} · results" in flat(text)
    whole = flat(" ".join(pages))
    assert "Score each topic" not in whole and "Make this a priority" not in whole  # the form and the controls
    if book.tiers:
        reached = tier_reached(book, scores)
        assert reached is not None
        assert f"You have reached {reached}" in whole
    priorities = default_priorities(book, scores, PRIORITIES)
    assert priorities
    plan_text = whole[whole.index("Your priorities") :]
    for index, topic in enumerate(priorities):
        assert title(book, topic.id) in plan_text, topic.id
        assert ("Top priority" if index == 0 else f"Priority {index + 1}") in plan_text
    others = [topic for topic in book.topics if topic not in priorities]
    assert not any(f"{topic.number}. {title(book, topic.id)}" in plan_text for topic in others)


def test_the_health_check_results_print_its_graph_by_heading(
    site: Path, context: BrowserContext, tmp_path: Path
) -> None:
    """The Health Check prints the graph its scoring sheet had: each heading with its percentage."""
    book = workbook("health-check")
    scores = pattern(book)
    page = answered_page(context, site, book)
    whole = flat(" ".join(printed(page, tmp_path / "health-check.pdf")))
    graph = whole[whole.index("Graph: the percentage for each heading") :]
    for section in book.sections:
        value = percentage(section, scores)
        assert value is not None
        assert f"{section.title} {int(value + 0.5)}%" in graph, section.title


def test_print_the_full_action_plan_prints_the_plan_of_every_topic(
    site: Path, context: BrowserContext, tmp_path: Path
) -> None:
    """ "Print the full action plan": the plan alone, every topic with the statement to work towards (those at the
    top level too, folded away on screen), the priorities with the workbook's prompts; the page as it was after."""
    book = workbook("homecare")
    scores = pattern(book)
    page = answered_page(context, site, book)
    first = default_priorities(book, scores, PRIORITIES)[0]
    page.fill(f"#plan_{first.id}_first-steps", "Write one-page profiles with each person")
    pages = printed(page, tmp_path / "plan.pdf", "plan")
    whole = flat(" ".join(pages))
    assert "Summary" not in whole and "Chart: every topic" not in whole
    assert f"Page 1 of {len(pages)}" in flat(pages[0]) and "· action plan" in flat(pages[0])
    for topic in book.topics:
        assert unbroken(work_towards(topic, scores[topic.id])) in unbroken(whole), topic.id
    assert "First steps: Write one-page profiles with each person" in whole
    assert "How will I know I have been successful?" in whole  # an empty prompt: a line to write on
    assert page.evaluate("() => document.documentElement.className") == ""
    expect(page.locator("#plan-top")).not_to_have_attribute("open", "")


def test_the_team_chooses_its_priorities_and_they_are_kept(site: Path, context: BrowserContext) -> None:
    """By default the priorities follow the scores; ticking "Make this a priority" makes them the team's own,
    kept after a reload, in the CSV (with who took part) and given back to the default on request."""
    book = workbook("homecare")
    scores = pattern(book)
    page = answered_page(context, site, book)
    chosen = default_priorities(book, scores, PRIORITIES)
    shown = page.locator("#plan-priorities .plan-item").evaluate_all("items => items.map(item => item.dataset.topic)")
    assert shown == [topic.id for topic in chosen]
    other = next(topic for topic in book.topics if topic not in chosen and scores[topic.id] < len(book.levels))
    page.locator(f"#plan_{chosen[0].id}_priority").uncheck()
    page.locator(f"#plan_{other.id}_priority").check()
    page.fill(f"#plan_{other.id}_what-support-will-i-we-need", "Time to visit families")
    page.reload()
    expect(page.locator("#score-app")).to_be_visible()
    mine = page.locator("#plan-priorities .plan-item").evaluate_all("items => items.map(item => item.dataset.topic)")
    assert set(mine) == {topic.id for topic in chosen[1:]} | {other.id}
    expect(page.locator(f"#plan_{other.id}_what-support-will-i-we-need")).to_have_value("Time to visit families")
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert {row["Who took part"] for row in rows} == {PEOPLE}
    assert {row["Topic"] for row in rows if row["Priority"] == "Yes"} == {str(t.number) for t in [*chosen[1:], other]}
    assert "What support will I/we need?: Time to visit families" in next(
        row["Plan (the workbook\u2019s other questions)"] for row in rows if row["Topic"] == str(other.number)
    )
    page.click("#plan-default")
    again = page.locator("#plan-priorities .plan-item").evaluate_all("items => items.map(item => item.dataset.topic)")
    assert again == [topic.id for topic in chosen]
    expect(page.locator(f"#plan_{other.id}_what-support-will-i-we-need")).to_have_value("Time to visit families")


def test_an_older_save_keeps_what_was_written(site: Path, context: BrowserContext) -> None:
    """A format-3 save (action, who, by for a topic) opens with nothing lost: the Health Check's own prompts
    "Action", "Who" and "By when" show it; the file is saved again in the current format."""
    book = workbook("health-check")
    topic = book.topics[0]
    data = scoring_data(site, book.slug)
    meaning = data["sections"][0]["topics"][0]["meaning"]
    statement = data["sections"][0]["topics"][0]["statements"][0]
    old: dict[str, Any] = {
        "format": 3,
        "workbook": book.slug,
        "current": "a-1",
        "assessments": [
            {
                "id": "a-1",
                "name": "Autumn",
                "date": "2025-10-01",
                "people": "",
                "scores": {topic.id: {"score": 1, "meaning": meaning, "statement": statement}},
                "plans": {topic.id: {"action": "Ask families", "who": "Ann", "by": "2026-01-31"}},
            }
        ],
    }
    page = context.new_page()
    page.goto(file_url(site / book.slug / "score" / "index.html"))
    page.evaluate("file => localStorage.setItem('progress-workbooks/health-check', file)", json.dumps(old))
    page.reload()
    expect(page.locator("#score-app")).to_be_visible()
    item = page.locator(f"#plan_{topic.id}")
    expect(item.locator(".plan-action label")).to_have_text("Action")
    expect(item.locator(f"#plan_{topic.id}_action")).to_have_value("Ask families")
    expect(item.locator(f"#plan_{topic.id}_who")).to_have_value("Ann")
    expect(item.locator(f"#plan_{topic.id}_by")).to_have_value("2026-01-31")
    expect(item.locator(f"#plan_{topic.id}_expected-measurable-outcome")).to_have_value("")


def scoring_data(site: Path, slug: str) -> dict[str, Any]:
    """The scoring data a built scoring page embeds."""
    page = (site / slug / "score" / "index.html").read_text("utf-8")
    found = re.search(r'<script type="application/json" id="scoring-data">(.*?)</script>', page, re.S)
    assert found
    return dict(json.loads(found.group(1)))


@pytest.mark.parametrize("width", [390, 1280])
def test_the_graph_by_heading_is_a_labelled_picture_that_fits(
    width: int, site: Path, browser: Browser, tmp_path: Path
) -> None:
    """The Health Check's graph by heading: one bar per heading, a picture whose label gives every heading's
    percentage, within the page at phone width."""
    book = workbook("health-check")
    scores = pattern(book)
    for context in watched(browser.new_context(viewport={"width": width, "height": 900})):
        page = answered_page(context, site, book)
        graph = page.locator("#heading-chart [role=img]")
        expect(graph.locator(".chart-row")).to_have_count(len(book.sections))
        label = graph.get_attribute("aria-label") or ""
        for section in book.sections:
            value = percentage(section, scores)
            assert value is not None
            assert f"{section.title}, {int(value + 0.5)}%" in label
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        page.locator("#summary").screenshot(path=str(tmp_path / f"graph-{width}.png"))
