"""The scoring page in real Chromium, opened from disk: scoring, rules, storage, export, import, access.

The rules are checked against tests/oracle.py, which states them again in Python. One browser for
the module; each test gets a fresh context (its own empty localStorage).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.browser import axe_violations, build_site, file_url, watched
from tests.conftest import PROJECTS, REPO, make_project
from tests.oracle import (
    blocking_topics,
    counts,
    default_priorities,
    mean,
    percentage,
    tier_reached,
    total_percentage,
    work_towards,
)
from workbook.markup import plain
from workbook.model import Project, Topic, Workbook
from workbook.readers import read_project
from workbook.scoring import FORMAT, PRIORITIES, scoring_data

REAL_SLUGS = sorted(path.name for path in (REPO / "content").iterdir() if (path / "workbook.yaml").is_file())
Scores = dict[str, int]
DUPLICATE_IDS = "() => { const ids = Array.from(document.querySelectorAll('[id]'), node => node.id); return ids.filter((id, index) => ids.indexOf(id) !== index); }"
DASH = "\u2013"  # how the page shows "nothing answered"


# ---------- Fixtures: one browser, sites built once, a fresh context per test ----------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Return the built site of a project ('real', or a tiny one's name), building each once."""
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            folder = tmp_path_factory.mktemp(name)
            root = REPO if name == "real" else make_project(folder, name)
            built[name] = build_site(root, folder / "output")
        return built[name]

    return get


@pytest.fixture(scope="module")
def projects() -> Callable[[str], Project]:
    """Return a project's model ('real', or a tiny one's name), reading each once."""
    read: dict[str, Project] = {}

    def get(name: str) -> Project:
        if name not in read:
            read[name] = read_project(REPO / "content" if name == "real" else PROJECTS / name / "content")
        return read[name]

    return get


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (its own empty localStorage), checked afterwards (see `watched`)."""
    yield from watched(browser.new_context(viewport={"width": 1024, "height": 900}, accept_downloads=True))


def open_score(context: BrowserContext, site: Path, slug: str) -> Page:
    """Open a workbook's scoring page from disk, once its script has drawn it."""
    page = context.new_page()
    page.goto(file_url(site / slug / "score" / "index.html"))
    expect(page.locator("#score-app")).to_be_visible()
    return page


# ---------- Small helpers ----------


def workbook(project: Project, slug: str) -> Workbook:
    """Return a project's workbook by slug."""
    return next(item for item in project.workbooks if item.slug == slug)


def tick(page: Page, topic: str, score: int | None) -> None:
    """Tick a topic's statement (None: "Not assessed yet")."""
    page.locator(f"#topic_{topic}_{'none' if score is None else score}").check()


def tick_all(page: Page, scores: Mapping[str, int | None]) -> None:
    """Tick many topics."""
    for topic, score in scores.items():
        tick(page, topic, score)


def storage_key(slug: str) -> str:
    """The localStorage key of a workbook's answers (the same for every format: the format is in the JSON)."""
    return f"progress-workbooks/{slug}"


STORAGE_SEEN = "() => { try { return JSON.stringify(Object.entries(localStorage).sort()); } catch { return null; } }"


def save_now(page: Page) -> None:
    """Have every window of the page's browser save what waits to be saved, as when it is left (the page saves a
    change once it settles, and at once on `pagehide`), and wait until every window sees what was saved: windows
    write to the storage over separate channels, so a change made in another one at once could otherwise arrive
    first and be overwritten."""
    windows = [each for each in page.context.pages if each.url.startswith("file:")]
    for each in windows:
        each.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    deadline = time.monotonic() + 5
    while len({each.evaluate(STORAGE_SEEN) for each in windows} - {None}) > 1 and time.monotonic() < deadline:
        page.wait_for_timeout(20)


def all_stored(page: Page) -> dict[str, str]:
    """Every localStorage entry of the page's origin, as raw text, once every window saved what it has."""
    save_now(page)
    entries: dict[str, str] = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
    return entries


def seen_text(locator: Locator) -> str:
    """An element's text as the reader sees it, scrolled to: the summary and the plan are laid out only near the
    screen (content-visibility: auto), and a browser gives no innerText for what it has not laid out."""
    locator.scroll_into_view_if_needed()
    locator.page.wait_for_function(
        "node => node.checkVisibility({ contentVisibilityAuto: true })", arg=locator.element_handle()
    )
    return locator.inner_text()


def stored(page: Page, slug: str) -> Any:
    """Return what the page saved in localStorage for a workbook, parsed, once every window saved what it has."""
    save_now(page)
    text = page.evaluate("key => localStorage.getItem(key)", storage_key(slug))
    return None if text is None else json.loads(text)


def scores_of(assessment: Mapping[str, Any]) -> Scores:
    """An assessment's saved scores, without what each answered (format 3 saves {score, meaning, statement})."""
    return {topic: answer["score"] for topic, answer in assessment["scores"].items()}


def current_scores(page: Page, slug: str) -> Scores:
    """Return the current assessment's saved scores."""
    state = stored(page, slug)
    return scores_of(next(item for item in state["assessments"] if item["id"] == state["current"]))


def topic_data(project: Path, slug: str) -> dict[str, Any]:
    """Each topic's data as a workbook's scoring page gets it (statements, meaning), by id, from a project's content."""
    book = workbook(read_project(project), slug)
    return {topic["id"]: topic for section in scoring_data(book)["sections"] for topic in section["topics"]}


def answer_to(topic: Mapping[str, Any], score: int) -> dict[str, Any]:
    """What the page saves for a tick: the score, the topic's meaning, the statement's words."""
    return {"score": score, "meaning": topic["meaning"], "statement": topic["statements"][score - 1]}


def as_format_3(file: Mapping[str, Any], topics: Mapping[str, Any]) -> dict[str, Any]:
    """A format 1 or 2 file as the page migrates it: each score an answer to today's statements; a score for a
    topic the content no longer has, or above its levels, an answer with no meaning (kept, asked about)."""
    copy: dict[str, Any] = json.loads(json.dumps(file)) | {"format": FORMAT}
    for assessment in copy["assessments"]:
        assessment["scores"] = {
            topic: answer_to(topics[topic], score)
            if topic in topics and score <= len(topics[topic]["statements"])
            else {"score": score, "meaning": "", "statement": ""}
            for topic, score in assessment["scores"].items()
        }
    return copy


def cell_texts(page: Page, selector: str) -> list[str]:
    """Return the visible text of a row's data cells, with visually hidden helper text left out."""
    return page.locator(selector).evaluate(
        """row => Array.from(row.querySelectorAll('td')).map(cell => {
            const copy = cell.cloneNode(true);
            copy.querySelectorAll('.visually-hidden').forEach(node => node.remove());
            return copy.textContent.trim();
        })"""
    )


def words(text: str) -> str:
    """Normalise text for comparison: list markers dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"(?m)^\s*[-*]\s+", "", text)).strip()


def shown_mean(value: float | None) -> str:
    """A mean as the page shows it: one decimal place, halves rounded up; a dash when none."""
    return DASH if value is None else f"{math.floor(value * 10 + 0.5) / 10:.1f}"


def shown_percentage(value: float | None) -> str:
    """A percentage as the page shows it: a whole number, halves rounded up; a dash when none."""
    return DASH if value is None else f"{math.floor(value + 0.5)}%"


def pattern(book: Workbook, skip: int = 0) -> dict[str, int | None]:
    """Scores using every level in turn; with `skip`, every skip-th topic is left not assessed."""
    top = len(book.levels)
    return {
        topic.id: None if skip and index % skip == skip - 1 else (index * 2 + index // top) % top + 1
        for index, topic in enumerate(book.topics)
    }


def answered(scores: Mapping[str, int | None]) -> Scores:
    """Drop the topics left not assessed."""
    return {topic: score for topic, score in scores.items() if score is not None}


def choose(page: Page, select: str, name: str) -> None:
    """Choose the assessment whose name starts an option of a select (dates vary)."""
    texts = page.locator(f"{select} option").all_inner_texts()
    values = page.locator(f"{select} option").evaluate_all("options => options.map(option => option.value)")
    page.select_option(
        select, value=next(value for text, value in zip(texts, values, strict=True) if text.startswith(name))
    )


def download(page: Page, button: str) -> bytes:
    """Click an export button and return the downloaded file's bytes."""
    with page.expect_download() as info:
        page.click(button)
    return Path(info.value.path()).read_bytes()


def import_files(page: Page, *files: tuple[str, bytes]) -> None:
    """Choose files in the page's import field, as a user would."""
    page.set_input_files(
        "#import-files", files=[{"name": name, "mimeType": "application/json", "buffer": body} for name, body in files]
    )


def check_summary(page: Page, book: Workbook, scores: Scores) -> None:
    """Check the summary table, chart, tiers and action plan against tests/oracle.py."""
    expect(page.locator("#progress")).to_have_text(f"{len(scores)} of {len(book.topics)} topics answered.")
    for section in book.sections:
        found = counts(section, scores)
        number = sum(found)
        levels = [str(count) for count in found] if number else [DASH] * len(found)
        result = (
            shown_percentage(percentage(section, scores))
            if book.summary.name == "percentage"
            else shown_mean(mean(section, scores))
        )
        expected = [*levels, f"{number} of {len(section.topics)}", result]
        assert cell_texts(page, f'#summary-table tr[data-section="{section.id}"]') == expected, section.id
    if book.summary.name == "percentage":
        totals = [sum(counts(section, scores)[level] for section in book.sections) for level in range(len(book.levels))]
        assert cell_texts(page, '#summary-table tr[data-section="total"]') == [
            *(str(count) if sum(totals) else DASH for count in totals),
            f"{sum(totals)} of {len(book.topics)}",
            shown_percentage(total_percentage(book, scores)),
        ]
        assert scoring_data(book)["summary"]["formula"] in seen_text(page.locator("#formula"))
    for topic in book.topics:
        row = page.locator(f'.chart-row[data-topic="{topic.id}"]')
        expect(row).to_have_class(
            re.compile("unanswered") if topic.id not in scores else re.compile(r"^(?!.*unanswered)")
        )
        value = seen_text(page.locator(f'.chart-row[data-topic="{topic.id}"] .chart-value'))
        assert value.startswith("Not answered" if topic.id not in scores else book.levels[scores[topic.id] - 1])
    if book.tiers:
        check_tiers(page, book, scores)
    check_plan(page, book, scores)


def check_tiers(page: Page, book: Workbook, scores: Scores) -> None:
    """The tier reached and the topics blocking the next one, as tests/oracle.py says."""
    reached = tier_reached(book, scores)
    tier_text = page.locator("#tier-reached").inner_text()
    assert tier_text == (f"You have reached {reached}." if reached else "You have not reached a tier yet.")
    following = book.tiers[book.tiers.index(reached) + 1 :] if reached else book.tiers
    if following:
        blocking = [topic.id for topic in blocking_topics(book, following[0], scores)]
        expect(page.locator("#next-tier-title")).to_have_text(f"To reach {following[0]}")
        assert page.locator("#blocking li").evaluate_all("items => items.map(item => item.dataset.topic)") == blocking
    else:
        expect(page.locator("#blocking")).to_have_count(0)


def below(topic: Topic, scores: Scores) -> bool:
    """Whether a topic is below its threshold (a topic not answered is below any threshold)."""
    return topic.threshold is not None and scores.get(topic.id, 0) < topic.threshold


def check_plan(page: Page, book: Workbook, scores: Scores) -> None:
    """The action plan: the priorities first (by default: below the threshold, then the lowest scores), then the
    other topics, then those at the top level; each with its next statement."""
    order = page.locator("#plan-content .plan-item").evaluate_all("items => items.map(item => item.dataset.topic)")
    chosen = default_priorities(book, scores, PRIORITIES)
    top = [topic for topic in book.topics if scores.get(topic.id, 0) >= len(topic.statements)]
    expected = [topic.id for topic in chosen]
    expected += [topic.id for topic in book.topics if topic not in chosen and topic not in top]
    expected += [topic.id for topic in top]
    assert order == expected
    page.evaluate("() => document.querySelectorAll('#plan-content details').forEach(fold => (fold.open = true))")
    texts = [seen_text(item) for item in page.locator("#plan-content .work-towards-text").all()]
    by_id = dict(zip(order, texts, strict=True))
    for topic in book.topics:
        assert words(by_id[topic.id]) == words(work_towards(topic, scores.get(topic.id))), topic.id


# ---------- Every workbook: the form, and the summary against the Python rules ----------


@pytest.mark.parametrize("slug", REAL_SLUGS)
def test_ticking_every_topic_of_a_real_workbook_gives_the_python_summary(
    slug: str, site: Callable[[str], Path], projects: Callable[[str], Project], context: BrowserContext
) -> None:
    """Every topic is a fieldset of radios, nothing ticked; the summary follows tests/oracle.py."""
    book = workbook(projects("real"), slug)
    page = open_score(context, site("real"), slug)
    assert json.loads(page.locator("#scoring-data").text_content() or "") == scoring_data(book)
    fieldsets = page.locator("fieldset.topic-choice")
    expect(fieldsets).to_have_count(len(book.topics))
    for topic in book.topics[:3] + book.topics[-2:]:
        fieldset = page.locator(f"#topic-{topic.id}")
        expect(fieldset.locator("legend")).to_have_text(f"{topic.number}. {plain(topic.title)}")
        expect(fieldset.locator("input[type=radio]")).to_have_count(len(book.levels) + 1)
        expect(fieldset.get_by_label("Not assessed yet")).to_be_visible()
        labels = fieldset.locator(".statement").all_inner_texts()
        assert [words(text) for text in labels] == [words(plain(text)) for text in topic.statements]
    assert page.locator("fieldset.topic-choice input:checked").count() == 0
    check_summary(page, book, {})

    ticks = pattern(book)
    tick_all(page, ticks)
    assert current_scores(page, slug) == answered(ticks)
    check_summary(page, book, answered(ticks))
    assert page.evaluate(DUPLICATE_IDS) == []

    # "Not assessed yet" takes a score away: it is shown as unanswered, never as zero.
    cleared = {topic.id: None for index, topic in enumerate(book.topics) if index % 4 == 1}
    tick_all(page, cleared)
    remaining = answered(ticks | cleared)
    assert current_scores(page, slug) == remaining
    check_summary(page, book, remaining)


def test_a_section_with_nothing_answered_shows_dashes_not_zeros(
    site: Callable[[str], Path], projects: Callable[[str], Project], context: BrowserContext
) -> None:
    """Unanswered is a dash and 'n of m answered'; the chart draws it apart."""
    book = workbook(projects("scale"), "tiny")
    page = open_score(context, site("scale"), "tiny")
    tick_all(page, {"dignity": 4, "history": 1})
    assert cell_texts(page, '#summary-table tr[data-section="the-team"]') == [DASH] * 5 + ["0 of 1", DASH]
    assert cell_texts(page, '#summary-table tr[data-section="the-person"]') == [
        "1",
        "0",
        "0",
        "1",
        "0",
        "2 of 2",
        "2.5",
    ]
    expect(page.locator('.chart-row[data-topic="meetings"] .chart-value')).to_have_text("Not answered")
    expect(page.locator('.chart-row[data-topic="meetings"] .bar-unanswered')).to_have_count(1)
    expect(page.locator('.chart-row[data-topic="dignity"] .chart-value')).to_have_text("4 of 5")
    check_summary(page, book, {"dignity": 4, "history": 1})


# ---------- Tiers ----------

TIER_CASES = [
    # (scores, tier reached, topics blocking the next tier) in the tiny tiered workbook:
    # Bronze: basics must achieve 3, profile must achieve 5; Silver: risk must achieve 4.
    ({}, None, ["basics", "profile"]),
    ({"basics": 2, "profile": 5}, None, ["basics"]),
    ({"basics": 3, "profile": 4}, None, ["profile"]),
    ({"basics": 3, "profile": 5}, "Bronze", ["risk"]),
    ({"basics": 3, "profile": 5, "risk": 3}, "Bronze", ["risk"]),
    ({"basics": 3, "profile": 5, "risk": 4}, "Silver", []),
    ({"basics": 5, "profile": 5, "risk": 5}, "Silver", []),
    ({"basics": 2, "profile": 5, "risk": 5}, None, ["basics"]),
]


def test_tiers_at_the_edges_of_each_threshold(
    site: Callable[[str], Path], projects: Callable[[str], Project], context: BrowserContext
) -> None:
    """A tier is reached when its topics and every lower tier's meet their thresholds, not one below."""
    book = workbook(projects("tiered"), "tiered")
    page = open_score(context, site("tiered"), "tiered")
    for scores, reached, blocking in TIER_CASES:
        tick_all(page, {"basics": None, "profile": None, "risk": None} | scores)
        assert tier_reached(book, scores) == reached
        check_tiers(page, book, scores)
        check_plan(page, book, scores)
        if reached != "Silver":
            found = page.locator("#blocking li").evaluate_all("items => items.map(item => item.dataset.topic)")
            assert found == blocking
    # At the top: nothing blocks, and a lower tier not reached is said so for the higher one.
    tick_all(page, {"basics": 2, "profile": 5, "risk": 5})
    expect(page.locator('.tier-list li[data-tier="Silver"]')).to_contain_text("a lower tier is not reached yet")
    expect(page.locator('#blocking li[data-topic="basics"]')).to_contain_text("must achieve 3 or above; now 2.")


def test_real_wigan_tiers(
    site: Callable[[str], Path], projects: Callable[[str], Project], context: BrowserContext
) -> None:
    """On the real Wigan workbook: one Silver topic a level short holds the tier at Bronze."""
    book = workbook(projects("real"), "wigan")
    page = open_score(context, site("real"), "wigan")
    at_threshold = {topic.id: topic.threshold or len(book.levels) for topic in book.topics}
    short = next(topic for section in book.sections if section.tier == book.tiers[1] for topic in section.topics)
    scores = at_threshold | {short.id: (short.threshold or 1) - 1}
    tick_all(page, scores)
    assert tier_reached(book, scores) == book.tiers[0]
    check_tiers(page, book, scores)
    expect(page.locator("#blocking li")).to_have_count(1)
    tick(page, short.id, short.threshold)
    check_tiers(page, book, at_threshold)
    expect(page.locator("#tier-reached")).to_have_text(f"You have reached {book.tiers[-1]}.")
    check_plan(page, book, at_threshold)


# ---------- The Health Check's percentages ----------


def test_health_check_percentages_by_hand(site: Callable[[str], Path], context: BrowserContext) -> None:
    """The tiny three-level workbook: tallies, totals and percentages worked out by hand."""
    page = open_score(context, site("levels"), "check")
    # Leadership: Aiming High twice = 6 of 6 points; Home: Getting Started = 1 of 3; Money: none.
    tick_all(page, {"leadership-1": 3, "leadership-2": 3, "home-1": 1})
    assert cell_texts(page, '#summary-table tr[data-section="leadership"]') == ["0", "0", "2", "2 of 2", "100%"]
    assert cell_texts(page, '#summary-table tr[data-section="home"]') == ["1", "0", "0", "1 of 1", "33%"]
    assert cell_texts(page, '#summary-table tr[data-section="money"]') == [DASH, DASH, DASH, "0 of 1", DASH]
    # Total: 7 points of 9 = 77.8%.
    assert cell_texts(page, '#summary-table tr[data-section="total"]') == ["1", "0", "2", "3 of 4", "78%"]
    expect(page.locator("#formula")).to_contain_text("Percentage = points scored ÷ (points for the top level")
    expect(page.locator('.chart-row[data-topic="home-1"] .chart-value')).to_have_text("Getting Started")
    expect(page.locator("#topic_home-1_1 + label")).to_contain_text("Getting Started")
    expect(page.locator("#topic_home-1_1 + label")).to_contain_text("A tenancy.")


def test_real_health_check_percentages(
    site: Callable[[str], Path], projects: Callable[[str], Project], context: BrowserContext
) -> None:
    """The real Health Check: every heading's tally and percentage, and the total, as in Python."""
    book = workbook(projects("real"), "health-check")
    page = open_score(context, site("real"), "health-check")
    ticks = answered(pattern(book, skip=5))
    tick_all(page, ticks)
    check_summary(page, book, ticks)
    expect(page.locator("#summary-table tfoot th")).to_have_text("Total")


# ---------- Saved as you go; several assessments ----------


def test_reload_keeps_everything(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Scores, plans, names, dates, people and which assessment is shown all survive a reload."""
    page = open_score(context, site("scale"), "tiny")
    assert stored(page, "tiny") is None
    expect(page.locator("#assessment-panel")).to_contain_text("Nothing is saved yet")
    tick_all(page, {"dignity": 2, "meetings": 5})
    page.fill("#assessment-name", "Spring 2025")
    page.fill("#assessment-date", "2025-03-31")
    page.fill("#assessment-people", "Ann, Bob")
    page.fill("#plan_dignity_action", "Write one-page profiles")
    page.fill("#plan_dignity_who", "Ann")
    page.fill("#plan_dignity_by", "June")
    page.click("#new-assessment")
    page.click("#new_blank")  # the offer to start from the latest answers, declined
    expect(page.locator("#assessment-name")).to_be_focused()
    page.fill("#assessment-name", "Summer 2025")
    tick(page, "history", 3)
    page.select_option("#assessment-choice", label="Spring 2025 (31 March 2025)")
    before = stored(page, "tiny")
    assert list(before) == ["format", "workbook", "current", "assessments"]
    assert (before["format"], before["workbook"]) == (FORMAT, "tiny")
    assert [item["name"] for item in before["assessments"]] == ["Spring 2025", "Summer 2025"]
    assert before["current"] == before["assessments"][0]["id"]
    assert scores_of(before["assessments"][0]) == {"dignity": 2, "meetings": 5}
    assert before["assessments"][0]["scores"]["dignity"] == answer_to(
        topic_data(PROJECTS / "scale" / "content", "tiny")["dignity"], 2
    )
    assert before["assessments"][0]["plans"] == {
        "dignity": {"action": "Write one-page profiles", "who": "Ann", "by": "June"}
    }

    page.reload()
    expect(page.locator("#score-app")).to_be_visible()
    assert stored(page, "tiny") == before
    expect(page.locator("#assessment-name")).to_have_value("Spring 2025")
    expect(page.locator("#assessment-date")).to_have_value("2025-03-31")
    expect(page.locator("#assessment-people")).to_have_value("Ann, Bob")
    expect(page.locator("#topic_dignity_2")).to_be_checked()
    expect(page.locator("#topic_meetings_5")).to_be_checked()
    assert page.locator("#topic-history input:checked").count() == 0
    expect(page.locator("#plan_dignity_action")).to_have_value("Write one-page profiles")
    expect(page.locator("#plan_dignity_by")).to_have_value("June")
    choose(page, "#assessment-choice", "Summer 2025")
    expect(page.locator("#topic_history_3")).to_be_checked()
    assert page.locator("#topic-dignity input:checked").count() == 0


def test_another_window_sees_the_changes(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Two windows on the same workbook: a change in one shows in the other, so neither undoes it."""
    first = open_score(context, site("scale"), "tiny")
    second = open_score(context, site("scale"), "tiny")
    tick(first, "history", 4)
    expect(second.locator("#topic_history_4")).to_be_checked()
    expect(second.locator("#status")).to_contain_text("Updated with changes made in another window.")
    tick(second, "meetings", 2)
    assert current_scores(first, "tiny") == {"history": 4, "meetings": 2}
    expect(first.locator('.chart-row[data-topic="meetings"] .chart-value')).to_have_text("2 of 5")


def test_add_rename_and_delete_with_confirmation(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Deleting asks first; "No" keeps the assessment, "Yes" removes it and says so."""
    page = open_score(context, site("scale"), "tiny")
    page.locator("#assessment-name").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("First look")  # naming it before any answer saves it too; the caret stays put
    expect(page.locator("#assessment-name")).to_be_focused()
    expect(page.locator("#assessment-choice option")).to_have_text([re.compile("^First look")])
    tick(page, "dignity", 1)
    page.click("#new-assessment")
    page.click("#new_blank")  # the offer to start from the latest answers, declined
    page.fill("#assessment-name", "Second look")
    expect(page.locator("#assessment-choice option")).to_have_text(
        [re.compile("^First look"), re.compile("^Second look")]
    )
    page.click("#delete-assessment")
    expect(page.locator("#confirm-delete-text")).to_be_focused()
    expect(page.locator("#confirm-delete-text")).to_contain_text("Delete “Second look”?")
    page.click("#confirm-delete-no")
    assert len(stored(page, "tiny")["assessments"]) == 2
    page.click("#delete-assessment")
    page.click("#confirm-delete-yes")
    expect(page.locator("#status")).to_contain_text("Deleted “Second look")
    state = stored(page, "tiny")
    assert [item["name"] for item in state["assessments"]] == ["First look"]
    assert state["current"] == state["assessments"][0]["id"]
    expect(page.locator("#topic_dignity_1")).to_be_checked()


def test_compare_two_assessments(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Per topic then and now: up, down, same, newly answered."""
    page = open_score(context, site("scale"), "tiny")
    tick_all(page, {"dignity": 2, "history": 4})
    page.click("#new-assessment")
    page.click("#new_blank")  # the offer to start from the latest answers, declined
    tick_all(page, {"dignity": 4, "history": 3, "meetings": 1})
    expect(page.locator("#compare-content")).to_be_empty()  # drawn only when opened
    page.click("#compare_view summary")
    expect(page.locator("#compare-counts")).to_have_text(
        "Up in 1 topic, down in 1, the same in 0, newly answered in 1."
    )
    changes = page.locator("#compare-table tr[data-topic]").evaluate_all("rows => rows.map(row => row.dataset.change)")
    assert changes == ["up", "down", "new"]
    assert cell_texts(page, '#compare-table tr[data-topic="dignity"]') == ["2", "4", "▲ Up 2"]
    assert cell_texts(page, '#compare-table tr[data-topic="history"]') == ["4", "3", "▼ Down 1"]
    assert cell_texts(page, '#compare-table tr[data-topic="meetings"]') == [DASH, "1", "+ Newly answered"]
    # Swap them round: then becomes now.
    choose(page, "#compare-then", "Assessment 2")
    page.focus("#compare-now")
    choose(page, "#compare-now", "Assessment 1")
    expect(page.locator("#compare-now")).to_be_focused()  # the redrawn view keeps the focus
    assert cell_texts(page, '#compare-table tr[data-topic="meetings"]') == ["1", DASH, "No longer answered"]
    tick(page, "history", 4)
    assert cell_texts(page, '#compare-table tr[data-topic="history"]') == ["4", "4", "= Same"]


# ---------- Export and import ----------


def test_export_then_import_gives_the_same_state(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Exported JSON imports back to exactly the state it came from, topics no longer in the content kept."""
    page = open_score(context, site("scale"), "tiny")
    tick_all(page, {"dignity": 5, "history": 2})
    page.fill("#plan_history_action", 'Use a history map, "as agreed"')
    page.click("#new-assessment")
    page.click("#new_blank")  # the offer to start from the latest answers, declined
    tick(page, "meetings", 3)
    # An answer for a topic the content no longer has arrives by import, and is kept.
    state = stored(page, "tiny")
    state["assessments"][1]["scores"]["retired-topic"] = {
        "score": 4,
        "meaning": "0123456789abcdef",
        "statement": "Gone",
    }
    import_files(page, ("with-retired.json", json.dumps(state).encode()))
    expect(page.locator("#status")).to_contain_text("Imported 2 assessments from 1 file (2 replaced")
    original = stored(page, "tiny")
    assert original == state

    exported = json.loads(download(page, "#export-json"))
    assert exported == original

    # Into the same browser after changes: the imported assessments replace theirs.
    tick(page, "meetings", 1)
    page.fill("#assessment-name", "Renamed")
    import_files(page, ("export.json", json.dumps(exported).encode()))
    expect(page.locator("#status")).to_contain_text("Imported 2 assessments")
    assert stored(page, "tiny") == original

    # Into a browser with nothing saved: the same state, shown as it was.
    page.evaluate("() => localStorage.clear()")
    page.reload()
    expect(page.locator("#assessment-panel")).to_contain_text("Nothing is saved yet")
    import_files(page, ("export.json", json.dumps(exported).encode()))
    expect(page.locator("#status")).to_contain_text("Imported 2 assessments from 1 file.")
    assert stored(page, "tiny") == original
    expect(page.locator("#topic_meetings_3")).to_be_checked()
    page.reload()
    assert stored(page, "tiny") == original


def test_csv_export(site: Callable[[str], Path], context: BrowserContext) -> None:
    """One row per topic, UTF-8 with a BOM, cells that Excel could read as formulas made safe.

    Each of the six starts a spreadsheet may read as a formula (=, +, -, @, tab, carriage return)
    is prefixed with ', and only at the start of a cell.
    """
    page = open_score(context, site("scale"), "tiny")
    tick_all(page, {"dignity": 3, "history": 5})
    page.fill("#assessment-name", '=HYPERLINK("http://example.com")')
    page.fill("#assessment-date", "2025-01-15")
    page.fill("#plan_dignity_action", '+1 more profile, then "review"\nnext line')
    page.fill("#plan_dignity_who", "@manager")
    page.fill("#plan_dignity_by", "-3 weeks")
    page.fill("#plan_meetings_action", "\tindented")
    # A carriage return cannot be typed into a field (the browser makes it a line end); it can be imported.
    first = stored(page, "tiny")
    returned = {
        "id": "with-return",
        "name": "\r=1+1",
        "date": "2025-02-01",
        "people": "",
        "scores": {"history": 1},
        "plans": {"meetings": {"action": "\rcmd|' /C calc'!A0", "who": "Ann-Marie = lead", "by": "\t@noon"}},
    }
    file = first | {"format": 2, "current": "with-return", "assessments": [returned]}  # format 2: a bare score
    import_files(page, ("return.json", json.dumps(file).encode()))
    expect(page.locator("#status")).to_contain_text("Imported 1 assessment")
    body = download(page, "#export-csv")
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "Assessment", "Date", "Who took part", "Workbook", "Section", "Topic", "Title", "Score", "Work towards",
        "Action", "Who", "By when", "Priority", "Plan (the workbook\u2019s other questions)",
    ]  # fmt: skip
    assert len(rows) == 1 + 3 * 2
    name = '\'=HYPERLINK("http://example.com")'
    assert rows[1] == [
        name, "2025-01-15", "", "Tiny", "The person", "1", "We treat the person with dignity", "3",
        "Most people have a one-page profile.", "'+1 more profile, then \"review\"\nnext line", "'@manager", "'-3 weeks",
        "Yes", "",
    ]  # fmt: skip
    assert rows[2][5:] == ["2", "We know the person\u2019s history", "5", "Keep doing this", "", "", "", "", ""]
    assert rows[3][5:] == ["3", "Meetings are productive", "", "M1", "'\tindented", "", "", "", ""]
    assert rows[4][:3] == ["'\r=1+1", "2025-02-01", ""]
    assert rows[6][9:12] == ["'\rcmd|' /C calc'!A0", "Ann-Marie = lead", "'\t@noon"]


BAD_IMPORTS = {
    "broken JSON": (b'{"format": 1, "workbook": "tiny", "assessments": [', "not valid JSON"),
    "another workbook": (
        b'{"format": 1, "workbook": "wigan", "current": null, "assessments": []}',
        "for another workbook",
    ),
    "a future format": (
        b'{"format": %d, "workbook": "tiny", "assessments": []}' % (FORMAT + 1),
        "newer version of this page",
    ),
    "a score of zero": (
        b'{"format": 1, "workbook": "tiny", "assessments": [{"id": "x", "name": "X", "date": "", "people": "",'
        b' "scores": {"dignity": 0}, "plans": {}}]}',
        'assessment 1 (“X”) has a score for topic "dignity" that is not one:'
        " a score must be a whole number from 1 to 5; found 0",
    ),
    "a __proto__ key": (
        b'{"format": 1, "workbook": "tiny", "assessments": [{"id": "x", "name": "X", "date": "", "people": "",'
        b' "scores": {"__proto__": {"polluted": true}}, "plans": {}}]}',
        "__proto__, constructor or prototype",
    ),
    "a constructor key": (
        b'{"format": 1, "workbook": "tiny", "constructor": {"prototype": {"polluted": true}}, "assessments": []}',
        "__proto__, constructor or prototype",
    ),
    "a name that is not text": (
        b'{"format": 1, "workbook": "tiny", "assessments": [{"id": "x", "name": 7, "date": "", "people": "",'
        b' "scores": {}, "plans": {}}]}',
        "name that is not text",
    ),
    "a plan field that is not text": (
        b'{"format": 1, "workbook": "tiny", "assessments": [{"id": "x", "name": "X", "date": "", "people": "",'
        b' "scores": {}, "plans": {"dignity": {"who": ["Ann"]}}}]}',
        "not text",
    ),
    "not an assessments file": (b"[1, 2, 3]", "not a file of assessments"),
}


def test_bad_imports_change_nothing(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Each kind of bad file is refused with a message, and nothing changes, even beside a good file."""
    page = open_score(context, site("scale"), "tiny")
    tick_all(page, {"dignity": 2, "meetings": 4})
    page.fill("#plan_dignity_who", "Ann")
    before = stored(page, "tiny")
    good = json.dumps(
        before | {"current": "other", "assessments": [before["assessments"][0] | {"id": "other"}]}
    ).encode()
    for kind, (body, message) in BAD_IMPORTS.items():
        for files in ([("bad.json", body)], [("good.json", good), ("bad.json", body)]):
            page.evaluate("() => { document.getElementById('status').textContent = ''; }")
            import_files(page, *files)
            status = page.locator("#status")
            expect(status).to_contain_text("Nothing was imported: “bad.json” was refused because", timeout=3000)
            assert message in status.inner_text(), kind
            expect(status).to_contain_text("Your assessments are unchanged.")
            assert stored(page, "tiny") == before, kind
            expect(page.locator("#topic_dignity_2")).to_be_checked()
            expect(page.locator("#plan_dignity_who")).to_have_value("Ann")
    assert page.evaluate("() => ({}).polluted === undefined && Object.prototype.polluted === undefined")


def with_second(assessment: bytes, file_format: int = FORMAT) -> bytes:
    """A file of two assessments, written as bytes (so a number such as 1e400 stays as written): a good one, then `assessment`."""
    good = b'{"id": "g", "name": "Good", "date": "2024-02-29", "people": "", "scores": {}, "plans": {}}'
    return b'{"format": %d, "workbook": "tiny", "current": "g", "assessments": [%s, %s]}' % (
        file_format,
        good,
        assessment,
    )


def spring(date: bytes = b"2026-03-01", scores: bytes = b"{}") -> bytes:
    """The second assessment of `with_second`: "Spring review", with a date and scores as written."""
    return b'{"id": "s", "name": "Spring review", "date": "%s", "people": "", "scores": %s, "plans": {}}' % (
        date,
        scores,
    )


NOT_A_DAY = "assessment 2 (“Spring review”) has the date {}, which is not a day in the calendar (expected YYYY-MM-DD)"
NOT_A_SCORE = (
    'assessment 2 (“Spring review”) has a score for topic "dignity" that is not one:'
    " a score must be a whole number from 1 to 5; found {}"
)
IMPOSSIBLE = {
    "30 February": (with_second(spring(b"2026-02-30")), NOT_A_DAY.format("2026-02-30")),
    "29 February, not in a leap year": (with_second(spring(b"2026-02-29")), NOT_A_DAY.format("2026-02-29")),
    "a 13th month": (with_second(spring(b"2026-13-01")), NOT_A_DAY.format("2026-13-01")),
    "day 0 of month 0 of year 0": (with_second(spring(b"0000-00-00")), NOT_A_DAY.format("0000-00-00")),
    "a score too large for JavaScript (Infinity)": (
        with_second(spring(scores=b'{"dignity": {"score": 1e400, "meaning": "d8fc4916dcb6f48c", "statement": "X"}}')),
        NOT_A_SCORE.format("1e400"),
    ),
    "a score of 3.5": (with_second(spring(scores=b'{"dignity": 3.5}'), 2), NOT_A_SCORE.format("3.5")),
    'a score of "3", as text': (with_second(spring(scores=b'{"dignity": "3"}'), 2), NOT_A_SCORE.format('"3"')),
    "a bare score of 1e400 (format 2)": (
        with_second(spring(scores=b'{"dignity": 1e400}'), 2),
        NOT_A_SCORE.format("1e400"),
    ),
}


@pytest.mark.parametrize("kind", IMPOSSIBLE)
def test_impossible_dates_and_scores_are_refused_naming_the_assessment(
    kind: str, site: Callable[[str], Path], context: BrowserContext
) -> None:
    """A day not in the calendar, or a score that is not a whole number, is refused in words naming the assessment
    and showing the value as the file wrote it; nothing changes. A 29 February in a leap year imports."""
    page = open_score(context, site("scale"), "tiny")
    tick(page, "dignity", 2)
    page.fill("#plan_dignity_who", "Ann")
    before = all_stored(page)
    body, message = IMPOSSIBLE[kind]
    import_files(page, ("spring.json", body))
    expect(page.locator("#status")).to_have_text(
        f"Nothing was imported: “spring.json” was refused because {message}. Your assessments are unchanged."
    )
    assert all_stored(page) == before
    expect(page.locator("#assessment-choice option")).to_have_count(1)
    expect(page.locator("#topic_dignity_2")).to_be_checked()
    expect(page.locator("#plan_dignity_who")).to_have_value("Ann")
    # The same file with a real day and a whole score imports.
    import_files(page, ("spring.json", with_second(spring(b"2026-03-01", b'{"dignity": 3}'), 2)))
    expect(page.locator("#status")).to_contain_text("Imported 2 assessments")
    expect(page.locator("#assessment-choice option")).to_have_count(3)


def test_importing_several_files_gives_the_team_view(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Three managers' files imported at once: per topic, how many chose each level, and the spread."""
    page = open_score(context, site("scale"), "tiny")

    def person(name: str, scores: Scores) -> tuple[str, bytes]:
        assessment = {
            "id": f"id-{name}",
            "name": name,
            "date": "2025-04-01",
            "people": name,
            "scores": scores,
            "plans": {},
        }
        file = {"format": 1, "workbook": "tiny", "current": assessment["id"], "assessments": [assessment]}
        return f"{name}.json", json.dumps(file).encode()

    import_files(
        page,
        person("ann", {"dignity": 1, "history": 3}),
        person("bob", {"dignity": 4, "history": 3}),
        person("cy", {"dignity": 2}),
    )
    expect(page.locator("#status")).to_contain_text("Imported 3 assessments from 3 files")
    expect(page.locator("#team-table caption")).to_contain_text("across 3 people")
    assert page.locator("#team-table thead th").all_inner_texts()[1:4] == ["ann", "bob", "cy"]
    assert cell_texts(page, '#team-table tr[data-topic="dignity"]') == ["1", "4", "2", "1 to 4", "2", "⚑ Yes"]
    assert cell_texts(page, '#team-table tr[data-topic="history"]') == ["3", "3", DASH, "3", "3", DASH]
    assert cell_texts(page, '#team-table tr[data-topic="meetings"]') == [DASH] * 6
    page.uncheck("#team_1")
    expect(page.locator("#team-table caption")).to_contain_text("across 2 people")
    assert cell_texts(page, '#team-table tr[data-topic="dignity"]') == ["1", "2", "1 to 2", "between 1 and 2", DASH]


# ---------- When storage fails ----------

QUOTA_FULL = """
Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
};
"""
STORAGE_BLOCKED = """
Object.defineProperty(window, 'localStorage', {
  get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); },
});
"""


@pytest.mark.parametrize(
    ("script", "message"), [(QUOTA_FULL, "storage is full"), (STORAGE_BLOCKED, "turned off or blocked")]
)
def test_storage_full_or_blocked_is_said_and_export_offered(
    script: str, message: str, site: Callable[[str], Path], context: BrowserContext
) -> None:
    """The page says answers are not saved, in an announced message, and offers export."""
    context.add_init_script(script)
    page = open_score(context, site("scale"), "tiny")
    tick(page, "dignity", 3)
    problem = page.locator("#storage-problem")
    expect(problem).to_be_visible()
    expect(problem).to_have_attribute("aria-live", "polite")
    expect(problem).to_contain_text("Your answers are not being saved.")
    expect(problem).to_contain_text(message)
    exported = json.loads(download(page, "#storage-problem button"))
    assert scores_of(exported["assessments"][0]) == {"dignity": 3}


@pytest.mark.parametrize("key", ["progress-workbooks/tiny", "progress-workbooks/v1/tiny"])
def test_saved_answers_from_a_newer_format_are_left_alone(
    key: str, site: Callable[[str], Path], context: BrowserContext
) -> None:
    """Answers saved by a newer version are neither read wrongly, nor moved, nor overwritten, and the page says so."""
    future = json.dumps({"format": FORMAT + 1, "workbook": "tiny", "assessments": [], "extra": "kept"})
    context.add_init_script(
        f"if (location.protocol === 'file:') localStorage.setItem({json.dumps(key)}, {json.dumps(future)});"
    )
    page = open_score(context, site("scale"), "tiny")
    expect(page.locator("#storage-problem")).to_contain_text("newer version")
    expect(page.locator("#storage-problem")).to_contain_text("will not be saved over them")
    tick(page, "dignity", 3)
    page.fill("#plan_dignity_who", "Ann")
    storage = all_stored(page)
    assert storage == {key: future}


# ---------- Accessibility ----------


def test_axe_finds_no_violations(site: Callable[[str], Path], context: BrowserContext) -> None:
    """axe-core: the fresh page, the page with answers, the compare and team views, a confirmation."""
    fresh = open_score(context, site("scale"), "tiny")
    assert axe_violations(fresh) == []

    page = open_score(context, site("real"), "wigan")
    page.locator("fieldset.topic-choice input[type=radio]").first.check()
    page.locator("#plan-content textarea").first.fill("A first step")
    page.click("#new-assessment")
    page.click("#new_blank")  # the offer to start from the latest answers, declined
    page.locator("fieldset.topic-choice").nth(1).locator("input[type=radio]").nth(2).check()
    page.click("#compare_view summary")
    page.click("#team_view summary")
    expect(page.locator("#compare-table")).to_be_visible()
    expect(page.locator("#team-table")).to_be_visible()
    assert axe_violations(page) == []
    page.click("#delete-assessment")
    assert axe_violations(page, "#assessment") == []

    levels = open_score(context, site("real"), "health-check")
    levels.locator("fieldset.topic-choice input[type=radio]").nth(1).check()
    assert axe_violations(levels) == []


def test_keyboard_only_scoring(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Tab to a topic, Space ticks, the arrow keys move the tick, Tab goes on to the next topic."""
    page = open_score(context, site("scale"), "tiny")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.name") == "topic_dignity":
            break
    else:
        pytest.fail("Tab never reached the first topic")
    expect(page.locator("#topic_dignity_1")).to_be_focused()
    shadow = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
    assert "255, 191, 71" in shadow  # the focus colour is visible around the radio
    page.keyboard.press("Space")
    expect(page.locator("#topic_dignity_1")).to_be_checked()
    assert current_scores(page, "tiny") == {"dignity": 1}
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#topic_dignity_3")).to_be_checked()
    assert current_scores(page, "tiny") == {"dignity": 3}
    expect(page.locator('.chart-row[data-topic="dignity"] .chart-value')).to_have_text("3 of 5")
    page.keyboard.press("Tab")
    expect(page.locator("#topic_history_1")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#topic_dignity_3")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#topic_dignity_2")).to_be_checked()
    assert current_scores(page, "tiny") == {"dignity": 2}


def test_targets_are_large_and_the_page_fits_320_pixels(site: Callable[[str], Path], context: BrowserContext) -> None:
    """Radios 32 px, every control at least 24 px; nothing wider than a 320 px screen."""
    page = open_score(context, site("real"), "health-check")
    page.set_viewport_size({"width": 320, "height": 800})
    page.locator("fieldset.topic-choice input[type=radio]").first.check()
    page.click("#new-assessment")
    page.click("#new_blank")  # the offer to start from the latest answers, declined
    radio = page.locator("fieldset.topic-choice input[type=radio]").first.bounding_box()
    assert radio and radio["width"] >= 32 and radio["height"] >= 32
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll('#score-app button, #score-app input, #score-app select'))
            .map(node => node.getBoundingClientRect())
            .filter(box => box.width > 0 && (box.width < 24 || box.height < 24)).length"""
    )
    assert small == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320


def test_print_shows_results_without_controls(site: Callable[[str], Path], context: BrowserContext) -> None:
    """On paper: the summary, chart and action plan with what was written; no form, no buttons."""
    page = open_score(context, site("scale"), "tiny")
    tick(page, "dignity", 2)
    page.fill("#plan_dignity_who", "Ann")
    page.emulate_media(media="print")
    for shown in ("#summary-table", "#chart", "#plan-content"):
        expect(page.locator(shown)).to_be_visible()
    for hidden in ("#score-form", "#assessment", "#compare", "#export", "#plan_dignity_who", ".button"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("#plan_dignity .plan-who .print-value")).to_have_text("Ann")


# ---------- Statements keep their words (issue 12) ----------

WRITTEN = "Rated 4* and 5* by e_learning, see [the guide](https://example.org)."
AS_READ = "Rated 4* and 5* by e_learning, see the guide."


def test_statements_keep_their_words_on_the_page_and_in_the_csv(tmp_path: Path, context: BrowserContext) -> None:
    """A statement with stars, an underscore and a link is shown, saved and exported as a reader reads it: every
    character kept, the link's text rather than its Markdown; a literal star starting a line is not a bullet."""
    root = make_project(tmp_path, "scale")
    sections = root / "content" / "tiny" / "sections" / "the-person.yaml"
    text = sections.read_text("utf-8")
    text = text.replace(
        "      - >-\n        Most people have a one-page profile.\n", f"      - {json.dumps(WRITTEN)}\n"
    )
    text = text.replace('["A", "B", "C", "D", "E"]', '["A", "B", "\\\\* Five stars, not a list", "D", "E"]')
    sections.write_text(text, "utf-8")
    page = open_score(context, build_site(root, tmp_path / "output"), "tiny")
    expect(page.locator("#topic_dignity_4 + label .statement")).to_have_text(AS_READ)
    expect(page.locator("#topic_history_3 + label .statement")).to_have_text("* Five stars, not a list")
    expect(page.locator("#topic_history_3 + label .bullet")).to_have_count(0)
    tick(page, "dignity", 3)
    expect(page.locator("#plan_dignity .work-towards-text")).to_have_text(AS_READ)
    rows = list(csv.reader(io.StringIO(download(page, "#export-csv").decode("utf-8-sig"), newline="")))
    assert rows[1][5:9] == ["1", "We treat the person with dignity", "3", AS_READ]
    tick(page, "dignity", 4)
    assert stored(page, "tiny")["assessments"][0]["scores"]["dignity"]["statement"] == AS_READ
