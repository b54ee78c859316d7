"""The code's own promises to its next maintainer: small functions, each rule's wording in one place."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO
from workbook.model import MUST_ACHIEVE
from workbook.readers import is_reserved

LONGEST_FUNCTION = 60  # lines


def test_no_engine_function_is_over_sixty_lines() -> None:
    """Every function of the engine and the command line reads on one screen."""
    long = []
    for path in sorted([*(REPO / "workbook").glob("*.py"), REPO / "build.py"]):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > LONGEST_FUNCTION:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.name} has {length} lines")
    assert long == []


def test_a_threshold_is_worded_by_the_model_only() -> None:
    """Layouts and scripts present the model's requirement ("must achieve 4 or above"); none words it again."""
    pattern = re.compile(re.escape(MUST_ACHIEVE), re.IGNORECASE)
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for folder in ("layouts", "assets/js")
        for path in sorted((REPO / folder).rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []


def test_every_id_the_pages_give_their_own_elements_is_reserved() -> None:
    """A topic, item or tool id can never take an element id a layout or script uses (a page with two 'main's)."""
    literal = re.compile(
        r'\bid="([a-z][a-z0-9-]*)"|\bid: "([a-z][a-z0-9-]*[a-z0-9])"|getElementById\("([a-z][a-z0-9-]*)"\)'
    )
    used = {
        next(group for group in match.groups() if group)
        for folder, pattern in (("layouts", "*.html"), ("assets/js", "*.js"))
        for path in (REPO / folder).glob(pattern)
        for match in literal.finditer(path.read_text("utf-8"))
    }
    assert used, "no element ids found: the pattern no longer matches the layouts"
    assert sorted(ident for ident in used if not is_reserved(ident)) == []
