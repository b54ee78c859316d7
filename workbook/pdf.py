"""Render a booklet: its HTML through Jinja, then its PDF through WeasyPrint, fetching only project files."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from .model import MUST_ACHIEVE, Project, Workbook
from .problems import BookletError, Problem

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
        return "-fillable" if self.fillable else ""


def booklet_html(env: jinja2.Environment, project: Project, workbook: Workbook, options: BookletOptions) -> str:
    """Render a workbook's booklet as one HTML document."""
    data = {
        "project": project,
        "workbook": workbook,
        "options": options,
        "tools": project.tools_by_id,
        "must_achieve": MUST_ACHIEVE,
        "modified": PINNED_DATE,
    }
    return env.get_template("booklet.html").render(data)


def notes_page_html(env: jinja2.Environment) -> str:
    """Render the blank notes page that pads a print-shop booklet."""
    return env.get_template("_booklet_notes.html").render()


def booklet_pdf(html: str, notes_page: str, root: Path, options: BookletOptions, shown: str) -> bytes:
    """Make a booklet's PDF; for a print shop, pad it with notes pages to a multiple of four."""
    document = _layout(html, root, options, shown)
    padding = -len(document.pages) % 4 if options.printer else 0
    if padding:
        document = _layout(html.replace("</body>", notes_page * padding + "</body>"), root, options, shown)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_forms=options.fillable, pdf_identifier=shown.encode("utf-8"))
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


def _layout(html: str, root: Path, options: BookletOptions, shown: str) -> Any:
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
        raise BookletError([Problem(shown, 1, f"booklet rendering: {message}") for message in handler.messages])
    return document


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
