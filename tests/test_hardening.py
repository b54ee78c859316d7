"""Hardening: arbitrary and hostile content, interrupted builds, and builds that must repeat exactly."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, make_project
from workbook.pipeline import BuildOptions, Paths, build
from workbook.problems import AssetError, ContentError
from workbook.readers import read_project

SECTION = "content/tiny/sections/the-person.yaml"
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "2000"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def only_content_errors(root: Path) -> None:
    """Read the project: it either reads, or raises ContentError whose every problem has a path and a line."""
    try:
        read_project(root / "content")
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path.startswith("content/") and problem.line >= 1, problem


@PROPERTY
@given(text=st.text())
def test_any_text_gives_a_content_error_or_reads(tiny: Path, text: str) -> None:
    """Arbitrary text in a section file never crashes the reader."""
    (tiny / SECTION).write_text(text, "utf-8")
    only_content_errors(tiny)


@PROPERTY
@given(data=st.binary())
def test_any_bytes_give_a_content_error_or_read(tiny: Path, data: bytes) -> None:
    """Arbitrary bytes in a section file never crash the reader."""
    (tiny / SECTION).write_bytes(data)
    only_content_errors(tiny)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4),
    max_leaves=12,
)
KEYS = st.sampled_from(["title", "topics", "id", "statements", "threshold", "tools", "note", "tier", "titel"])
TOPIC_LIKE = st.dictionaries(KEYS, YAML_VALUES, max_size=6)


@PROPERTY
@given(document=st.dictionaries(KEYS, YAML_VALUES | st.lists(TOPIC_LIKE, max_size=3), max_size=5))
def test_any_yaml_structure_gives_a_content_error_or_reads(tiny: Path, document: dict[object, object]) -> None:
    """Any YAML a person might write, of any shape and type, gives path:line messages or reads cleanly."""
    (tiny / SECTION).write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    only_content_errors(tiny)


def problems(root: Path) -> list[str]:
    """Check a project and return its problems as printed."""
    with pytest.raises(ContentError) as caught:
        read_project(root / "content")
    return [str(problem) for problem in caught.value.problems]


def test_alias_bomb_is_refused_at_once(tiny: Path) -> None:
    """A billion-laughs document is refused by its first anchor, without expanding anything."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    (tiny / SECTION).write_text(bomb, "utf-8")
    started = time.perf_counter()
    assert problems(tiny) == [f"{SECTION}:1: anchors and aliases (& and *) are not allowed (write the value out)"]
    assert time.perf_counter() - started < 1


def test_byte_order_mark_and_crlf_line_ends_are_read_as_text(tiny: Path) -> None:
    """A file saved by a Windows editor (BOM, CRLF) reads like any other, with the same lines."""
    path = tiny / SECTION
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    workbook = read_project(tiny / "content").workbooks[0]
    assert workbook.sections[0].topics[0].statements[0] == "Little is known."
    path.write_bytes(path.read_bytes().replace(b"title: We treat", b"titel: We treat"))
    assert problems(tiny)[0].startswith(f"{SECTION}:4: unknown key 'titel'")


def test_tabs_for_indentation_name_the_line(tiny: Path) -> None:
    """A tab where YAML wants spaces is reported at its line."""
    (tiny / SECTION).write_text("title: The person\ntopics:\n\t- id: dignity\n", "utf-8")
    assert problems(tiny) == [
        f"{SECTION}:3: YAML syntax: found character that cannot start any token (expected valid YAML)"
    ]


def test_welsh_and_very_long_words_render_and_emoji_are_named(tiny: Path) -> None:
    """Text the typeface can set builds; a character it has no glyph for is named with its file and line."""
    path = tiny / SECTION
    text = path.read_text("utf-8")
    path.write_text(text.replace("Little is known.", "Ychydig iawn a wyddom. " + "Llanfair" * 20 + "."), "utf-8")
    build(Paths(tiny), tiny / "output")
    assert ("Llanfair" * 20) in (tiny / "output/tiny/sections/the-person.html").read_text("utf-8")
    path.write_text(text.replace("Little is known.", "Little is known 😀 in Tŷ Hywel."), "utf-8")
    with pytest.raises(ContentError) as caught:
        build(Paths(tiny), tiny / "output")
    assert [str(problem) for problem in caught.value.problems] == [
        f"{SECTION}:7: the booklet typeface has no glyph for 'ŷ' (U+0177); use another character",
        f"{SECTION}:7: the booklet typeface has no glyph for '😀' (U+1F600); use another character",
    ]


HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    " javascript:x",
]


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_hostile_links_are_refused_with_their_line(tiny: Path, link: str) -> None:
    """A script link, in any letter case, is a content error at its line, never a link on a page."""
    path = tiny / SECTION
    path.write_text(path.read_text("utf-8").replace("Little is known.", f'"[click me](<{link}>)"'), "utf-8")
    assert problems(tiny) == [
        f"{SECTION}:7: an entry of statements: link '{link.strip()}' is refused (expected http:, https:, mailto: or a relative link)"
    ]


def test_raw_html_in_content_is_shown_as_text(tiny: Path) -> None:
    """Markdown's raw HTML is off: a script or an onerror image is escaped, never run."""
    path = tiny / SECTION
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
    path.write_text(path.read_text("utf-8").replace("Little is known.", f"'{hostile}'"), "utf-8")
    build(Paths(tiny), tiny / "output", BuildOptions(booklets=False))
    page = (tiny / "output/tiny/sections/the-person.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_a_page_name_cannot_climb_out_of_the_project(tiny: Path) -> None:
    """A page id with '../' is refused as an id: nothing outside content/ is read."""
    path = tiny / "content/tiny/workbook.yaml"
    path.write_text(path.read_text("utf-8").replace("front: [introduction]", "front: [../../../etc/passwd]"), "utf-8")
    assert problems(tiny) == [
        "content/tiny/workbook.yaml:8: an entry of front '../../../etc/passwd' is not a valid id "
        "(expected lower-case letters, digits and hyphens)"
    ]


def test_a_symlink_in_assets_pointing_outside_is_refused(tiny: Path, tmp_path: Path) -> None:
    """An asset that links outside the project is refused, and nothing is written."""
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", "utf-8")
    (tiny / "assets/leak.txt").symlink_to(secret)
    with pytest.raises(AssetError) as caught:
        build(Paths(tiny), tiny / "output", BuildOptions(booklets=False))
    assert [str(p) for p in caught.value.problems] == [
        "assets/leak.txt:1: the asset points outside the project (expected a file inside it)"
    ]
    assert not (tiny / "output").exists()


def test_an_exception_halfway_leaves_the_last_good_output(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that fails while writing leaves output/ exactly as it was."""
    build(Paths(tiny), tiny / "output", BuildOptions(booklets=False))
    before = snapshot(tiny / "output")
    for name in ("the-person.yaml", "the-team.yaml"):
        section = tiny / "content/tiny/sections" / name
        section.write_text(section.read_text("utf-8").replace("title: ", "title: Now ", 1), "utf-8")
    calls = 0
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        nonlocal calls
        calls += 1
        if calls > 1:  # the second file written: the build is half done
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        build(Paths(tiny), tiny / "output", BuildOptions(booklets=False))
    monkeypatch.undo()
    assert snapshot(tiny / "output") == before
    assert [p.name for p in tiny.iterdir() if p.name.startswith(".output")] == []


def test_disk_full_is_a_message_not_a_traceback(tiny: Path) -> None:
    """The command line reports a full disk in one sentence and keeps the last good output."""
    code = (
        "import errno, pathlib, sys\n"
        "real = pathlib.Path.write_bytes\n"
        "def full(self, data):\n"
        "    raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "pathlib.Path.write_bytes = full\n"
        f"sys.argv = ['build.py', '--no-pdf', '--project', {str(tiny)!r}]\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "import build\n"
        "sys.exit(build.main(sys.argv[1:]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1].startswith("error: could not write the output (No space left on device)")
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_killed_builds_never_leave_a_broken_output(tmp_path: Path) -> None:
    """SIGKILL at random moments of real builds: output/ is always one whole build, old or new."""
    root = make_project(tmp_path, "scale")
    command = [sys.executable, str(REPO / "build.py"), "--no-pdf", "--quiet", "--project", str(root)]
    path = root / SECTION
    texts = [path.read_text("utf-8"), path.read_text("utf-8").replace("Little is known.", "Almost nothing is known.")]
    builds = []
    for text in texts:
        path.write_text(text, "utf-8")
        subprocess.run(command, check=True, timeout=120)
        builds.append(snapshot(root / "output"))
    chance = random.Random(7)
    for attempt in range(12):
        path.write_text(texts[attempt % 2], "utf-8")
        process = subprocess.Popen(command)
        time.sleep(chance.uniform(0.02, 0.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert snapshot(root / "output") in builds, f"attempt {attempt}: output/ is not a whole build"
        subprocess.run(command, check=True, timeout=120)  # the next build clears what was left and completes
        assert snapshot(root / "output") == builds[attempt % 2]
    assert [p.name for p in root.iterdir() if p.name.startswith(".output")] == []


def test_two_builds_of_the_same_content_are_identical(tmp_path: Path) -> None:
    """Same input, same bytes: HTML and PDFs (dates pinned), with no cache shared between the builds."""
    first, second = make_project(tmp_path / "one", "tiered"), make_project(tmp_path / "two", "tiered")
    build(Paths(first), first / "output")
    build(Paths(second), second / "output")
    assert snapshot(first / "output") == snapshot(second / "output")
