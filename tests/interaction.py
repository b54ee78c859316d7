"""How the scoring page answers a tick, measured in Chromium (its layout shift is tests/shifts.py's).

Called by the benchmark (`python -m tests.benchmark`) and by tests/test_scoring_speed.py.

- A tick is a real click (the mouse pressed and released over a statement) on the built scoring page at phone
  width. Its duration is the page's own Event Timing figure, as a browser reports interaction to next paint: from
  the press to the next paint after the handlers ran, the longest entry of the interaction. Ticks are half a second
  apart, as a quick reader's are, so that saving (once a change settles) happens between them, as it would, and any
  tick it delays is measured.

2,000 realistic assessments (every topic answered) do not fit in a browser's storage as the page saves them: each
answer keeps the words of the statement ticked, so 2,000 Health Checks are 26 M characters and 2,000 homecare
assessments 19 M, where Chromium keeps at most 5.2 M characters for a site. The only way a browser can hold them
is as an older release saved them (format 2, a bare score per topic, 1.6-3.3 M): `tick_with_stored` plants them
so when they do not fit as the current format. The page then reads them, says it cannot save them all, and must
still answer each tick at once.
"""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from tests.browser import file_url

PHONE = {"width": 390, "height": 844}
EVENT_THRESHOLD = 16  # ms: the shortest entry Event Timing reports; a faster interaction is counted as this
PAUSE = 500  # ms between ticks: a quick reader's
STORAGE_ROOM = 5_200_000  # characters Chromium keeps for a site (measured: 5.2 M fit, 6 M do not)
# Before the page's scripts: each interaction's longest Event Timing entry, by interaction.
WATCH_EVENTS = """
window.__interactions = new Map();
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.interactionId) continue;
    const seen = window.__interactions.get(entry.interactionId) || 0;
    window.__interactions.set(entry.interactionId, Math.max(seen, entry.duration));
  }
}).observe({ type: "event", durationThreshold: 16, buffered: true });
"""
AFTER_PAINT = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"


def score_page(output: Path, slug: str) -> Path:
    """The built scoring page of a workbook."""
    return output / slug / "score" / "index.html"


def scoring_data(output: Path, slug: str) -> dict[str, Any]:
    """The scoring data the build embedded in a workbook's scoring page (#scoring-data)."""
    page = score_page(output, slug)
    found = re.search(
        r'<script type="application/json" id="scoring-data">(.*?)</script>', page.read_text("utf-8"), re.S
    )
    if not found:
        raise ValueError(f"{page}: no #scoring-data in the page")
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def all_topics(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every topic of the scoring data, in the workbook's order."""
    return [topic for section in data["sections"] for topic in section["topics"]]


def planned_ticks(data: dict[str, Any], ticks: int) -> list[tuple[str, int]]:
    """`ticks` (topic id, level) pairs: topics taken a stride apart, so every section in turn, levels in turn."""
    topics = all_topics(data)
    stride = next(step for step in (7, 5, 3, 2, 1) if len(topics) % step or step == 1)  # prime to the count
    plan = []
    for index in range(ticks):
        topic = topics[index * stride % len(topics)]
        plan.append((topic["id"], index % len(topic["statements"]) + 1))
    return plan


def realistic_file(data: dict[str, Any], count: int, seed: int = 15) -> dict[str, Any]:
    """A file of `count` assessments as the page saves it (format 3): every topic answered, three plans written."""
    rng = random.Random(seed)
    topics = all_topics(data)
    assessments = []
    for number in range(1, count + 1):
        scores = {}
        for topic in topics:
            score = rng.randint(1, len(topic["statements"]))
            scores[topic["id"]] = {
                "score": score,
                "meaning": topic["meaning"],
                "statement": topic["statements"][score - 1],
            }
        plans = {
            topic["id"]: {"action": "Talk it through at the team meeting.", "who": "Ann", "by": "June"}
            for topic in rng.sample(topics, 3)
        }
        assessments.append(
            {
                "id": f"a-{number:05d}",
                "name": f"Assessment {number}",
                "date": f"{2000 + number % 25}-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
                "people": "Ann, Bob",
                "scores": scores,
                "plans": plans,
            }
        )
    current = assessments[-1]["id"] if assessments else None
    return {"format": data["format"], "workbook": data["workbook"], "current": current, "assessments": assessments}


def as_format_2(file: dict[str, Any]) -> dict[str, Any]:
    """The same assessments as format 2 saved them: a bare score per topic (the page migrates them when it loads)."""
    assessments = [
        item | {"scores": {topic: answer["score"] for topic, answer in item["scores"].items()}}
        for item in file["assessments"]
    ]
    return file | {"format": 2, "assessments": assessments}


def stored_text(data: dict[str, Any], count: int) -> tuple[str, int]:
    """What a browser holding `count` realistic assessments has saved, and its format: 3 if it fits, else 2."""
    file = realistic_file(data, count)
    text = json.dumps(file, ensure_ascii=False, separators=(",", ":"))
    if len(text) + len(storage_key(data)) <= STORAGE_ROOM:
        return text, 3
    return json.dumps(as_format_2(file), ensure_ascii=False, separators=(",", ":")), 2


def storage_key(data: dict[str, Any]) -> str:
    """Where the page saves a workbook's answers (assets/js/score-storage.js)."""
    return "progress-workbooks/" + data["workbook"]


def open_page(browser: Browser, url: str, script: str, width: int = PHONE["width"]) -> Page:
    """A new page at `width` (a phone's height) in a fresh context, `script` run before the page's own."""
    context = browser.new_context(viewport={"width": width, "height": PHONE["height"]})
    context.add_init_script(script)
    page = context.new_page()
    page.goto(url)
    return page


def wait_for_app(page: Page) -> None:
    """Wait until the scoring app has drawn and shown itself, and the browser painted it."""
    page.wait_for_selector("#score-app:not([hidden])", state="attached")
    page.evaluate(AFTER_PAINT)


def click_ticks(page: Page, plan: list[tuple[str, int]]) -> list[float]:
    """Tick each statement with the mouse, PAUSE ms apart; return each tick's duration (ms), in order."""
    for topic, level in plan:
        box = page.locator(f"#topic_{topic}_{level}")
        box.scroll_into_view_if_needed()
        page.wait_for_timeout(PAUSE)
        where = box.bounding_box()
        if where is None:
            raise ValueError(f"#topic_{topic}_{level} is not on the page")
        # The mouse itself, not locator.click(): its checks would add Playwright's own listeners to the tick.
        page.mouse.click(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
        page.evaluate(AFTER_PAINT)
    return interaction_durations(page, len(plan))


def interaction_durations(page: Page, expected: int, timeout: float = 10) -> list[float]:
    """Each interaction's longest Event Timing entry (ms), in order; one too fast to be reported counts as 16 ms."""
    deadline = time.monotonic() + timeout
    while True:
        found: list[float] = page.evaluate(
            "() => Array.from(window.__interactions).sort((a, b) => a[0] - b[0]).map((item) => item[1])"
        )
        count: int = page.evaluate("() => performance.interactionCount")
        if count != expected:
            raise RuntimeError(f"{count} interactions in the page, {expected} ticks made")
        if len(found) >= count or time.monotonic() > deadline:
            return found + [float(EVENT_THRESHOLD)] * (count - len(found))
        page.wait_for_timeout(100)


def tick_timings(browser: Browser, output: Path, slug: str, slowdown: float = 4, ticks: int = 30) -> list[float]:
    """Tick `ticks` statements across a workbook's topics on its scoring page, at phone width with the CPU
    `slowdown` times slower; return each tick's interaction duration (ms)."""
    page = open_page(browser, file_url(score_page(output, slug)), WATCH_EVENTS)
    try:
        wait_for_app(page)
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
        return click_ticks(page, planned_ticks(scoring_data(output, slug), ticks))
    finally:
        page.context.close()


def tick_with_stored(
    browser: Browser, output: Path, slug: str, assessments: int = 2000, ticks: int = 10
) -> list[float]:
    """Tick `ticks` statements at phone width, no slowdown, with `assessments` realistic assessments saved in this
    browser before the page loads (see the module's note on how); return each tick's duration (ms)."""
    data = scoring_data(output, slug)
    text, _ = stored_text(data, assessments)
    page = open_page(browser, file_url(score_page(output, slug)), WATCH_EVENTS)
    try:
        page.evaluate(
            "([key, text]) => { localStorage.clear(); localStorage.setItem(key, text); }", [storage_key(data), text]
        )
        page.reload()
        wait_for_app(page)
        shown = page.locator("#assessment-choice option").count()
        if shown != assessments:
            raise RuntimeError(f"the page shows {shown} assessments, {assessments} were saved")
        return click_ticks(page, planned_ticks(data, ticks))
    finally:
        page.context.close()
