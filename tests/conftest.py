"""Shared test helpers: tiny projects built in a temporary folder from the repository's layouts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from workbook.model import Project, Workbook
from workbook.pipeline import Paths, build
from workbook.readers import read_project

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


@cache
def real_project() -> Project:
    """Read the repository's real content once."""
    return read_project(REPO / "content")


def real_workbook(slug: str) -> Workbook:
    """Return one of the repository's real workbooks."""
    return next(wb for wb in real_project().workbooks if wb.slug == slug)


@pytest.fixture(scope="session")
def real_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real project once for the whole test run, booklets included (read-only for the tests)."""
    folder = tmp_path_factory.mktemp("real") / "output"
    build(Paths(REPO), folder)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, shared by a test module's tests."""
    from tests.browser import chromium  # tests/browser.py imports this module

    with chromium() as launched:
        yield launched
