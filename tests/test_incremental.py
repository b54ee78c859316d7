"""Fast rebuilds: nothing changed writes nothing; one workbook's edit remakes only its pages and booklets."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import PROJECTS, make_project
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
    assert "pdf/tiered.pdf" in changed and "pdf/tiered-fillable.pdf" in changed
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
