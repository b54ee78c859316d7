"""The whole build, top to bottom: read and check, render pages and booklets, then write."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .assets import read_assets
from .booklets import BookletMaker, Progress, plan_booklets
from .content import ContentError
from .html import make_environment, render_site
from .layouts import layout_problem
from .model import Project, read_project
from .output import write_output

logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class BuildOptions:
    """What to build: booklets or not, for which printer, and whether a stale booklet may stand in."""

    booklets: bool = True
    printer: bool = False
    stale_booklets: bool = False  # serve: show new pages at once, booklets follow in a second pass
    jobs: int | None = None


@dataclass
class Build:
    """What a build made: the project it read and the output files that changed."""

    project: Project
    changed: list[str] = field(default_factory=list)


def check(paths: Paths) -> Project:
    """Read and check all content; raise ContentError listing every problem."""
    return read_project(paths.content)


def build(
    paths: Paths,
    output: Path,
    options: BuildOptions = BuildOptions(),
    maker: BookletMaker | None = None,
    progress: Progress | None = None,
) -> Build:
    """Build the site and booklets: nothing is written to output/ unless every step succeeds."""
    # 1. Read and check every content file; all mistakes are reported at once.
    project = check(paths)
    env = make_environment(paths.layouts, paths.root / ".cache" / "layouts")
    own_maker = maker or BookletMaker(paths.root, options.jobs)
    try:
        with layout_errors(paths):
            # 2. Start the booklets: from the cache when their inputs are unchanged, else in worker processes.
            booklets = plan_booklets(env, project, paths.root, options.printer) if options.booklets else []
            batch = own_maker.start(booklets, preview=options.stale_booklets)
            # 3. Meanwhile, render the site's pages, scoring pages included, in memory.
            files = render_site(env, project)
        # 4. Collect the booklets (while previewing, the last built ones stand in for those still rendering).
        files |= own_maker.finish(batch, progress, stale_from=output if options.stale_booklets else None)
    finally:
        if maker is None:
            own_maker.close()
    # 5. Gather the assets: stylesheets, scripts, fonts.
    files |= read_assets(paths.assets, paths.root)
    # 6. Write what changed, and swap the finished output into place in one move.
    changed = write_output(files, output)
    logger.info("built %s: %d files, %d changed", output, len(files), len(changed))
    return Build(project, changed)


@contextmanager
def layout_errors(paths: Paths) -> Iterator[None]:
    """Report a layout's mistake as a content error naming the layout and line."""
    try:
        yield
    except jinja2.TemplateError as error:
        raise ContentError([layout_problem(error, paths.layouts, paths.root)]) from None
