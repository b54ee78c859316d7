"""Live preview: build, serve output/ on 127.0.0.1, rebuild on every saved change, reload the browser."""

from __future__ import annotations

import html
import logging
import mimetypes
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .booklets import Batch, Booklet, BookletMaker, Progress, raise_failures
from .pipeline import BuildOptions, Paths, build
from .problems import BuildError

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.025  # how often sources are checked for changes
QUIET_SECONDS = 0.035  # saves closer together than this give one rebuild

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class Preview:
    """The preview's state: the last build's problems, shown on every page until fixed."""

    problems: list[str]
    summary: str = ""  # "Aborted with 2 content errors."


class PreviewBooklets:
    """The preview's booklets: never waited for; the last built PDF stands in for one still rendering.

    The printed booklets start first and their fillable twins in the next round, so that the
    booklet being edited is ready sooner; each finished render triggers another build.
    """

    def __init__(self, maker: BookletMaker, output: Path) -> None:
        self.maker, self.output = maker, output

    def start(self, booklets: list[Booklet]) -> Batch:
        """Start the printed booklets that the cache lacks; the fillable ones wait for the next round."""
        return self.maker.start(booklets, now=lambda booklet: not booklet.options.fillable)

    def finish(self, batch: Batch, progress: Progress | None = None) -> dict[str, bytes]:
        """Return the cached PDFs, and for the rest the ones output/ holds now; raise a finished render's failure."""
        raise_failures(future for future in batch.futures if future.done())
        still = [*batch.futures.values(), *batch.waiting]
        stale = {booklet.path: self.output / booklet.path for booklet in still}
        return batch.cached | {path: file.read_bytes() for path, file in stale.items() if file.is_file()}


def source_stamps(paths: Paths) -> dict[Path, tuple[int, int]]:
    """Return every source file's modification time and size."""
    stamps = {}
    for folder in (paths.content, paths.layouts, paths.assets):
        for path in folder.rglob("*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps[path] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def static_app(output: Path, preview: Preview) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """Return a WSGI app serving files under output/ only; build errors are shown on every page."""
    root = output.resolve()

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one file, or 404 for anything outside output/."""
        path = resolve_request(root, str(environ.get("PATH_INFO", "/")))
        if path is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Not found"]
        body = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "text/html" and preview.problems:
            body = body.replace(
                b"<body>", b"<body>" + error_banner(preview.problems, preview.summary).encode("utf-8"), 1
            )
        start_response("200 OK", [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [body]

    return app


def resolve_request(root: Path, request: str) -> Path | None:
    """Map a request path to a file inside root, or None: no '..', no absolute paths, no symlinks out."""
    parts = [part for part in request.split("/") if part]
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        return None
    path = root.joinpath(*parts)
    if path.is_dir():
        path = path / "index.html"
    try:
        resolved = path.resolve()
    except OSError:
        return None
    return resolved if resolved.is_relative_to(root) and resolved.is_file() else None


def error_banner(problems: list[str], summary: str) -> str:
    """Return the banner a page shows while the content has mistakes."""
    items = "".join(f"<li><code>{html.escape(problem)}</code></li>" for problem in problems)
    return (
        '<div role="alert" style="background:#fde8e8;color:#5c0000;border:3px solid #b00020;'
        'padding:1rem;margin:0;font:16px/1.5 sans-serif">'
        f"<strong>The last change was not built. {html.escape(summary)}</strong> "
        f"This page shows the last good build.<ul>{items}</ul></div>"
    )


class Rebuilder:
    """Rebuilds after changes: the pages at once (booklets as they were), then the booklets."""

    def __init__(self, paths: Paths, output: Path, options: BuildOptions, preview: Preview, reload: Callable[[], None]):
        self.paths, self.output, self.options = paths, output, options
        self.preview, self.reload = preview, reload
        self.maker = BookletMaker(paths.root, options.jobs)
        self.booklets = PreviewBooklets(self.maker, output)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild")
        self.pending = 0
        self.lock = threading.Lock()

    def request(self) -> None:
        """Ask for a rebuild; requests that pile up while one runs give a single rebuild."""
        with self.lock:
            self.pending += 1
        self.thread.submit(self._run)

    def _run(self) -> None:
        """Rebuild the pages at once, then again as each changed booklet is ready; stop for a newer change."""
        with self.lock:
            if self.pending == 0:
                return
            self.pending = 0
        ok = self._build()
        while ok and not self.pending and (rendering := self.maker.pending()):
            done, _ = wait(rendering, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            if done and not self.pending:
                ok = self._build()

    def _build(self) -> bool:
        """Run one build; on a content mistake, keep the last good output and show the problems."""
        started = time.perf_counter()
        try:
            result = build(self.paths, self.output, self.options, self.booklets)
        except BuildError as error:
            self.preview.problems = [str(problem) for problem in error.problems]
            self.preview.summary = error.summary()
            for problem in self.preview.problems:
                logger.error("%s", problem)
            logger.error("%s Still serving the last good build.", error.summary())
            self.reload()
            return False
        was_broken = bool(self.preview.problems)
        self.preview.problems = []
        if result.changed or was_broken:
            logger.info("rebuilt in %.2f s: %d files changed", time.perf_counter() - started, len(result.changed))
            self.reload()
        return True

    def close(self) -> None:
        """Stop rebuilding and stop the booklet workers."""
        self.thread.shutdown(wait=True, cancel_futures=True)
        self.maker.close()


def watch(paths: Paths, on_change: Callable[[], None], stop: threading.Event) -> None:
    """Poll the sources; after a burst of saves goes quiet, call on_change once."""
    stamps = source_stamps(paths)
    changed_at: float | None = None
    while not stop.wait(POLL_SECONDS):
        now = source_stamps(paths)
        if now != stamps:
            stamps, changed_at = now, time.monotonic()
        elif changed_at is not None and time.monotonic() - changed_at >= QUIET_SECONDS:
            changed_at = None
            on_change()


def _interrupt(signum: int, frame: object) -> None:
    """Stop serving on SIGTERM as on Ctrl+C, so the workers are stopped too."""
    raise KeyboardInterrupt


def serve(paths: Paths, output: Path, options: BuildOptions, host: str, port: int) -> None:
    """Build, then serve output/ with live reload until interrupted."""
    import livereload
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    if host not in ("127.0.0.1", "localhost", "::1"):
        logger.warning("serving on %s: anyone who can reach this machine can read the preview", host)
    preview = Preview(problems=[])
    loop: list[IOLoop] = []

    def reload() -> None:
        """Tell every open browser tab to reload, from the server's own thread."""
        if loop:
            loop[0].add_callback(LiveReloadHandler.reload_waiters)

    rebuilder = Rebuilder(paths, output, options, preview, reload)
    if options.booklets:
        rebuilder.maker.warm()
    rebuilder.request()
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(paths, rebuilder.request, stop), daemon=True)
    watcher.start()
    server = livereload.Server(app=static_app(output, preview))
    server.watch(str(paths.root / "build.py"), delay="forever")  # livereload's own watcher: idle
    loop.append(IOLoop.current())
    signal.signal(signal.SIGTERM, _interrupt)
    logger.info("serving %s on http://%s:%d/ (Ctrl+C to stop)", output, host, port)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        stop.set()
        rebuilder.close()
