"""The Jinja environment every layout renders in, and naming a layout's line when one fails."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2

from .markup import markdown, markdown_inline, plain, sentence
from .problems import LayoutError, Problem, shown_path


def make_environment(layouts: Path, cache: Path | None = None) -> jinja2.Environment:
    """Build the Jinja environment: autoescape on, undefined variables an error, compiled layouts cached."""
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache)) if cache is not None else None,
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(markdown=markdown, inline=markdown_inline, plain=plain, sentence=sentence)
    return env


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
