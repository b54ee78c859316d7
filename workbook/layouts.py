"""Turn a layout's failure into a message that names the layout and line."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from .content import Problem


def layout_problem(error: Exception, layouts: Path, root: Path) -> Problem:
    """Return the problem a Jinja error points at: the layout file and its line."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return Problem(_shown(Path(error.filename), root), error.lineno, f"layout syntax: {error.message}")
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.is_relative_to(layouts.resolve()) or path.is_relative_to(layouts):
            return Problem(_shown(path, root), frame.lineno or 1, f"layout error: {error}")
    return Problem(_shown(layouts, root), 1, f"layout error: {error}")


def _shown(path: Path, root: Path) -> str:
    """Show a layout path relative to the project."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
