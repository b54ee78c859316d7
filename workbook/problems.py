"""What can go wrong in a build, said for people: a file, a line, what is wrong and what was expected."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One mistake, at a line of a file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def shown_path(path: Path, root: Path) -> str:
    """Show a path relative to the project, as messages name it (a symlink by its own name, not its target)."""
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    try:
        inside, base = path.resolve(), root.resolve()
    except (OSError, RuntimeError):  # a symlink loop: show the path as given
        return path.as_posix()
    return inside.relative_to(base).as_posix() if inside.is_relative_to(base) else path.as_posix()


def unreadable(path: Path, root: Path) -> str | None:
    """Say why a project file may not be read or published, or None if it may.

    It must be a regular file (not a folder, a FIFO or a device), and it and whatever it links to
    must stand inside the project and outside its hidden folders (.git, .cache, ...).
    """
    try:
        target = path.resolve(strict=True)
        mode = os.stat(target).st_mode
    except RuntimeError:
        return "is a symlink loop (expected a file)"
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    project = root.resolve()
    if not target.is_relative_to(project):
        return "points outside the project (expected a file inside it)"
    if any(part.startswith(".") for part in target.relative_to(project).parts):
        return "points into a hidden folder of the project (expected a file outside .git, .cache and the like)"
    if not stat.S_ISREG(mode):
        return "is not a regular file (expected a text file, not a folder, pipe or device)"
    return None


class BuildError(Exception):
    """Every mistake of one kind found in one run; the build stops once, naming them all."""

    kind = "error"  # how the closing line counts them: "Aborted with 2 content errors."

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} {self.kind}s")
        self.problems = problems

    def __reduce__(self) -> tuple[type[BuildError], tuple[list[Problem]]]:
        """Pickle with the problems, so an error in a worker process arrives whole."""
        return (type(self), (self.problems,))

    def summary(self) -> str:
        """Say how many mistakes stopped the build."""
        count = len(self.problems)
        return f"Aborted with {count} {self.kind}{'s' if count != 1 else ''}."


class ContentError(BuildError):
    """Mistakes in content/: YAML, Markdown, references between them."""

    kind = "content error"


class LayoutError(BuildError):
    """A mistake in a Jinja layout, at its line."""

    kind = "layout error"


class BookletError(BuildError):
    """Something WeasyPrint could not lay out or write in a booklet."""

    kind = "booklet error"


class AssetError(BuildError):
    """A file in assets/ that cannot be published."""

    kind = "asset error"
