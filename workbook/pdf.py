"""Render a booklet: its HTML through Jinja, then its PDF through WeasyPrint, fetching only project files."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import jinja2

from .content import find_line
from .forms import BookletForm, standard_form
from .marks import layout_boxes, stamp
from .model import FILLABLE_SUFFIX, MUST_ACHIEVE, Project, Workbook, meaning
from .problems import BookletError, Problem
from .qr import scoring_link

logger = logging.getLogger(__name__)

# The date every booklet records as its own, so that two builds of the same content are identical.
PINNED_DATE = "2026-01-01T00:00:00Z"


@dataclass(frozen=True)
class BookletOptions:
    """Which booklet to make: to print and tick, or to fill in on screen; for an office or a print shop."""

    printer: bool = False
    fillable: bool = False

    @property
    def suffix(self) -> str:
        """The file name's ending for this variant."""
        return FILLABLE_SUFFIX if self.fillable else ""


def booklet_html(env: jinja2.Environment, project: Project, workbook: Workbook, options: BookletOptions) -> str:
    """Render a workbook's booklet as one HTML document."""
    data = {
        "project": project,
        "workbook": workbook,
        "options": options,
        "tools": project.tools_by_id,
        "must_achieve": MUST_ACHIEVE,
        "modified": PINNED_DATE,
        "form": BookletForm(workbook),  # the fillable booklet's field names and tooltips
        "scoring": scoring_link(project.url, workbook.slug),  # its scoring page's address and QR code, or None
        "meanings": {topic.id: meaning(topic, workbook.levels) for topic in workbook.topics},  # in each box's data
    }
    return env.get_template("booklet.html").render(data)


def notes_page_html(env: jinja2.Environment) -> str:
    """Render the blank notes page that pads a print-shop booklet."""
    return env.get_template("_booklet_notes.html").render()


def booklet_pdf(
    html: str, notes_page: str, root: Path, options: BookletOptions, shown: str, slug: str, edition: str = ""
) -> bytes:
    """Make a booklet's PDF; for a print shop, pad it with notes pages to a multiple of four.

    A fillable booklet's form is made standard, and names its workbook and `edition` in a hidden field.
    Every page with tick boxes gets the marks and page code that let a camera read it (workbook/marks.py).
    """
    with weasyprint_problems(root, shown):
        document = _layout(html, root, options)
        padding = -len(document.pages) % 4 if options.printer else 0
        if padding:
            document = _layout(html.replace("</body>", notes_page * padding + "</body>"), root, options)
        identifier = shown.encode("utf-8")
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_forms=options.fillable, pdf_identifier=identifier)
        if options.fillable:
            pdf = standard_form(pdf, edition)  # one radio field per topic, its values the levels: see workbook/forms.py
        pdf = stamp(pdf, slug, layout_boxes(document))
    assert isinstance(pdf, bytes)
    return pdf


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


def _layout(html: str, root: Path, options: BookletOptions) -> Any:
    """Lay out a booklet's HTML as a WeasyPrint document."""
    import weasyprint

    source = weasyprint.HTML(string=html, base_url=f"{root.resolve().as_uri()}/", url_fetcher=make_fetcher(root))
    return source.render(pdf_forms=options.fillable, pdf_variant="pdf/ua-1")


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
