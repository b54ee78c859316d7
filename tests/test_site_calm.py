"""A calmer site for families: short section pages on a phone, real headings, a description and an icon per page.

The real project's pages are built once (no booklets) and read as a browser and a screen reader would:
a section page's height at 390 px, every page's heading outline, its description and its icon.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import build_site, file_url
from tests.conftest import REPO, real_project

PHONE = {"width": 390, "height": 844}  # an iPhone 12-14's screen, in CSS pixels
MOST_SCREENS = 22  # a section page's height on that phone, in screens: about two a topic


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's pages, built once for this module."""
    return build_site(REPO, tmp_path_factory.mktemp("calm") / "output")


def pages(site: Path) -> Iterator[Path]:
    """Every HTML page of the built site."""
    return iter(sorted(site.rglob("*.html")))


def section_pages() -> list[str]:
    """Every section page of every workbook, as a path under the output folder."""
    return [
        f"{workbook.slug}/sections/{section.id}.html"
        for workbook in real_project().workbooks
        for section in workbook.sections
    ]


@pytest.mark.parametrize("path", section_pages())
def test_a_section_page_is_a_few_screens_on_a_phone(site: Path, browser: Browser, path: str) -> None:
    """A family member scrolls a section on a phone in at most 22 screens: the framework mappings fold away."""
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(file_url(site / path))
        screens = page.evaluate("document.body.scrollHeight") / PHONE["height"]
        folded = page.locator("details.topic-maps:not([open])").count()
        mapped = page.locator("details.topic-maps").count()
    finally:
        page.close()
    assert screens <= MOST_SCREENS, f"{path} is {screens:.1f} screens tall at 390 px (at most {MOST_SCREENS})"
    assert folded == mapped


def test_a_topic_says_what_it_maps_to_and_lists_it_on_demand(site: Path, browser: Browser) -> None:
    """The folded mappings name their count and frameworks; opened, they list every item, each a link."""
    workbook = next(wb for wb in real_project().workbooks if wb.slug == "homecare")
    section = workbook.sections[0]
    topic = next(topic for topic in section.topics if workbook.items_by_topic[topic.id])
    items = workbook.items_by_topic[topic.id]
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(file_url(site / f"homecare/sections/{section.id}.html"))
        mappings = page.locator(f"#{topic.id} details.topic-maps")
        summary = mappings.locator("summary").inner_text()
        hidden = mappings.locator("li").first.is_visible()
        mappings.locator("summary").click()
        links = mappings.locator("li a").count()
        shown = mappings.locator("li").first.is_visible()
    finally:
        page.close()
    assert summary.startswith(f"Maps to {len(items)} items in ")
    assert all(framework.title in summary for framework, _ in items)
    assert (hidden, shown, links) == (False, True, len(items))
