"""The README's promises: CI runs its test command, word for word."""

from __future__ import annotations

import re

from tests.conftest import REPO


def readme_commands() -> list[str]:
    """Return the shell commands in the README's code blocks marked `sh`."""
    return re.findall(r"```sh\n(.+?)\n```", (REPO / "README.md").read_text("utf-8"), re.DOTALL)


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run's last line is the README's second command."""
    setup, tests = readme_commands()[:2]
    assert "build.py" in setup
    assert (REPO / ".ci/run").read_text("utf-8").strip().splitlines()[-1] == tests
