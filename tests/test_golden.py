"""Golden tests: each tiny project builds to exactly its committed HTML."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.golden import NAMES, build_html, expected_html


@pytest.mark.parametrize("name", NAMES)
def test_tiny_project_builds_to_its_expected_html(name: str, tmp_path: Path) -> None:
    """Every page matches; a difference shows as a unified diff (refresh: python -m tests.golden)."""
    built, expected = build_html(name, tmp_path), expected_html(name)
    assert sorted(built) == sorted(expected)
    for path, text in expected.items():
        diff = "".join(difflib.unified_diff(text.splitlines(True), built[path].splitlines(True), path, path))
        assert not diff, f"{path} differs from its expected HTML:\n{diff}"
