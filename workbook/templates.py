"""The Jinja environment every layout renders in, and naming a layout's line when one fails."""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .markup import markdown, markdown_inline, plain, sentence
from .problems import LayoutError, Problem, shown_path, unreadable
from .references import show_references


def make_environment(layouts: Path, cache: Path | None = None) -> jinja2.Environment:
    """Build the Jinja environment: autoescape on, undefined variables an error, compiled layouts cached."""
    bytecode_cache = None
    if cache is not None and _writable(cache / _engine_hash()):
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache / _engine_hash()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts),
        bytecode_cache=bytecode_cache,
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(markdown=markdown_here, inline=inline_here, plain=plain, sentence=sentence)
    return env


IMAGE_SOURCE = re.compile(r'(<img src=")([^"]*)"')


@jinja2.pass_context
def markdown_here(context: jinja2.runtime.Context, text: str) -> Markup:
    """Render Markdown; point its cross-references at their targets and, on a site page, its images at them."""
    url = context.get("url")
    rendered = show_references(markdown(text), context.get("workbook"), url)
    if url is None:  # a booklet: WeasyPrint reads project paths from the project folder
        return rendered
    return Markup(IMAGE_SOURCE.sub(lambda match: f'{match[1]}{escape(url(html.unescape(match[2])))}"', rendered))


@jinja2.pass_context
def inline_here(context: jinja2.runtime.Context, text: str) -> Markup:
    """Render one line of Markdown (a title), its cross-references pointed at their targets."""
    return show_references(markdown_inline(text), context.get("workbook"), context.get("url"))


@functools.cache
def _engine_hash() -> str:
    """Hash the engine's code: compiled layouts depend on its filters, so a changed engine compiles afresh."""
    digest = hashlib.sha256(jinja2.__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _writable(folder: Path) -> bool:
    """Make a cache folder if it can be made and written to (a read-only .cache only makes builds slower)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def check_layouts(layouts: Path, root: Path) -> None:
    """Refuse layouts that are not plain UTF-8 files inside the project (a symlink out, a pipe, a folder)."""
    problems = []
    for path in sorted(layouts.rglob("*")):
        if path.name.startswith(".") or (path.is_dir() and not path.is_symlink()):
            continue
        shown = shown_path(path, root)
        why = unreadable(path, root)
        if why is not None:
            problems.append(Problem(shown, 1, f"the layout {why}"))
            continue
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            problems.append(
                Problem(shown, line, f"byte 0x{data[error.start]:02x} is not UTF-8 (save the layout as UTF-8)")
            )
    if problems:
        raise LayoutError(problems)


@contextmanager
def layout_errors(layouts: Path, root: Path) -> Iterator[None]:
    """Report a layout's mistake as a LayoutError naming the layout and line."""
    try:
        yield
    except jinja2.TemplateError as error:
        raise LayoutError([layout_problem(error, layouts, root)]) from None


def layout_problem(error: Exception, layouts: Path, root: Path) -> Problem:
    """Return the problem a Jinja error points at: the layout file and its line."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return Problem(shown_path(Path(error.filename), root), error.lineno, f"layout syntax: {error.message}")
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.is_relative_to(layouts.resolve()) or path.is_relative_to(layouts):
            return Problem(shown_path(path, root), frame.lineno or 1, f"layout error: {error}")
    return Problem(shown_path(layouts, root), 1, f"layout error: {error}")
