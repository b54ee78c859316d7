"""The whole build, top to bottom: read and check, render, then write."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .assets import read_assets
from .content import ContentError
from .html import make_environment, render_site
from .layouts import layout_problem
from .model import Project, read_project
from .output import write_output
from .pdf import render_booklets

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    """What to build: booklets or not, and for which printer."""

    booklets: bool = True
    printer: bool = False


@dataclass(frozen=True)
class Paths:
    """Where a project keeps its parts."""

    root: Path

    @property
    def content(self) -> Path:
        """The workbooks' content."""
        return self.root / "content"

    @property
    def layouts(self) -> Path:
        """The Jinja layouts."""
        return self.root / "layouts"

    @property
    def assets(self) -> Path:
        """CSS, JavaScript and fonts, copied as they are."""
        return self.root / "assets"


def check(paths: Paths) -> Project:
    """Read and check all content; raise ContentError listing every problem."""
    return read_project(paths.content)


def render(paths: Paths, project: Project, options: BuildOptions) -> dict[str, bytes]:
    """Render every output file into memory, by its path under output/."""
    env = make_environment(paths.layouts)
    try:
        # The site's pages, then the booklets, from the same content.
        files = render_site(env, project)
        if options.booklets:
            files |= render_booklets(env, project, paths.root, options.printer)
    except jinja2.TemplateError as error:
        raise ContentError([layout_problem(error, paths.layouts, paths.root)]) from None
    files |= read_assets(paths.assets, paths.root)
    return files


def build(paths: Paths, output: Path, options: BuildOptions = BuildOptions()) -> Project:
    """Build the site and booklets: nothing is written to output/ unless every step succeeds."""
    # 1. Read and check every content file; all mistakes are reported at once.
    project = check(paths)
    # 2. Render the site's pages and booklets and gather the assets, in memory.
    files = render(paths, project, options)
    # 3. Move the finished output into place in one step.
    write_output(files, output)
    logger.info("built %d files into %s", len(files), output)
    return project
