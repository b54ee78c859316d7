"""Turn a layout's failure into a message that names the layout and line."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from .content import Problem, shown_path


def layout_problem(error: Exception, layouts: Path, root: Path) -> Problem:
    """Return the problem a Jinja error points at: the layout file and its line."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return Problem(shown_path(Path(error.filename), root), error.lineno, f"layout syntax: {error.message}")
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        path = Path(frame.filename)
        if path.is_relative_to(layouts.resolve()) or path.is_relative_to(layouts):
            return Problem(shown_path(path, root), frame.lineno or 1, f"layout error: {error}")
    return Problem(shown_path(layouts, root), 1, f"layout error: {error}")
