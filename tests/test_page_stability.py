"""Pages that keep still while they load, at phone width: the web font arriving late, search results, buttons.

The real site is built once (no booklets) and served over http on 127.0.0.1, so that a font or the search index
can be held back as a slow phone network would; the search page is also opened from disk, as a reader may.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.browser import build_site, file_url, watched
from tests.conftest import REPO
from tests.shifts import (
    FONT_FILES,
    SEARCH_INDEX_FILE,
    SEARCH_QUERY,
    WATCH_SHIFTS,
    layout_shift,
    new_phone,
    page_types,
    page_urls,
    served,
)

MOST_SHIFT = 0.05  # issue 15: cumulative layout shift on every page type, phone width
FONT_LATE_MS = 500
INDEX_LATE_MS = 1500
FACES = {"Regular": ("normal", 400), "Italic": ("italic", 400), "Bold": ("normal", 700), "BoldItalic": ("italic", 700)}
KINDS = ["home", "overview", "section", "page", "guide", "framework", "tools", "search", "search?q"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's site, built once for the module without booklets."""
    return build_site(REPO, tmp_path_factory.mktemp("stability") / "output")


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    """The site served over http on a free port of 127.0.0.1."""
    with served(site) as url:
        yield url


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone-sized context (a cold cache); its held requests are let go before it closes."""
    context = new_phone(browser, 390)
    yield context
    for page in context.pages:
        page.unroute_all(behavior="ignoreErrors")
    context.close()


class Held:
    """Requests for one file, held until let go (as a slow network would hold them)."""

    def __init__(self, page: Page, pattern: str) -> None:
        self.routes: list[Route] = []
        page.route(pattern, self.hold)

    def hold(self, route: Route) -> None:
        """Keep a request until released."""
        self.routes.append(route)

    def release(self) -> None:
        """Let every held request go on."""
        for route in self.routes:
            route.continue_()
        self.routes.clear()


def painted(page: Page) -> bool:
    """Tell whether the page has painted its first content."""
    return bool(page.evaluate("() => performance.getEntriesByName('first-contentful-paint').length > 0"))


# ---------- Layout shift: every page type, the font late ----------


def test_page_types_name_a_built_page_of_every_type(site: Path) -> None:
    """The benchmark measures one page of each type: all are found, none is a scoring page."""
    types = page_types(site)
    assert sorted(types) == sorted(kind for kind in KINDS if "?" not in kind)
    assert all(path.is_file() and "score" not in path.parts for path in types.values())


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_type_moves_while_it_loads_with_the_font_late(
    browser: Browser, site: Path, base: str, kind: str
) -> None:
    """At 390 px, with the web font held 500 ms (and the search index 1.5 s), the page shifts by at most 0.05."""
    url = page_urls(base, site)[kind]
    shift = layout_shift(browser, url, 390, font_delay_ms=FONT_LATE_MS, index_delay_ms=INDEX_LATE_MS)
    assert shift <= MOST_SHIFT, f"{url}: cumulative layout shift {shift:.3f}"


def test_the_fallback_font_takes_the_room_atkinson_takes(phone: BrowserContext, site: Path) -> None:
    """Each face of the local fallback (size-adjusted) sets the site's text within 1% of Atkinson's width."""
    page = phone.new_page()
    page.goto(file_url(site / "tools.html"))
    text = page.locator("main").inner_text()
    widths = page.evaluate(
        """async ([text, faces]) => {
          const fallback = getComputedStyle(document.body).fontFamily.split(",").slice(1).join(",");
          await Promise.all([...document.fonts].map((face) => face.load().catch(() => null)));
          const matched = [...document.fonts].filter((face) => face.family.includes("Fallback") && face.status === "loaded");
          const measure = (family, [style, weight]) => {
            const span = document.createElement("span");
            span.style.cssText = `font: ${style} ${weight} 20px ${family}; white-space: nowrap; position: absolute`;
            span.textContent = text;
            document.body.appendChild(span);
            const width = span.getBoundingClientRect().width;
            span.remove();
            return width;
          };
          return {
            matched: matched.map((face) => face.family + " " + face.weight + " " + face.style),
            ratios: Object.fromEntries(Object.entries(faces).map(([name, face]) =>
              [name, measure(fallback, face) / measure('"Atkinson Hyperlegible"', face)])),
          };
        }""",
        [" ".join(text.split()), FACES],
    )
    assert len(widths["matched"]) >= len(FACES), widths  # a local font was found for every face
    for name, ratio in widths["ratios"].items():
        assert ratio == pytest.approx(1, abs=0.01), f"{name}: the fallback sets the text {ratio:.3f} times as wide"


def test_the_print_button_keeps_its_room_until_its_script_shows_it(
    phone: BrowserContext, site: Path, base: str
) -> None:
    """A section page painted before print.js runs: the button's room is kept, so nothing moves when it shows."""
    page = phone.new_page()
    page.add_init_script(WATCH_SHIFTS)
    script = Held(page, "**/print.js")
    section = page_types(site)["section"].relative_to(site).as_posix()
    page.goto(base + section, wait_until="commit")
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0")
    button = page.locator("[data-print]")
    expect(button).to_be_hidden()
    first_topic = page.locator(".topic").first.bounding_box()
    script.release()
    expect(button).to_be_visible()
    page.wait_for_timeout(300)
    assert page.locator(".topic").first.bounding_box() == first_topic
    assert page.evaluate("() => window.layoutShift") == 0


# ---------- The search page: first paint before the index, results from the address, from disk ----------


def test_the_search_page_paints_and_answers_before_its_index_has_loaded(phone: BrowserContext, base: str) -> None:
    """With the index held back, the page paints and its box takes a query (announced as searching); then it answers."""
    page = phone.new_page()
    index = Held(page, SEARCH_INDEX_FILE)
    page.goto(base + "search.html", wait_until="load")  # the page's load does not wait for the index
    expect(page.locator("h1")).to_have_text("Search the workbooks")
    assert painted(page)
    status = page.locator("#search-status")
    page.locator("#search-q").press_sequentially("risk", delay=20)
    expect(status).to_have_text("Searching for \u201crisk\u201d\u2026")
    assert status.get_attribute("aria-live") == "polite"
    assert index.routes, "the index is asked for once the page has loaded"
    index.release()
    expect(status).to_have_text(re.compile(r"^\d+ results for \u201crisk\u201d\."))
    expect(page.locator(".search-hit").first).to_be_visible()


def test_a_query_in_the_address_shows_its_results_without_moving_the_page(phone: BrowserContext, base: str) -> None:
    """search.html?q=risk with the font and index late: "Searching", then the results; nothing below them moves."""
    page = phone.new_page()
    page.add_init_script(WATCH_SHIFTS)
    index = Held(page, SEARCH_INDEX_FILE)
    fonts = Held(page, FONT_FILES)
    page.goto(f"{base}search.html?q={SEARCH_QUERY}", wait_until="commit")
    expect(page.locator("#search-status")).to_have_text(f"Searching for \u201c{SEARCH_QUERY}\u201d\u2026")
    expect(page.locator("#search-q")).to_have_value(SEARCH_QUERY)
    browse = page.locator(".search-browse").bounding_box()
    assert browse is not None and browse["y"] >= 844  # what follows the results waits below the screen
    fonts.release()
    page.evaluate("() => document.fonts.ready")
    index.release()
    expect(page.locator("#search-status")).to_contain_text(f"results for \u201c{SEARCH_QUERY}\u201d")
    expect(page.locator(".search-hit").first).to_be_visible()
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.layoutShift") <= MOST_SHIFT


def test_an_index_that_fails_to_load_sends_the_reader_to_browse(phone: BrowserContext, base: str) -> None:
    """The index refused: the page says so, and the list of workbooks to browse comes up under it."""
    page = phone.new_page()
    page.route(SEARCH_INDEX_FILE, lambda route: route.abort())
    page.goto(f"{base}search.html?q={SEARCH_QUERY}")
    expect(page.locator("#search-status")).to_have_text(
        "The search index did not load. Browse the workbooks below instead."
    )
    expect(page.get_by_role("heading", name="Browse the workbooks")).to_be_in_viewport()


def test_search_works_from_disk_with_its_index_loaded_late(browser: Browser, site: Path) -> None:
    """Opened from disk (file://, where fetch is refused): a query in the address and a typed one both find topics."""
    for context in watched(new_phone(browser, 390)):
        page = context.new_page()
        page.goto(file_url(site / "search.html") + "?q=life+history")
        expect(page.locator("#search-status")).to_contain_text("results for \u201clife history\u201d")
        assert page.locator(".search-hit a[href$='#life-history']").count() >= 1
        page.locator("#search-q").fill("communication chart")
        expect(page.locator(".search-hit a[href='tools.html#communication-chart']")).to_have_count(1)


def test_the_site_loads_the_small_web_fonts_and_they_match_the_booklets(browser: Browser, site: Path) -> None:
    """Pages load WOFF2 (under half the bytes), each the same font as the TrueType file the booklets embed."""
    requested: list[str] = []
    for context in watched(new_phone(browser, 390)):
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        page.goto(file_url(site / "index.html"))
        page.evaluate("() => document.fonts.ready")
    fonts = [url.rsplit("/", 1)[1] for url in requested if "/fonts/" in url]
    assert fonts and all(name.endswith(".woff2") for name in fonts), fonts
    for name in FACES:
        ttf = site / f"assets/fonts/AtkinsonHyperlegible-{name}.ttf"
        woff2 = ttf.with_suffix(".woff2")
        assert woff2.stat().st_size < ttf.stat().st_size / 2
        small, full = TTFont(woff2), TTFont(ttf)
        assert small.flavor == "woff2" and small.getGlyphOrder() == full.getGlyphOrder()
        for tag in ("cmap", "hmtx", "hhea", "OS/2", "GSUB", "GPOS", "name"):  # the same characters, widths, kerning
            assert small.getTableData(tag) == full.getTableData(tag), f"{woff2.name}: {tag} differs"
        outlines = [(small["glyf"][glyph], full["glyf"][glyph]) for glyph in full.getGlyphOrder()]
        assert all(a.getCoordinates(small["glyf"])[0] == b.getCoordinates(full["glyf"])[0] for a, b in outlines)
