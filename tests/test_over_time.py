"""Assessments over time and the team view, on the scoring page in real Chromium opened from disk.

A new assessment offered to start from the latest one's answers; the trend of every assessment's section results
(a table and a chart); the team view of people's shared links: each person's answer by name, the spread, the
middle answer and "talk about it", exported as CSV and printed alone. The numbers are checked against
tests/oracle.py, which states the rules again in Python.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser import axe_violations, build_site, watched
from tests.conftest import PROJECTS, make_project
from tests.oracle import (
    TALK_GAP,
    in_date_order,
    middle,
    section_result,
    talk_about_it,
    tier_reached,
    total_percentage,
)
from tests.test_scoring_page import (
    DASH,
    cell_texts,
    download,
    import_files,
    open_score,
    scores_of,
    shown_mean,
    shown_percentage,
    stored,
    tick_all,
)
from workbook.model import Workbook
from workbook.readers import read_project

Scores = dict[str, int]
DATES = ["2026-03-01", "2026-01-01", "2026-06-01"]  # the second is the oldest: the trend puts it first
NAMES = ["March", "January", "June"]


# ---------- Fixtures: one browser, tiny sites built once, a fresh context per test ----------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Return the built site of a tiny project by name, building each once."""
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            folder = tmp_path_factory.mktemp(name)
            built[name] = build_site(make_project(folder, name), folder / "output")
        return built[name]

    return get


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (its own empty localStorage), checked afterwards (tests/browser.py's `watched`)."""
    yield from watched(browser.new_context(viewport={"width": 1024, "height": 900}, accept_downloads=True))


# ---------- Helpers ----------


def book_of(project: str, slug: str) -> Workbook:
    """Return a tiny project's workbook model."""
    return next(item for item in read_project(PROJECTS / project / "content").workbooks if item.slug == slug)


def answers(book: Workbook, shift: int, skip: int = 0) -> Scores:
    """Scores that differ with `shift`; with `skip`, every skip-th topic left unanswered."""
    top = len(book.levels)
    return {
        topic.id: (index * (shift + 1) + shift) % top + 1
        for index, topic in enumerate(book.topics)
        if not (skip and index % skip == skip - 1)
    }


def name_and_date(page: Page, name: str, date: str) -> None:
    """Type the assessment shown's name and date."""
    page.fill("#assessment-name", name)
    page.fill("#assessment-date", date)


def shown_result(book: Workbook, value: float | None) -> str:
    """A section's result as the page shows it."""
    return shown_percentage(value) if book.summary.name == "percentage" else shown_mean(value)


def header_levels(page: Page, table: str) -> list[str]:
    """Return what makes a table's headers more than one level (as HTML_CodeSniffer counts them: a column, other
    than the first, or a row, other than the head's, with two header cells or more), and header cells with no
    scope: with none, `scope` alone tells a screen reader each cell's headers."""
    return page.locator(table).evaluate(
        """table => {
            const found = [];
            const columns = new Map();
            Array.from(table.rows).forEach((row, index) => {
                let column = 0;
                const heads = [];
                Array.from(row.cells).forEach(cell => {
                    if (cell.tagName === 'TH') {
                        heads.push(cell);
                        if (!cell.scope) found.push('no scope: ' + cell.textContent);
                        for (let at = column; at < column + cell.colSpan; at++) columns.set(at, (columns.get(at) || 0) + 1);
                    }
                    column += cell.colSpan;
                });
                if (index > 0 && heads.length > 1) found.push('row ' + index + ' has ' + heads.length + ' headers');
            });
            columns.forEach((count, column) => { if (column > 0 && count > 1) found.push('column ' + column); });
            return found;
        }"""
    )


def choose(page: Page, select: str, name: str) -> None:
    """Choose the assessment whose option starts with `name` (its date follows), read and chosen at once."""
    value = page.locator(select).evaluate(
        "(select, name) => Array.from(select.options).find(option => option.text.startsWith(name)).value", name
    )
    page.select_option(select, value=value)


def share_link(page: Page) -> str:
    """Open the share panel and return the link made for the assessment shown."""
    page.click("#share_open")
    expect(page.locator("#share_link")).to_have_value(re.compile(r"#share=1[0-9A-Za-z_-]+$"))
    return page.input_value("#share_link")


def person(name: str, scores: Scores, plans: dict[str, Any] | None = None) -> tuple[str, bytes]:
    """A file of one assessment, as an older page exported it (bare scores: migrated on import)."""
    assessment = {
        "id": f"id-{name.lower()}",
        "name": name,
        "date": "2026-03-01",
        "people": "",
        "scores": scores,
        "plans": plans or {},
    }
    file = {"format": 1, "workbook": "tiny", "current": assessment["id"], "assessments": [assessment]}
    return f"{name}.json", json.dumps(file).encode()


# ---------- Starting from the latest answers ----------


def test_a_new_assessment_is_offered_the_latest_answers_and_leaves_them_untouched(
    site: Callable[[str], Path], context: BrowserContext
) -> None:
    """ "Start a new assessment" asks: from the latest one's answers (copied, the old one unchanged), or blank."""
    book = book_of("scale", "tiny")
    page = open_score(context, site("scale"), "tiny")
    earlier = answers(book, 1)
    plans = {book.topics[0].id: {"action": "Ask families", "who": "Sam", "by": "June"}}
    import_files(page, person("Spring", earlier, plans))
    expect(page.locator("#status")).to_contain_text("Spring")
    old = stored(page, "tiny")["assessments"][0]
    page.click("#new-assessment")
    expect(page.locator("#new_from_latest")).to_have_text("Start from the answers of “Spring (1 March 2026)”")
    assert len(stored(page, "tiny")["assessments"]) == 1  # offered, not yet made
    assert axe_violations(page, "#assessment") == []
    page.click("#new_from_latest")
    expect(page.locator("#status")).to_contain_text("from the answers of “Spring (1 March 2026)”")
    saved = stored(page, "tiny")["assessments"]
    assert len(saved) == 2
    new = saved[1]
    assert (new["scores"], new["plans"]) == (old["scores"], old["plans"])
    assert new["id"] != old["id"] and new["name"] == "Assessment 2" and new["date"] != old["date"]
    first = book.topics[0].id
    expect(page.locator(f"#topic_{first}_{earlier[first]}")).to_be_checked()  # the answers show, to change
    changed = earlier[first] % len(book.levels) + 1
    tick_all(page, {first: changed})
    saved = stored(page, "tiny")["assessments"]
    assert saved[0] == old  # the earlier one as it was
    assert scores_of(saved[1]) == earlier | {first: changed}
    choose(page, "#assessment-choice", "Spring")  # and on the page, as it was
    expect(page.locator(f"#topic_{first}_{earlier[first]}")).to_be_checked()
    choose(page, "#assessment-choice", "Assessment 2")
    page.click("#new-assessment")
    expect(page.locator("#new_from_latest")).to_contain_text("Assessment 2")  # now the latest (today)
    page.click("#new_blank")
    saved = stored(page, "tiny")["assessments"]
    assert len(saved) == 3 and saved[2]["scores"] == {} and saved[2]["plans"] == {}


# ---------- The trend ----------


@pytest.mark.parametrize(("project", "slug"), [("scale", "tiny"), ("levels", "check"), ("tiered", "tiered")])
def test_the_trend_shows_every_assessment_in_date_order(
    site: Callable[[str], Path], context: BrowserContext, project: str, slug: str
) -> None:
    """Three assessments: a column each, oldest first, each section's result as tests/oracle.py sums it; a chart."""
    book = book_of(project, slug)
    page = open_score(context, site(project), slug)
    given = [answers(book, 0), answers(book, 1, skip=3), answers(book, 2)]
    for index, scores in enumerate(given):
        if index:
            page.click("#new-assessment")
            page.click("#new_blank")
        tick_all(page, scores)
        name_and_date(page, NAMES[index], DATES[index])
    expect(page.locator("#trend_content")).to_be_empty()  # drawn only when opened
    page.click("#trend_view summary")
    order = in_date_order(DATES)
    heads = page.locator("#trend_table thead th").all_inner_texts()
    assert [re.sub(r" \(.*", "", head) for head in heads[1:]] == [f"{n + 1}. {NAMES[i]}" for n, i in enumerate(order)]
    for section in book.sections:
        expected = [shown_result(book, section_result(book, section, given[i])) for i in order]
        assert cell_texts(page, f'#trend_table tr[data-series="{section.id}"]') == expected
    rows = len(book.sections)
    if book.summary.tally:
        expected = [shown_percentage(total_percentage(book, given[i])) for i in order]
        assert cell_texts(page, '#trend_table tr[data-series="total"]') == expected
        rows += 1
    if book.tiers:
        expected = [tier_reached(book, given[i]) or "None yet" for i in order]
        assert cell_texts(page, '#trend_table tr[data-series="tier"]') == expected
        rows += 1
    assert page.locator("#trend_table tbody tr").count() == rows
    assert axe_violations(page, "#over_time") == []
    assert header_levels(page, "#trend_table") == []
    charts = page.locator("#trend_chart .trend-one")
    expect(charts).to_have_count(rows)
    for section in book.sections:
        chart = page.locator(f'#trend_chart .trend-one[data-series="{section.id}"]')
        answered = sum(section_result(book, section, given[i]) is not None for i in order)
        expect(chart.locator("circle")).to_have_count(answered)
        assert chart.locator("path").get_attribute("d").count("L") == answered - 1
        assert chart.locator("svg").bounding_box()["height"] > 40  # drawn, not collapsed
    # Compare still picks any two of them.
    page.click("#compare_view summary")
    choose(page, "#compare-then", "January")
    choose(page, "#compare-now", "June")
    expect(page.locator("#compare-table caption")).to_contain_text("Then: January")
    expect(page.locator("#compare-table caption")).to_contain_text("Now: June")
    assert header_levels(page, "#compare-table") == []


def test_the_trend_waits_for_two_assessments_and_follows_a_tick(
    site: Callable[[str], Path], context: BrowserContext
) -> None:
    """One assessment: no table, a word on what it needs; a tick in an assessment shown changes its column."""
    book = book_of("scale", "tiny")
    page = open_score(context, site("scale"), "tiny")
    tick_all(page, answers(book, 0))
    page.click("#trend_view summary")
    expect(page.locator("#trend_table")).to_have_count(0)
    expect(page.locator("#trend_content")).to_contain_text("two or more assessments")
    page.click("#new-assessment")
    page.click("#new_blank")
    section = book.sections[0]
    expect(page.locator(f'#trend_table tr[data-series="{section.id}"] td')).to_have_count(2)
    scores = {topic.id: 5 for topic in section.topics}
    tick_all(page, scores)
    assert cell_texts(page, f'#trend_table tr[data-series="{section.id}"]')[1] == shown_mean(5.0)


# ---------- The team view ----------


def team_rows(book: Workbook, people: list[Scores]) -> dict[str, list[str]]:
    """Each topic's row of the team view as tests/oracle.py states it: answers, spread, middle, talk about it."""
    label = book.levels
    rows = {}
    for topic in book.topics:
        given = [scores[topic.id] for scores in people if topic.id in scores]
        each = [label[scores[topic.id] - 1] if topic.id in scores else DASH for scores in people]
        found = middle(given)
        if found is None:
            rows[topic.id] = [*each, DASH, DASH, DASH]
            continue
        low, high = label[min(given) - 1], label[max(given) - 1]
        mid = (
            label[found[0] - 1] if found[0] == found[1] else f"between {label[found[0] - 1]} and {label[found[1] - 1]}"
        )
        rows[topic.id] = [
            *each,
            low if low == high else f"{low} to {high}",
            mid,
            "⚑ Yes" if talk_about_it(given) else DASH,
        ]
    return rows


def test_the_team_view_of_three_shared_links(
    site: Callable[[str], Path], browser: Browser, context: BrowserContext
) -> None:
    """Three people's links: each by name, the spread, the middle, "talk about it" where they differ by 2 or more;
    an even count's middle is the two middle answers; the same as CSV; printed, the team view alone."""
    book = book_of("scale", "tiny")
    people = {"Ann": answers(book, 0), "Ben": answers(book, 2, skip=4), "Cat": answers(book, 3)}
    links = []
    for name, scores in people.items():
        for own in watched(browser.new_context()):
            page = open_score(own, site("scale"), "tiny")
            tick_all(page, scores)
            page.fill("#assessment-people", name)
            links.append(share_link(page))
    lead = open_score(context, site("scale"), "tiny")
    lead.fill("#team_links", "\n".join(links))
    lead.click("#team_links_add")
    expect(lead.locator("#status")).to_contain_text("Imported 3 assessments from 3 links.")
    expect(lead.locator("#team-table caption")).to_contain_text("across 3 people")
    names = lead.locator("#team-table thead th").all_inner_texts()
    assert names == ["Topic", "Ann", "Ben", "Cat", "Spread", "Middle", "Talk about it"]
    expected = team_rows(book, list(people.values()))
    for topic in book.topics:
        assert cell_texts(lead, f'#team-table tr[data-topic="{topic.id}"]') == expected[topic.id]
    talking = lead.locator("#team-table tr[data-talk]").evaluate_all("rows => rows.map(row => row.dataset.topic)")
    gap = {topic.id for topic in book.topics if talk_about_it([s[topic.id] for s in people.values() if topic.id in s])}
    assert set(talking) == gap and gap  # the answers chosen differ by TALK_GAP somewhere
    expect(lead.locator(".team-rule")).to_contain_text(f"{TALK_GAP} levels apart or more")
    assert header_levels(lead, "#team-table") == []
    assert axe_violations(lead, "#team") == []

    # The CSV: a row per topic, a column per person, then the spread, the middle and talk about it.
    body = download(lead, "#team_csv").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0] == ["Section", "Number", "Topic", "Ann", "Ben", "Cat", "Spread", "Middle", "Talk about it"]
    assert len(table) == 1 + len(book.topics)
    for row, (section, topic) in zip(table[1:], [(s, t) for s in book.sections for t in s.topics], strict=True):
        shown = ["" if cell == DASH else cell for cell in expected[topic.id][:-1]]
        shown.append("" if expected[topic.id][-1] == DASH else "yes")
        assert row == [section.title, str(topic.number), topic.title, *shown]

    # Printed: the team view alone, every person named; not the topics, the summary or the controls.
    lead.evaluate("() => { window.print = () => {}; }")  # no dialog in a test: the page is printed to PDF below
    lead.click("#team_print")
    lead.emulate_media(media="print")
    expect(lead.locator("#team-table")).to_be_visible()
    for hidden in ("#topics", "#summary", "#plan", "#over_time", ".team-links", ".team-choice", "h1"):
        expect(lead.locator(hidden).first).to_be_hidden()
    printed = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(lead.pdf())).pages)
    assert all(name in printed for name in ("Team view", "Ann", "Ben", "Cat", book.topics[0].title.split()[0]))
    assert "Score each topic" not in printed and "Action plan" not in printed
    assert "To see how several people scored" not in printed  # nor how to gather the links
    assert "· team view" in printed and "· results" not in printed  # the foot names what is printed
    lead.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(lead.locator("#team")).to_be_hidden()  # printing the results again: no team view
    lead.emulate_media(media="screen")

    # Two people: an even count, whose middle is the two middle answers.
    lead.uncheck("#team_1")
    expect(lead.locator("#team-table caption")).to_contain_text("across 2 people")
    expected = team_rows(book, [people["Ann"], people["Cat"]])
    for topic in book.topics:
        assert cell_texts(lead, f'#team-table tr[data-topic="{topic.id}"]') == expected[topic.id]
    assert any("between" in row[-2] for row in expected.values())
