"""Gather the assets folder (css, js, fonts), refusing anything outside the project."""

from __future__ import annotations

from pathlib import Path

from .problems import AssetError, Problem, shown_path


def read_assets(assets: Path, root: Path) -> dict[str, bytes]:
    """Return every asset file's bytes by its site path under assets/."""
    files: dict[str, bytes] = {}
    problems = []
    project = root.resolve()
    for path in sorted(assets.rglob("*")):
        shown = shown_path(path, root)
        if not path.resolve().is_relative_to(project):
            problems.append(Problem(shown, 1, "the asset points outside the project (expected a file inside it)"))
        elif path.is_file():
            files[f"assets/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    if problems:
        raise AssetError(problems)
    return files
