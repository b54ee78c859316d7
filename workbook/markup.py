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


@lru_cache(maxsize=1)
def _inspector() -> MarkdownIt:
    """Build a parser that keeps every link, so refused ones can be reported."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def refused_links(text: str) -> list[str]:
    """Return the links and images in Markdown that a page may not carry, each with why."""
    if "](" not in text and "]:" not in text and "<" not in text:
        return []  # no inline link, reference or autolink: nothing to inspect
    refused = []
    for block in _inspector().parse(text):
        for token in block.children or []:
            href, src = str(token.attrGet("href")), str(token.attrGet("src"))
            if token.type == "link_open" and not is_safe_link(href):
                refused.append(f"link '{href}' is refused (expected http:, https:, mailto: or a relative link)")
            elif token.type == "image" and not is_project_file(src):
                refused.append(f"image '{src}' is refused (expected a file inside the project, like assets/x.png)")
    return refused


def is_project_file(url: str) -> bool:
    """Tell whether an image address names a file inside the project: relative, no scheme, no '..'."""
    return ":" not in url and not url.startswith(("/", "\\")) and ".." not in url.split("/")


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


def sentence(text: str) -> str:
    """Begin a phrase with a capital letter, the rest as it is ("must achieve 4" -> "Must achieve 4")."""
    return text[:1].upper() + text[1:]
