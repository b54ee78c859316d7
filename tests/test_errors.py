"""Bad input: each tiny defect gives its exact `path:line: message`, all in one run, and no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from workbook.pipeline import Paths, build, check
from workbook.problems import ContentError, LayoutError

SECTION = "content/tiny/sections/the-person.yaml"
WORKBOOK = "content/tiny/workbook.yaml"
SYNONYMS = "content/_shared/search.yaml"
GROUP = "a synonym group"
TWO_OR_MORE = "(expected two or more that mean the same)"
TOPIC = """title: The person
topics:
  - id: dignity
    {line}
    statements: ["1", "2", "3", "4", "5"]
"""

CASES = {
    "malformed YAML": (
        SECTION,
        "title: The person\ntopics:\n  - id: [unclosed\n",
        "YAML syntax: did not find expected ',' or ']' (expected valid YAML)",
    ),
    "unknown key": (
        SECTION,
        TOPIC.format(line="titel: Dignity"),
        "unknown key 'titel' in a topic (did you mean 'title'?)",
    ),
    "missing key": (
        SECTION,
        TOPIC.format(line="note: A note"),
        "missing key 'title' in a topic (expected id, title, statements)",
    ),
    "yes read as a boolean": (
        SECTION,
        TOPIC.format(line="title: yes"),
        "title 'yes' is read as a true/false value, not text (put it in quotes)",
    ),
    "010 read as a number": (
        SECTION,
        TOPIC.format(line="title: 010"),
        "title '010' is read as a number, not text (put it in quotes)",
    ),
    "a date where text was meant": (
        SECTION,
        TOPIC.format(line="title: 2012-01-01"),
        "title '2012-01-01' is read as a date, not text (put it in quotes)",
    ),
    "duplicate key": (
        SECTION,
        TOPIC.format(line="title: A\n    title: B"),
        "duplicate key 'title' in a topic (expected each key once)",
    ),
    "wrong number of statements": (
        SECTION,
        "title: The person\ntopics:\n  - id: dignity\n    title: Dignity\n    statements: [a, b, c]\n",
        "topic 'dignity' has 3 statements (expected 5, one per level: 1, 2, 3, 4, 5)",
    ),
    "threshold outside the scale": (
        SECTION,
        TOPIC.format(line="title: Dignity\n    threshold: 6"),
        "threshold '6' is out of range (expected a whole number from 1 to 5)",
    ),
    "tool link to nothing": (
        SECTION,
        TOPIC.format(line="title: Dignity\n    tools: [doughnut]"),
        "tool 'doughnut' is not in the glossary (expected a file content/_shared/tools/doughnut.yaml)",
    ),
    "empty file": (SECTION, "\n\n", "the file is empty (expected content)"),
    "alias": (
        SECTION,
        "title: &t The person\ntopics: []\n",
        "anchors and aliases (& and *) are not allowed (write the value out)",
    ),
    "synonym group of one word": (SYNONYMS, "synonyms:\n  - [medication]\n", f"{GROUP} has one word {TWO_OR_MORE}"),
    "synonym group not a list": (
        SYNONYMS,
        "synonyms:\n  - [medication, medicines]\n  - tablets\n",
        f"{GROUP} should be a list (expected [word, word, ...])",
    ),
    "synonym of two words": (
        SYNONYMS,
        "synonyms:\n  - [medication, medicines]\n  - [dementia, memory loss]\n",
        "synonym 'memory loss' is not one word (expected a single word of letters or digits)",
    ),
    "synonym in two groups": (
        SYNONYMS,
        "synonyms:\n  - [medication, medicines]\n  - [tablets, Medication]\n",
        "synonym 'Medication' is already in the group at line 2 (expected each word in one group)",
    ),
    "synonym read as a number": (
        SYNONYMS,
        "synonyms:\n  - [medication, 5]\n",
        "an entry of a synonym group '5' is read as a number, not text (put it in quotes)",
    ),
    "unknown key in search.yaml": (
        SYNONYMS,
        "synonym:\n  - [medication, medicines]\n",
        "unknown key 'synonym' in search.yaml (did you mean 'synonyms'?)",
    ),
}
LINES = {
    "malformed YAML": 4, "unknown key": 4, "missing key": 3, "yes read as a boolean": 4, "010 read as a number": 4,
    "a date where text was meant": 4, "duplicate key": 5, "wrong number of statements": 5, "threshold outside the scale": 5,
    "tool link to nothing": 5, "empty file": 1, "alias": 1, "synonym group of one word": 2,
    "synonym group not a list": 3, "synonym of two words": 3, "synonym in two groups": 3, "synonym read as a number": 2,
    "unknown key in search.yaml": 1,
}  # fmt: skip


def problems_of(root: Path) -> list[str]:
    """Check a project and return its problems as printed."""
    with pytest.raises(ContentError) as caught:
        check(Paths(root))
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_mistake_names_its_file_and_line(tiny: Path, case: str) -> None:
    """One defect gives exactly its message at its line."""
    path, text, message = CASES[case]
    (tiny / path).write_text(text, "utf-8")
    assert f"{path}:{LINES[case]}: {message}" in problems_of(tiny)


def test_duplicate_topic_id_names_both_places(tiny: Path) -> None:
    """A topic id used twice in a workbook, even across sections, is reported at the second use."""
    team = tiny / "content/tiny/sections/the-team.yaml"
    team.write_text(team.read_text("utf-8").replace("id: meetings", "id: dignity"), "utf-8")
    assert problems_of(tiny) == [
        "content/tiny/sections/the-team.yaml:3: duplicate topic id 'dignity' (already used at "
        "content/tiny/sections/the-person.yaml:3; expected each topic id once in a workbook)"
    ]


def test_mapping_to_nothing(tiny: Path) -> None:
    """A framework item that maps to an unknown topic or section is an error."""
    cqc = tiny / "content/tiny/frameworks/cqc.yaml"
    cqc.write_text(cqc.read_text("utf-8").replace("[dignity, history]", "[dignity, histroy]"), "utf-8")
    assert problems_of(tiny) == [
        "content/tiny/frameworks/cqc.yaml:5: topic 'histroy' does not exist in this workbook "
        "(expected the id of one of its topics)"
    ]


def test_file_that_is_not_utf8(tiny: Path) -> None:
    """Bytes that are not UTF-8 are reported at their line."""
    (tiny / SECTION).write_bytes("title: The person\ntopics:\n  - id: caf\xe9\n".encode("latin-1"))
    assert problems_of(tiny) == [f"{SECTION}:3: byte 0xe9 is not UTF-8 (save the file as UTF-8)"]


def test_markdown_page_header_lines_are_counted_in_the_file(tiny: Path) -> None:
    """A mistake in a Markdown page's header is reported at its line in the .md file."""
    (tiny / "content/tiny/introduction.md").write_text("---\ntitle: Intro\ntitel: x\n---\nText\n", "utf-8")
    assert problems_of(tiny) == [
        "content/tiny/introduction.md:3: unknown key 'titel' in the page header (did you mean 'title'?)"
    ]


def test_every_mistake_in_one_run(tiny: Path) -> None:
    """Mistakes in several files are all reported, in one run."""
    (tiny / SECTION).write_text(TOPIC.format(line="title: no"), "utf-8")
    workbook = tiny / WORKBOOK
    workbook.write_text(workbook.read_text("utf-8").replace("summary: mean", "summary: median"), "utf-8")
    assert problems_of(tiny) == [
        f"{WORKBOOK}:7: summary 'median' is not known (expected one of: mean, percentage)",
        f"{SECTION}:4: title 'no' is read as a true/false value, not text (put it in quotes)",
    ]


def run_build(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would."""
    command = [sys.executable, str(REPO / "build.py"), *arguments, "--no-pdf", "--project", str(root)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_command_line_aborts_once_and_leaves_output_alone(tiny: Path) -> None:
    """A broken build prints every message, a count, no traceback, exits 1 and keeps the last good output."""
    assert run_build(tiny).returncode == 0
    before = {path: path.read_bytes() for path in (tiny / "output").rglob("*") if path.is_file()}
    (tiny / SECTION).write_text(TOPIC.format(line="title: yes\n    threshold: 9"), "utf-8")
    result = run_build(tiny)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{SECTION}:4: title 'yes' is read as a true/false value, not text (put it in quotes)",
        f"{SECTION}:5: threshold '9' is out of range (expected a whole number from 1 to 5)",
        "Aborted with 2 content errors.",
    ]
    after = {path: path.read_bytes() for path in (tiny / "output").rglob("*") if path.is_file()}
    assert after == before


def test_check_writes_nothing(tiny: Path) -> None:
    """`build.py check` checks and writes no output."""
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stderr
    assert not (tiny / "output").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% block main %}{{ nothing_here }}{% endblock %}", "layouts/page.html:2: layout error: 'nothing_here' is undefined"),
        ("{% block main %}{% if %}{% endblock %}", "layouts/page.html:2: layout syntax: Expected an expression, got 'end of statement block'"),
    ],
)  # fmt: skip
def test_layout_mistakes_name_the_layout_and_line(tiny: Path, text: str, message: str) -> None:
    """An undefined variable or a syntax error in a layout names the layout file and line."""
    (tiny / "layouts/page.html").write_text('{% extends "_base.html" %}\n' + text + "\n", "utf-8")
    with pytest.raises(LayoutError) as caught:
        build(Paths(tiny), tiny / "output")
    assert [str(problem) for problem in caught.value.problems] == [message]
    assert not (tiny / "output").exists()


def test_a_detailed_action_plan_without_prompts(tiny: Path) -> None:
    """A plan page with no prompts of its own, in a workbook that gives none for all of them, is an error."""
    workbook = tiny / WORKBOOK
    text = workbook.read_text("utf-8").replace(
        "  prompts: [Top priority, Who, By when]\n", "  plans:\n    - prompts: [Top priority]\n    - title: Next\n"
    )
    workbook.write_text(text, "utf-8")
    assert problems_of(tiny) == [
        f"{WORKBOOK}:13: a detailed action plan has no prompts (expected 'prompts' in action_plan or its plans)"
    ]
