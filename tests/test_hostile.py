"""Hostile projects: nothing outside the project is read or published, and no input crashes, hangs or tracebacks.

Each test is one defect in a tiny project, with the plain sentence expected for it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO
from workbook.booklets import BookletMaker
from workbook.pipeline import BuildOptions, Paths, build
from workbook.problems import AssetError, BookletError, BuildError, ContentError, LayoutError

SECTION = "content/tiny/sections/the-person.yaml"
INTRO = "content/tiny/introduction.md"
SITE_ONLY = BuildOptions(booklets=False)


def problems(root: Path, kind: type[BuildError] = ContentError, options: BuildOptions = SITE_ONLY) -> list[str]:
    """Build a project that must fail; return its problems as printed, and check nothing was written."""
    with pytest.raises(kind) as caught:
        build(Paths(root), root / "output", options)
    assert not (root / "output").exists()
    return [str(problem) for problem in caught.value.problems]


def run_cli(root: Path, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the command line on a project, as a publisher would."""
    command = [sys.executable, str(REPO / "build.py"), "--project", str(root), *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def add_to_intro(root: Path, markdown: str) -> None:
    """Append Markdown to the tiny workbook's introduction page."""
    intro = root / INTRO
    intro.write_text(intro.read_text("utf-8") + f"\n{markdown}\n", "utf-8")


# Nothing outside the project is read or published.


def test_a_content_file_linking_outside_the_project_is_refused(tiny: Path, tmp_path: Path) -> None:
    """A section that is a symlink to a file elsewhere is refused at its path; its text is never published."""
    secret = tmp_path / "secret.yaml"
    secret.write_text((tiny / SECTION).read_text("utf-8").replace("Little is known.", "TOP SECRET"), "utf-8")
    (tiny / SECTION).unlink()
    (tiny / SECTION).symlink_to(secret)
    assert problems(tiny) == [f"{SECTION}:1: the file points outside the project (expected a file inside it)"]


def test_a_content_file_linking_into_git_is_refused(tiny: Path) -> None:
    """A page that links into a hidden folder (.git/config with a token) is refused, not published."""
    (tiny / ".git").mkdir()
    (tiny / ".git/config").write_text("---\ntitle: token\n---\n\nghp_secret\n", "utf-8")
    (tiny / INTRO).unlink()
    (tiny / INTRO).symlink_to(tiny / ".git/config")
    assert problems(tiny) == [
        f"{INTRO}:1: the file points into a hidden folder of the project "
        "(expected a file outside .git, .cache and the like)"
    ]


def test_a_layout_linking_outside_the_project_is_refused(tiny: Path, tmp_path: Path) -> None:
    """A layout that is a symlink to a file elsewhere is refused at its path."""
    outside = tmp_path / "page.html"
    outside.write_text("{% extends '_base.html' %}{% block main %}SECRET{% endblock %}", "utf-8")
    (tiny / "layouts/page.html").unlink()
    (tiny / "layouts/page.html").symlink_to(outside)
    assert problems(tiny, LayoutError) == [
        "layouts/page.html:1: the layout points outside the project (expected a file inside it)"
    ]


def test_an_asset_linking_into_git_is_refused_and_hidden_files_are_not_published(tiny: Path) -> None:
    """assets/ publishes no hidden file, and a symlink from it into .git is refused."""
    (tiny / "assets/.env").write_text("TOKEN=secret", "utf-8")
    build(Paths(tiny), tiny / "output", SITE_ONLY)
    assert not (tiny / "output/assets/.env").exists()
    (tiny / ".git").mkdir()
    (tiny / ".git/config").write_text("[remote] url = https://token@example.org", "utf-8")
    (tiny / "assets/config.txt").symlink_to(tiny / ".git/config")
    with pytest.raises(AssetError) as caught:
        build(Paths(tiny), tiny / "output", SITE_ONLY)
    assert [str(problem) for problem in caught.value.problems] == [
        "assets/config.txt:1: the asset points into a hidden folder of the project "
        "(expected a file outside .git, .cache and the like)"
    ]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("/etc/passwd", "is refused (expected a relative address of a file inside the project)"),
        ("file:///etc/passwd", "is refused (expected a relative address of a file inside the project)"),
        ("https://fonts.example.org/a.woff2", "is refused (expected a relative address of a file inside the project)"),
        ("../../../../etc/passwd", "is refused: it points outside the project (expected a file inside it)"),
    ],
)
def test_a_stylesheet_address_outside_the_project_is_refused(tiny: Path, url: str, why: str) -> None:
    """A url() in a stylesheet that leaves the project is refused at its line, never hashed or fetched."""
    sheet = tiny / "assets/css/site.css"
    lines = sheet.read_text("utf-8").count("\n")
    sheet.write_text(sheet.read_text("utf-8") + f'\nbody {{ background: url("{url}"); }}\n', "utf-8")
    assert problems(tiny, AssetError) == [f"assets/css/site.css:{lines + 2}: url({url}) {why}"]


@pytest.mark.parametrize(
    "address", ["%2e%2e/%2e%2e/etc/hosts", "assets/%2E%2E/%2e%2E/x.png", ".git/config", "a/.hidden.png"]
)
def test_an_encoded_or_hidden_image_path_is_refused(tiny: Path, address: str) -> None:
    """A %-encoded '..' is '..'; a path into a hidden folder is refused too, at its line."""
    add_to_intro(tiny, f"![Outside]({address})")
    assert problems(tiny) == [
        f"{INTRO}:10: image '{address}' is refused (expected a file inside the project, like assets/x.png)"
    ]


# No crash, no hang, no traceback.


def test_yaml_nested_forty_thousand_deep_is_a_message_not_a_crash(tiny: Path) -> None:
    """libyaml's composer would crash on it: the depth is bounded before it gets there (in a child, to be safe)."""
    (tiny / SECTION).write_text("title: x\ntopics: " + "[" * 40000 + "]" * 40000 + "\n", "utf-8")
    result = run_cli(tiny, "check")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"{SECTION}:2: the YAML nests deeper than 20 levels (expected a workbook's shape)",
        "Aborted with 1 content error.",
    ]


def test_a_fifo_where_a_section_should_be_is_an_error_not_a_hang(tiny: Path) -> None:
    """A named pipe is never opened for reading (it would wait for a writer forever)."""
    (tiny / SECTION).unlink()
    os.mkfifo(tiny / SECTION)
    result = run_cli(tiny, "check", timeout=60)
    assert result.stderr.splitlines()[0] == (
        f"{SECTION}:1: the file is not a regular file (expected a text file, not a folder, pipe or device)"
    )


def test_a_folder_or_a_symlink_loop_where_a_file_should_be(tiny: Path) -> None:
    """A folder named like a section, and a page that links to itself, are each named."""
    (tiny / SECTION).unlink()
    (tiny / SECTION).mkdir()
    (tiny / INTRO).unlink()
    (tiny / INTRO).symlink_to(tiny / INTRO)
    assert sorted(problems(tiny)) == [
        f"{INTRO}:1: the file is a symlink loop (expected a file)",
        f"{SECTION}:1: the file is not a regular file (expected a text file, not a folder, pipe or device)",
    ]


def test_a_damaged_font_is_named(tiny: Path) -> None:
    """A Git LFS pointer where a font should be is refused before WeasyPrint or fontTools trip on it."""
    font = tiny / "assets/fonts/AtkinsonHyperlegible-Regular.ttf"
    font.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 1\n", "utf-8")
    result = run_cli(tiny)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "assets/fonts/AtkinsonHyperlegible-Regular.ttf:1: the font is damaged "
        "(expected a .ttf font, not a Git LFS pointer or text)",
        "Aborted with 1 asset error.",
    ]


def test_a_stylesheet_or_layout_not_in_utf8_is_named_at_its_line(tiny: Path) -> None:
    """Windows-1252 bytes in a stylesheet or a layout are named with their line, not a traceback."""
    sheet = tiny / "assets/css/print.css"
    sheet.write_bytes(b"/* print */\nbody { content: '\x93quoted\x94'; }\n")
    assert problems(tiny, AssetError) == [
        "assets/css/print.css:2: byte 0x93 is not UTF-8 (save the stylesheet as UTF-8)"
    ]
    sheet.write_text("/* print */\n", "utf-8")
    (tiny / "layouts/page.html").write_bytes(b'{% extends "_base.html" %}\n{% block main %}\xa0{% endblock %}\n')
    assert problems(tiny, LayoutError) == ["layouts/page.html:2: byte 0xa0 is not UTF-8 (save the layout as UTF-8)"]


def test_a_stray_binary_file_beside_the_content_does_not_stop_a_message(tiny: Path) -> None:
    """A stray non-UTF-8 file in content/ is not read as content, and does not break the search for a line."""
    (tiny / "content/tiny/notes.md").write_bytes(b"\xff\xfe\x00binary")
    (tiny / "content/tiny/photo.yaml.bak").write_bytes(b"\x89PNG\r\n")
    (tiny / SECTION).write_text((tiny / SECTION).read_text("utf-8").replace("Little is known.", "Little 😀."), "utf-8")
    result = run_cli(tiny)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{SECTION}:7: the booklet typeface has no glyph for '😀' (U+1F600); use another character"
    )


def test_a_cache_that_cannot_be_written_only_slows_the_build(tiny: Path) -> None:
    """A .cache that is a file (as a read-only one is for an ordinary user) is no reason to fail."""
    (tiny / ".cache").write_text("not a folder", "utf-8")
    result = run_cli(tiny, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert (tiny / "output/pdf/tiny.pdf").read_bytes().startswith(b"%PDF-")


def test_a_folder_name_that_would_share_a_booklet_name_is_refused(tiny: Path) -> None:
    """A workbook 'tiny-fillable' would write pdf/tiny-fillable.pdf, the fillable booklet of 'tiny'."""
    (tiny / "content/tiny-fillable").mkdir()
    assert problems(tiny) == [
        "content/tiny-fillable:1: a workbook folder name may not end in '-fillable' "
        "(expected another name: pdf/tiny-fillable.pdf is the name of a fillable booklet)"
    ]


@pytest.mark.parametrize("ident", ["constructor", "prototype", "main", "summary", "contents"])
def test_a_topic_id_the_pages_use_themselves_is_refused(tiny: Path, ident: str) -> None:
    """A topic 'constructor' would strand saved answers; a topic 'main' would give a page two elements 'main'."""
    (tiny / SECTION).write_text((tiny / SECTION).read_text("utf-8").replace("id: dignity", f"id: {ident}"), "utf-8")
    assert problems(tiny) == [f"{SECTION}:3: topic id '{ident}' is taken by the pages themselves (expected another id)"]


# Every WeasyPrint warning fails the build; the cache cannot serve a wrong booklet.


def test_an_image_missing_inside_an_svg_fails_the_booklet(tiny: Path) -> None:
    """WeasyPrint finds the missing picture only when it writes the PDF: that still fails the build, uncached."""
    (tiny / "assets/img").mkdir()
    (tiny / "assets/img/chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40">'
        '<image xlink:href="missing.png" width="40" height="40"/></svg>',
        "utf-8",
    )
    add_to_intro(tiny, "![A chart](assets/img/chart.svg)")
    found = problems(tiny, BookletError, BuildOptions(jobs=1))
    assert found and all("missing.png" in problem for problem in found), found
    assert not list((tiny / ".cache/booklets").glob("*.[0-9]"))


def test_a_truncated_cached_booklet_is_rendered_again(tiny: Path) -> None:
    """A cached PDF or box map cut short (a full disk, a crash) is never published: it is rendered again."""
    build(Paths(tiny), tiny / "output", BuildOptions(jobs=1))
    whole = (tiny / "output/pdf/tiny.boxes.js").read_bytes()
    for cached in (tiny / ".cache/booklets").glob("*.[0-9]"):
        cached.write_bytes(cached.read_bytes()[:100])
    with BookletMaker(tiny, 1) as maker:
        build(Paths(tiny), tiny / "output", BuildOptions(jobs=1), booklets=maker)
        assert maker.rendered == 2
    assert len(PdfReader(tiny / "output/pdf/tiny.pdf").pages) > 5
    assert (tiny / "output/pdf/tiny.boxes.js").read_bytes() == whole


def test_an_image_whose_name_has_spaces_and_accents_is_part_of_the_booklet_key(tiny: Path) -> None:
    """Changing a picture called 'Café chart.png' renders its booklets again (its bytes are in the key)."""
    (tiny / "assets/img").mkdir()
    picture = tiny / "assets/img/Café chart.svg"
    picture.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>'
    )
    add_to_intro(tiny, "![A chart](assets/img/Caf%C3%A9%20chart.svg)")
    build(Paths(tiny), tiny / "output", BuildOptions(jobs=1))
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle r="20"/></svg>')
    with BookletMaker(tiny, 1) as maker:
        build(Paths(tiny), tiny / "output", BuildOptions(jobs=1), booklets=maker)
        assert maker.rendered == 2


def test_two_workbooks_with_the_same_booklet_html_keep_both_booklets(tiny: Path) -> None:
    """Two booklets of identical HTML are still two PDFs, each at its own path, on the first build."""
    (tiny / "content/tiny/workbook.yaml").write_text(
        (tiny / "content/tiny/workbook.yaml").read_text("utf-8").replace("front: [introduction]\n", "")
    )
    import shutil

    shutil.copytree(tiny / "content/tiny", tiny / "content/twin")
    build(Paths(tiny), tiny / "output", BuildOptions(jobs=1))
    for slug in ("tiny", "twin"):
        pdf = (tiny / f"output/pdf/{slug}.pdf").read_bytes()
        assert PdfReader(io.BytesIO(pdf)).metadata is not None


# Images in Markdown work on the site as in the booklet; words keep their characters.


def test_images_show_on_the_site_as_in_the_booklet(tiny: Path) -> None:
    """An image in assets/ and one kept beside the content both show on the site page, from where it stands."""
    (tiny / "assets/img").mkdir()
    (tiny / "assets/img/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    (tiny / "content/tiny/chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    add_to_intro(tiny, "![Logo](assets/img/logo.svg)\n\n![Chart](content/tiny/chart.svg)")
    build(Paths(tiny), tiny / "output", BuildOptions(jobs=1))
    page = (tiny / "output/tiny/introduction.html").read_text("utf-8")
    assert '<img src="../assets/img/logo.svg" alt="Logo" />' in page
    assert '<img src="../content/tiny/chart.svg" alt="Chart" />' in page
    for shown in ("assets/img/logo.svg", "content/tiny/chart.svg"):
        assert (tiny / "output" / shown).read_bytes() == (tiny / shown).read_bytes()
    assert not (tiny / "output/content/tiny/introduction.md").exists()


def test_statement_words_keep_their_characters_in_the_scoring_data(tiny: Path) -> None:
    """'4* and 5*', 'e_learning' and a link's text reach the scoring page as written, without Markdown marks."""
    text = (
        (tiny / SECTION)
        .read_text("utf-8")
        .replace(
            "Little is known.", "Rated 4* and 5* by e_learning, see [the guide](https://example.org) and **this**."
        )
    )
    (tiny / SECTION).write_text(text, "utf-8")
    build(Paths(tiny), tiny / "output", SITE_ONLY)
    page = (tiny / "output/tiny/score/index.html").read_text("utf-8")
    data = json.loads(page.split('id="scoring-data">', 1)[1].split("</script>", 1)[0])
    statement = data["sections"][0]["topics"][0]["statements"][0]
    assert statement == "Rated 4* and 5* by e_learning, see the guide and this."


def test_ctrl_c_during_a_build_is_one_sentence(tmp_path: Path) -> None:
    """Ctrl+C (SIGINT to the whole process group, as a terminal sends it) while booklets render: no traceback."""
    import shutil
    import signal
    import time

    for folder in ("content", "layouts", "assets"):  # the real workbooks: their booklets take seconds to render
        shutil.copytree(REPO / folder, tmp_path / folder)
    tiny = tmp_path
    command = [sys.executable, str(REPO / "build.py"), "--project", str(tiny), "--jobs", "2"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(2.5)  # reading done, booklets rendering in the workers
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stderr.strip().splitlines()[-1] == f"Interrupted: {tiny / 'output'} holds the last whole build."
    leftover = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True, check=False)
    assert leftover.stdout == "", "a booklet worker outlived the build"
