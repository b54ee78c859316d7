"""The live preview, as a publisher uses it: start it, edit, break, fix, and see each on the page."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PAGE = "/tiny/sections/the-person.html"
SECTION = "content/tiny/sections/the-person.yaml"


def free_port() -> int:
    """Return a free TCP port on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[int, str]:
    """Fetch a path from the preview exactly as given (no client-side clean-up of '..')."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
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
