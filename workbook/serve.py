"""Live preview: build, serve output/ on 127.0.0.1, rebuild on every saved change, reload the browser.

The preview is for the publisher's own machine: it answers only requests addressed to it by its own
name (a page of another site, even one whose name was pointed at 127.0.0.1, is refused), it never
shows a traceback, and Ctrl+C or SIGTERM stop it at once, booklet workers included.
"""

from __future__ import annotations

import asyncio
import errno
import html
import ipaddress
import logging
import mimetypes
import os
import re
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httputil, web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.websocket import WebSocketClosedError

from .booklets import Batch, Booklet, BookletMaker, Progress, raise_failures
from .pipeline import BuildOptions, Paths, build
from .problems import BuildError, shown_path
from .templates import layout_problem

logger = logging.getLogger(__name__)

STEP_MS = 25  # how often the watcher looks at what inotify reported (no file is read or listed)
QUIET_SECONDS = 0.035  # saves closer together than this give one rebuild
RENDER_POLL_SECONDS = 0.025  # while booklets render, how often the rebuild looks up for a newer save
STOP_SECONDS = 1.5  # how long stopping waits for a build under way to finish writing
SETTLED_NS = 20_000_000  # a file last changed this long before a build began is certainly what it read
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})

Stamp = tuple[int, int, int, int]  # a file's change time, modification time, size and inode


class ServeError(Exception):
    """The preview cannot start: one sentence naming the option to change."""


@dataclass
class Preview:
    """The preview's state: the last build's problems, shown on every page until fixed."""

    problems: list[str]
    summary: str = ""  # "Aborted with 2 content errors."


class PreviewBooklets:
    """The preview's booklets: never waited for; the last built PDFs stand in for those still rendering.

    Each finished render triggers another build, which takes the new booklets from the cache.
    """

    def __init__(self, maker: BookletMaker, output: Path) -> None:
        self.maker, self.output = maker, output

    def start(self, booklets: list[Booklet]) -> Batch:
        """Start rendering the booklets that the cache lacks."""
        return self.maker.start(booklets)

    def finish(self, batch: Batch, progress: Progress | None = None) -> dict[str, bytes]:
        """Return the cached booklets, and for the rest what output/ holds now; raise a finished render's failure."""
        raise_failures(future for future in batch.futures if future.done())
        stale = {path: self.output / path for booklet in batch.futures.values() for path in booklet.files}
        return batch.cached | {path: file.read_bytes() for path, file in stale.items() if file.is_file()}


def stamp(path: Path) -> Stamp | None:
    """Return what changes when a file is saved (None once it is gone)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ctime_ns, info.st_mtime_ns, info.st_size, info.st_ino)


def failure(error: Exception, paths: Paths) -> str:
    """Say in one sentence why a build stopped that was not a mistake in the content: a file, a worker, a bug."""
    if isinstance(error, BrokenProcessPool):
        return (
            "a booklet worker process stopped unexpectedly (out of memory, or ended from outside); "
            "save a file to try again"
        )
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        if error.filename is None:
            return f"a file could not be read or written ({reason})"
        return f"{shown_path(Path(os.fsdecode(error.filename)), paths.root)}: could not be read or written ({reason})"
    layouts = (paths.layouts, paths.layouts.resolve())
    if any(
        Path(frame.filename).is_relative_to(folder)
        for frame in traceback.extract_tb(error.__traceback__)
        for folder in layouts
    ):
        return str(layout_problem(error, paths.layouts, paths.root))
    said = " ".join(str(error).split())[:300]
    return f"the build stopped on an unexpected {type(error).__name__}" + (f": {said}" if said else "")


class Rebuilder:
    """Rebuilds after changes: the pages at once (booklets as they were), then the booklets."""

    def __init__(self, paths: Paths, output: Path, options: BuildOptions, preview: Preview, reload: Callable[[], None]):
        self.paths, self.output, self.options = paths, output, options
        self.preview, self.reload = preview, reload
        self.maker = BookletMaker(paths.root, options.jobs)
        self.booklets = PreviewBooklets(self.maker, output)
        self.lock = threading.Lock()
        self.changed: set[Path] = set()  # saved since the last build began
        self.forced = False  # a build is due whatever the files say (the first one)
        self.read: dict[Path, Stamp | None] = {}  # files as the builds so far certainly read them
        self.wanted = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="rebuild", daemon=True)

    def start(self) -> None:
        """Start the rebuild thread, and the first build."""
        self.thread.start()
        self.request()

    def request(self, changed: Iterable[Path] | None = None) -> None:
        """Ask for a rebuild for these saved files (for no file: whatever they say); saves close together give one."""
        with self.lock:
            if changed is None:
                self.forced = True
            else:
                self.changed.update(changed)
        self.wanted.set()

    def _loop(self) -> None:
        """Rebuild when asked until stopped; should rebuilding itself fail, say so rather than stop unseen."""
        try:
            self._rebuild_when_asked()
        except Exception as error:
            logger.debug("rebuilding failed", exc_info=error)
            self.preview.problems = [failure(error, self.paths)]
            self.preview.summary = "The preview stopped rebuilding: restart it."
            logger.error("%s %s", self.preview.problems[0], self.preview.summary)
            self.reload()

    def _rebuild_when_asked(self) -> None:
        """Build once per burst of saves, then again as each booklet that build started is ready."""
        rendering: list[Future[dict[str, bytes]]] = []
        while not self.stopping.is_set():
            if rendering and not self.wanted.is_set():
                done, _ = wait(rendering, timeout=RENDER_POLL_SECONDS, return_when=FIRST_COMPLETED)
                if not done or self.wanted.is_set() or self.stopping.is_set():
                    continue
            else:
                self.wanted.wait()
                if self.stopping.is_set():
                    return
                self.wanted.clear()
                if not self._due():
                    continue
            ok = self._build()
            rendering = self.maker.pending() if ok else []

    def _due(self) -> bool:
        """Wait for a burst of saves to end; say whether it changed anything that the last builds did not read."""
        stamps = self._settle()
        with self.lock:
            forced, self.forced = self.forced, False
        if not forced and all(path in self.read and self.read[path] == now for path, now in stamps.items()):
            return False  # the tail of a burst that the last build already read
        begun = time.time_ns()
        for path, now in stamps.items():
            if now is None or now[0] < begun - SETTLED_NS:
                self.read[path] = now
            else:
                self.read.pop(path, None)
        return True

    def _settle(self) -> dict[Path, Stamp | None]:
        """Wait until the saved files have been still for QUIET_SECONDS; return how they stand, and take them."""
        seen: dict[Path, Stamp | None] | None = None
        while True:
            with self.lock:
                stamps = {path: stamp(path) for path in self.changed}
            if stamps == seen or self.stopping.is_set():
                break
            seen = stamps
            newest = max((now[0] for now in stamps.values() if now is not None), default=0)
            pause = min(QUIET_SECONDS, QUIET_SECONDS - (time.time_ns() - newest) / 1e9)
            if pause <= 0:
                break
            self.stopping.wait(pause)
        with self.lock:
            self.changed -= stamps.keys()
        return stamps

    def _build(self) -> bool:
        """Run one build; on any failure, keep the last good output and show why on every page."""
        started = time.perf_counter()
        try:
            result = build(self.paths, self.output, self.options, self.booklets)
        except Exception as error:
            if self.stopping.is_set():
                return False  # the workers were ended to stop: nothing to tell
            if isinstance(error, BuildError):
                problems, summary = [str(problem) for problem in error.problems], error.summary()
            else:
                logger.debug("the build failed", exc_info=error)
                problems, summary = [failure(error, self.paths)], "Aborted: the build failed."
                if isinstance(error, BrokenProcessPool):
                    self.maker.recover()
            self.preview.problems, self.preview.summary = problems, summary
            for problem in problems:
                logger.error("%s", problem)
            logger.error("%s Still serving the last good build.", summary)
            self.reload()
            return False
        was_broken = bool(self.preview.problems)
        self.preview.problems = []
        if result.changed or was_broken:
            logger.info("rebuilt in %.2f s: %d files changed", time.perf_counter() - started, len(result.changed))
            self.reload()
        return True

    def close(self) -> None:
        """Stop rebuilding: end the booklet workers at once, and give a build under way a moment to finish."""
        self.stopping.set()
        self.wanted.set()
        self.maker.stop()
        if self.thread.is_alive():
            self.thread.join(timeout=STOP_SECONDS)


def watch(paths: Paths, on_change: Callable[[set[Path]], None], stop: threading.Event) -> None:
    """Wait for saves under content/, layouts/ and assets/ (inotify: nothing is polled); tell on_change which."""
    folders = [folder for folder in (paths.content, paths.layouts, paths.assets) if folder.is_dir()]
    for polling in (False, True):
        try:
            for changes in watchfiles.watch(
                *folders, step=STEP_MS, rust_timeout=0, stop_event=stop, raise_interrupt=False, force_polling=polling
            ):
                on_change({Path(path) for _, path in changes})
            return
        except Exception as error:  # the system's watch limit, a folder gone: one sentence, never a traceback
            if polling:
                logger.error("stopped watching for changes (%s); restart the preview to see further edits", error)
                return
            logger.warning("cannot watch for changes with inotify (%s); checking every 300 ms instead", error)


def is_loopback(host: str) -> bool:
    """Say whether an address or name is this machine's loopback (reachable from this machine only)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def own_hosts(host: str, port: int) -> Callable[[str], bool]:
    """Return a test of a Host header (or an origin's host:port): does it name this preview?

    On loopback: 127.0.0.1, localhost and [::1], at the port. On another --host: that host at the port;
    listening on every address (0.0.0.0 or ::), also this machine's own name and any address (an address,
    unlike a name, cannot be pointed elsewhere by a page's DNS).
    """
    names = {host.lower().strip("[]")}
    everywhere = host in ("", "0.0.0.0", "::")
    if is_loopback(host) or everywhere:
        names |= LOOPBACK_NAMES
    if everywhere:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}

    def own(value: str) -> bool:
        """Say whether a Host header names this preview."""
        match = re.fullmatch(r"(\[[0-9a-f:.]+\]|[^:\[\]/@\s]+)(?::([0-9]{1,5}))?", value.lower())
        if match is None or int(match[2] or 80) != port:
            return False
        name = match[1].strip("[]")
        if name in names:
            return True
        if not everywhere:
            return False
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False  # another name: it could be any site's, pointed at this machine
        return True

    return own


def shown_address(host: str, port: int) -> str:
    """Return the preview's address as a browser takes it."""
    name = f"[{host}]" if ":" in host else host or "0.0.0.0"
    return f"http://{name}:{port}/"


def listen(host: str, port: int) -> list[socket.socket]:
    """Open the preview's sockets, before the first build: a port in use or a bad --host is said at once."""
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise ServeError(f"--host {host} is not a valid address (four numbers from 0 to 255)") from None
    try:
        return bind_sockets(port, address=host or None)
    except socket.gaierror as error:
        raise ServeError(
            f"--host {host} is not an address or a name this machine knows ({error.strerror}); "
            "the default, 127.0.0.1, serves this machine only"
        ) from None
    except OverflowError:
        raise ServeError(f"--port {port} is out of range (choose a port from 1 to 65535)") from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(
                f"--port {port} is already in use on {host}; stop what is using it or choose another port with --port"
            ) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise ServeError(
                f"--host {host} is not an address of this machine; the default, 127.0.0.1, serves this machine only"
            ) from None
        if error.errno == errno.EACCES:
            raise ServeError(
                f"--port {port} needs administrator rights (ports below 1024); choose a port from 1024 to 65535"
            ) from None
        raise ServeError(f"cannot listen on --host {host} --port {port} ({error.strerror or error})") from None


def resolve_request(root: Path, request: bytes) -> Path | None:
    """Map a request path (as sent, %-escaped) to a file inside root, or None.

    None for '..' and '.', backslashes, NUL, a segment longer than a file name can be, a path the
    system refuses, and anything that is not a file under root (no symlinks out).
    """
    parts = [part for part in unquote_to_bytes(request).split(b"/") if part]
    if any(part in (b".", b"..") or b"\\" in part or b"\0" in part or len(part) > 255 for part in parts):
        return None
    try:
        path = root.joinpath(*(os.fsdecode(part) for part in parts))
        if path.is_dir():
            path = path / "index.html"
        resolved = path.resolve()
        return resolved if resolved.is_relative_to(root) and resolved.is_file() else None
    except (OSError, ValueError):  # a name too long for the system, and the like: nothing to serve
        return None


BODY = re.compile(rb"<body\b[^>]*>")


def respond(root: Path, request: bytes, preview: Preview, script: bytes = b"") -> tuple[int, str, bytes]:
    """Answer a request path: a file under output/ (a page with the error banner and the reload script), or 404."""
    for _ in range(2):  # a build may swap output/ in between finding a file and reading it: look again once
        path = resolve_request(root, request)
        if path is None:
            break
        try:
            body = path.read_bytes()
        except OSError:
            continue
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return 200, kind, page(body, preview, script) if kind == "text/html" else body
    return 404, "text/plain; charset=utf-8", b"Not found"


def page(body: bytes, preview: Preview, script: bytes) -> bytes:
    """Return a page as served: the error banner at the top while the last change is not built, the reload script."""
    if preview.problems:
        banner = error_banner(preview.problems, preview.summary).encode("utf-8")
        body = BODY.sub(lambda match: match[0] + banner, body, count=1)
    return body.replace(b"</head>", script + b"</head>", 1)


def error_banner(problems: list[str], summary: str) -> str:
    """Return the banner a page shows while the content has mistakes.

    It stays at the top of the window as the page scrolls: a page reloaded after a save comes back
    where the reader was, far from the top, and the banner must be seen there too.
    """
    items = "".join(f"<li><code>{html.escape(problem)}</code></li>" for problem in problems)
    return (
        '<div role="alert" class="preview-problems" style="position:sticky;top:0;z-index:1000;max-height:50vh;'
        "overflow:auto;background:#fde8e8;color:#5c0000;border:3px solid #b00020;"
        'padding:1rem;margin:0;font:16px/1.5 sans-serif">'
        f"<strong>The last change was not built. {html.escape(summary)}</strong> "
        f"This page shows the last good build.<ul>{items}</ul></div>"
    )


# livereload's client, loaded from the page's own host and port (as livereload's server injects it).
LIVE_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");var port=window.location.port||80;'
    b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    b"document.head.appendChild(s);})();</script>"
)


class OutputHandler(web.RequestHandler):
    """Serves output/: its files only, pages with the error banner and the reload script."""

    def initialize(self, root: Path, preview: Preview) -> None:
        """Take the folder to serve and the preview's state."""
        self.root, self.preview = root, preview

    def get(self) -> None:
        """Answer with a file, or 404."""
        status, kind, body = respond(self.root, self.request.path.encode("latin-1"), self.preview, LIVE_SCRIPT)
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    def head(self) -> None:
        """Answer as GET does, without the body."""
        self.get()


class Misdirected(web.RequestHandler):
    """The answer to a request addressed to another host name (DNS rebinding): 421, nothing served."""

    def prepare(self) -> None:
        """Refuse, whatever the method."""
        self.set_status(421)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("This preview answers only at its own address.\n")


class ReloadSocket(LiveReloadHandler):  # type: ignore[misc]  # livereload has no type hints
    """livereload's websocket, for the preview's own pages only: another site's page may not connect."""

    def initialize(self, own: Callable[[str], bool]) -> None:
        """Take the test of what names this preview."""
        self.own = own

    def check_origin(self, origin: str) -> bool:
        """Accept only a page served by this preview (livereload's own handler accepts any)."""
        parts = urlsplit(origin)
        return parts.scheme == "http" and self.own(parts.netloc)

    def on_message(self, message: str | bytes) -> None:
        """Answer livereload's handshake; close on anything else, quietly."""
        try:
            super().on_message(message)
        except (ValueError, TypeError, AttributeError):
            self.close()


def reload_pages() -> None:
    """Tell every open page to reload (on the server's own loop)."""
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})
        except WebSocketClosedError:
            LiveReloadHandler.waiters.discard(waiter)


class PreviewApplication(web.Application):
    """The preview's web application: requests for any other host name get 421 (no DNS rebinding)."""

    def __init__(self, output: Path, preview: Preview, own: Callable[[str], bool]) -> None:
        handlers: list[Any] = [
            (r"/livereload", ReloadSocket, {"own": own}),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/.*", OutputHandler, {"root": output.resolve(), "preview": preview}),
        ]
        super().__init__(handlers)
        self.own = own

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: Any) -> Any:
        """Send a request for another host name to Misdirected; the rest where they go."""
        if not self.own(request.headers.get("Host", "")):
            return self.get_handler_delegate(request, Misdirected)
        return super().find_handler(request, **kwargs)

    def log_request(self, handler: web.RequestHandler) -> None:
        """Keep requests out of the terminal: it is for builds."""
        logger.debug("%d %s %s", handler.get_status(), handler.request.method, handler.request.uri)


class Stop:
    """Stops the preview on Ctrl+C or SIGTERM: no traceback; the rest stops once the server has."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.asked = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self.event: asyncio.Event | None = None

    def on_signal(self, signum: int, frame: object) -> None:
        """Ask the server to stop (in a booklet worker not yet set up, do nothing: the preview ends it)."""
        if os.getpid() != self.pid:
            return
        self.asked = True
        if self.event is not None:
            self.soon(self.event.set)()

    def soon(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Return a function that runs callback on the server's loop, from any thread, while it runs."""

        def call() -> None:
            """Hand the callback to the loop, unless it has closed."""
            if self.loop is not None:
                with suppress(RuntimeError):  # the loop has closed: the preview is stopping
                    self.loop.call_soon_threadsafe(callback)

        return call

    async def serve(self, app: web.Application, sockets: list[socket.socket]) -> None:
        """Serve on the sockets until asked to stop."""
        self.loop, self.event = asyncio.get_running_loop(), asyncio.Event()
        if self.asked:
            return
        server = HTTPServer(app)
        server.add_sockets(sockets)
        try:
            await self.event.wait()
        finally:
            server.stop()


def serve(paths: Paths, output: Path, options: BuildOptions, host: str, port: int) -> None:
    """Build, then serve output/ with live reload until Ctrl+C or SIGTERM; raise ServeError if it cannot listen."""
    sockets = listen(host, port)
    logging.getLogger("watchfiles").setLevel(logging.WARNING)
    if not is_loopback(host):
        logger.warning("serving on %s: anyone who can reach this machine can read the preview", host)
    stop = Stop()
    told = (signal.SIGTERM,) if signal.getsignal(signal.SIGINT) is signal.SIG_IGN else (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, stop.on_signal) for signum in told}  # a started-to-ignore Ctrl+C stays so
    preview = Preview(problems=[])
    rebuilder = Rebuilder(paths, output, options, preview, stop.soon(reload_pages))
    watching = threading.Event()
    try:
        if options.booklets:
            rebuilder.maker.warm()
        rebuilder.start()
        threading.Thread(target=watch, args=(paths, rebuilder.request, watching), name="watch", daemon=True).start()
        app = PreviewApplication(output, preview, own_hosts(host, port))
        logger.info("serving %s on %s (Ctrl+C to stop)", output, shown_address(host, port))
        asyncio.run(stop.serve(app, sockets))
    finally:
        watching.set()
        rebuilder.close()
        for sock in sockets:
            sock.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
