"""Render the PDF booklets with WeasyPrint, fetching only files inside the project."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from .content import ContentError, Problem
from .html import mapped_topics
from .model import Project, Workbook
from .scoring import PERCENTAGE_FORMULA

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BookletOptions:
    """Which booklet to make: for an office printer, a print shop, or filling in on screen."""

    printer: bool = False
    fillable: bool = False
    notes_pages: int = 0

    @property
    def suffix(self) -> str:
        """The file name's ending for this variant."""
        return "-fillable" if self.fillable else ""


class _Warnings(logging.Handler):
    """Collect WeasyPrint's warnings, which are build errors here."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the warning's message."""
        self.messages.append(record.getMessage())


def booklet_html(env: jinja2.Environment, project: Project, workbook: Workbook, options: BookletOptions) -> str:
    """Render a workbook's booklet as one HTML document."""
    data = {
        "project": project,
        "workbook": workbook,
        "options": options,
        "tools": {tool.id: tool for tool in project.tools},
        "mapped_topics": mapped_topics,
        "percentage_formula": PERCENTAGE_FORMULA,
        "modified": last_change(project, workbook),
    }
    return env.get_template("booklet.html").render(data)


def last_change(project: Project, workbook: Workbook) -> str:
    """Return the date the booklet records as its own: pinned, so two builds give the same PDF."""
    del project, workbook
    return datetime(2026, 1, 1, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def render_booklet(html: str, root: Path, options: BookletOptions, shown: str) -> Any:
    """Lay out a booklet's HTML as a WeasyPrint document; any WeasyPrint warning fails the build."""
    import weasyprint

    handler = _Warnings()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addHandler(handler)
    try:
        source = weasyprint.HTML(string=html, base_url=f"{root.resolve().as_uri()}/", url_fetcher=make_fetcher(root))
        document = source.render(pdf_forms=options.fillable, pdf_variant="pdf/ua-1")
    finally:
        weasy_logger.removeHandler(handler)
    if handler.messages:
        raise ContentError([Problem(shown, 1, f"booklet rendering: {message}") for message in handler.messages])
    return document


def write_booklet(document: Any, options: BookletOptions, shown: str) -> bytes:
    """Write a laid-out booklet as a tagged PDF (PDF/UA-1), with form fields if it is fillable."""
    pdf = document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_forms=options.fillable,
        pdf_identifier=shown.encode("utf-8"),
    )
    assert isinstance(pdf, bytes)
    return pdf


def make_booklet(
    env: jinja2.Environment, project: Project, workbook: Workbook, root: Path, options: BookletOptions
) -> bytes:
    """Make one booklet's PDF; for a print shop, pad it with notes pages to a multiple of four."""
    shown = f"output/{booklet_path(workbook, options)}"
    document = render_booklet(booklet_html(env, project, workbook, options), root, options, shown)
    padding = -len(document.pages) % 4 if options.printer else 0
    if padding:
        options = replace(options, notes_pages=padding)
        document = render_booklet(booklet_html(env, project, workbook, options), root, options, shown)
    return write_booklet(document, options, shown)


def booklet_path(workbook: Workbook, options: BookletOptions) -> str:
    """Return a booklet's path under output/."""
    return f"pdf/{workbook.slug}{options.suffix}.pdf"


def booklet_variants(printer: bool) -> tuple[BookletOptions, ...]:
    """Return the booklets every workbook gets: the printed one and the fillable one."""
    return (BookletOptions(printer=printer), BookletOptions(printer=printer, fillable=True))


def render_booklets(env: jinja2.Environment, project: Project, root: Path, printer: bool) -> dict[str, bytes]:
    """Make every workbook's booklets, by path under output/."""
    return {
        booklet_path(workbook, options): make_booklet(env, project, workbook, root, options)
        for workbook in project.workbooks
        for options in booklet_variants(printer)
    }
