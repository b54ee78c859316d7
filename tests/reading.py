"""Read synthetic scans of ticked booklets through the real scoring page in Chromium, and count what it got right.

Used by tests/test_paper_reader.py and by the benchmark (`python -m tests.benchmark`). Each picture is given to
the page's reader on its own, as a user would choose it (#paper_files), and the levels the page then offers for
checking are compared with what was drawn (tests/scans.py's truth): a topic with one clear mark must be read at
its level, and every other (blank, two marks, a box crossed out) must be flagged, never given a level.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from tests.browser import file_url

ReadLevels = dict[str, int | None]  # what the page offers for each topic: its level, or None (flagged)


@dataclass
class Tally:
    """What the reader made of a set of pictures."""

    marked: int = 0  # topics with one clear mark
    right: int = 0  # ... read at that level
    flagged: int = 0  # ... flagged for the user instead (not wrong, but work for them)
    wrong: int = 0  # topics given a level they were not marked with (a mark misread, or an unclear one guessed)
    unclear: int = 0  # topics with no mark, two marks or a crossing-out
    unclear_flagged: int = 0  # ... flagged, as they must be
    unread: list[str] = field(default_factory=list)  # pictures the page could not read, with its reason
    mistakes: list[str] = field(default_factory=list)  # what was wrong, to show
    seconds: list[float] = field(default_factory=list)  # per picture, from choosing it to the levels shown

    @property
    def right_share(self) -> float:
        """The share of clearly marked topics read right."""
        return self.right / self.marked if self.marked else 1.0

    @property
    def seconds_per_page(self) -> float:
        """The mean time to read a picture."""
        return sum(self.seconds) / len(self.seconds) if self.seconds else 0.0

    def summary(self) -> str:
        """One line: topics read right, read wrong, flagged; time per page."""
        return (
            f"{self.right} of {self.marked} marked topics read right ({100 * self.right_share:.1f}%), "
            f"{self.wrong} read wrong, {self.flagged} flagged; {self.unclear_flagged} of {self.unclear} unclear "
            f"topics flagged; {len(self.unread)} of {len(self.seconds)} pictures unread; "
            f"{self.seconds_per_page:.2f} s a page (max {max(self.seconds, default=0):.2f} s)"
        )

    def add(self, case: dict[str, Any], levels: ReadLevels) -> None:
        """Count one picture's topics: what it says was marked against what the page offers."""
        for topic, expect in case["expect"].items():
            got = levels.get(topic)
            where = f"{case['image']}: {topic}"
            if expect is None:
                self.unclear += 1
                self.unclear_flagged += got is None
                if got is not None:
                    self.wrong += 1
                    self.mistakes.append(f"{where} is unclear ({case['topics'][topic]}) but was read as {got}")
            else:
                self.marked += 1
                if got == expect:
                    self.right += 1
                elif got is None:
                    self.flagged += 1
                    self.mistakes.append(f"{where} marked {expect} was flagged")
                else:
                    self.wrong += 1
                    self.mistakes.append(f"{where} marked {expect} was read as {got}")


def open_reader(page: Page, output: Path, slug: str) -> None:
    """Open a workbook's scoring page from disk and its reader of ticked booklets."""
    page.goto(file_url(output / slug / "score" / "index.html"))
    page.click("#paper_open")
    page.wait_for_selector("#paper_files")


def offered_levels(page: Page) -> ReadLevels:
    """The level the page offers for each topic it read (None: flagged for the user, no level)."""
    found: ReadLevels = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.paper-topic')).map((item) => {
            const checked = item.querySelector('input[type=radio]:checked');
            const topic = item.querySelector('input[type=radio]').name.slice('paper_'.length);
            return [topic, checked && checked.value !== '0' ? Number(checked.value) : null];
        }))"""
    )
    return found


def read_picture(page: Page, picture: Path) -> tuple[ReadLevels, list[str], float]:
    """Give the reader one picture; return the levels offered, the problems said, and the seconds it took."""
    page.evaluate("() => document.querySelectorAll('.paper-topic, .paper-problems').forEach((node) => node.remove())")
    started = time.perf_counter()
    page.set_input_files("#paper_files", str(picture))
    page.wait_for_selector(".paper-topic, .paper-problems", timeout=60_000)
    seconds = time.perf_counter() - started
    problems = page.locator(".paper-problems li").all_inner_texts()
    return offered_levels(page), problems, seconds


def read_set(browser: Browser, output: Path, folder: Path, cases: Iterable[dict[str, Any]]) -> Tally:
    """Read each picture of a set through its workbook's scoring page, one at a time; tally the outcome."""
    tally = Tally()
    context = browser.new_context()
    page = context.new_page()
    try:
        opened = ""
        for case in sorted(cases, key=lambda case: case["workbook"]):
            if case["workbook"] != opened:
                open_reader(page, output, case["workbook"])
                opened = case["workbook"]
            else:
                page.click("#paper_close")
                page.click("#paper_open")
                page.wait_for_selector("#paper_files")
            levels, problems, seconds = read_picture(page, folder / case["image"])
            tally.seconds.append(seconds)
            tally.unread += problems
            tally.add(case, levels)
    finally:
        context.close()
    return tally
