"""Build the workbooks: `python build.py [build|check|serve]`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from workbook.content import ContentError
from workbook.pipeline import BuildOptions, Paths, build, check

ROOT = Path(__file__).resolve().parent


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description="Build the workbooks' site, booklets and scoring pages.")
    parser.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=("build", "check"),
        help="build (default) writes output/; check only checks",
    )
    parser.add_argument("--project", type=Path, default=ROOT, help="the project folder (default: this one)")
    parser.add_argument("--output", type=Path, help="where to build (default: PROJECT/output)")
    parser.add_argument("--no-pdf", action="store_true", help="build the site only, without the booklets")
    parser.add_argument(
        "--printer",
        action="store_true",
        help="booklets for a print shop: 3 mm bleed, crop marks, pages padded to a multiple of 4",
    )
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Run one command; report content errors as path:line: messages, then abort once."""
    arguments = parse_arguments(argv)
    logging.basicConfig(level=logging.WARNING if arguments.quiet else logging.INFO, format="%(message)s")
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    project = arguments.project.resolve()
    if not (project / "content").is_dir():
        print(f"error: {project} has no content/ folder (expected a project folder)", file=sys.stderr)
        return 2
    paths = Paths(project)
    try:
        if arguments.command == "check":
            checked = check(paths)
            print(f"Checked {len(checked.workbooks)} workbooks: no problems.")
        else:
            options = BuildOptions(booklets=not arguments.no_pdf, printer=arguments.printer)
            build(paths, (arguments.output or project / "output").resolve(), options)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"Aborted with {count} content error{'s' if count != 1 else ''}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
