"""The live preview, as a publisher uses it: start it, edit, break, fix, and see each on the page."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import chromium
from tests.conftest import REPO
from workbook import serve
from workbook.pipeline import BuildOptions, Paths

PAGE = "/tiny/sections/the-person.html"
SECTION = "content/tiny/sections/the-person.yaml"


def free_port() -> int:
    """Return a free TCP port on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    """Fetch a path from the preview exactly as given (no client-side clean-up of '..'), with this Host header."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={} if host is None else {"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_for(check: Callable[[], bool], seconds: float = 20) -> None:
    """Wait until check() is true, or fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("the preview did not show the change in time")


@pytest.fixture
def preview(tiny: Path) -> Iterator[tuple[Path, int, subprocess.Popen[str]]]:
    """Start `build.py serve` on a tiny project, and stop it afterwards."""
    port = free_port()
    command = [sys.executable, str(REPO / "build.py"), "serve", "--no-pdf", "--project", str(tiny), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: get(port, PAGE)[0] == 200)
        yield tiny, port, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_edit_break_and_fix_while_serving(preview: tuple[Path, int, subprocess.Popen[str]]) -> None:
    """An edit shows; a mistake shows its message over the last good page; the fix shows again."""
    root, port, _ = preview
    section = root / SECTION
    good = section.read_text("utf-8")
    section.write_text(good.replace("Little is known.", "Very little is known yet."), "utf-8")
    wait_for(lambda: "Very little is known yet." in get(port, PAGE)[1])

    section.write_text(good.replace("title: We treat the person with dignity", "title: yes"), "utf-8")
    wait_for(lambda: "content error" in get(port, PAGE)[1])
    page = get(port, PAGE)[1]
    assert f"{SECTION}:4: title &#x27;yes&#x27; is read as a true/false value, not text (put it in quotes)" in page
    assert "Very little is known yet." in page  # still the last good build

    section.write_text(good, "utf-8")
    wait_for(lambda: "content error" not in (text := get(port, PAGE)[1]) and "Little is known." in text)


def test_the_banner_shows_where_the_reader_is_after_the_page_reloads(
    preview: tuple[Path, int, subprocess.Popen[str]],
) -> None:
    """Scrolled down a page on a phone, a broken save reloads it there: the banner is in sight, and goes once fixed."""
    root, port, _ = preview
    section = root / SECTION
    good = section.read_text("utf-8")
    # Chromium for this test only: Playwright's loop must not outlive it (later tests run asyncio themselves).
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"http://127.0.0.1:{port}{PAGE}")
        page.wait_for_function("() => window.LiveReload !== undefined")  # the reload script is listening
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        assert page.evaluate("window.scrollY") > 844  # far from the top, where the banner is put

        section.write_text(good.replace("title: We treat the person with dignity", "title: yes"), "utf-8")
        banner = page.locator("[role=alert]")
        expect(banner).to_contain_text(f"{SECTION}:4: title 'yes' is read as a true/false value", timeout=20_000)
        expect(banner).to_be_in_viewport()
        assert page.evaluate("window.scrollY") > 844  # the reader is still where they were

        section.write_text(good, "utf-8")
        expect(banner).to_have_count(0, timeout=20_000)


def test_a_page_asks_the_preview_for_nothing_missing(preview: tuple[Path, int, subprocess.Popen[str]]) -> None:
    """A page loads whole from the preview, its icon included: no 404 (a browser asks for favicon.ico if none is linked)."""
    _, port, _ = preview
    answers: list[tuple[int, str]] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("response", lambda response: answers.append((response.status, response.url)))
        page.goto(f"http://127.0.0.1:{port}{PAGE}", wait_until="networkidle")
    assert [(status, url) for status, url in answers if status >= 400] == []
    assert any(url.endswith("/assets/favicon.svg") for _, url in answers)


def test_several_quick_saves_give_one_rebuild(preview: tuple[Path, int, subprocess.Popen[str]]) -> None:
    """Saves in quick succession are built once, with the last one's words."""
    root, port, process = preview
    section = root / SECTION
    good = section.read_text("utf-8")
    for number in range(5):
        section.write_text(good.replace("Little is known.", f"Save number {number}."), "utf-8")
        time.sleep(0.01)
    wait_for(lambda: "Save number 4." in get(port, PAGE)[1])
    time.sleep(0.5)
    process.terminate()
    log = process.communicate(timeout=10)[0]
    assert log.count("rebuilt in") == 2, log  # the first build, then one for the five saves


@pytest.mark.parametrize(
    "path", ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd", "/tiny/../../build.py", "/.."]
)
def test_preview_serves_nothing_outside_output(preview: tuple[Path, int, subprocess.Popen[str]], path: str) -> None:
    """Requests that climb out of output/ get 404."""
    _, port, _ = preview
    assert get(port, path)[0] == 404


def test_preview_listens_on_loopback_only(preview: tuple[Path, int, subprocess.Popen[str]]) -> None:
    """By default the preview is reachable on 127.0.0.1 and on no other address of this machine."""
    _, port, _ = preview
    others = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for address in others - {"127.0.1.1"}:
        with socket.socket() as probe, pytest.raises(OSError):
            probe.settimeout(2)
            probe.connect((address, port))


def test_booklets_follow_the_page_while_serving(tiny: Path) -> None:
    """With booklets on, an edit shows on the page first, then in the booklet; a broken booklet shows its error."""
    port = free_port()
    command = [sys.executable, str(REPO / "build.py"), "serve", "--project", str(tiny), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    booklet = tiny / "output/pdf/tiny.pdf"
    try:
        wait_for(lambda: booklet.is_file(), seconds=60)
        section = tiny / SECTION
        section.write_text(section.read_text("utf-8").replace("Little is known.", "Hardly anything is known."), "utf-8")
        wait_for(lambda: "Hardly anything is known." in get(port, PAGE)[1])
        wait_for(lambda: "Hardly anything is known." in pdf_text(booklet), seconds=60)
        intro = tiny / "content/tiny/introduction.md"
        intro.write_text(intro.read_text("utf-8") + "\n![A chart](assets/no-such-chart.png)\n", "utf-8")
        wait_for(lambda: "no-such-chart.png" in get(port, PAGE)[1], seconds=60)
    finally:
        process.terminate()
        process.wait(timeout=10)


def pdf_text(pdf: Path) -> str:
    """Return a PDF's text, or '' while it is being replaced."""
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False)
    return " ".join(result.stdout.split())


def test_an_edit_during_a_booklet_render_shows_at_once(tiny: Path) -> None:
    """A page edit made while a booklet is rendering appears without waiting for that booklet."""
    port = free_port()
    command = [sys.executable, str(REPO / "build.py"), "serve", "--project", str(tiny), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    booklet = tiny / "output/pdf/tiny.pdf"
    section = tiny / SECTION
    try:
        wait_for(lambda: booklet.is_file(), seconds=60)
        section.write_text(section.read_text("utf-8").replace("Little is known.", "First edit."), "utf-8")
        wait_for(lambda: "First edit." in get(port, PAGE)[1])
        section.write_text(section.read_text("utf-8").replace("First edit.", "Second edit."), "utf-8")
        wait_for(lambda: "Second edit." in get(port, PAGE)[1], seconds=0.8)  # the first edit's booklet takes longer
    finally:
        process.terminate()
        process.wait(timeout=10)


def stop_and_read(process: subprocess.Popen[str]) -> str:
    """Stop the preview and return what it printed."""
    process.terminate()
    return process.communicate(timeout=10)[0]


def children(pid: int) -> list[int]:
    """Return the processes a process forked (its booklet workers), not the ones it started afresh."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            if parent == str(pid) and (entry / "cmdline").read_bytes() == command:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def running(pid: int) -> bool:
    """Say whether a process is still there (a zombie is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def long_booklet(root: Path) -> None:
    """Make the tiny workbook's booklet take seconds to render."""
    intro = root / "content/tiny/introduction.md"
    words = "words that make the booklet long " * 20
    intro.write_text(intro.read_text("utf-8") + "".join(f"\nParagraph {n}: {words}\n" for n in range(600)), "utf-8")


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (
            PermissionError(13, "Permission denied", "{root}/" + SECTION),
            f"{SECTION}: could not be read or written (Permission denied)",
        ),
        (ValueError("a bug\n  in a filter"), "the build stopped on an unexpected ValueError: a bug in a filter"),
        (BrokenProcessPool("A child process terminated abruptly"), "a booklet worker process stopped unexpectedly"),
    ],
)
def test_any_build_failure_is_one_sentence_on_every_page(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, error: Exception, sentence: str
) -> None:
    """Not only a content mistake: a file the system refuses, a bug, a dead worker show over the last good build."""
    if isinstance(error, OSError):
        error.filename = error.filename.format(root=tiny)

    def fail(*args: object) -> None:
        raise error

    monkeypatch.setattr(serve, "build", fail)
    output = tiny / "output"
    output.mkdir()
    (output / "index.html").write_text("<html><head></head><body><p>Last good build</p></body></html>", "utf-8")
    preview = serve.Preview(problems=[])
    reloads: list[bool] = []
    rebuilder = serve.Rebuilder(
        Paths(tiny), output, BuildOptions(booklets=False), preview, lambda: reloads.append(True)
    )
    caplog.set_level(logging.INFO)
    try:
        assert rebuilder._build() is False
    finally:
        rebuilder.close()
    assert len(preview.problems) == 1 and preview.problems[0].startswith(sentence), preview.problems
    status, _, page = serve.respond(output, b"/", preview)
    assert status == 200 and b"Last good build" in page and sentence.encode() in page and b'role="alert"' in page
    assert reloads == [True]  # the open pages reload to show it
    assert sentence in caplog.text and "Still serving the last good build." in caplog.text
    assert "Traceback" not in caplog.text


def test_a_bug_in_a_layout_is_shown_on_every_page(preview: tuple[Path, int, subprocess.Popen[str]]) -> None:
    """A layout that raises a Python error (not a Jinja one) is named at its line, in the terminal and on the pages."""
    root, port, process = preview
    layout = root / "layouts/section.html"
    good = layout.read_text("utf-8")
    layout.write_text(good.replace("<h1>{{ section.title }}</h1>", '<h1>{{ "%q" | format(1) }}</h1>'), "utf-8")
    wait_for(lambda: "unsupported format character" in get(port, PAGE)[1])
    assert "layouts/section.html:7: layout error: unsupported format character" in get(port, PAGE)[1]
    assert "unsupported format character" in get(port, "/index.html")[1]  # every page, not only the broken one
    layout.write_text(good, "utf-8")
    wait_for(lambda: "unsupported format character" not in get(port, PAGE)[1])
    log = stop_and_read(process)
    assert "layouts/section.html:7: layout error: unsupported format character" in log
    assert "Traceback" not in log, log


def test_a_booklet_worker_that_dies_is_shown_and_the_next_save_recovers(tiny: Path) -> None:
    """A worker killed from outside is said on the pages (no traceback), and the next save renders booklets again."""
    port = free_port()
    command = [sys.executable, str(REPO / "build.py"), "serve", "--project", str(tiny), "--port", str(port)]
    process = subprocess.Popen([*command, "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    booklets = [tiny / "output/pdf/tiny.pdf", tiny / "output/pdf/tiny-fillable.pdf"]
    section = tiny / SECTION
    try:
        wait_for(lambda: all(booklet.is_file() for booklet in booklets), seconds=120)
        (worker,) = children(process.pid)
        os.kill(worker, signal.SIGKILL)
        section.write_text(section.read_text("utf-8").replace("Little is known.", "First edit."), "utf-8")
        wait_for(lambda: "booklet worker process stopped unexpectedly" in get(port, PAGE)[1], seconds=60)
        section.write_text(section.read_text("utf-8").replace("First edit.", "Second edit."), "utf-8")
        wait_for(lambda: "Second edit." in (page := get(port, PAGE)[1]) and "worker process" not in page, seconds=60)
        wait_for(lambda: "Second edit." in pdf_text(booklets[0]), seconds=120)
    finally:
        log = stop_and_read(process)
        print(log)  # shown if the test fails
    assert "booklet worker process stopped unexpectedly" in log
    assert "Traceback" not in log, log


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl+C"])
def test_the_preview_stops_at_once_while_a_booklet_renders(tiny: Path, how: str) -> None:
    """SIGTERM, or Ctrl+C at the terminal (SIGINT to every process of the group), ends the preview and its workers
    within a second or two, mid-render, without a traceback."""
    long_booklet(tiny)
    port = free_port()
    command = [sys.executable, str(REPO / "build.py"), "serve", "--project", str(tiny), "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        wait_for(lambda: get(port, PAGE)[0] == 200)
        workers = children(process.pid)
        assert workers and not (tiny / "output/pdf/tiny.pdf").exists()  # the booklet is rendering
        started = time.monotonic()
        if how == "SIGTERM":
            process.terminate()
        else:
            os.killpg(process.pid, signal.SIGINT)
        log = process.communicate(timeout=10)[0]
        assert time.monotonic() - started < 2
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    time.sleep(0.2)
    assert not [worker for worker in workers if running(worker)]
    assert "Traceback" not in log and "KeyboardInterrupt" not in log and "Exception" not in log, log


def cpu_seconds(pid: int) -> float:
    """Return the CPU time a process has used so far, all its threads together."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_an_idle_preview_costs_next_to_no_cpu(preview: tuple[Path, int, subprocess.Popen[str]]) -> None:
    """Waiting for saves uses inotify: the preview does not list and stat every source file many times a second."""
    _, _, process = preview
    time.sleep(1)
    before, started = cpu_seconds(process.pid), time.monotonic()
    time.sleep(3)
    share = (cpu_seconds(process.pid) - before) / (time.monotonic() - started)
    assert share < 0.02, f"an idle preview used {share:.1%} of a core"


def test_the_preview_answers_only_its_own_host_names(preview: tuple[Path, int, subprocess.Popen[str]]) -> None:
    """A page of another site whose name was pointed at 127.0.0.1 (DNS rebinding) reads nothing."""
    _, port, _ = preview
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LocalHost:{port}"):
        assert get(port, PAGE, host)[0] == 200, host
    for host in (
        f"evil.example:{port}",
        "evil.example",
        "127.0.0.1",
        "127.0.0.1:1",
        f"localhost.evil.example:{port}",
        "",
    ):
        for path in (PAGE, "/livereload.js", "/livereload", "/nothing-here"):
            status, body = get(port, path, host)
            assert status in (421, 403) and "Little is known" not in body and "LiveReload" not in body, (host, path)


def livereload_reply(port: int, origin: str) -> int | str:
    """Open the preview's livereload socket as a page of `origin` would; return its first reply, or the refusal."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    async def attempt() -> int | str:
        request = HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers={"Origin": origin})
        try:
            connection = await websocket_connect(request)
        except HTTPClientError as error:
            return error.code
        try:
            await connection.write_message(json.dumps({"command": "hello", "protocols": []}))
            reply = await asyncio.wait_for(connection.read_message(), 5)
        finally:
            connection.close()
        return str(json.loads(reply or "{}").get("command"))

    return asyncio.run(attempt())


def test_the_reload_socket_accepts_only_the_preview_s_own_pages(
    preview: tuple[Path, int, subprocess.Popen[str]],
) -> None:
    """Another site's page may not connect to the reload socket (livereload's own handler lets any origin in)."""
    _, port, _ = preview
    assert livereload_reply(port, f"http://127.0.0.1:{port}") == "hello"
    assert livereload_reply(port, f"http://localhost:{port}") == "hello"
    for origin in ("http://evil.example", f"http://evil.example:{port}", "null", f"http://127.0.0.1:{port + 1}"):
        assert livereload_reply(port, origin) == 403, origin


def test_odd_request_paths_get_404_never_a_traceback(preview: tuple[Path, int, subprocess.Popen[str]]) -> None:
    """Names longer than the system allows, bytes that are not UTF-8, NUL, escaped slashes: 404, and a quiet terminal."""
    _, port, process = preview
    odd = [
        "/" + "a" * 256,
        "/tiny/" + "b" * 300 + "/index.html",
        "/" + "%C3%A9" * 200,
        "/" + "c/" * 3000,
        "/" + "d" * 5000,
        "/%00",
        "/tiny/%00.html",
        "/%ff%fe.html",
        "/tiny/%2e%2e%2f%2e%2e%2fbuild.py",
        "/tiny\\..\\..\\build.py",
        "/%",
    ]
    for path in odd:
        assert get(port, path)[0] == 404, path
    assert get(port, PAGE)[0] == 200
    log = stop_and_read(process)
    assert "Traceback" not in log and "500" not in log, log


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--port", "0"),
        ("--port", "70000"),
        ("--port=-1", None),
        ("--port", "http"),
        ("--host", "nonsense.invalid"),
        ("--host", "999.1.1.1"),
        ("--host", "198.51.100.7"),
    ],
)
def test_a_bad_port_or_host_is_one_sentence_before_any_build(tiny: Path, option: str, value: str | None) -> None:
    """An impossible --port or --host stops serve at once, naming the option, with no traceback."""
    command = [sys.executable, str(REPO / "build.py"), "serve", "--no-pdf", "--project", str(tiny)]
    result = subprocess.run([*command, option, *([value] if value else [])], capture_output=True, text=True, timeout=60)
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr
    assert option.split("=")[0] in result.stderr.strip().splitlines()[-1], result.stderr
    assert not (tiny / "output").exists()


def test_a_port_in_use_is_one_sentence_before_any_build(tiny: Path) -> None:
    """A port that something else listens on stops serve at once, naming --port, with no traceback."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        command = [sys.executable, str(REPO / "build.py"), "serve", "--no-pdf", "--project", str(tiny)]
        result = subprocess.run([*command, "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode in (1, 2)
    assert result.stderr.strip().splitlines() == [
        f"error: --port {port} is already in use on 127.0.0.1; stop what is using it or choose another port with --port"
    ]
    assert not (tiny / "output").exists()


def test_the_preview_knows_its_own_names() -> None:
    """On loopback: its three loopback names at its port; on every address: also any address, never another name."""
    own = serve.own_hosts("127.0.0.1", 8000)
    assert all(own(host) for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"))
    assert not any(own(host) for host in ("127.0.0.1:8001", "evil.example:8000", "::1:8000", "localhost", "a@b:8000"))
    everywhere = serve.own_hosts("0.0.0.0", 80)
    assert everywhere("192.168.1.20") and everywhere("[fe80::1]:80") and everywhere("localhost")
    assert not everywhere("evil.example") and not everywhere("192.168.1.20:8000")
