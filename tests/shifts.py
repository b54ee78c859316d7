"""Measure how a built page keeps still while it loads: layout shift and first paint, in Chromium at phone width.

`served(folder)` serves a built output over http on 127.0.0.1 (a free port), so a font or a script can be
held back as a slow network would; `layout_shift` sums the page's layout shifts from the first frame until
it has loaded and its fonts have arrived; `first_paint` times the first contentful paint with the CPU slowed.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from playwright.sync_api import Browser, BrowserContext, Route

PHONE = {"width": 390, "height": 844}
FONT_FILES = "**/*.{ttf,woff,woff2}"
SEARCH_INDEX_FILE = "**/search-index.js"
SETTLE_MS = 1000  # after load and fonts: late shifts (a script's results, a late font's reflow) still counted
SEARCH_QUERY = "risk"  # the query of the search page drawn from its address
SLOW_NETWORK = {"latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}  # "slow 4G"

# Sums every layout shift the page makes, from before its first frame; buffered catches any observed late.
WATCH_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShift += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""

FIRST_CONTENTFUL_PAINT = "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime"


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file handler that neither logs nor lets the browser cache (every visit is a cold one)."""

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing: the benchmark prints its own figures."""

    def end_headers(self) -> None:
        """Send no-store with every file, so one page's fonts are not another's cache."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class QuietServer(ThreadingHTTPServer):
    """A threaded server that takes a browser closing a connection early (a page closed mid-load) calmly."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Say nothing of a connection the browser dropped; report anything else as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve a folder over http on a free port of 127.0.0.1; yield its base URL (ending in a slash)."""
    server = QuietServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def page_types(output: Path) -> dict[str, Path]:
    """Name one built page per page type (the largest of its type: the most text to reflow); the score page is not one."""
    workbooks = sorted(path.parent.parent for path in output.glob("*/score/index.html"))
    pages = [
        page for book in workbooks for page in book.glob("*.html") if page.name not in ("index.html", "guide.html")
    ]
    kinds = {
        "home": [output / "index.html"],
        "overview": [book / "index.html" for book in workbooks],
        "section": [page for book in workbooks for page in book.glob("sections/*.html")],
        "page": pages,
        "guide": [book / "guide.html" for book in workbooks],
        "framework": [page for book in workbooks for page in book.glob("frameworks/*.html")],
        "tools": [output / "tools.html"],
        "search": [output / "search.html"],
    }
    return {kind: max(sorted(found), key=lambda page: page.stat().st_size) for kind, found in kinds.items() if found}


def page_urls(base: str, output: Path) -> dict[str, str]:
    """Return the address of each page type under `base`, and of the search page drawing a query's results."""
    urls = {kind: base + path.relative_to(output).as_posix() for kind, path in page_types(output).items()}
    urls["search?q"] = urls["search"] + f"?q={SEARCH_QUERY}"
    return urls


def new_phone(browser: Browser, width: int) -> BrowserContext:
    """Return a fresh context (a cold cache) as wide as asked: a phone's touch screen below 600 px."""
    phone = width < 600
    return browser.new_context(
        viewport={"width": width, "height": PHONE["height"] if phone else 900},
        device_scale_factor=3 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
    )


def hold(delay_ms: int) -> Any:
    """Return a route handler that lets a request go after `delay_ms`, as a slow network would."""

    def handler(route: Route) -> None:
        route.request.frame.page.wait_for_timeout(delay_ms)
        route.continue_()

    return handler


def layout_shift(
    browser: Browser, url: str, width: int = 390, font_delay_ms: int = 0, index_delay_ms: int = 0
) -> float:
    """Return the cumulative layout shift of loading a page (not caused by input), the fonts and search index held."""
    if (font_delay_ms or index_delay_ms) and not url.startswith("http"):
        raise ValueError(f"{url}: a font can be held back only over http (serve the output with served())")
    context = new_phone(browser, width)
    try:
        page = context.new_page()
        page.add_init_script(WATCH_SHIFTS)
        if font_delay_ms:
            page.route(FONT_FILES, hold(font_delay_ms))
        if index_delay_ms:
            page.route(SEARCH_INDEX_FILE, hold(index_delay_ms))
        page.goto(url, wait_until="load")
        page.evaluate("() => document.fonts.ready")
        page.wait_for_timeout(SETTLE_MS)
        return float(page.evaluate("() => window.layoutShift"))
    finally:
        page.unroute_all(behavior="ignoreErrors")
        context.close()


def first_paint(browser: Browser, url: str, slowdown: int = 4, network: dict[str, float] | None = None) -> float:
    """Return when a page first paints content (ms from navigation), CPU `slowdown` times slower, on a slow network."""
    context = new_phone(browser, PHONE["width"])
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **(network or SLOW_NETWORK)})
        page.goto(url, wait_until="commit")
        return float(page.wait_for_function(FIRST_CONTENTFUL_PAINT, timeout=60_000).json_value())
    finally:
        context.close()


def width_ratio(font: Path, fallback: Path, text: str) -> float:
    """Return how much wider `text` is set in `font` than in `fallback` (advances, no kerning): the fallback's size-adjust."""

    def width(path: Path) -> float:
        face = TTFont(path)
        glyphs, advances, em = face.getBestCmap(), face["hmtx"], face["head"].unitsPerEm
        return float(sum(advances[glyphs[ord(char)]][0] / em for char in text if ord(char) in glyphs))

    return width(font) / width(fallback)
