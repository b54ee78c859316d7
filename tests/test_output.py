"""The build deletes only what it made: which folders it may write, its working folders, its lock, its errors."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from workbook import output as output_module
from workbook.output import MARKER, MARKER_TEXT, OutputError, OutputRefused, check_output, locked
from workbook.pipeline import BuildOptions, Paths, build

SITE_ONLY = BuildOptions(booklets=False)
SECTION = "content/tiny/sections/the-person.yaml"
WORKING = "progress-workbooks"  # in the names of the build's working folders and lock files


def tree(folder: Path) -> dict[str, object]:
    """Everything under a folder, links not followed: a file's bytes, a link's target, what else an entry is.

    A project's .cache is left out: the build writes it (not the output) before it comes to the output.
    """
    found: dict[str, object] = {}
    for base, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name != ".cache"]
        for name in [*folders, *names]:
            path = Path(base) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_dir():
                found[key] = "folder"
            elif path.is_file():
                found[key] = path.read_bytes()
            else:
                found[key] = "other"
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def mark(folder: Path) -> Path:
    """Make a folder carry the marker of an output this build made."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_bytes(MARKER_TEXT)
    return folder


def documents(tmp_path: Path) -> Path:
    """A user's folder of their own files."""
    folder = tmp_path / "Documents"
    (folder / "photos").mkdir(parents=True)
    (folder / "letter.txt").write_text("Dear council,", "utf-8")
    (folder / "photos/cat.jpg").write_bytes(b"\xff\xd8 a cat")
    return folder


def with_files(folder: Path, *names: str) -> Path:
    """Make a folder holding these files (a name ending in / is a folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = folder / name
        if name.endswith("/"):
            path.mkdir(parents=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{name}, the user's own", "utf-8")
    return folder


def linked(link: Path, target: Path) -> Path:
    """Make a symbolic link to target and return the link."""
    link.symlink_to(target)
    return link


# Each case makes, in a fresh tiny project, the folder given as --output, and says what the message must name.
Case = Callable[[Path, Path], Path]
NOT_OURS: dict[str, Case] = {
    "a user's documents": lambda tiny, tmp: documents(tmp),
    "output/ a link to a user's documents": lambda tiny, tmp: linked(tiny / "output", documents(tmp)),
    "a folder holding only a hidden file": lambda tiny, tmp: with_files(tmp / "site", ".keep"),
    "a marker with other words in it": lambda tiny, tmp: with_files(tmp / "site", MARKER, "notes.txt"),
    "a marker that is a folder": lambda tiny, tmp: with_files(tmp / "site", f"{MARKER}/", "notes.txt"),
    "a marker that is a link to a real one": lambda tiny, tmp: (
        linked(with_files(tmp / "site", "notes.txt") / MARKER, mark(tmp / "elsewhere") / MARKER).parent
    ),
    "an output from before the marker": lambda tiny, tmp: with_files(
        tmp / "old-output", "index.html", "assets/css/site.css", "pdf/tiny.pdf"
    ),
}
THE_PROJECT: dict[str, Case] = {
    "the project folder, marked": lambda tiny, tmp: mark(tiny),
    "the project's parent, marked": lambda tiny, tmp: mark(tmp),
    "the root of the file system": lambda tiny, tmp: Path("/"),
    "content/, marked": lambda tiny, tmp: mark(tiny / "content"),
    "a new folder inside content/": lambda tiny, tmp: tiny / "content/tiny/site",
    "a marked folder inside layouts/": lambda tiny, tmp: mark(tiny / "layouts/site"),
    "assets/, marked": lambda tiny, tmp: mark(tiny / "assets"),
    "a new folder inside .cache/": lambda tiny, tmp: tiny / ".cache/site",
    "a path climbing into content/": lambda tiny, tmp: tiny / "output/../content/site",
    "a link to content/": lambda tiny, tmp: linked(tmp / "link", tiny / "content"),
    "a link to the marked project": lambda tiny, tmp: linked(tmp / "link", mark(tiny)),
}
NOT_A_FOLDER: dict[str, Case] = {
    "a file": lambda tiny, tmp: with_files(tmp / "notes", "notes.txt") / "notes.txt",
    "a link to a file": lambda tiny, tmp: linked(tmp / "link", with_files(tmp / "notes", "a.txt") / "a.txt"),
    "a FIFO": lambda tiny, tmp: fifo(tmp / "pipe"),
    "a device": lambda tiny, tmp: Path("/dev/null"),
    "a folder inside a file": lambda tiny, tmp: with_files(tmp / "notes", "a.txt") / "a.txt" / "site",
    "a link that leads in a circle": lambda tiny, tmp: loop(tmp),
    "a name kept for the build's working folders": lambda tiny, tmp: tmp / f".site-{WORKING}-new-1-deadbeef",
    "a lock file's name": lambda tiny, tmp: tmp / f".output-{WORKING}.lock",
}


def fifo(path: Path) -> Path:
    """Make a named pipe (nothing must open it: opening would wait for a writer)."""
    os.mkfifo(path)
    return path


def loop(tmp: Path) -> Path:
    """Make two links that lead to each other."""
    (tmp / "a").symlink_to(tmp / "b")
    (tmp / "b").symlink_to(tmp / "a")
    return tmp / "a"


ALL_REFUSED = {**NOT_OURS, **THE_PROJECT, **NOT_A_FOLDER}


@pytest.mark.parametrize("case", list(ALL_REFUSED))
def test_a_folder_the_build_may_not_own_is_refused_untouched(tiny: Path, tmp_path: Path, case: str) -> None:
    """Anything but a new, empty or marked folder, and any folder of the project, is refused, with nothing touched."""
    given = ALL_REFUSED[case](tiny, tmp_path)
    before = tree(tmp_path)
    with pytest.raises(OutputRefused) as caught:
        build(Paths(tiny), given, SITE_ONLY)
    message = str(caught.value)
    assert message.startswith(f"refusing to build into {os.path.abspath(given)}"), message
    assert "\n" not in message and message.count(";") <= 2
    assert "choose" in message or "remove it" in message or "delete it yourself" in message
    assert tree(tmp_path) == before  # not a file removed, added or changed, no lock or working folder left


@pytest.mark.parametrize("source", ["content", "layouts", "assets"])
def test_a_source_linked_from_elsewhere_is_guarded_where_it_lives(tiny: Path, tmp_path: Path, source: str) -> None:
    """A source folder that is a link to a folder elsewhere: neither that folder, nor a folder holding it or
    inside it, may be the output (checked before the build reads anything, as build.py does)."""
    real = tmp_path / "shared" / f"{source}-real"
    real.parent.mkdir()
    (tiny / source).rename(real)
    (tiny / source).symlink_to(real)
    for given in (real, mark(real.parent), real / "site", linked(tmp_path / "link", real)):
        before = tree(tmp_path)
        with pytest.raises(OutputRefused, match=f"the project's {source}/ folder"):
            check_output(given, Paths(tiny))
        assert tree(tmp_path) == before
        assert check_output(tmp_path / "site", Paths(tiny)) == tmp_path / "site"


def test_the_messages_say_why(tiny: Path, tmp_path: Path) -> None:
    """Each kind of refusal says what is wrong with the folder in words a publisher understands."""

    def refused(given: Path) -> str:
        with pytest.raises(OutputRefused) as caught:
            build(Paths(tiny), given, SITE_ONLY)
        return str(caught.value)

    assert "holds files that this build did not make" in refused(documents(tmp_path))
    assert "delete it yourself (or choose another folder)" in refused(
        NOT_OURS["an output from before the marker"](tiny, tmp_path)
    )
    assert f"it is the project folder {tiny}, and a build replaces everything" in refused(mark(tiny))
    assert f"it holds the project folder {tiny}" in refused(mark(tiny.parent))
    assert "inside the project's content/ folder" in refused(tiny / "content/tiny")
    assert f"such as {tiny / 'output'}" in refused(tiny / "layouts")
    assert "it is a FIFO (named pipe), not a folder" in refused(fifo(tmp_path / "pipe"))
    link = linked(tmp_path / "link", tiny / "assets")
    assert refused(link).startswith(f"refusing to build into {link} (which leads to {tiny / 'assets'}): ")


def test_command_line_refuses_in_one_sentence(tiny: Path, tmp_path: Path) -> None:
    """build.py --output with a user's folder: exit 1, one line naming the folder and what to do, nothing touched."""
    folder = documents(tmp_path)
    before = tree(tmp_path)
    result = run_build(["--no-pdf", "--project", str(tiny), "--output", str(folder)])
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: refusing to build into {folder}: it holds files that this build did not make (it has no {MARKER} "
        "file); choose a new or empty folder, or delete it yourself if nothing in it is needed"
    ]
    assert tree(tmp_path) == before


@pytest.mark.parametrize("where", ["the project", "a user's folder"])
def test_an_empty_output_variable_is_refused(tiny: Path, tmp_path: Path, where: str) -> None:
    """`--output "$UNSET"` means the current folder: the project or a user's folder, refused either way."""
    folder = tiny if where == "the project" else documents(tmp_path)
    before = tree(tmp_path)
    result = run_build(["--no-pdf", "--project", str(tiny), "--output", ""], cwd=folder)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: refusing to build into {folder}: ")
    assert tree(tmp_path) == before


def test_serve_refuses_before_serving(tiny: Path, tmp_path: Path) -> None:
    """The preview checks its output before it starts: a user's folder is refused at once, never served or built."""
    folder = documents(tmp_path)
    before = tree(tmp_path)
    with socket.socket() as probe:  # a free port, in case the preview did start
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_build(["serve", "--no-pdf", "--project", str(tiny), "--output", str(folder), "--port", str(port)])
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: refusing to build into {folder}: ")
    assert tree(tmp_path) == before


def test_new_empty_and_marked_folders_are_built(tiny: Path, tmp_path: Path) -> None:
    """A folder that does not exist (parents too), an empty one, or an earlier output: built, and marked."""
    new, empty = tmp_path / "a/b/site", tmp_path / "empty"
    empty.mkdir()
    for folder in (new, empty):
        changed = build(Paths(tiny), folder, SITE_ONLY).changed
        assert (folder / MARKER).read_bytes() == MARKER_TEXT
        assert MARKER in changed and (folder / "tiny/index.html").is_file()
        assert "the next build replaces everything in this folder" in (folder / MARKER).read_text("utf-8")
    (new / "stray.txt").write_text("put here by hand", "utf-8")
    assert build(Paths(tiny), new, SITE_ONLY).changed == ["stray.txt"]  # an earlier output: replaced whole
    assert not (new / "stray.txt").exists()
    assert sorted(path.name for path in (tmp_path / "a/b").iterdir()) == ["site"]


def test_a_link_to_a_folder_builds_into_the_folder_it_leads_to(tiny: Path, tmp_path: Path) -> None:
    """A link is followed, the checks apply to its target, and the link is still a link afterwards."""
    target = tmp_path / "real"
    target.mkdir()
    link = linked(tmp_path / "link", target)
    build(Paths(tiny), link, SITE_ONLY)
    build(Paths(tiny), link, SITE_ONLY)
    assert link.is_symlink() and (target / "tiny/index.html").is_file() and (target / MARKER).is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link", "real", "scale"]


def test_only_the_builds_own_working_folders_are_cleared(tiny: Path, tmp_path: Path) -> None:
    """Beside the output, folders of the user's (look-alikes included) survive; the build's own leftovers go."""
    output = tiny / "output"
    build(Paths(tiny), output, SITE_ONLY)
    theirs = [
        with_files(tiny / ".output-old-123", "index.html"),
        with_files(tiny / ".output-new-9", "draft.html"),
        with_files(tiny / f".output-{WORKING}-old-1-deadbeef", "no-marker-here.txt"),
        with_files(tiny / f".output-{WORKING}-new-2-0badcafe", MARKER, "a marker with other words.txt"),
    ]
    (tiny / f".output-{WORKING}-new-3-abcdef12").write_text("a file, not a folder", "utf-8")
    linked(tiny / f".output-{WORKING}-new-4-abcdef12", documents(tmp_path))
    ours = [
        with_files(mark(tiny / f".output-{WORKING}-new-5-12345678"), "tiny/index.html"),
        tiny / f".output-{WORKING}-new-6-12345678",  # killed before its marker was written
        with_files(tiny / f".output-{WORKING}-old-7-12345678", MARKER),  # killed while its marker was written
    ]
    ours[1].mkdir()
    (ours[2] / MARKER).write_bytes(b"progress")
    before = tree(tmp_path)
    build(Paths(tiny), output, SITE_ONLY)
    after = tree(tmp_path)
    assert not [folder for folder in ours if folder.exists()]
    for folder in (*theirs, tmp_path / "Documents"):
        name = folder.relative_to(tmp_path).as_posix()
        assert {k: v for k, v in after.items() if k.startswith(name)} == {
            k: v for k, v in before.items() if k.startswith(name)
        }
    assert (tiny / f".output-{WORKING}-new-3-abcdef12").is_file()
    assert (tiny / f".output-{WORKING}-new-4-abcdef12").is_symlink()


def test_an_interrupted_output_is_restored_only_from_the_builds_own_folder(tiny: Path, tmp_path: Path) -> None:
    """With output/ gone, a user's `.output-old-123` is never taken for it; the build's own old output is."""
    output = tiny / "output"
    build(Paths(tiny), output, SITE_ONLY)
    users = with_files(tiny / ".output-old-123", "index.html")
    look_alike = with_files(tiny / f".output-{WORKING}-old-1-deadbeef", "index.html")
    output.rename(tiny / f".output-{WORKING}-old-2-12345678")  # killed between its two renames
    saved = tree(tiny / f".output-{WORKING}-old-2-12345678")
    output_module.recover_output(output)
    assert tree(output) == saved
    assert (users / "index.html").read_text("utf-8") == "index.html, the user's own"
    assert (look_alike / "index.html").read_text("utf-8") == "index.html, the user's own"
    assert not (tiny / f".output-{WORKING}-old-2-12345678").exists()


def program(code: str = "") -> str:
    """Return a Python program that runs build.py's main after some code that changes how it behaves (a hook)."""
    return f"import sys\nsys.path.insert(0, {str(REPO)!r})\n{code}\nimport build\nsys.exit(build.main(sys.argv[1:]))\n"


def run_build(arguments: list[str], cwd: Path = REPO, code: str = "") -> subprocess.CompletedProcess[str]:
    """Run build.py (after a hook) with these arguments, and return what it said."""
    return subprocess.run(
        [sys.executable, "-c", program(code), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


HOLD_AT_FIRST_WRITE = """
import os, pathlib, time
ready, go = os.environ["READY"], os.environ["GO"]
real = pathlib.Path.write_bytes
def held(self, data):
    if not os.path.exists(ready):
        open(ready, "w").close()
        while not os.path.exists(go):
            time.sleep(0.01)
    return real(self, data)
pathlib.Path.write_bytes = held
"""


def test_two_builds_of_one_output_write_one_after_the_other(tiny: Path, tmp_path: Path) -> None:
    """A second build waits for the first, says so once, then writes: the output is always one whole build."""
    output = tiny / "output"
    build(Paths(tiny), output, SITE_ONLY)
    first = snapshot(output)
    section = tiny / SECTION
    text = section.read_text("utf-8")
    section.write_text(text.replace("Little is known.", "Version one."), "utf-8")
    ready, go = tmp_path / "ready", tmp_path / "go"
    environment = {**os.environ, "READY": str(ready), "GO": str(go)}
    command = [sys.executable, "-c", program(HOLD_AT_FIRST_WRITE), "--no-pdf", "--project", str(tiny)]
    one = subprocess.Popen(command, env=environment)
    waited_for(ready.exists, one)
    assert (tiny / f".output-{WORKING}.lock").is_file()  # the first holds the lock while it writes
    section.write_text(text.replace("Little is known.", "Version two."), "utf-8")
    log = tmp_path / "two.log"
    with log.open("w") as stderr:
        two = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "--no-pdf", "--project", str(tiny)], stderr=stderr
        )
        waited_for(lambda: "waiting for another build" in log.read_text("utf-8"), two)
        assert snapshot(output) == first  # meanwhile, the last whole build
        go.touch()
        assert one.wait(60) == 0 and two.wait(60) == 0
    said = log.read_text("utf-8")
    assert said.count(f"waiting for another build of {output} to finish") == 1, said
    page = (output / "tiny/sections/the-person.html").read_text("utf-8")
    assert "Version two." in page and "Version one." not in page  # the second wrote last
    assert build(Paths(tiny), output, SITE_ONLY).changed == []  # and wrote a whole build of version two
    assert [path.name for path in tiny.iterdir() if path.name.startswith(".output")] == []


def waited_for(condition: Callable[[], bool], process: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """Wait until a condition holds, failing if the process ends first or it takes over a minute."""
    deadline = time.monotonic() + 60
    while not condition():
        assert process.poll() is None, f"the build ended (exit {process.returncode}) before it was expected to"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


class Said(logging.Handler):
    """Collect what the build logs, and tell when it says that it waits."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []
        self.waiting = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        if "waiting for another build" in record.getMessage():
            self.waiting.set()


@pytest.fixture
def said() -> Iterator[Said]:
    """What workbook.output logs during a test."""
    handler = Said()
    logger = logging.getLogger("workbook.output")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_build_waits_while_another_holds_the_lock(tiny: Path, said: Said) -> None:
    """In one process too (the preview's rebuilds run in a thread): the build waits for the holder, then writes."""
    output = tiny / "output"
    holding = threading.Event()

    def hold() -> None:
        with locked(output):
            holding.set()
            said.waiting.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(60)
    build(Paths(tiny), output, SITE_ONLY)
    holder.join()
    assert said.waiting.is_set() and (output / "tiny/index.html").is_file()
    assert said.messages.count(f"waiting for another build of {output} to finish") == 1


def test_a_build_gives_up_after_the_timeout(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that would wait longer than the limit refuses in one sentence and writes nothing."""
    output = tiny / "output"
    build(Paths(tiny), output, SITE_ONLY)
    before = tree(tiny)
    monkeypatch.setattr(output_module, "LOCK_TIMEOUT", 0.3)
    release, holding = threading.Event(), threading.Event()

    def hold() -> None:
        with locked(output):
            holding.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(60)
    (tiny / SECTION).write_text((tiny / SECTION).read_text("utf-8").replace("Little", "Very little"), "utf-8")
    try:
        with pytest.raises(OutputRefused) as caught:
            build(Paths(tiny), output, SITE_ONLY)
    finally:
        release.set()
        holder.join()
    assert str(caught.value) == (
        f"gave up waiting for another build of {output} to finish after 0.3 s; try again once it has finished"
    )
    after = tree(tiny)
    assert {k: v for k, v in after.items() if k.startswith("output")} == {
        k: v for k, v in before.items() if k.startswith("output")
    }


def test_a_lock_file_someone_else_made_is_neither_changed_nor_removed(tiny: Path) -> None:
    """A file where the lock goes that the build did not make serves as the lock, untouched; a folder there is refused."""
    lock = tiny / f".output-{WORKING}.lock"
    lock.write_text("mine", "utf-8")
    build(Paths(tiny), tiny / "output", SITE_ONLY)
    assert lock.read_text("utf-8") == "mine"
    lock.unlink()
    lock.mkdir()
    with pytest.raises(OutputRefused, match=r"is in the way of the build's lock file; remove it or choose another"):
        build(Paths(tiny), tiny / "output", SITE_ONLY)


def test_a_site_only_build_keeps_the_booklets(tiny: Path) -> None:
    """--no-pdf leaves the booklets the site links to in place, build after build; a full build replaces them."""
    output = tiny / "output"
    build(Paths(tiny), output)
    booklets = snapshot(output / "pdf")
    assert sorted(booklets) == ["tiny-fillable.pdf", "tiny.boxes.js", "tiny.pdf"]
    for _ in range(2):
        assert build(Paths(tiny), output, SITE_ONLY).changed == []
        assert snapshot(output / "pdf") == booklets
    (output / "pdf/tiny.pdf").write_bytes(b"not a booklet")
    assert build(Paths(tiny), output).changed == ["pdf/tiny.pdf"]


def test_a_write_failure_is_an_output_error_naming_the_path(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the output fails: OutputError says what failed on which path; the output is as it was."""
    output = tiny / "output"
    build(Paths(tiny), output, SITE_ONLY)
    before = snapshot(output)
    (tiny / SECTION).write_text((tiny / SECTION).read_text("utf-8").replace("Little", "Very little"), "utf-8")

    def full(self: Path, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError) as caught:
        build(Paths(tiny), output, SITE_ONLY)
    monkeypatch.undo()
    path = caught.value.path
    staging = tiny / path.relative_to(tiny).parts[0]
    assert staging.name.startswith(f".output-{WORKING}-new-")  # the file being written, in the new output
    assert path.relative_to(staging).as_posix() in ("assets/search-index.js", "tiny/sections/the-person.html")
    assert str(caught.value) == f"could not write {path} (No space left on device)"
    assert snapshot(output) == before
    assert [p.name for p in tiny.iterdir() if p.name.startswith(".output")] == []


def test_command_line_tells_reading_from_writing(tiny: Path) -> None:
    """A file that cannot be read is 'could not read PATH (reason)'; a write failure names the file it was writing."""
    page = tiny / "content/tiny/introduction.md"
    unreadable = (
        "import errno, workbook.pipeline\n"
        "def denied(*arguments, **keywords):\n"
        f"    raise PermissionError(errno.EACCES, 'Permission denied', {str(page)!r})\n"
        "workbook.pipeline.render_site = denied\n"
    )
    result = run_build(["--no-pdf", "--project", str(tiny)], code=unreadable)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"error: could not read {page} (Permission denied)"
    full = (
        "import errno, pathlib\n"
        "def full(self, data):\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "pathlib.Path.write_bytes = full\n"
    )
    result = run_build(["--no-pdf", "--project", str(tiny)], code=full)
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last.startswith(
        f"error: could not write the output (No space left on device) to {tiny}/.output-{WORKING}-new-"
    )
    assert last.endswith(f"; {tiny / 'output'} is as it was")
    assert not (tiny / "output").exists()
