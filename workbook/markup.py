"""Markdown to HTML, safely: no raw HTML, only safe link schemes; renders kept between builds."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

SAFE_LINK = re.compile(r"(https?:|mailto:|page:|#|[^:]*$)", re.IGNORECASE)  # page: a cross-reference


def is_safe_link(url: str) -> bool:
    """Tell whether a link may appear on a page: web, mail, in-page, relative or a cross-reference."""
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


class Kept:
    """Renders kept between builds (in .cache): a build with nothing changed parses no Markdown again."""

    LIMIT = 50_000  # renders; past it, the file starts afresh (edits leave old renders behind)

    def __init__(self) -> None:
        self.renders: dict[str, str] = {}  # by kind and text: "block\0Some *words*"
        self.loaded: set[Path] = set()  # files read already: a preview reads its file once
        self.stored: set[Path] = set()  # files holding every render held here: nothing to save to them

    def get(self, kind: str, text: str, render: Callable[[str], str]) -> str:
        """Return a render kept from before, else make it now and keep it."""
        key = f"{kind}\0{text}"
        found = self.renders.get(key)
        if found is None:
            found = self.renders[key] = render(text)
            self.stored.clear()
        return found

    @staticmethod
    def version() -> str:
        """What the renders depend on: markdown-it's version and this module's code."""
        from importlib.metadata import version

        return version("markdown-it-py") + ":" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

    def load(self, path: Path) -> None:
        """Take the renders kept in a file, if it is whole and made by this version."""
        if path in self.loaded:
            return
        self.loaded.add(path)
        try:
            kept = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return
        renders = kept.get("renders") if isinstance(kept, dict) and kept.get("version") == self.version() else None
        if isinstance(renders, dict) and all(isinstance(render, str) for render in renders.values()):
            if not self.renders:
                self.stored.add(path)
            self.renders = {**renders, **self.renders}

    def save(self, path: Path) -> None:
        """Keep the renders in a file (written whole, then renamed), unless it holds them all already."""
        if path in self.stored:
            return
        renders = self.renders if len(self.renders) <= self.LIMIT else {}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(json.dumps({"version": self.version(), "renders": renders}), "utf-8")
            partial.replace(path)
            self.stored = {path}
        except OSError:
            pass  # a read-only or full .cache only costs the next build its Markdown


KEPT = Kept()


@contextmanager
def renders_kept_in(path: Path) -> Iterator[None]:
    """Use the Markdown renders kept in `path` during a build, and keep the new ones after it."""
    KEPT.load(path)
    try:
        yield
    finally:
        KEPT.save(path)


@lru_cache(maxsize=4096)
def markdown(text: str) -> Markup:
    """Render Markdown blocks to HTML."""
    return Markup(KEPT.get("block", text, _parser().render))


@lru_cache(maxsize=4096)
def markdown_inline(text: str) -> Markup:
    """Render one line of Markdown (a title) to HTML without a paragraph."""
    return Markup(KEPT.get("inline", text, _parser().renderInline))


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Return Markdown as the words a reader sees: no marks, a link's text, a list's items on "- " lines.

    Paragraphs are separated by a blank line; a literal "4* and 5*" or "e_learning" keeps its characters.
    """
    return KEPT.get("plain", text, _plain)


def _plain(text: str) -> str:
    """Read Markdown's words (plain, uncached)."""
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
