"""Where each page of the site stands, and links between pages that work from disk and from any host."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import lru_cache

from .model import Framework, FrameworkItem, Section, Topic, Workbook


def topic_path(workbook: Workbook, section: Section, topic: Topic | None = None) -> str:
    """Return the site path of a section page, or of a topic's anchor on it."""
    path = f"{workbook.slug}/sections/{section.id}.html"
    return f"{path}#{topic.id}" if topic else path


def framework_path(workbook: Workbook, framework: Framework, item: FrameworkItem | None = None) -> str:
    """Return the site path of a framework page, or of an item's anchor on it."""
    path = f"{workbook.slug}/frameworks/{framework.id}.html"
    return f"{path}#{item.id}" if item else path


def relative_links(here: str) -> Callable[[str], str]:
    """Return a function that turns a site path into a link relative to the page `here`."""
    folder = posixpath.dirname(here) or "."

    def url(target: str) -> str:
        """Link to a site path (with an optional #anchor) from this page."""
        path, _, anchor = target.partition("#")
        link = _relative(path, folder) if path else ""
        return f"{link}#{anchor}" if anchor else link

    return url


@lru_cache(maxsize=65536)
def _relative(path: str, folder: str) -> str:
    """Return a site path relative to a folder of the site (asked thousands of times a build, for few pairs)."""
    return posixpath.relpath(path, folder)
