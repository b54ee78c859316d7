"""Measure how full a booklet's pages are, from WeasyPrint's layout of the booklet the build writes.

A page's fill is the share of its text block (the page area inside the margins; running heads and page
numbers stand in the margins, so they never count) down to the bottom of its last in-flow content: a line
of text, an image or form field, or a box that draws something (a border, a background: a table cell, the
ruled writing space). Covers (a named page or an element classed `cover` or `...-cover`) and notes pages
are set aside. Also found here: on which pages each element stands, and the table fragments holding a
single body row.

`python3 -m tests.pages [slug ...] [--url https://...]` prints each web booklet's pages and its under-used pages
(below 35%), lone rows and split action plans; with `--url`, laid out as if site.yaml set that address.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from tests.conftest import REPO, real_project
from workbook.pdf import booklet_html, make_fetcher
from workbook.templates import make_environment

UNDER_USED = 0.35  # a page using less of its text block than this is under-used
SET_ASIDE = ("cover", "notes")  # kinds of page the fill is not measured on


@dataclass(frozen=True)
class Page:
    """One laid-out page: its number (from 1), its kind, how much of its text block its content uses."""

    number: int
    kind: str  # "cover", "notes", or the classes of the first element it holds (e.g. "plan-page")
    fill: float  # 0 to 1
    heading: str  # its first chapter heading's text, or its running head's, to tell people which page

    @property
    def measured(self) -> bool:
        """Tell whether the page's fill counts: covers and notes pages are set aside."""
        return self.kind not in SET_ASIDE

    @property
    def under_used(self) -> bool:
        """Tell whether the page uses less than the agreed share of its text block."""
        return self.measured and self.fill < UNDER_USED


@cache
def layout(slug: str, url: str = "") -> Any:
    """Lay out one of the real workbooks' web booklets as the build does; with `url`, as site.yaml setting it would.

    A site address puts the scoring page's QR code and address in the booklet (inside cover, summary sheet).
    """
    import weasyprint

    project = dataclasses.replace(real_project(), url=url) if url else real_project()
    workbook = next(workbook for workbook in project.workbooks if workbook.slug == slug)
    html = booklet_html(make_environment(REPO / "layouts"), project, workbook, printer=False)
    source = weasyprint.HTML(string=html, base_url=f"{REPO.as_uri()}/", url_fetcher=make_fetcher(REPO))
    return source.render(pdf_forms=True, pdf_variant="pdf/ua-1")


def pages(document: Any) -> list[Page]:
    """Measure every page of a laid-out document."""
    return [measure(number, page._page_box) for number, page in enumerate(document.pages, start=1)]


def measure(number: int, page_box: Any) -> Page:
    """Measure one page box: its kind, and its text block's share down to its content's bottom."""
    top, height = page_box.content_box_y(), page_box.height
    bottoms = [box.border_box_y() + box.border_height() for box in in_flow(page_box) if draws(box)]
    fill = max(0.0, min(1.0, (max(bottoms, default=top) - top) / height))
    return Page(number, kind_of(page_box), round(fill, 3), heading_of(page_box))


def in_flow(page_box: Any) -> Iterator[Any]:
    """Every box of a page's content, margin boxes and absolutely placed boxes (and what they hold) left out."""
    from weasyprint.formatting_structure import boxes

    stack = [child for child in page_box.children if not isinstance(child, boxes.MarginBox)]
    while stack:
        box = stack.pop()
        if box.style["position"] in ("absolute", "fixed"):
            continue
        yield box
        stack.extend(getattr(box, "children", None) or ())


def draws(box: Any) -> bool:
    """Tell whether a box puts something on the page: a line of text, a replaced element, a border or a fill."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)) or box.element_tag in ("input", "textarea", "select"):
        return bool(box.height > 0)
    if isinstance(box, (boxes.InlineBox, boxes.TextBox)):
        return False  # drawn within their line box
    style = box.style
    background = style["background_image"] and any(image[0] != "none" for image in style["background_image"])
    color = style["background_color"]
    return bool(background or (color and color.alpha > 0) or box.border_bottom_width or box.border_top_width)


def kind_of(page_box: Any) -> str:
    """Tell what a page is: a cover, a notes page, or the classes of the first element it holds."""
    if "cover" in (page_box.page_type.name or ""):
        return "cover"
    for element in elements(page_box):
        classes = (element.get("class") or "").split()
        if any(name == "cover" or name.endswith("-cover") for name in classes):
            return "cover"
        if "notes" in classes:
            return "notes"
    classes = dict.fromkeys(element.get("class") for element in elements(page_box) if element.get("class"))
    return " ".join(classes)


def elements(page_box: Any) -> Iterator[Any]:
    """The elements of a page's first boxes below the body (its section, and the part that opens the page)."""
    from weasyprint.formatting_structure import boxes

    box = next(child for child in page_box.children if not isinstance(child, boxes.MarginBox))  # html
    for _ in range(4):
        children = [child for child in getattr(box, "children", None) or () if child.element is not None]
        if not children:
            return
        box = children[0]
        if box.element_tag not in ("body",):
            yield box.element


def heading_of(page_box: Any) -> str:
    """A page's first chapter heading, else the running head it shows, to name the page for people."""
    for box in in_flow(page_box):
        element = getattr(box, "element", None)
        if element is not None and element.tag == "h1" and "chapter" in (element.get("class") or ""):
            return " ".join("".join(element.itertext()).split())
    running = [box for box in page_box.children if getattr(box, "at_keyword", "") == "@top-left"]
    return " ".join(text_of(running[0]).split()) if running else ""


def text_of(box: Any) -> str:
    """The text inside a box."""
    own = getattr(box, "text", "") or ""
    return own + "".join(text_of(child) for child in getattr(box, "children", None) or ())


def pages_of(document: Any, css_class: str) -> list[list[int]]:
    """For each element of a class, in document order, the numbers of the pages it stands on."""
    found: dict[Any, set[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for box in in_flow(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and css_class in (element.get("class") or "").split():
                found.setdefault(element, set()).add(number)
    return [sorted(numbers) for numbers in found.values()]


@dataclass(frozen=True)
class LoneRow:
    """A page holding a single body row of a table that has more rows: the row could join the rest."""

    page: int
    row: str  # the row's text, to name it
    rows: int  # the table's body rows in all


def lone_rows(document: Any) -> list[LoneRow]:
    """Every page fragment of a table holding exactly one of its body rows, when the table has several."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        for box in in_flow(page._page_box):
            if box.element_tag != "table" or not hasattr(box, "column_groups"):
                continue  # a table's wrapper, its caption; the table box itself lists its column groups
            table = box.element
            body_rows = [row for group in table if group.tag != "thead" for row in group.iter("tr")]
            here = [row.element for group in box.children if not group.is_header for row in group.children]
            if len(here) == 1 and len(body_rows) > 1:
                found.append(LoneRow(number, " ".join("".join(here[0].itertext()).split())[:60], len(body_rows)))
    return found


def report(slug: str, url: str = "") -> str:
    """One workbook's pages in a line, then each under-used page, lone row and action plan split over pages."""
    document = layout(slug, url)
    measured = pages(document)
    under = [page for page in measured if page.under_used]
    counted = sum(page.measured for page in measured)
    lines = [f"{slug}: {len(measured)} pages, {counted} measured, {len(under)} under-used ({len(under) / counted:.1%})"]
    lines += [f"  page {page.number}: {page.fill:.0%} {page.kind} ({page.heading})" for page in under]
    lines += [f"  page {row.page}: a lone row of {row.rows}: {row.row}" for row in lone_rows(document)]
    split = [numbers for numbers in pages_of(document, "plan-page") if len(numbers) > 1]
    lines += [f"  an action plan on pages {numbers}" for numbers in split]
    return "\n".join(lines)


def main(arguments: list[str]) -> None:
    """Print the pages of the named workbooks' booklets, or of all; `--url ADDRESS` as if site.yaml set it."""
    url = arguments[arguments.index("--url") + 1] if "--url" in arguments else ""
    slugs = [argument for argument in arguments if argument not in ("--url", url)]
    for slug in slugs or sorted(workbook.slug for workbook in real_project().workbooks):
        print(report(slug, url), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
