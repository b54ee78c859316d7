"""The scoring page answers a tick at once and keeps still (issue 15), as facts a user would notice, not timings.

A tick draws again only what follows from its topic; the compare and team views hold nothing until opened; saving
waits until a burst of changes settles, then writes once, and nothing is lost when the page is left at once; the
app appears without moving what is on the screen. Timings are the benchmark's (tests/interaction.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import build_site, file_url, watched
from tests.conftest import REPO, make_project
from tests.interaction import (
    AFTER_PAINT,
    all_topics,
    realistic_file,
    score_page,
    scoring_data,
    storage_key,
)
from tests.shifts import layout_shift, served

SETTLED = 1000  # ms: well after a change settles (300 ms) and what is drawn after a paint is drawn
# Before the page's scripts: every change to the app's elements, described by where it happened.
WATCH_MUTATIONS = """
window.__mutations = [];
document.addEventListener("DOMContentLoaded", () => {
  const where = (node) => {
    const parts = [];
    for (let at = node; at && at.nodeType === 1 && at.id !== "score-app"; at = at.parentElement) {
      const mark = at.id ? "#" + at.id : at.dataset.section ? "[section=" + at.dataset.section + "]"
        : at.dataset.topic ? "[topic=" + at.dataset.topic + "]" : "";
      if (mark) parts.push(mark);
    }
    return parts.reverse().join(" ");
  };
  const name = (node) => node.nodeType !== 1 ? "#text" : node.id ? "#" + node.id
    : node.dataset.section ? "[section=" + node.dataset.section + "]"
    : node.dataset.topic ? "[topic=" + node.dataset.topic + "]" : node.tagName.toLowerCase();
  new MutationObserver((records) => {
    for (const record of records) {
      window.__mutations.push({
        where: where(record.target),
        added: Array.from(record.addedNodes, name),
        removed: Array.from(record.removedNodes, name),
      });
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
});
"""
# Before the page's scripts: count what is written to the storage, and how long each text is.
WATCH_WRITES = """
window.__writes = [];
const write = Storage.prototype.setItem;
Storage.prototype.setItem = function (key, text) {
  window.__writes.push({ key: String(key), length: String(text).length });
  return write.call(this, key, text);
};
"""


# ---------- Fixtures: one browser and the sites built once; a fresh context per test ----------


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real workbooks' site (pages only), built once."""
    return build_site(REPO, tmp_path_factory.mktemp("real") / "output")


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny 1-5 workbook's site ('tiny': topics dignity, history, meetings), built once."""
    folder = tmp_path_factory.mktemp("scale")
    return build_site(make_project(folder, "scale"), folder / "output")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context at phone size (its own empty localStorage), checked afterwards (see `watched`)."""
    yield from watched(browser.new_context(viewport={"width": 390, "height": 844}))


def open_score(context: BrowserContext, site: Path, slug: str) -> Page:
    """Open a workbook's scoring page from disk, once its script has drawn it and the browser painted it."""
    page = context.new_page()
    page.goto(file_url(score_page(site, slug)))
    expect(page.locator("#score-app")).to_be_visible()
    page.evaluate(AFTER_PAINT)
    return page


def tick(page: Page, topic: str, level: int) -> None:
    """Tick a topic's statement as a user does."""
    page.locator(f"#topic_{topic}_{level}").check()


def settle(page: Page) -> None:
    """Wait until the page has saved what waited and drawn what it draws after a paint."""
    page.wait_for_timeout(SETTLED)
    page.evaluate(AFTER_PAINT)


def mutations_of(page: Page, act: Any) -> list[dict[str, Any]]:
    """What `act()` changed in the page, once settled: each change's place, nodes added and nodes removed."""
    page.evaluate("() => { window.__mutations = []; }")
    act()
    settle(page)
    changes: list[dict[str, Any]] = page.evaluate("() => window.__mutations")
    return changes


def saved(page: Page, slug: str) -> dict[str, Any]:
    """What the page has saved for a workbook (without having it save anything first)."""
    text = page.evaluate("key => localStorage.getItem(key)", f"progress-workbooks/{slug}")
    assert text is not None, "nothing saved"
    file: dict[str, Any] = json.loads(text)
    return file


def results(page: Page) -> dict[str, str]:
    """The results as drawn: the summary, the tiers and the plan (their HTML)."""
    drawn: dict[str, str] = page.evaluate(
        """() => Object.fromEntries(['summary-content', 'tiers-content', 'plan-content'].map((id) => {
            const box = document.getElementById(id);
            return [id, box ? box.innerHTML : ''];
        }))"""
    )
    return drawn


# ---------- A tick draws again only what follows from its topic ----------


def touched(changes: list[dict[str, Any]]) -> set[str]:
    """The elements that changes added or removed, named by id or data attribute (else by their nearest such
    ancestor): the elements a user sees drawn again."""
    return {
        node if node.startswith(("#", "[")) else change["where"].rsplit(" ", 1)[-1]
        for change in changes
        for node in change["added"] + change["removed"]
    }


def test_a_tick_draws_again_its_own_section_row_bar_and_plan_entry_and_nothing_else(
    real_site: Path, context: BrowserContext
) -> None:
    """Health Check, ten headings of features: a tick draws again the progress line, its heading's row of the
    summary, of the graph by heading and the total, its bar and its plan entry (a dozen nodes); no other heading's
    row, bar or plan entry, no form, no list of assessments. (A tick that changes the priorities draws the plan.)"""
    context.add_init_script(WATCH_MUTATIONS)
    page = open_score(context, real_site, "health-check")
    data = scoring_data(real_site, "health-check")
    tick(page, data["sections"][0]["topics"][0]["id"], 1)  # the first tick saves the draft: its panel follows
    for first in all_topics(data)[1 : data["priorities"]]:  # the plan's priorities by default: the lowest scores
        tick(page, first["id"], 1)
    settle(page)
    section = data["sections"][4]
    topic = section["topics"][1]["id"]
    changes = mutations_of(page, lambda: tick(page, topic, 2))
    assert touched(changes) == {
        "#progress",
        f"[section={section['id']}]",
        "[section=total]",
        f"[topic={topic}]",  # its bar
        f"#plan_{topic}",  # what its plan entry says of the score (the fields typed in stay)
    }, changes
    assert all(not change["where"].startswith(("#topics", "#assessment", "#export")) for change in changes)
    assert sum(len(change["added"]) + len(change["removed"]) for change in changes) <= 14, changes  # 2: the graph's row


def test_ticks_that_cross_thresholds_and_tiers_draw_what_a_fresh_page_draws(
    real_site: Path, context: BrowserContext
) -> None:
    """Wigan, tiers and thresholds: after ticks that reach a tier, fall below a threshold, clear an answer and move
    plan entries between "below" and "met", the summary, tiers and plan are exactly what the page draws anew."""
    page = open_score(context, real_site, "wigan")
    data = scoring_data(real_site, "wigan")
    topics = all_topics(data)
    bronze = [topic for topic in topics if topic["threshold"] is not None][:10]
    for topic in bronze:
        tick(page, topic["id"], topic["threshold"])  # every Bronze topic at its threshold: Bronze reached
    expect(page.locator("#tier-reached")).to_contain_text("You have reached")
    tick(page, bronze[0]["id"], bronze[0]["threshold"] - 1)  # one falls below: moved to "below", tier lost
    page.locator(f"#topic_{bronze[1]['id']}_none").check()  # one cleared
    tick(page, topics[-1]["id"], 5)
    settle(page)
    drawn = results(page)
    assert 'id="plan-priorities"' in drawn["plan-content"]
    page.reload()
    expect(page.locator("#score-app")).to_be_visible()
    assert results(page) == drawn


# ---------- The compare and team views hold nothing until opened ----------


VIEWS = [("compare", "#compare-content"), ("team", "#team-content"), ("trend", "#trend_content")]  # each, its box


def test_the_compare_team_and_trend_views_hold_no_table_until_opened(tiny_site: Path, context: BrowserContext) -> None:
    """Two assessments saved: the views are closed and empty; opened, each draws its table; closed, empty again."""
    page = open_score(context, tiny_site, "tiny")
    tick(page, "dignity", 2)
    page.click("#new-assessment")
    page.click("#new_blank")  # the offer to start from the latest answers, declined
    tick(page, "dignity", 4)
    for view, content in VIEWS:
        expect(page.locator(f"#{view}_view")).not_to_have_attribute("open", "")
        expect(page.locator(content)).to_be_empty()
    expect(page.locator("table")).to_have_count(1)  # the summary's alone
    page.click("#compare_view summary")
    expect(page.locator('#compare-table tr[data-topic="dignity"]')).to_contain_text("Up 2")
    page.click("#team_view summary")
    expect(page.locator("#team-table caption")).to_contain_text("across 2 people")
    page.click("#trend_view summary")
    expect(page.locator('#trend_table tr[data-series="the-person"] td').nth(1)).to_have_text("4.0")
    tick(page, "history", 3)  # a tick redraws the open views' rows
    expect(page.locator('#compare-table tr[data-topic="history"]')).to_contain_text("Newly answered")
    expect(page.locator('#team-table tr[data-topic="history"] td').nth(1)).to_have_text("3")
    expect(page.locator('#trend_table tr[data-series="the-person"] td').nth(1)).to_have_text("3.5")
    for view, content in VIEWS:
        page.click(f"#{view}_view summary")
        expect(page.locator(content)).to_be_empty()
    expect(page.locator("table")).to_have_count(1)


# ---------- Saving: once a change settles, nothing lost when the page is left ----------


def plant(page: Page, site: Path, file: dict[str, Any]) -> None:
    """Save a file of assessments in the page's browser, then load the page over it."""
    data = scoring_data(site, file["workbook"])
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [storage_key(data), json.dumps(file)])
    page.reload()
    expect(page.locator("#score-app")).to_be_visible()


def test_with_2000_assessments_saved_a_burst_of_ticks_is_saved_once_after_it_settles(
    tiny_site: Path, context: BrowserContext
) -> None:
    """2,000 assessments saved: ticking five topics writes nothing while the ticks come, then once, every
    assessment with every tick; saving never makes a tick wait for all 2,000 to be written."""
    context.add_init_script(WATCH_WRITES)
    page = open_score(context, tiny_site, "tiny")
    file = realistic_file(scoring_data(tiny_site, "tiny"), 2000)
    plant(page, tiny_site, file)
    expect(page.locator("#assessment-choice option")).to_have_count(2000)
    page.evaluate("() => { window.__writes = []; }")
    for topic, level in [("dignity", 1), ("history", 2), ("meetings", 3), ("dignity", 4), ("history", 5)]:
        tick(page, topic, level)
        assert page.evaluate("() => window.__writes.length") == 0  # the tick answered; nothing written yet
    settle(page)
    assert page.evaluate("() => window.__writes.map((write) => write.key)") == ["progress-workbooks/tiny"]
    after = saved(page, "tiny")
    assert len(after["assessments"]) == 2000
    shown = next(item for item in after["assessments"] if item["id"] == after["current"])
    assert {topic: answer["score"] for topic, answer in shown["scores"].items()} == {
        "dignity": 4,
        "history": 5,
        "meetings": 3,
    }
    assert after["assessments"][:-1] == file["assessments"][:-1]  # the others as they were, to the letter


@pytest.mark.parametrize("leave", ["close", "navigate"])
def test_nothing_is_lost_when_the_page_is_left_at_once(leave: str, tiny_site: Path, context: BrowserContext) -> None:
    """Tick and type, then close the tab or go to another page before the change settles: all of it is saved."""
    page = open_score(context, tiny_site, "tiny")
    tick(page, "dignity", 3)
    page.fill("#plan_dignity_who", "Ann")
    tick(page, "history", 1)
    if leave == "close":
        page.close()
    else:
        page.goto(file_url(tiny_site / "index.html"))
    again = open_score(context, tiny_site, "tiny")
    expect(again.locator("#topic_dignity_3")).to_be_checked()
    expect(again.locator("#topic_history_1")).to_be_checked()
    expect(again.locator("#plan_dignity_who")).to_have_value("Ann")


# ---------- The app appears without moving what is on the screen ----------


@pytest.mark.parametrize("slug", ["health-check", "homecare", "wigan"])
def test_the_scoring_app_appears_without_moving_the_page(slug: str, real_site: Path, browser: Browser) -> None:
    """At 390 px, loading the page, the web font arriving half a second late and the app drawing itself shift the
    layout by at most 0.05 in all."""
    with served(real_site) as base:
        url = base + score_page(real_site, slug).relative_to(real_site).as_posix()
        assert layout_shift(browser, url, 390, font_delay_ms=500) <= 0.05


def test_opened_by_a_shared_link_the_app_and_its_offer_appear_together(
    tiny_site: Path, context: BrowserContext, browser: Browser
) -> None:
    """The offer of a shared link is read a moment after the app is drawn; the app waits for it, so the notice
    above does not push the app down as it appears."""
    page = open_score(context, tiny_site, "tiny")
    tick(page, "dignity", 3)
    page.click("#share_open")
    expect(page.locator("#share_link")).to_have_value(re.compile(r"#share="))
    shared = page.locator("#share_link").input_value().split("#", 1)[1]
    with served(tiny_site) as base:
        url = base + score_page(tiny_site, "tiny").relative_to(tiny_site).as_posix() + "#" + shared
        assert layout_shift(browser, url, 390, font_delay_ms=500) <= 0.05
