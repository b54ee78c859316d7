"""Build each tiny project and compare, or refresh, its expected HTML.

Refresh after an intended change to the layouts: `python -m tests.golden`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.conftest import PROJECTS, make_project
from workbook.pipeline import BuildOptions, Paths, build

NAMES = sorted(path.name for path in PROJECTS.iterdir() if (path / "content").is_dir())


def build_html(name: str, tmp_path: Path) -> dict[str, str]:
    """Build a tiny project and return its HTML pages by path."""
    root = make_project(tmp_path, name)
    build(Paths(root), root / "output", BuildOptions(booklets=False))
    return {
        path.relative_to(root / "output").as_posix(): path.read_text("utf-8")
        for path in sorted((root / "output").rglob("*.html"))
    }


def expected_html(name: str) -> dict[str, str]:
    """Return a tiny project's committed HTML pages by path."""
    expected = PROJECTS / name / "expected"
    return {path.relative_to(expected).as_posix(): path.read_text("utf-8") for path in sorted(expected.rglob("*.html"))}


def refresh() -> None:
    """Rewrite every tiny project's expected HTML from a fresh build."""
    for name in NAMES:
        with tempfile.TemporaryDirectory() as folder:
            pages = build_html(name, Path(folder))
        expected = PROJECTS / name / "expected"
        shutil.rmtree(expected, ignore_errors=True)
        for path, text in pages.items():
            (expected / path).parent.mkdir(parents=True, exist_ok=True)
            (expected / path).write_text(text, "utf-8")
        print(f"refreshed {expected.relative_to(PROJECTS.parent.parent)}: {len(pages)} pages", file=sys.stderr)


if __name__ == "__main__":
    refresh()
