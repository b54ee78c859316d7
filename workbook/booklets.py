"""Which booklets to make, and making them fast: cached on their inputs, rendered by long-lived workers."""

from __future__ import annotations

import hashlib
import html as htmllib
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2

from .assets import CSS_URL
from .content import find_line
from .forms import edition
from .marks import box_map_path, box_map_script
from .model import FILLABLE_SUFFIX, Project
from .pdf import booklet_html, booklet_pdfs, press_pdf
from .press import PROFILE
from .problems import AssetError, BuildError, ContentError, Problem

logger = logging.getLogger(__name__)


STOP_SECONDS = 1.5  # how long stopping waits for the pool's manager thread once its workers are killed

# Told after each workbook's booklets: their paths, how many are done, how many in all, seconds it took.
Progress = Callable[[str, int, int, float], None]


@dataclass(frozen=True)
class Booklet:
    """A workbook's booklets made from one layout: its HTML, where they go, the hash of all that goes into them.

    A web layout makes two booklets (to print and tick, to fill in on screen) and their box map; a print shop's
    layout (`press`) makes one booklet, for press, in print/ beside them.
    """

    workbook: str  # its slug
    html: str
    key: str
    edition: str  # which workbook and edition the fillable booklet says it is (forms.edition)
    press: bool = False

    @property
    def paths(self) -> tuple[str, ...]:
        """Where its booklets go: to print and tick, and to fill in on screen; or to send to a print shop."""
        if self.press:
            return (press_path(self.workbook),)
        return f"pdf/{self.workbook}.pdf", f"pdf/{self.workbook}{FILLABLE_SUFFIX}.pdf"

    @property
    def files(self) -> tuple[str, ...]:
        """Every file its layout makes: its booklets, and (for the web's) the map of their boxes to read them ticked."""
        return self.paths if self.press else (*self.paths, box_map_path(self.workbook))


def press_path(slug: str) -> str:
    """Where a workbook's print-shop booklet goes: print/, apart from the booklets the site links to."""
    return f"print/{slug}.pdf"


def plan_booklets(env: jinja2.Environment, project: Project, root: Path, printer: bool) -> list[Booklet]:
    """List every workbook's booklets (to print, to fill in on screen, and for a print shop if asked), largest first."""
    hashes: dict[Path, str] = {}
    booklets = []
    missing: set[str] = set()
    for workbook in project.workbooks:
        booklet_edition = edition(workbook)
        for press in (False, True) if printer else (False,):
            html = booklet_html(env, project, workbook, press)
            used = linked_files(html, root) | ({PROFILE} if press else set())
            missing |= missing_glyphs(html, used)
            digest = _hash(*(f"{path}:{_file_hash(path, hashes)}" for path in sorted(used)))
            key = _hash(workbook.slug, html, digest, booklet_edition, _renderer(), "press" if press else "web")
            booklets.append(Booklet(workbook.slug, html, key, booklet_edition, press))
    if missing:
        raise ContentError([locate(char, root) for char in sorted(missing)])
    return sorted(booklets, key=lambda booklet: len(booklet.html), reverse=True)


def missing_glyphs(html: str, used: set[Path]) -> set[str]:
    """Return the characters of a booklet's text that one of its fonts has no glyph for."""
    fonts = [path for path in used if path.suffix in (".ttf", ".otf")]
    if not fonts:
        return set()
    text = htmllib.unescape(re.sub(r"<[^>]*>", " ", html.split("<body", 1)[-1]))
    covered = set.intersection(*(_glyphs(path) for path in fonts))
    return {char for char in set(text) if ord(char) not in covered and not char.isspace()}


@cache
def _glyphs(path: Path) -> set[int]:
    """Return the code points a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            return set(font.getBestCmap())
    except Exception as error:  # fontTools raises many kinds on a damaged file
        raise AssetError([Problem(str(path), 1, f"the font cannot be read ({error})")]) from None


def locate(char: str, root: Path) -> Problem:
    """Name the first content line that uses a character the booklet typeface lacks."""
    message = f"the booklet typeface has no glyph for '{char}' (U+{ord(char):04X}); use another character"
    path, line = find_line(root, char) or ("layouts/booklet.html", 1)
    return Problem(path, line, message)


def linked_files(html: str, root: Path) -> set[Path]:
    """Return the project files a booklet's HTML uses: images, stylesheets and what they load (fonts)."""
    used = {root / _local(src) for src in re.findall(r'<img [^>]*src="([^"]+)"', html)}
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        sheet = root / _local(href)
        used.add(sheet)
        if sheet.is_file():  # read_assets has checked it: UTF-8, every url() inside the project
            css = sheet.read_text("utf-8")
            used |= {sheet.parent / _local(url) for url in CSS_URL.findall(css) if not url.startswith(("data:", "#"))}
    return used


def _local(address: str) -> str:
    """Return the file path an address in HTML names: entities and %-escapes decoded ("My%20chart.png")."""
    return unquote(htmllib.unescape(address).split("#", 1)[0].split("?", 1)[0])


def _file_hash(path: Path, hashes: dict[Path, str]) -> str:
    """Hash a file's bytes once per build ('missing' for a file that is not there)."""
    if path not in hashes:
        hashes[path] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
    return hashes[path]


def _hash(*parts: str) -> str:
    """Hash some texts together."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


@cache
def _renderer() -> str:
    """What makes a PDF of a booklet's HTML, part of every booklet's hash: WeasyPrint, pikepdf and our code for them."""
    from importlib.metadata import version

    names = ("pdf.py", "forms.py", "marks.py", "tags.py", "press.py")
    code = b"".join((Path(__file__).parent / name).read_bytes() for name in names)
    return _hash(version("weasyprint"), version("pikepdf"), hashlib.sha256(code).hexdigest())


def _warm_up() -> None:
    """Get a worker ready: end with the parent, however it ends; yield to it; load WeasyPrint."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: a killed build leaves no worker behind
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C at the terminal reaches workers too: the parent decides
    os.nice(5)  # the main process's pages come first: a preview shows an edit before its booklet is done
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    import weasyprint  # noqa: F401


def _rehearse() -> None:
    """Lay out a tiny document, so that fonts and layout are set up before the first booklet."""
    import weasyprint

    weasyprint.HTML(string="<p>Ready</p>").write_pdf()


def make_booklets(booklet: Booklet, root: Path) -> dict[str, bytes]:
    """Make a layout's files (in a worker): a workbook's two booklets and their box map, or its print-shop booklet."""
    if booklet.press:
        pressed, _ = press_pdf(booklet.html, root, f"output/{booklet.paths[0]}", booklet.workbook)
        return {booklet.paths[0]: pressed}
    printed, fillable, boxes = booklet_pdfs(
        booklet.html, root, f"output/{booklet.paths[0]}", booklet.workbook, booklet.edition
    )
    made = (printed, fillable, box_map_script(booklet.workbook, boxes))
    return dict(zip(booklet.files, made, strict=True))


@dataclass(frozen=True)
class Batch:
    """Booklets being made: those the cache had, and the renders under way for the rest."""

    booklets: list[Booklet]
    cached: dict[str, bytes]
    futures: dict[Future[dict[str, bytes]], Booklet]


class BookletMaker:
    """Makes booklets: from the cache when nothing that goes into them changed, else in worker processes."""

    def __init__(self, root: Path, jobs: int | None = None) -> None:
        self.root = root
        self.cache = root / ".cache" / "booklets"
        self.jobs = jobs or os.cpu_count() or 1
        self._pool: Any = None  # a ProcessPoolExecutor, imported only when a booklet must be rendered
        self.rendering: dict[str, Future[dict[str, bytes]]] = {}  # by booklet key: renders under way, or failed
        self.rendered = 0  # booklets rendered, not taken from the cache
        self.stopped = False
        self.lock = threading.Lock()  # a preview's rebuild thread starts workers; stopping ends them from the main one

    def start(self, booklets: Iterable[Booklet]) -> Batch:
        """Take what the cache has and start rendering the rest in the workers; do not wait."""
        booklets = list(booklets)
        # Forget finished renders (their PDFs are in the cache); keep failures, so bad input is not rendered again.
        self.rendering = {
            key: job
            for key, job in self.rendering.items()
            if not job.done() or (not job.cancelled() and job.exception() is not None)
        }
        cached: dict[str, bytes] = {}
        futures = {}
        for booklet in booklets:
            pdfs = self._cached(booklet)
            if pdfs is None:
                futures[self._render(booklet)] = booklet
            else:
                cached |= pdfs
        return Batch(booklets, cached, futures)

    def finish(self, batch: Batch, progress: Progress | None = None) -> dict[str, bytes]:
        """Wait for a batch's renders and return every booklet's PDF by path."""
        started = time.perf_counter()
        for done, future in enumerate(as_completed(batch.futures), start=1):
            if progress:
                paths = " and ".join(batch.futures[future].paths)
                progress(paths, done, len(batch.futures), time.perf_counter() - started)
        raise_failures(batch.futures)
        made = dict(batch.cached)
        for future in batch.futures:
            made |= future.result()
        if batch.booklets:
            self._prune({booklet.key for booklet in batch.booklets})
        return made

    def warm(self) -> None:
        """Start the workers now, so that the first booklet the preview renders does not wait for them."""
        for _ in range(self.jobs):
            self._workers().submit(_rehearse)

    def pending(self) -> list[Future[dict[str, bytes]]]:
        """Return the renders still under way (the preview waits for each, then builds again)."""
        return [future for future in self.rendering.values() if not future.done()]

    def _render(self, booklet: Booklet) -> Future[dict[str, bytes]]:
        """Start rendering a workbook's booklets in a worker, unless that is already under way."""
        future = self.rendering.get(booklet.key)
        if future is None:
            future = self._workers().submit(make_booklets, booklet, self.root)
            future.add_done_callback(lambda done, booklet=booklet: self._store(booklet, done))
            self.rendering[booklet.key] = future
        return future

    def __enter__(self) -> BookletMaker:
        """Use the maker for one build."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop its workers when the build is done, however it ends."""
        self.close()

    def close(self) -> None:
        """End the worker processes now, mid-render if need be: a render takes seconds, stopping must not."""
        with self.lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        # ProcessPoolExecutor has no public way to end its workers before Python 3.14 (kill_workers), nor to
        # wait a bounded time for its manager thread: once that has seen the workers die and closed its pipe,
        # Python's exit cannot race it (an "Exception ignored ... Bad file descriptor" traceback).
        manager = pool._executor_manager_thread
        for process in list((pool._processes or {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        if manager is not None:
            manager.join(timeout=STOP_SECONDS)

    def stop(self) -> None:
        """End the workers for good: no build may start new ones (the preview is stopping)."""
        with self.lock:
            self.stopped = True
        self.close()

    def recover(self) -> None:
        """After a worker died: end the broken pool and forget its renders, so that the next build starts afresh."""
        self.close()
        self.rendering = {
            key: job
            for key, job in self.rendering.items()
            if job.done() and not job.cancelled() and not isinstance(job.exception(), BrokenProcessPool)
        }

    def _workers(self) -> Any:
        """Start the worker processes the first time they are needed, then keep them."""
        with self.lock:
            if self.stopped:
                raise RuntimeError("the booklet workers are stopping")
            if self._pool is None:
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_warm_up)
            return self._pool

    def _cached(self, booklet: Booklet) -> dict[str, bytes] | None:
        """Return a workbook's booklets and box map from the cache, if nothing that goes into them changed."""
        files = [self.cache / f"{booklet.key}.{index}" for index in range(len(booklet.files))]
        try:
            made = [file.read_bytes() for file in files]
            digests = (self.cache / f"{booklet.key}.sha256").read_text("ascii").split()
        except (OSError, UnicodeDecodeError):
            return None
        if [hashlib.sha256(content).hexdigest() for content in made] != digests:
            return None  # truncated or changed since it was stored: render them again
        for file in files:
            file.touch()
        return dict(zip(booklet.files, made, strict=True))

    def _prune(self, keep: set[str]) -> None:
        """Forget cached booklets that no build has used for a day."""
        stale = time.time() - 86400
        for path in self.cache.glob("*.sha256") if self.cache.is_dir() else []:
            if path.stem not in keep and path.stat().st_mtime < stale:
                for kept in self.cache.glob(f"{path.stem}.*"):
                    kept.unlink(missing_ok=True)

    def _store(self, booklet: Booklet, future: Future[dict[str, bytes]]) -> None:
        """Keep newly rendered booklets in the cache under their inputs' hash (each written whole, then renamed)."""
        if future.cancelled() or future.exception() is not None:
            return
        self.rendered += len(booklet.paths)
        made = [future.result()[path] for path in booklet.files]
        digests = "\n".join(hashlib.sha256(content).hexdigest() for content in made)
        files = {str(index): content for index, content in enumerate(made)} | {"sha256": digests.encode("ascii")}
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            for suffix, content in files.items():  # the digests last: until they are there, nothing is taken
                partial = self.cache / f"{booklet.key}.{os.getpid()}.{threading.get_ident()}.part"
                partial.write_bytes(content)
                partial.replace(self.cache / f"{booklet.key}.{suffix}")
        except OSError as error:  # a read-only or full .cache only costs the next build a render
            logger.warning("could not keep %s in %s (%s)", booklet.paths[0], self.cache, error.strerror)


def raise_failures(futures: Iterable[Future[Any]]) -> None:
    """Raise every problem the given (finished) renders met, together, as the error of their kind."""
    errors = [error for future in futures if (error := future.exception()) is not None]
    for error in errors:
        if not isinstance(error, BuildError):
            raise error
    if errors:
        kind = type(errors[0])
        raise kind([problem for error in errors if isinstance(error, BuildError) for problem in error.problems])
