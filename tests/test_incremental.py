"""Fast rebuilds: nothing changed writes nothing; one workbook's edit remakes only its pages and booklets."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PROJECTS, make_project
from workbook import markup
from workbook.booklets import BookletMaker
from workbook.pipeline import BuildOptions, Paths, build


def two_workbooks(tmp_path: Path) -> Path:
    """A project with two tiny workbooks: a 1-5 one and a tiered one."""
    root = make_project(tmp_path, "scale")
    shutil.copytree(PROJECTS / "tiered" / "content" / "tiered", root / "content" / "tiered")
    return root


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    """A second build of the same content changes no file in output/ and renders no booklet."""
    root = two_workbooks(tmp_path)
    first = build(Paths(root), root / "output")
    stamps = {path: path.stat().st_mtime_ns for path in (root / "output").rglob("*") if path.is_file()}
    maker = BookletMaker(root)
    second = build(Paths(root), root / "output", booklets=maker)
    assert len(first.changed) == len(stamps) and second.changed == []
    assert maker.rendered == 0  # every booklet came from the cache
    assert {path: path.stat().st_mtime_ns for path in (root / "output").rglob("*") if path.is_file()} == stamps


def test_one_workbook_edited_remakes_only_its_own_files(tmp_path: Path) -> None:
    """Editing a statement of one workbook rewrites its pages and booklets, not the other workbook's."""
    root = two_workbooks(tmp_path)
    build(Paths(root), root / "output")
    bronze = root / "content/tiered/sections/bronze.yaml"
    bronze.write_text(bronze.read_text("utf-8").replace('"B1"', '"The basics are barely there"'), "utf-8")
    changed = build(Paths(root), root / "output").changed
    assert {"pdf/tiered.pdf", "pdf/tiered-fillable.pdf", "pdf/tiered.boxes.js"} <= set(changed)
    assert "tiered/sections/bronze.html" in changed
    assert not [path for path in changed if path.startswith(("tiny/", "pdf/tiny"))]


def test_a_layout_change_remakes_what_uses_it(tmp_path: Path) -> None:
    """Changing the booklet stylesheet remakes every booklet and no page."""
    root = two_workbooks(tmp_path)
    build(Paths(root), root / "output")
    css = root / "assets/css/booklet.css"
    css.write_text(css.read_text("utf-8") + "\n.topic-title { letter-spacing: 0.01em; }\n", "utf-8")
    changed = build(Paths(root), root / "output").changed
    assert sorted(path for path in changed if path.endswith(".pdf")) == sorted(
        f"pdf/{slug}{suffix}.pdf" for slug in ("tiered", "tiny") for suffix in ("", "-fillable")
    )
    assert not [path for path in changed if path.endswith(".html")]


def test_site_only_build_keeps_the_booklets_the_site_links_to(tmp_path: Path) -> None:
    """A build without booklets keeps the booklets of the current output, untouched, so the site's links work."""
    root = two_workbooks(tmp_path)
    build(Paths(root), root / "output")
    booklets = {path: (path.read_bytes(), path.stat().st_ino) for path in (root / "output/pdf").iterdir()}
    overview = root / "output/tiny/index.html"
    overview.write_text(overview.read_text("utf-8").replace("<body>", "<body>edited", 1), "utf-8")
    changed = build(Paths(root), root / "output", BuildOptions(booklets=False)).changed
    assert changed == ["tiny/index.html"]  # the edited page is put back; the booklets are neither changed nor removed
    assert len(booklets) == 6  # two workbooks: a printed and a fillable booklet each, and their box map
    assert {path: (path.read_bytes(), path.stat().st_ino) for path in (root / "output/pdf").iterdir()} == booklets
    assert 'href="../pdf/tiny.pdf"' in overview.read_text("utf-8")


def forget_renders() -> None:
    """Forget every Markdown render this process holds, as a new build.py process would start."""
    for function in (markup.markdown, markup.markdown_inline, markup.plain):
        function.cache_clear()
    markup.KEPT = markup.Kept()


@pytest.fixture
def fresh_process_renders() -> Iterator[Callable[[], None]]:
    """Give a test a way to start afresh as a new process; forget what it made after it."""
    yield forget_renders
    forget_renders()


def test_a_rebuild_with_nothing_changed_parses_no_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_process_renders: Callable[[], None]
) -> None:
    """Markdown renders are kept in .cache between builds: the same pages come out without parsing any."""
    root = two_workbooks(tmp_path)
    build(Paths(root), root / "output", BuildOptions(booklets=False))
    fresh_process_renders()

    def refuse(*args: object) -> str:
        raise AssertionError("Markdown was parsed again")

    monkeypatch.setattr(markup, "_plain", refuse)
    monkeypatch.setattr(markup.MarkdownIt, "render", refuse)
    monkeypatch.setattr(markup.MarkdownIt, "renderInline", refuse)
    assert build(Paths(root), root / "output", BuildOptions(booklets=False)).changed == []


@pytest.mark.parametrize("damage", ["cut short", "another version", "not text"])
def test_damaged_or_older_kept_renders_are_ignored(
    tmp_path: Path, fresh_process_renders: Callable[[], None], damage: str
) -> None:
    """A cut-short file, or renders from another version of the renderer, are never used: the pages are right."""
    root = two_workbooks(tmp_path)
    build(Paths(root), root / "output", BuildOptions(booklets=False))
    page = (root / "output/tiered/sections/bronze.html").read_bytes()
    file = root / ".cache/markdown.json"
    kept = json.loads(file.read_text("utf-8"))
    wrong = "<p>WRONG</p>" if damage == "another version" else 1
    kept = {
        "version": "0:other" if damage == "another version" else kept["version"],
        "renders": dict.fromkeys(kept["renders"], wrong),
    }
    file.write_text(json.dumps(kept)[: -10 if damage == "cut short" else None], "utf-8")
    fresh_process_renders()
    shutil.rmtree(root / "output")
    build(Paths(root), root / "output", BuildOptions(booklets=False))
    assert (root / "output/tiered/sections/bronze.html").read_bytes() == page
