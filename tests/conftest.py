"""Shared test helpers: tiny projects built in a temporary folder from the repository's layouts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECTS = REPO / "tests" / "projects"


def make_project(tmp_path: Path, name: str) -> Path:
    """Copy a tiny project's content beside the repository's layouts and assets."""
    root = tmp_path / name
    shutil.copytree(PROJECTS / name / "content", root / "content")
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    return root


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A valid tiny 1-5 workbook project, to break one file at a time."""
    return make_project(tmp_path, "scale")
