"""Benchmark the build, as a publisher meets it: `python -m tests.benchmark [--jobs N]`.

Builds all the workbooks in a copy of the project and reports, in one run on this machine:
(a) a clean build, (b) the floor: each booklet (printed, and fillable) rendered by bare WeasyPrint from
the same HTML in the same number of processes, and their ratio; (c) a rebuild with nothing changed; (d) one
statement edited while serving: the time until its HTML page is updated and until both its booklets are,
beside (d') the time bare WeasyPrint takes to render that one booklet; (e) the build's peak memory; (f) reading
ticked booklets on the scoring page: a set of synthetic scans and photos (tests/scans.py, seed READING_SEED) read
through the real page in Chromium, with the topics read right, read wrong and flagged, and the time per page;
in Chromium at phone width, (g) a tick's interaction on the largest scoring pages with the CPU slowed four
times (Event Timing), (h) a tick with 2,000 assessments stored, (i) the cumulative layout shift of loading each
page type, the web font arriving late (a PerformanceObserver), (j) the search page's first paint.
The figures are printed and written to benchmark-results.md.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.browser import chromium
from tests.conftest import REPO
from tests.interaction import tick_timings, tick_with_stored
from tests.reading import Tally, read_set
from tests.scans import make_set
from tests.shifts import first_paint, layout_shift, page_urls, served
from workbook.booklets import plan_booklets
from workbook.readers import read_project
from workbook.templates import make_environment

EDITED_FILE = "content/homecare/sections/the-person.yaml"
EDITED_PAGE = "output/homecare/sections/the-person.html"
EDITED_BOOKLETS = ("output/pdf/homecare.pdf", "output/pdf/homecare-fillable.pdf")
OLD_WORDS = "We have only very basic information about the person and their needs."
NEW_WORDS = "We have only the most basic information about the person and their needs."


def copy_project(folder: Path) -> Path:
    """Copy the project's sources (not its output or cache) into a fresh folder."""
    root = folder / "project"
    for part in ("content", "layouts", "assets", "workbook"):
        shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "build.py", root / "build.py")
    return root


def tree_rss(pid: int) -> int:
    """Return the resident memory of a process and all its descendants, in bytes."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in (Path("/proc") / str(current) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


def run_build(root: Path, jobs: int) -> float:
    """Run `build.py` as a user would; return its wall time."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(root / "build.py"), "--quiet", "--jobs", str(jobs)], cwd=root, check=True)
    return time.perf_counter() - started


def peak_memory(root: Path, jobs: int) -> int:
    """Run a clean build again, sampling the memory of its whole process tree; return the peak in bytes.

    A separate run, so that sampling costs the timed build nothing.
    """
    shutil.rmtree(root / ".cache", ignore_errors=True)
    shutil.rmtree(root / "output", ignore_errors=True)
    process = subprocess.Popen([sys.executable, str(root / "build.py"), "--quiet", "--jobs", str(jobs)], cwd=root)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.05)
    if process.returncode != 0:
        raise SystemExit(f"build failed with exit code {process.returncode}")
    return peak


def bare_render(html: str, base_url: str, fillable: bool) -> int:
    """Render one booklet with WeasyPrint alone, as a reference."""
    import weasyprint

    return len(weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", pdf_forms=fillable))


def bare_weasyprint(root: Path, jobs: int, only: str | None = None) -> float:
    """Render each booklet (printed, and fillable) from its HTML with bare WeasyPrint in `jobs` processes.

    With `only`, that one booklet: a path such as "pdf/homecare.pdf".
    """
    project = read_project(root / "content")
    booklets = plan_booklets(make_environment(root / "layouts"), project, root, printer=False)
    renders = [
        (booklet.html, fillable)
        for booklet in booklets
        for path, fillable in zip(booklet.paths, (False, True), strict=True)
        if only in (None, path)
    ]
    base_url = f"{root.as_uri()}/"
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(bare_render, [html for html, _ in renders], [base_url] * len(renders), [f for _, f in renders]))
    return time.perf_counter() - started


def wait_until(check: Callable[[], bool], seconds: float = 120) -> float:
    """Poll check() every 2 ms until it is true; return when that was."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if check():
            return time.perf_counter()
        time.sleep(0.002)
    raise SystemExit("timed out waiting for the preview")


def signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when the build puts a new file in place (None while there is none)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def edit_while_serving(root: Path, jobs: int) -> tuple[float, float]:
    """Edit one statement under `build.py serve`; return seconds until its page, then both its booklets, changed."""
    port = 8765
    command = [sys.executable, str(root / "build.py"), "serve", "--port", str(port), "--jobs", str(jobs)]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page, booklets, source = root / EDITED_PAGE, [root / path for path in EDITED_BOOKLETS], root / EDITED_FILE
    try:
        time.sleep(3)  # the first build (all from cache) and the server start
        before = [signature(booklet) for booklet in booklets]
        text = source.read_text("utf-8")
        assert OLD_WORDS in " ".join(text.split()), "the benchmark's statement is not in the content"
        edited = text.replace("We have only very basic information", "We have only the most basic information", 1)
        started = time.perf_counter()
        source.write_text(edited, "utf-8")
        html_done = wait_until(lambda: page.is_file() and "the most basic information" in page.read_text("utf-8"))
        pdf_done = wait_until(lambda: all(signature(file) != old for file, old in zip(booklets, before, strict=True)))
        return html_done - started, pdf_done - started
    finally:
        process.terminate()
        process.wait(timeout=30)


READING_SEED, READING_COUNT = 2026, 60  # the benchmark's pictures: not the test suite's (tests/test_paper_reader.py)


def read_ticked_booklets(output: Path) -> Tally:
    """Make the benchmark's pictures of ticked pages from the built booklets, and read them on the scoring pages."""
    with tempfile.TemporaryDirectory() as folder:
        cases = make_set(output, Path(folder), READING_SEED, READING_COUNT)
        with chromium() as browser:
            return read_set(browser, output, Path(folder), cases)


TICKED_WORKBOOKS = ("health-check", "homecare")  # the largest scoring pages: 3 levels x 48 features, 26 topics
SLOWDOWN = 4  # CPU throttling for the scoring and search pages: a mid-range phone
STORED = 2000  # assessments saved in the browser for (h)
FONT_DELAY_MS = 500  # the web font held back, as a slow network would, for (i)


@dataclass(frozen=True)
class PageFigures:
    """What the browser measures: interaction times, layout shift, first paint."""

    ticks: dict[str, list[float]]  # by workbook: each tick's interaction, ms, CPU slowed
    stored: list[float]  # each tick with STORED assessments saved, ms
    shifts: dict[str, float]  # by page type: cumulative layout shift at phone width
    search_paint: float  # the search page's first contentful paint, ms, CPU slowed, slow network
    home_paint: float  # the home page's, the same way: a page with no index to load


def measure_pages(output: Path) -> PageFigures:
    """Drive the built pages in Chromium: tick the scoring pages, load every page type, time the search page."""
    with chromium() as browser:
        ticks = {slug: tick_timings(browser, output, slug, slowdown=SLOWDOWN) for slug in TICKED_WORKBOOKS}
        stored = tick_with_stored(browser, output, "homecare", assessments=STORED)
        with served(output) as base:
            urls = page_urls(base, output) | {"score": f"{base}homecare/score/index.html"}
            shifts = {kind: layout_shift(browser, url, font_delay_ms=FONT_DELAY_MS) for kind, url in urls.items()}
            search_paint = first_paint(browser, urls["search"], slowdown=SLOWDOWN)
            home_paint = first_paint(browser, urls["home"], slowdown=SLOWDOWN)
    return PageFigures(ticks, stored, shifts, search_paint, home_paint)


def percentile(values: list[float], share: float) -> float:
    """The value at or under which `share` of the values fall (nearest rank)."""
    ranked = sorted(values)
    return ranked[max(0, math.ceil(share * len(ranked)) - 1)]


def page_rows(pages: PageFigures) -> list[tuple[str, str]]:
    """The browser's figures as rows of the report."""
    rows = [
        (
            f"(g) a tick on the {slug} scoring page, CPU {SLOWDOWN}x slower ({len(times)} ticks, Event Timing)",
            f"p75 {percentile(times, 0.75):.0f} ms, max {max(times):.0f} ms (target p75 at most 100 ms, max 200 ms)",
        )
        for slug, times in pages.ticks.items()
    ]
    rows.append(
        (
            f"(h) a tick with {STORED:,} assessments stored ({len(pages.stored)} ticks, no slowdown)",
            f"max {max(pages.stored):.0f} ms (target at most 200 ms)",
        )
    )
    shifts = ", ".join(f"{kind} {shift:.3f}" for kind, shift in pages.shifts.items())
    rows.append(
        (
            f"(i) cumulative layout shift at 390 px, font {FONT_DELAY_MS} ms late",
            f"at most {max(pages.shifts.values()):.3f} (target at most 0.05): {shifts}",
        )
    )
    rows.append(
        (
            f"(j) first contentful paint, CPU {SLOWDOWN}x slower, slow 4G: search page (its index to load) / home page",
            f"{pages.search_paint:.0f} ms / {pages.home_paint:.0f} ms",
        )
    )
    return rows


def main() -> None:
    """Run every measurement once, print the figures and write them to a file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=REPO / "benchmark-results.md")
    arguments = parser.parse_args()
    jobs = arguments.jobs
    with tempfile.TemporaryDirectory() as folder:
        root = copy_project(Path(folder))
        clean = run_build(root, jobs)
        bare = bare_weasyprint(root, jobs)
        unchanged = run_build(root, jobs)
        one_booklet = bare_weasyprint(root, 1, only="pdf/homecare.pdf")
        html_seconds, pdf_seconds = edit_while_serving(root, jobs)
        peak = peak_memory(root, jobs)
        reading = read_ticked_booklets(root / "output")
        pages = measure_pages(root / "output")
    rows = [
        ("(a) clean build, all booklets and pages", f"{clean:.2f} s"),
        ("(b) bare WeasyPrint, same booklets, same HTML, same processes", f"{bare:.2f} s"),
        ("(a) / (b)", f"{clean / bare:.3f} (target at most 0.65)"),
        (
            "(c) rebuild with nothing changed",
            f"{unchanged:.2f} s, {100 * unchanged / clean:.1f}% of (a) (target under 5%)",
        ),
        ("(d) one statement edited while serving: its page updated", f"{html_seconds * 1000:.0f} ms (target 300 ms)"),
        (
            "(d) ... both its booklets updated",
            f"{pdf_seconds:.2f} s, {pdf_seconds / one_booklet:.2f}x (d') (target 1.15x)",
        ),
        ("(d') bare WeasyPrint rendering that one booklet (homecare.pdf)", f"{one_booklet:.2f} s"),
        ("(e) peak memory of the whole build (all processes)", f"{peak / 2**20:.0f} MB (target under 600 MB)"),
        (f"(f) ticked pages read on the scoring page ({len(reading.seconds)} pictures)", reading.summary()),
        ("(f) ... marked topics read right", f"{100 * reading.right_share:.1f}% (target at least 99%, none wrong)"),
        ("(f) ... time per page in Chromium", f"{reading.seconds_per_page:.2f} s (target at most 1.5 s)"),
        *page_rows(pages),
    ]
    table = "\n".join(["| measure | figure |", "| --- | --- |", *(f"| {name} | {figure} |" for name, figure in rows)])
    report = f"Benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, --jobs {jobs}\n\n{table}\n"
    arguments.out.write_text(report, "utf-8")
    print(report)


if __name__ == "__main__":
    main()
