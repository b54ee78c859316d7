"""Markdown to HTML, safely: no raw HTML, only safe link schemes."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
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
    """Tell whether an image address names a visible file inside the project: relative, no scheme, no '..'.

    The address is read as the browser and WeasyPrint will read it, %-escapes decoded ("%2e%2e" is "..").
    """
    path = unquote(url).replace("\\", "/")
    parts = path.split("/")
    return ":" not in path and not path.startswith("/") and not any(part.startswith(".") for part in parts)


@lru_cache(maxsize=4096)
def markdown(text: str) -> Markup:
    """Render Markdown blocks to HTML."""
    return Markup(_parser().render(text))


@lru_cache(maxsize=4096)
def markdown_inline(text: str) -> Markup:
    """Render one line of Markdown (a title) to HTML without a paragraph."""
    return Markup(_parser().renderInline(text))


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Return Markdown as the words a reader sees: no marks, a link's text, a list's items on "- " lines.

    Paragraphs are separated by a blank line; a literal "4* and 5*" or "e_learning" keeps its characters.
    """
    words = ""
    bullet = False
    for token in _parser().parse(text):
        if token.type == "list_item_open":
            bullet = True
        elif token.type == "inline":
            # A list item starts its own line; a paragraph follows a blank line.
            separator = ("\n" if bullet else "\n\n") if words else ""
            words += separator + ("- " if bullet else "") + _inline_words(token.children or [])
            bullet = False
    return words.strip()


def _inline_words(children: list[Token]) -> str:
    """Return the words of one line of Markdown: text, code, a link's or image's text."""
    words = []
    for child in children:
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type == "softbreak":
            words.append(" ")
        elif child.type == "hardbreak":
            words.append("\n")
        elif child.type == "image":
            words.append(child.content)
    return "".join(words)


def sentence(text: str) -> str:
    """Begin a phrase with a capital letter, the rest as it is ("must achieve 4" -> "Must achieve 4")."""
    return text[:1].upper() + text[1:]
