"""Markdown to HTML, safely: no raw HTML, only safe link schemes."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_LINK = re.compile(r"(https?:|mailto:|#|[^:]*$)", re.IGNORECASE)


def is_safe_link(url: str) -> bool:
    """Tell whether a link may appear on a page: web, mail, in-page or relative."""
    return bool(SAFE_LINK.match(url.strip()))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """Build the one Markdown parser: CommonMark and tables, raw HTML off."""
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    parser.validateLink = is_safe_link  # type: ignore[method-assign]
    return parser


@lru_cache(maxsize=4096)
def markdown(text: str) -> Markup:
    """Render Markdown blocks to HTML."""
    return Markup(_parser().render(text))


@lru_cache(maxsize=4096)
def markdown_inline(text: str) -> Markup:
    """Render one line of Markdown (a title) to HTML without a paragraph."""
    return Markup(_parser().renderInline(text))


def plain(text: str) -> str:
    """Strip Markdown emphasis marks for places that take plain text (titles, PDF metadata)."""
    return re.sub(r"[*_`]+", "", text)
