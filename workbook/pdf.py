"""Render a booklet: its HTML through Jinja, then its PDF through WeasyPrint, fetching only project files."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import jinja2

from .content import find_line
from .forms import BookletForm, remove_form, standardise_form
from .marks import PageBoxes, layout_boxes, stamp
from .model import MUST_ACHIEVE, Project, Workbook, meaning
from .press import make_press_ready
from .problems import BookletError, Problem
from .qr import scoring_link
from .tags import actual_texts, link_targets, tidy_tags

logger = logging.getLogger(__name__)

# The date every booklet records as its own, so that two builds of the same content are identical.
PINNED_DATE = "2026-01-01T00:00:00Z"
SHEET = 4  # a print shop's booklet is folded sheets: its pages a multiple of four


def booklet_html(env: jinja2.Environment, project: Project, workbook: Workbook, printer: bool) -> str:
    """Render a workbook's booklet as one HTML document; for a print shop, with notes pages at its end to pad it."""
    data = {
        "project": project,
        "workbook": workbook,
        "printer": printer,
        "tools": project.tools_by_id,
        "must_achieve": MUST_ACHIEVE,
        "modified": PINNED_DATE,
        "form": BookletForm(workbook),  # the fillable booklet's field names and tooltips
        "scoring": scoring_link(project.url, workbook.slug),  # its scoring page's address and QR code, or None
        "meanings": {topic.id: meaning(topic, workbook.levels) for topic in workbook.topics},  # in each box's data
        "sheet": SHEET,
    }
    return env.get_template("booklet.html").render(data)


def booklet_pdfs(
    html: str, root: Path, shown: str, slug: str, edition: str = ""
) -> tuple[bytes, bytes, list[PageBoxes]]:
    """Lay a workbook's booklet out once and write both its PDFs from that layout: (printed, fillable, its boxes).

    WeasyPrint writes the fillable booklet, its form made standard and naming its workbook and `edition` in a
    hidden field (workbook/forms.py); the printed booklet is the same file without the form: the same pages,
    text and boxes. Every page with tick boxes gets the marks and page code that let a camera read it
    (workbook/marks.py).
    """
    import pikepdf

    with weasyprint_problems(root, shown):
        document = _layout(html, root)
        with actual_texts():  # what a screen reader reads where the page shows less (workbook/tags.py)
            written = document.write_pdf(pdf_variant="pdf/ua-1", pdf_forms=True)
        with pikepdf.open(io.BytesIO(written)) as pdf:
            standardise_form(pdf, edition)  # one radio field per topic, its values the levels
            tidy_tags(pdf, link_targets(document))  # running heads as artifacts, header scopes, links described
            boxes = layout_boxes(document)
            stamp(pdf, slug, boxes)
            fillable = _save(pdf)
            remove_form(pdf)
            printed = _save(pdf)
    return printed, fillable, boxes


def press_pdf(html: str, root: Path, shown: str, slug: str) -> tuple[bytes, list[PageBoxes]]:
    """Lay a workbook's print-shop booklet out, write it for press (PDF/X-4 in CMYK: workbook/press.py); its boxes too.

    Its pages with tick boxes are those of the printed booklet, at the same places inside the trim, with the same
    marks and page codes: a ticked copy from the print shop reads with the same box map. The notes pages that make
    whole sheets stay; the back cover is the last page.
    """
    import pikepdf

    with weasyprint_problems(root, shown):
        document = whole_sheets(_layout(html, root))
        written = document.write_pdf(pdf_variant="pdf/x-4", pdf_forms=True)
        with pikepdf.open(io.BytesIO(written)) as pdf:
            boxes = layout_boxes(document)
            stamp(pdf, slug, boxes)
            remove_form(pdf)
            make_press_ready(pdf, f"{slug}:{hashlib.sha256(html.encode('utf-8')).hexdigest()}")
            printed = _save(pdf)
    return printed, boxes


def whole_sheets(document: Any) -> Any:
    """Keep of a document's notes pages only those that make its page count a multiple of four."""
    notes = [number for number, page in enumerate(document.pages) if _is_notes(page._page_box)]
    surplus = len(notes) - (-(len(document.pages) - len(notes)) % SHEET)
    if surplus <= 0:
        return document
    dropped = set(notes[len(notes) - surplus :])
    return document.copy([page for number, page in enumerate(document.pages) if number not in dropped])


def _is_notes(box: Any, depth: int = 4) -> bool:
    """Tell whether a page box holds a notes page (layouts/_booklet_notes.html): a section of the body."""
    element = getattr(box, "element", None)
    if element is not None and "notes" in (element.get("class") or "").split():
        return True
    return depth > 0 and any(_is_notes(child, depth - 1) for child in getattr(box, "children", ()))


def _save(pdf: Any) -> bytes:
    """Write an open PDF as bytes, its identifier made from its content (two builds of it are identical)."""
    import pikepdf

    output = io.BytesIO()
    pdf.save(output, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return output.getvalue()


class _Warnings(logging.Handler):
    """Collect WeasyPrint's warnings, which fail the build here."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the warning's message."""
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_problems(root: Path, shown: str) -> Iterator[None]:
    """Turn every WeasyPrint warning, at layout or write time, and any failure into a BookletError."""
    handler = _Warnings()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(handler)
    try:
        yield
    except Exception as error:  # WeasyPrint failing on some input must still be one sentence, never a traceback
        handler.messages.append(f"WeasyPrint could not make the booklet ({type(error).__name__}: {error})")
    finally:
        weasy_logger.removeHandler(handler)
    if handler.messages:
        raise BookletError([booklet_problem(message, root, shown) for message in handler.messages])


def booklet_problem(message: str, root: Path, shown: str) -> Problem:
    """Name the content line behind a booklet's problem where there is one (an image it names), else the booklet."""
    for url in re.findall(r"file://[^\s'\"]+", message):
        path = Path(unquote(urlsplit(url).path))
        if path.is_relative_to(root.resolve()):
            needle = path.relative_to(root.resolve()).as_posix()
            found = find_line(root, needle) or find_line(root, quote(needle))
            if found:
                return Problem(found[0], found[1], f"in {shown}: {message}")
    return Problem(shown, 1, f"booklet rendering: {message}")


def _layout(html: str, root: Path) -> Any:
    """Lay out a booklet's HTML as a WeasyPrint document, with its form's fields."""
    import weasyprint

    source = weasyprint.HTML(string=html, base_url=f"{root.resolve().as_uri()}/", url_fetcher=make_fetcher(root))
    return source.render(pdf_forms=True, pdf_variant="pdf/ua-1")


def make_fetcher(root: Path) -> Any:
    """Return a URL fetcher that serves files inside the project and refuses everything else."""
    from weasyprint.urls import URLFetcher

    project = root.resolve()

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]
        """Fetch only files inside the project folder."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            """Fetch a project file; refuse any other address."""
            path = Path(unquote(urlsplit(url).path)).resolve() if url.startswith("file:") else None
            if path is None or not path.is_relative_to(project):
                raise ValueError(f"refused {url} (only files inside the project may be used)")
            return super().fetch(url, headers)

    return ProjectFetcher(allowed_protocols={"file"})
