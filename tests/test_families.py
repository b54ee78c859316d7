"""The site for families, in real Chromium opened from disk: search, the guide, tools explained, reading comfort.

The real project is built once for the module (no booklets). Each test gets a fresh browser context,
and afterwards no page error happened and no request left the disk.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser import axe_violations, build_site, file_url, watched
from tests.conftest import REPO
from workbook.addresses import topic_path
from workbook.model import Section, Topic, Workbook
from workbook.pages import GUIDE_TITLE
from workbook.readers import read_project
from workbook.search import SEARCH_INDEX, fold, search_index, text_of, word_groups

PROJECT = read_project(REPO / "content")
WORKBOOKS = {book.slug: book for book in PROJECT.workbooks}
SLUGS = sorted(WORKBOOKS)
STOP_WORDS = {"a", "an", "and", "are", "about", "as", "at", "be", "by", "do", "does", "for", "how", "i", "in", "is"}
STOP_WORDS |= {"it", "of", "on", "or", "say", "says", "the", "to", "what", "when", "where", "which", "who", "with"}


# ---------- Fixtures: the real site built once, one browser, a fresh context per test ----------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's site, built once for the module without booklets."""
    return build_site(REPO, tmp_path_factory.mktemp("families") / "output")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh desktop-sized context."""
    yield from watched(browser.new_context(viewport={"width": 1280, "height": 900}))


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone: 390 px wide, touch screen."""
    yield from watched(
        browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True
        )
    )


# ---------- Helpers ----------


def open_page(context: BrowserContext, site: Path, path: str) -> Page:
    """Open a page of the built site (a site path, with an optional ?query) from disk."""
    page = context.new_page()
    path, _, query = path.partition("?")
    page.goto(file_url(site / path) + (f"?{query}" if query else ""))
    return page


def site_url(site: Path, path: str) -> str:
    """The absolute file:// URL of a site path with an optional #anchor, as a followed link resolves it."""
    path, _, anchor = path.partition("#")
    return file_url(site / path) + (f"#{anchor}" if anchor else "")


def by_id(element_id: str) -> str:
    """A selector for an element by id (topic ids may start with a digit, which `#id` cannot)."""
    return f'[id="{element_id}"]'


def squash(text: str) -> str:
    """Whitespace collapsed, for comparing text the page shows with text from the content."""
    return " ".join(text.split())


def alike(word: str) -> set[str]:
    """A query word and the words the index says count as it: its groups' words (as search.js looks them up)."""
    groups = [group.split() for group in search_index(PROJECT)["words"]]
    return {word}.union(*(group for group in groups if word in group))


def expected_hits(query: str, slug: str = "") -> set[str]:
    """The site paths of every index entry (of one workbook, given its slug) that search.js finds for a query.

    Each word of the query, or a word counted as it, starts a word of the entry.
    """
    words = fold(query).split()
    words = [word for word in words if word not in STOP_WORDS] or words
    number = next((number for number, book in enumerate(PROJECT.workbooks) if book.slug == slug), None)
    found = set()
    for entry in search_index(PROJECT)["entries"]:
        hay = " " + fold(" ".join([entry["title"], *entry["texts"], *entry["extra"]]))
        if number in (None, entry["workbook"]) and all(any(f" {w}" in hay for w in alike(word)) for word in words):
            found.add(entry["url"])
    return found


def search(page: Page, query: str) -> None:
    """Type a query into the search page's box as a person would, and wait for the answer."""
    page.locator("#search-q").fill("")
    page.locator("#search-q").press_sequentially(query, delay=20)
    expect(page.locator("#search-status")).to_contain_text(f"\u201c{query}\u201d")


def hit_urls(page: Page) -> list[str]:
    """The links of the results shown, as written (site paths: the search page is at the root)."""
    return page.locator(".search-hit .hit-title a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


def locate(slug: str, topic_id: str) -> tuple[Workbook, Section, Topic]:
    """Find a topic of a workbook by id."""
    book = WORKBOOKS[slug]
    return next((book, section, topic) for section in book.sections for topic in section.topics if topic.id == topic_id)


def no_sideways_scroll(page: Page) -> list[str]:
    """Return what sticks out past the right edge of the viewport (nothing, when the page does not scroll sideways)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return Array.from(document.body.querySelectorAll('*'))
                .filter(node => node.getBoundingClientRect().right > width + 1)
                .slice(0, 5).map(node => `${node.tagName}.${node.className}`);
        }"""
    )


class Outline(HTMLParser):
    """The parts of a page the static checks read: the html lang, h1s, scripts, styles, links, forms, ids."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.h1 = 0
        self.sources: list[str] = []
        self.links: list[str] = []
        self.forms: list[dict[str, str | None]] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        self.h1 += tag == "h1"
        if tag in ("script", "img") and found.get("src"):
            self.sources.append(str(found["src"]))
        if tag == "link" and found.get("href"):
            self.sources.append(str(found["href"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "form":
            self.forms.append(found)
        if found.get("id"):
            self.ids.append(str(found["id"]))


def outline(path: Path) -> Outline:
    """Read a built page's outline."""
    parser = Outline()
    parser.feed(path.read_text("utf-8"))
    return parser


# ---------- The search index ----------


def test_the_search_index_holds_every_topic_statement_tool_and_framework_item(site: Path) -> None:
    """Built with the site as a script that sets a global (no fetch: works from disk), holding everything searched."""
    script = (site / SEARCH_INDEX).read_text("utf-8")
    assert script.startswith("window.workbookSearchIndex = {")
    index = search_index(PROJECT)
    entries = {entry["url"]: entry for entry in index["entries"]}
    assert [book["title"] for book in index["workbooks"]] == [book.short_title for book in PROJECT.workbooks]
    for number, book in enumerate(PROJECT.workbooks):
        for section in book.sections:
            for topic in section.topics:
                entry = entries[topic_path(book, section, topic)]
                assert (entry["kind"], entry["workbook"], entry["where"]) == ("topic", number, text_of(section.title))
                assert entry["title"] == text_of(topic.title)
                assert entry["texts"] == [text_of(statement) for statement in topic.statements]
        for framework in book.frameworks:
            for item in framework.items:
                entry = entries[f"{book.slug}/frameworks/{framework.id}.html#{item.id}"]
                assert (entry["kind"], entry["title"], entry["where"]) == ("item", text_of(item.title), framework.title)
    for tool in PROJECT.tools:
        assert entries[f"tools.html#{tool.id}"]["title"] == tool.name
    assert len(entries) == len(index["entries"])  # one entry per place
    assert [book["slug"] for book in index["workbooks"]] == SLUGS  # the workbook filter's values
    words = {word for group in index["words"] for word in group.split()}
    assert {"medication", "medicines", "plan", "planning"} <= words
    assert len(json.dumps(index["words"])) < 0.05 * len(script.encode())  # the groups keep typing quick: < 5%
    assert text_of("We **know** [the person](x.html) &amp; `them`") == "We know the person & them"


# ---------- Search in the browser ----------


@pytest.mark.parametrize("slug", SLUGS)
def test_search_finds_a_statement_by_a_few_of_its_words_and_lands_on_the_topic(
    context: BrowserContext, site: Path, slug: str
) -> None:
    """A few words from the middle of a statement find its topic; following the hit shows the topic itself."""
    book = WORKBOOKS[slug]
    section = book.sections[len(book.sections) // 2]
    topic = section.topics[len(section.topics) // 2]
    statement = text_of(topic.statements[len(topic.statements) // 2]).split()
    start = max(0, len(statement) // 2 - 2)
    query = " ".join(statement[start : start + 4])
    page = open_page(context, site, "search.html")
    search(page, query)
    target = topic_path(book, section, topic)
    assert target in hit_urls(page)
    hit = page.locator(f'.search-hit:has(a[href="{target}"])')
    expect(hit.locator(".hit-where")).to_have_text(f"Topic · {book.short_title} \u203a {text_of(section.title)}")
    expect(hit.locator(".hit-snippet mark").first).to_be_visible()
    hit.locator(".hit-title a").click()
    page.wait_for_url(site_url(site, target))
    assert page.url.endswith(f"#{topic.id}")
    expect(page.locator(by_id(topic.id))).to_be_in_viewport()
    expect(page.locator(by_id(f"{topic.id}-title"))).to_contain_text(text_of(topic.title))


def test_search_answers_as_the_user_types_and_announces_the_count(context: BrowserContext, site: Path) -> None:
    """Every topic that mentions risk, in a list; the count in a polite live region; each hit's workbook and section."""
    page = open_page(context, site, "search.html")
    status = page.locator("#search-status")
    assert status.get_attribute("aria-live") == "polite"
    expect(page.locator("label[for=search-q]")).to_be_visible()
    page.locator("#search-q").press_sequentially("risk", delay=30)  # no Enter: it answers as the user types
    expected = expected_hits("risk")
    expect(status).to_have_text(f"{len(expected)} results for \u201crisk\u201d.")
    assert set(hit_urls(page)) == expected
    assert page.locator("ol#search-results > li.search-hit").count() == len(expected)
    for hit in page.locator(".search-hit").all():
        where = hit.locator(".hit-where").inner_text()
        assert where.startswith(("Topic · ", "Tool · ", "Framework item · "))
    first = page.locator(".search-hit").first
    assert first.locator(".hit-title a").get_attribute("href", timeout=1000) in expected
    shown = " ".join([first.locator(".hit-title").inner_text(), *first.locator(".hit-snippet mark").all_inner_texts()])
    assert "risk" in shown.lower()  # the word found shows: in the title, or marked in the snippet
    assert page.url.endswith("search.html?q=risk")  # the address keeps the query: Back returns to the results
    search(page, "families choosing")  # words match by their stem: "family", "choose"
    assert set(hit_urls(page)) == expected_hits("families choosing") != set()
    page.locator("#search-q").fill("zzzzqx")
    expect(status).to_contain_text("No results for \u201czzzzqx\u201d")
    expect(page.locator(".search-hit")).to_have_count(0)
    page.locator("#search-q").fill("")
    expect(status).to_have_text("")


def test_search_finds_tools_and_framework_items_and_shows_many_hits_fifty_at_a_time(
    context: BrowserContext, site: Path
) -> None:
    """A tool by its name, a framework item by its title; a common word shows 50 hits and a button for the rest."""
    page = open_page(context, site, "search.html")
    search(page, "communication chart")
    assert "tools.html#communication-chart" in hit_urls(page)
    book = next(book for book in PROJECT.workbooks if book.frameworks)
    framework = book.frameworks[0]
    item = framework.items[0]
    search(page, text_of(item.title))
    assert f"{book.slug}/frameworks/{framework.id}.html#{item.id}" in hit_urls(page)
    expected = expected_hits("person")
    assert len(expected) > 50
    search(page, "person")
    expect(page.locator("#search-status")).to_contain_text(f"{len(expected)} results")
    expect(page.locator(".search-hit")).to_have_count(50)
    page.get_by_role("button", name=f"Show all {len(expected)} results").click()
    expect(page.locator(".search-hit")).to_have_count(len(expected))
    assert set(hit_urls(page)) == expected
    expect(page.locator(".search-hit").nth(50).locator("a")).to_be_focused()


def places_saying(slug: str, word: str) -> set[str]:
    """The site paths of a workbook's index entries whose words include a word, as written."""
    number = next(number for number, book in enumerate(PROJECT.workbooks) if book.slug == slug)
    return {
        entry["url"]
        for entry in search_index(PROJECT)["entries"]
        if entry["workbook"] == number and word in fold(" ".join([entry["title"], *entry["texts"]])).split()
    }


def test_a_word_the_workbooks_do_not_use_finds_what_they_say_instead(context: BrowserContext, site: Path) -> None:
    """ "medication" and "tablets" find homecare's medicines (the synonyms in content), the word marked in the hit."""
    medicines = places_saying("homecare", "medicines")
    assert medicines and "medication" not in index_vocabulary()
    page = open_page(context, site, "search.html")
    for query in ("medication", "tablets"):
        search(page, query)
        assert medicines <= set(hit_urls(page))
        assert set(hit_urls(page)) == expected_hits(query)
        hit = page.locator(f'.search-hit:has(a[href="{sorted(medicines)[0]}"])')
        assert "medicines" in " ".join(hit.locator(".hit-title, mark").all_inner_texts()).lower()


def index_vocabulary() -> set[str]:
    """Every word the search index holds, folded."""
    entries = search_index(PROJECT)["entries"]
    return {word for entry in entries for word in fold(" ".join([entry["title"], *entry["texts"]])).split()}


def test_a_word_finds_its_other_forms_by_its_stem(context: BrowserContext, site: Path) -> None:
    """ "planning" finds what says "plans" or "planned" only; "supporting" what says "supported" only."""
    page = open_page(context, site, "search.html")
    for query, others in (("planning", ("plan", "plans", "planned")), ("supporting", ("supported", "supports"))):
        search(page, query)
        if page.locator(".search-more").is_visible():
            page.locator(".search-more").click()  # more than 50: all of them
        found = set(hit_urls(page))
        assert found == expected_hits(query)
        other_forms = set().union(*(places_saying(slug, other) for slug in SLUGS for other in others))
        only_other = other_forms - set().union(*(places_saying(slug, query) for slug in SLUGS))
        assert only_other and only_other <= found  # places that never say the word typed, only another form


def test_the_groups_of_words_are_the_snowball_stemmers_and_the_synonyms_in_content() -> None:
    """Words sharing a Snowball English stem form a group; a synonym group gathers its words' forms too."""
    words = ["medicine", "medicines", "plan", "planning", "planned", "support", "supported", "supporting", "risk"]
    assert word_groups(words, []) == [
        ["medicine", "medicines"],
        ["plan", "planned", "planning"],
        ["support", "supported", "supporting"],
    ]
    assert ["medication", "medicine", "medicines", "tablets"] in word_groups(
        words, [("medication", "tablets", "medicine")]
    )
    assert PROJECT.synonyms and all(
        set(group) & index_vocabulary() for group in PROJECT.synonyms
    )  # each finds something


def test_the_workbook_filter_narrows_the_results_and_a_reload_or_link_keeps_it(
    context: BrowserContext, site: Path
) -> None:
    """A labelled list: one workbook's results, the count saying which; the address keeps it through a reload."""
    page = open_page(context, site, "search.html")
    search(page, "risk")
    everywhere = expected_hits("risk")
    homecare = expected_hits("risk", "homecare")
    assert homecare and homecare < everywhere
    choice = page.get_by_label("Search in")
    expect(choice).to_have_value("")
    choice.select_option(label=WORKBOOKS["homecare"].short_title)
    status = page.locator("#search-status")
    expect(status).to_have_text(f"{len(homecare)} results for “risk” in {WORKBOOKS['homecare'].short_title}.")
    assert set(hit_urls(page)) == homecare
    for where in page.locator(".search-hit .hit-where").all_inner_texts():
        assert f" · {WORKBOOKS['homecare'].short_title} \u203a " in where
    assert page.url.endswith("search.html?q=risk&workbook=homecare")
    page.reload()
    expect(page.get_by_label("Search in")).to_have_value("homecare")
    expect(page.locator("#search-q")).to_have_value("risk")
    expect(status).to_have_text(f"{len(homecare)} results for “risk” in {WORKBOOKS['homecare'].short_title}.")
    assert set(hit_urls(page)) == homecare
    page.get_by_label("Search in").select_option("")
    expect(status).to_have_text(f"{len(everywhere)} results for “risk”.")
    assert page.url.endswith("search.html?q=risk")
    mistyped = open_page(context, site, "search.html?q=risk&workbook=nowhere")  # an old or mistyped link: all
    expect(mistyped.locator("#search-status")).to_have_text(f"{len(everywhere)} results for “risk”.")


def test_the_header_search_form_works_from_a_section_page(context: BrowserContext, site: Path) -> None:
    """The small form in every page's header goes to search.html?q=..., which answers at once."""
    book = WORKBOOKS["homecare"]
    page = open_page(context, site, topic_path(book, book.sections[0]))
    page.locator("#site-search-q").fill("life history")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q=life\+history$"))
    expect(page.locator("#search-q")).to_have_value("life history")
    expected = expected_hits("life history")
    expect(page.locator("#search-status")).to_have_text(f"{len(expected)} results for \u201clife history\u201d.")
    assert set(hit_urls(page)) == expected
    assert any(url.endswith("#life-history") for url in hit_urls(page))


def test_a_phone_user_finds_what_a_workbook_says_about_risk_in_three_taps(phone: BrowserContext, site: Path) -> None:
    """Home, tap the search box, type "risk", tap Search, tap a hit: the topic it opens is about risk."""
    page = open_page(phone, site, "index.html")
    page.locator("#site-search-q").tap()  # tap 1
    page.keyboard.type("risk")
    page.locator(".site-search button").tap()  # tap 2
    page.wait_for_url(re.compile(r"/search\.html\?q=risk$"))
    first = page.locator(".search-hit .hit-title a").first
    expect(first).to_be_visible()
    target = str(first.get_attribute("href"))
    first.tap()  # tap 3
    page.wait_for_url(site_url(site, target))
    topic = page.locator(by_id(target.partition("#")[2]))
    expect(topic).to_be_in_viewport()
    assert "risk" in topic.inner_text().lower()
    assert page.locator(".topic").count() >= 1


# ---------- The guide for families ----------


@pytest.mark.parametrize("slug", SLUGS)
def test_the_guide_lists_every_topic_with_its_top_statement(context: BrowserContext, site: Path, slug: str) -> None:
    """Every topic in order, grouped by section: its title linking to the full topic, and its top statement."""
    book = WORKBOOKS[slug]
    page = open_page(context, site, f"{slug}/guide.html")
    expect(page.locator("h1")).to_have_text(GUIDE_TITLE)
    items = page.locator(".guide-item")
    expect(items).to_have_count(len(book.topics))
    for section in book.sections:
        group = page.locator(f".guide-section:has({by_id('section-' + section.id)})")
        expect(group.locator("h2")).to_contain_text(section.title)
        expect(group.locator(".guide-item")).to_have_count(len(section.topics))
        for topic in section.topics:
            item = group.locator(by_id(f"topic-{topic.id}"))
            link = item.locator(".guide-topic a")
            assert squash(link.inner_text()) == text_of(topic.title)
            assert link.evaluate("link => link.href") == site_url(site, topic_path(book, section, topic))
            assert squash(item.locator(".guide-best").inner_text()) == text_of(topic.statements[-1])
    ids = [item.get_attribute("id") for item in items.all()]
    assert ids == [f"topic-{topic.id}" for topic in book.topics]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_guide_is_linked_from_the_overview_the_nav_and_the_home_page(site: Path, slug: str) -> None:
    """From the workbook's contents page, its navigation on every page, and its card on the home page."""
    overview = outline(site / slug / "index.html")
    assert overview.links.count("guide.html") == 2  # the nav and the list of ways to read it
    section = outline(site / topic_path(WORKBOOKS[slug], WORKBOOKS[slug].sections[0]))
    assert "../guide.html" in section.links
    assert f"{slug}/guide.html" in outline(site / "index.html").links


def test_the_guide_prints_as_a_compact_checklist_without_navigation(context: BrowserContext, site: Path) -> None:
    """On paper: no navigation or buttons, a tick box per topic, a line for the provider; a few pages."""
    book = WORKBOOKS["homecare"]
    page = open_page(context, site, "homecare/guide.html")
    expect(page.get_by_role("button", name="Print this guide")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (".masthead", ".breadcrumbs", ".site-footer", ".skip-link", ".site-search", ".print-button"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator(".guide-fill")).to_be_visible()
    boxes = page.locator(".guide-item .tick-box")
    expect(boxes).to_have_count(len(book.topics))
    size = boxes.first.bounding_box()
    assert size is not None and 15 <= size["width"] <= 25 and size["width"] == pytest.approx(size["height"])
    assert page.locator(".guide-item").first.evaluate("item => getComputedStyle(item).breakInside") == "avoid"
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(pdf.pages) <= len(book.topics) // 4  # compact: at least four topics a page on average
    text = " ".join(squash(sheet.extract_text()) for sheet in pdf.pages)
    for absent in ("Skip to main content", "Score online", "Guide for families", "Print this guide", "All workbooks"):
        assert absent not in text
    assert "Provider:" in text and text_of(book.topics[-1].title) in text


# ---------- Tools explained where they are named ----------


@pytest.mark.parametrize("slug", [slug for slug in SLUGS if any(topic.tools for topic in WORKBOOKS[slug].topics)])
def test_every_named_tool_opens_in_place_with_its_wording_and_a_glossary_link(
    context: BrowserContext, site: Path, slug: str
) -> None:
    """A closed disclosure per tool a topic names: the workbook's wording (or another's, said so) and the glossary."""
    book = WORKBOOKS[slug]
    names = {tool.id: tool.name for tool in PROJECT.tools}
    for section in book.sections:
        page = open_page(context, site, topic_path(book, section))
        for topic in section.topics:
            disclosures = page.locator(f"{by_id(topic.id)} details.tool-explainer")
            expect(disclosures).to_have_count(len(topic.tools))
            for number, tool in enumerate(topic.tools):
                details = disclosures.nth(number)
                assert details.evaluate("details => details.open") is False
                expect(details.locator("summary")).to_have_text(f"{names[tool]}: what it is")
                wording, source = PROJECT.tool_wording(book, tool)
                panel = details.locator(".tool-explained")
                text = squash(panel.evaluate("node => node.textContent"))
                assert text_of(wording) in text
                assert ("explains it:" in text) == (source is not None and source.slug != slug)
                link = panel.locator("a").last
                assert link.evaluate("link => link.href") == site_url(site, f"tools.html#{tool}")
        page.close()


def test_a_tool_disclosure_opens_with_the_keyboard_and_its_link_reaches_the_glossary(
    context: BrowserContext, site: Path
) -> None:
    """Tab to the summary, Enter opens it, Tab moves into what it says, and its link goes to the glossary entry."""
    # A topic whose workbook has no wording of its own for the tool: the wording shown is another's, and says so.
    book, section, topic = next(
        (book, section, topic)
        for book in WORKBOOKS.values()
        for section in book.sections
        for topic in section.topics
        if topic.tools and PROJECT.tool_wording(book, topic.tools[0])[1] not in (None, book)
    )
    page = open_page(context, site, topic_path(book, section))
    summary = page.locator(f"{by_id(topic.id)} details.tool-explainer summary").first
    summary.focus()
    expect(summary).to_be_focused()
    expect(page.locator(f"{by_id(topic.id)} .tool-explained").first).to_be_hidden()
    page.keyboard.press("Enter")
    panel = page.locator(f"{by_id(topic.id)} .tool-explained").first
    expect(panel).to_be_visible()
    assert summary.evaluate("summary => summary.parentElement.open") is True
    expect(panel).to_contain_text("explains it:")
    page.keyboard.press("Tab")
    assert panel.evaluate("panel => panel.contains(document.activeElement)") is True
    panel.locator("a").last.click()
    page.wait_for_url(site_url(site, f"tools.html#{topic.tools[0]}"))
    expect(page.locator(by_id(topic.tools[0]))).to_be_in_viewport()


# ---------- Reading comfort: print this page, skip link, sizes ----------


def test_section_pages_have_a_print_button_that_prints_and_hides_on_paper(context: BrowserContext, site: Path) -> None:
    """The button calls window.print(); on paper it is gone, and so are navigation and the framework lists."""
    book = WORKBOOKS["homecare"]
    context.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page = open_page(context, site, topic_path(book, book.sections[0]))
    button = page.get_by_role("button", name="Print this page")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("() => window.printed") == 1
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
    expect(page.locator(".masthead")).to_be_hidden()
    expect(page.locator(".topic").first).to_be_visible()
    expect(page.locator(".topic .statement").first).to_be_visible()
    expect(page.locator(".topic-maps").first).to_be_hidden()


def test_the_print_button_is_hidden_when_javascript_is_off(browser: Browser, site: Path) -> None:
    """Without JavaScript a button that does nothing would mislead: it stays hidden (the browser's Print still works)."""
    context = browser.new_context(java_script_enabled=False)
    book = WORKBOOKS["homecare"]
    page = open_page(context, site, topic_path(book, book.sections[0]))
    expect(page.locator(".print-button")).to_be_hidden()
    page.goto(site_url(site, "homecare/guide.html"))
    expect(page.locator(".print-button")).to_be_hidden()
    context.close()


def test_the_skip_link_and_breadcrumbs_work(context: BrowserContext, site: Path) -> None:
    """The first Tab shows the skip link; Enter moves focus to the main content; the breadcrumb leads home."""
    page = open_page(context, site, "homecare/guide.html")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.locator("[aria-current=page]")).to_have_text(GUIDE_TITLE)
    crumbs.get_by_role("link", name="Homecare").click()
    page.wait_for_url(site_url(site, "homecare/index.html"))


def pages_to_check(site: Path) -> list[str]:
    """Every page of the site but the scoring pages (tested in test_scoring_page.py), search with results."""
    paths = sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    return [path + ("?q=person" if path == "search.html" else "") for path in paths if "/score/" not in path]


@pytest.mark.parametrize("width", [320, 640])
def test_no_page_scrolls_sideways_at_320_px_or_at_200_percent_zoom(browser: Browser, site: Path, width: int) -> None:
    """320 px is a small phone (and 400% zoom); 640 px is a 1280 px window zoomed to 200%. Disclosures open."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    wide = {}
    for path in pages_to_check(site):
        page.goto(site_url(site, path.partition("?")[0]) + ("?" + path.partition("?")[2] if "?" in path else ""))
        page.evaluate("() => document.querySelectorAll('details').forEach(details => { details.open = true; })")
        if sticking_out := no_sideways_scroll(page):
            wide[path] = sticking_out
    context.close()
    assert wide == {}


def test_text_scales_with_the_browsers_font_size_and_still_fits(browser: Browser, site: Path) -> None:
    """A reader who sets a larger default font gets larger text everywhere (rem/em), with no sideways scrolling."""
    context = browser.new_context(viewport={"width": 640, "height": 800})
    page = context.new_page()
    book = WORKBOOKS["homecare"]
    paths = ["index.html", "search.html", topic_path(book, book.sections[0]), "homecare/guide.html", "tools.html"]
    sizes = {}
    for path in paths:
        page.goto(site_url(site, path))
        sizes[path] = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    session = context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32}})  # the browser's setting: twice the usual 16 px
    for path in paths:
        page.goto(site_url(site, path))
        page.evaluate("() => document.querySelectorAll('details').forEach(details => { details.open = true; })")
        larger = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
        assert larger == pytest.approx(sizes[path] * 2, rel=0.01), path
        assert no_sideways_scroll(page) == [], path
    context.close()


# ---------- Accessibility ----------


def open_disclosure(page: Page) -> None:
    """Open the first tool disclosure on the page."""
    page.locator("details.tool-explainer summary").first.click()
    expect(page.locator("details.tool-explainer .tool-explained").first).to_be_visible()


AXE_PAGES: list[tuple[str, Any]] = [
    ("index.html", None),
    ("homecare/sections/the-person.html", open_disclosure),
    ("managers/sections/tools-and-approaches.html", open_disclosure),
    ("health-check/sections/self-determination.html", None),
    ("homecare/guide.html", None),
    ("wigan/guide.html", None),
    ("health-check/guide.html", None),
    ("homecare/index.html", None),
    ("tools.html", None),
    ("search.html?q=risk", None),
    ("search.html?q=medication&workbook=homecare", None),
    ("search.html?q=nothing-matches-this", None),
]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("path", "prepare"), AXE_PAGES, ids=[path for path, _ in AXE_PAGES])
def test_axe_finds_no_violations(browser: Browser, site: Path, path: str, prepare: Any, width: int) -> None:
    """axe-core's WCAG A/AA and best-practice rules: home, section pages with a disclosure open, guides, search."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = open_page(context, site, path)
    if "?q=" in path:
        expect(page.locator("#search-status")).not_to_be_empty()
    if prepare:
        prepare(page)
    assert axe_violations(page) == []
    context.close()


# ---------- Every page: language, one h1, relative links, the header search ----------


def test_every_page_keeps_its_language_one_h1_relative_links_and_the_header_search(site: Path) -> None:
    """lang en-GB, one h1, nothing fetched from elsewhere, links inside the site relative, unique ids."""
    for path in sorted(site.rglob("*.html")):
        name = path.relative_to(site).as_posix()
        page = outline(path)
        assert page.lang == "en-GB", name
        assert page.h1 == 1, name
        assert all(":" not in source and not source.startswith("/") for source in page.sources), name
        assert not [link for link in page.links if link.startswith("/")], name
        assert len(page.ids) == len(set(page.ids)), name
        searches = [form for form in page.forms if form.get("role") == "search"]
        assert len(searches) == 1, name
        action = str(searches[0].get("action"))
        assert (path.parent / action).resolve() == (site / "search.html").resolve(), name
        assert searches[0].get("method") == "get", name
