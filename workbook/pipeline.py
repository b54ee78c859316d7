"""The whole build, top to bottom: read and check, render pages and booklets, then write."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .assets import read_assets, read_images
from .booklets import Batch, Booklet, BookletMaker, Progress, plan_booklets
from .markup import renders_kept_in
from .model import Project
from .output import existing_files, write_output
from .pages import render_site
from .qr import NO_URL
from .readers import read_project
from .templates import check_layouts, layout_errors, make_environment

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
    """What to build: booklets or not, for which printer, with how many workers."""

    booklets: bool = True
    printer: bool = False
    jobs: int | None = None


class Booklets(Protocol):
    """Makes the booklets of a build: starts them before the pages, collects them after."""

    def start(self, booklets: list[Booklet]) -> Batch:
        """Start making these booklets; do not wait."""

    def finish(self, batch: Batch, progress: Progress | None = None) -> dict[str, bytes]:
        """Return the batch's PDFs by path."""


@dataclass
class Build:
    """What a build made: the project it read and the output files that changed."""

    project: Project
    changed: list[str] = field(default_factory=list)


def dropped_press_booklets(output: Path, options: BuildOptions) -> list[str]:
    """Name the print-shop booklets (print/) a build with booklets but without --printer removes from the output."""
    if not options.booklets or options.printer:
        return []  # a site-only build keeps every booklet of the last build; --printer makes them again
    return sorted(name.removeprefix("print/") for name in existing_files(output) if name.startswith("print/"))


def check(paths: Paths) -> Project:
    """Read and check all content; raise ContentError listing every problem."""
    return read_project(paths.content)


def build(
    paths: Paths,
    output: Path,
    options: BuildOptions = BuildOptions(),
    booklets: Booklets | None = None,
    progress: Progress | None = None,
) -> Build:
    """Build the site and booklets: nothing is written to output/ unless every step succeeds."""
    cache = paths.root / ".cache"
    with ExitStack() as stack:
        stack.enter_context(renders_kept_in(cache / "markdown.json"))  # a rebuild parses no Markdown again
        # 1. Read and check every content file, layout and asset; all mistakes are reported at once.
        project = check(paths)
        check_layouts(paths.layouts, paths.root)
        assets = read_assets(paths.assets, paths.root)
        env = make_environment(paths.layouts, cache / "layouts")
        maker = booklets or stack.enter_context(BookletMaker(paths.root, options.jobs))
        with layout_errors(paths.layouts, paths.root):
            # 2. Start the booklets: from the cache when their inputs are unchanged, else in worker processes.
            batch = maker.start(plan_booklets(env, project, paths.root, options.printer) if options.booklets else [])
            # 3. Meanwhile, render the site's pages, scoring pages and search index included, in memory.
            files = render_site(env, project) | assets
        files |= read_images(files, paths.root)  # pictures kept beside the content that pages show
        # 4. Collect the booklets.
        files |= maker.finish(batch, progress)
    # 5. Write what changed, and swap the finished output into place in one move.
    dropped = dropped_press_booklets(output, options)
    changed = write_output(files, output, paths, keep=() if options.booklets else ("pdf/", "print/"))
    if dropped:
        logger.warning(
            "removed the print-shop booklets from %s (%s): they are made only with --printer, and would no longer "
            "match what this build made; build with --printer to make them again",
            output / "print",
            ", ".join(dropped),
        )
    logger.info("built %s: %d files, %d changed", output, len(files), len(changed))
    if options.booklets and not project.url:
        logger.warning(NO_URL)
    return Build(project, changed)
