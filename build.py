"""Build the workbooks: `python build.py [build|check|serve] [options]`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from workbook.output import OutputError, OutputRefused, check_output
from workbook.pipeline import BuildOptions, Paths, build, check
from workbook.problems import BuildError

ROOT = Path(__file__).resolve().parent


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description="Build the workbooks' site, booklets and scoring pages.")
    parser.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=("build", "check", "serve"),
        help="build (default) writes output/; check only checks; serve previews with live reload",
    )
    parser.add_argument("--project", type=Path, default=ROOT, help="the project folder (default: this one)")
    parser.add_argument("--output", type=Path, help="where to build (default: PROJECT/output)")
    parser.add_argument("--no-pdf", action="store_true", help="build the site only, without the booklets")
    parser.add_argument(
        "--printer",
        action="store_true",
        help="also booklets for a print shop, in OUTPUT/print/: PDF/X-4 in CMYK, bleed, crop marks, whole sheets",
    )
    parser.add_argument("--jobs", type=int, help="booklets rendered at once (default: one per core)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: the address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: the port (default 8000)")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    arguments = parser.parse_args(argv)
    if arguments.jobs is not None and arguments.jobs < 1:
        parser.error("--jobs must be 1 or more")
    if not 1 <= arguments.port <= 65535:
        parser.error(f"argument --port: {arguments.port} is out of range (choose a port from 1 to 65535)")
    return arguments


def show_progress(path: str, done: int, total: int, seconds: float) -> None:
    """Show which booklet finished, how many are done and the time taken, on a terminal only."""
    end = "\n" if done == total else ""
    print(f"\r\033[Kbooklets: {done}/{total} done, {seconds:.1f} s, last {path}", end=end, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    """Run one command; say every mistake in plain sentences (path:line: for content), then abort once."""
    arguments = parse_arguments(argv)
    logging.basicConfig(level=logging.WARNING if arguments.quiet else logging.INFO, format="%(message)s")
    for noisy in ("weasyprint", "fontTools", "tornado.access", "livereload", "pikepdf"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    project = arguments.project.resolve()
    if not (project / "content").is_dir():
        print(f"error: {project} has no content/ folder (expected a project folder)", file=sys.stderr)
        return 2
    output = (arguments.output or project / "output").absolute()
    try:
        return run(arguments, Paths(project), output)
    except BuildError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(error.summary(), file=sys.stderr)
    except OutputRefused as error:
        print(f"error: {error}", file=sys.stderr)
    except OutputError as error:
        print(
            f"error: could not write the output ({error.strerror}) to {error.path}; {output} is as it was",
            file=sys.stderr,
        )
    except OSError as error:
        print(f"error: could not read {error.filename or 'a file'} ({error.strerror or error})", file=sys.stderr)
    except KeyboardInterrupt:  # Ctrl+C: the workers are ended; the output is swapped in whole or not at all
        print(f"Interrupted: {output} holds the last whole build.", file=sys.stderr)
        return 130
    return 1


def run(arguments: argparse.Namespace, paths: Paths, output: Path) -> int:
    """Check, build or serve, as the command line asks."""
    options = BuildOptions(booklets=not arguments.no_pdf, printer=arguments.printer, jobs=arguments.jobs)
    if arguments.command == "check":
        checked = check(paths)
        print(f"Checked {len(checked.workbooks)} workbooks: no problems.")
        return 0
    output = check_output(output, paths)  # refused before any work: a folder this build may not own
    if arguments.command == "serve":
        from workbook.serve import ServeError, serve

        try:
            serve(paths, output, options, arguments.host, arguments.port)
        except ServeError as error:  # a port in use, a --host that is not this machine's: before any build
            print(f"error: {error}", file=sys.stderr)
            return 2
        return 0
    progress = show_progress if sys.stderr.isatty() and not arguments.quiet else None
    build(paths, output, options, progress=progress)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
