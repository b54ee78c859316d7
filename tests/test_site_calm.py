"""A calmer site for families: short section pages on a phone, real headings, a description and an icon per page.

The real project's pages are built once (no booklets) and read as a browser and a screen reader would:
a section page's height at 390 px, every page's heading outline, its description and its icon.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import build_site, file_url
from tests.conftest import REPO, real_project
from workbook.markup import plain

PHONE = {"width": 390, "height": 844}  # an iPhone 12-14's screen, in CSS pixels
MOST_SCREENS = 22  # a section page's height on that phone, in screens: about two a topic


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's pages, built once for this module."""
    return build_site(REPO, tmp_path_factory.mktemp("calm") / "output")


def pages(site: Path) -> Iterator[Path]:
    """Every HTML page of the built site."""
    return iter(sorted(site.rglob("*.html")))


class Outline(HTMLParser):
    """A page as a screen reader lists it: its headings' levels, its paragraphs set wholly in bold, its head."""

    BOLD = ("strong", "b")

    def __init__(self, page: Path) -> None:
        super().__init__()
        self.head: list[dict[str, str]] = []  # the <meta> and <link> elements, each its attributes
        self.levels: list[int] = []
        self.bold_paragraphs: list[str] = []
        self.paragraph: list[tuple[str, bool]] | None = None  # its text, each run marked bold or not
        self.depth = 0  # how many <strong>/<b> are open
        self.feed(page.read_text("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note a heading's level, a paragraph's start and bold's start."""
        if tag in ("meta", "link"):
            self.head.append({name: value or "" for name, value in attrs} | {"tag": tag})
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.levels.append(int(tag[1]))
        elif tag == "p":
            self.paragraph = []
        elif tag in self.BOLD:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        """Note bold's end, and a paragraph whose every word was bold."""
        if tag in self.BOLD:
            self.depth -= 1
        elif tag == "p" and self.paragraph is not None:
            runs = [(text, bold) for text, bold in self.paragraph if text.strip()]
            if runs and all(bold for _, bold in runs):
                self.bold_paragraphs.append("".join(text for text, _ in runs))
            self.paragraph = None

    def handle_data(self, data: str) -> None:
        """Keep a paragraph's text, marked bold or not."""
        if self.paragraph is not None:
            self.paragraph.append((data, self.depth > 0))


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


def test_no_page_has_a_paragraph_in_bold_standing_for_a_heading(site: Path) -> None:
    """A screen reader's user jumps from heading to heading: "What it does" is a heading, not a bold paragraph."""
    found = {str(page.relative_to(site)): Outline(page).bold_paragraphs for page in pages(site)}
    assert {page: texts for page, texts in found.items() if texts} == {}


def test_every_page_s_headings_nest_from_one_h1(site: Path) -> None:
    """Every page starts at one h1 and never skips a level going down (an h2's parts are h3s, not h4s)."""
    skipped = {}
    for page in pages(site):
        levels = Outline(page).levels
        jumps = [(higher, lower) for higher, lower in pairwise(levels) if lower > higher + 1]
        if levels[:1] != [1] or levels.count(1) != 1 or jumps:
            skipped[str(page.relative_to(site))] = levels
    assert skipped == {}


def test_the_tools_glossary_heads_each_part_of_a_tool(site: Path) -> None:
    """On the tools page, "What it does" and how the tool helps are headings under the tool's own heading."""
    outline = (site / "tools.html").read_text("utf-8")
    assert outline.count("<h3>What it does</h3>") >= len(real_project().tools)
    assert "<h3>How this person-centred thinking tool helps</h3>" in outline


def described(outline: Outline) -> list[str]:
    """Return a page's descriptions (there should be one)."""
    return [meta["content"] for meta in outline.head if meta["tag"] == "meta" and meta.get("name") == "description"]


def test_every_page_has_a_description_of_its_own(site: Path) -> None:
    """Search results and shared links show what a page holds: one description, short, no two pages alike."""
    descriptions = {str(page.relative_to(site)): described(Outline(page)) for page in pages(site)}
    assert {page: said for page, said in descriptions.items() if len(said) != 1 or not 40 <= len(said[0]) <= 160} == {}
    alike = [said for said in descriptions.values() if list(descriptions.values()).count(said) > 1]
    assert alike == []


def test_a_description_is_said_from_the_page_s_content(site: Path) -> None:
    """A section's description names its topics; a workbook's says whom it is for; a page's starts as it does."""
    for workbook in real_project().workbooks:
        section = workbook.sections[0]
        said = described(Outline(site / workbook.slug / "sections" / f"{section.id}.html"))[0]
        assert said.startswith(f"{section.title}, {workbook.short_title}: {len(section.topics)} topic")
        first = section.topics[0]
        named = html.unescape(said).split(". ", 1)[1]
        assert named.startswith((plain(first.title)[:20], plain(first.statements[0])[:20]))
        said = html.unescape(described(Outline(site / workbook.slug / "index.html"))[0])
        assert said.startswith(f"{workbook.title}: {workbook.subtitle}")
    forewords = html.unescape(described(Outline(site / "homecare" / "forewords.html"))[0])
    assert forewords.startswith("Forewords, Homecare: As an older person myself")  # prose, not the name heading it


def test_every_page_links_its_icon(site: Path) -> None:
    """Every page names the site's icon by a relative address that finds it (no favicon.ico asked for and missed)."""
    missing = {}
    for page in pages(site):
        icons = [link["href"] for link in Outline(page).head if link["tag"] == "link" and link.get("rel") == "icon"]
        if len(icons) != 1 or "://" in icons[0] or icons[0].startswith("/") or not (page.parent / icons[0]).is_file():
            missing[str(page.relative_to(site))] = icons
    assert missing == {}
    assert (site / "assets" / "favicon.svg").read_text("utf-8").startswith("<svg")
