"""Cross-references: no page number written in content, each shown as its target's real page and linked."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, make_project, real_workbook
from workbook.markup import plain
from workbook.pipeline import BuildOptions, Paths, build, check
from workbook.problems import ContentError
from workbook.references import targets

SLUGS = ["health-check", "homecare", "managers", "reablement", "wigan"]
STALE = re.compile(r"\bpages?\s+(\d+|[ivx]+\b)", re.IGNORECASE)  # "page 16", "pages 26 and 27", "pages 24-25"
WRITTEN = re.compile(r"\[([^\]]+)\]\(page:([^)\s]+)\)")


def prose_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield the lines of a content file a reader sees: YAML comments and a page's header left out."""
    lines = path.read_text("utf-8").split("\n")
    header_end = lines.index("---", 1) if path.suffix == ".md" and lines[0] == "---" else 0
    for number, line in enumerate(lines, start=1):
        if number > header_end + 1 and not line.lstrip().startswith("#" if path.suffix == ".yaml" else "\0"):
            yield number, line


def test_no_page_number_is_written_in_content() -> None:
    """Every "page N" a reader would see is a cross-reference now, never a number that goes stale."""
    stale = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted((REPO / "content").rglob("*"))
        if path.suffix in (".yaml", ".md")
        for number, line in prose_lines(path)
        if STALE.search(WRITTEN.sub("", line))
    ]
    assert stale == []


def references_of(slug: str) -> list[tuple[str, str]]:
    """Return the cross-references written in a workbook's content: (their words, their target)."""
    return [
        (words, target)
        for path in sorted((REPO / "content" / slug).rglob("*"))
        if path.suffix in (".yaml", ".md")
        for words, target in WRITTEN.findall(" ".join(line for _, line in prose_lines(path)))
    ]


def pages_of(pdf: Path) -> list[str]:
    """Return a PDF's text page by page, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.parametrize("slug", SLUGS)
def test_each_cross_reference_gives_the_page_its_target_heads(real_output: Path, slug: str) -> None:
    """The booklet says "the summary sheet (page 30)", and page 30, numbered 30, starts with that heading."""
    references = references_of(slug)
    assert references, f"{slug} has no cross-reference"
    found = targets(real_workbook(slug))
    pages = pages_of(real_output / "pdf" / f"{slug}.pdf")
    text = " ".join(" ".join(pages).split())
    for words, target in references:
        said = re.search(re.escape(" ".join(words.split())) + r" \(page (\d+)\)", text)
        assert said, f"{slug}: '{words}' is not followed by its page"
        number = int(said[1])
        lines = [line.strip() for line in pages[number - 1].split("\n") if line.strip()]
        assert lines[-1] == str(number), f"{slug}: page {number} is numbered {lines[-1]}"
        heading = " ".join(plain(found[target][0].title).split())
        assert any(line.startswith(heading) for line in lines), f"{slug}: page {number} has no '{heading}'"
        before = " ".join(pages[number - 2].split()) if number > 1 else ""
        assert not re.search(rf"(^| ){re.escape(heading)}\b", before) or target in ("contents",), (
            f"{slug}: '{heading}' already heads page {number - 1}"
        )


def test_site_cross_references_link_to_where_their_targets_are(tmp_path: Path) -> None:
    """On the site each cross-reference is a link with its words, to a page that has the anchor it names."""
    root = make_project(tmp_path, "scale")
    build(Paths(root), root / "output", BuildOptions(booklets=False))
    page = root / "output" / "tiny" / "resources.html"
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', page.read_text("utf-8")))
    expected = {
        "score/index.html#summary": "summary sheet",
        "sections/the-team.html": "the team",
        "sections/the-team.html#meetings": "meetings",
    }
    for href, words in expected.items():
        assert links.get(href) == words, links
        path, _, anchor = href.partition("#")
        target = (page.parent / path).read_text("utf-8")
        assert not anchor or f'id="{anchor}"' in target, href
    assert "page:" not in page.read_text("utf-8")


TARGETS = (
    "expected one of: contents, summary-sheet, summary-of-actions, action-plan, tools; a page: introduction, "
    "resources; a section: the-person, the-team; a topic: dignity, history, meetings; a framework: cqc; "
    "a tool: one-page-profile"
)


def problems_of(root: Path) -> list[str]:
    """Check a project and return its problems as printed."""
    with pytest.raises(ContentError) as caught:
        check(Paths(root))
    return [str(problem) for problem in caught.value.problems]


def test_an_unknown_target_in_a_page_is_named_at_its_line_with_the_targets_there_are(tiny: Path) -> None:
    """A mistyped target is reported at its line, with the nearest id and every id it could have been."""
    page = tiny / "content/tiny/resources.md"
    page.write_text(page.read_text("utf-8").replace("page:summary-sheet", "page:sumary-sheet"), "utf-8")
    assert problems_of(tiny) == [
        "content/tiny/resources.md:7: cross-reference 'page:sumary-sheet' names nothing in this workbook "
        f"(did you mean 'summary-sheet'? {TARGETS})"
    ]


def test_an_unknown_target_in_a_folded_statement_is_named_at_its_own_line(tiny: Path) -> None:
    """In a YAML block the message names the line that writes the cross-reference, not the block's first."""
    section = tiny / "content/tiny/sections/the-person.yaml"
    text = section.read_text("utf-8").replace(
        "Most people have a one-page profile.", "Most\n        [x](page:profiles)."
    )
    section.write_text(text, "utf-8")
    assert problems_of(tiny) == [
        f"content/tiny/sections/the-person.yaml:12: cross-reference 'page:profiles' names nothing in this workbook "
        f"({TARGETS})"
    ]


def test_a_cross_reference_where_no_workbook_is_shown_is_refused(tiny: Path) -> None:
    """The site's tools page shows every workbook's wording of a tool: there, a page of one workbook means nothing."""
    tools = tiny / "content/tiny/tools.yaml"
    tools.write_text(tools.read_text("utf-8").replace("says what", "says [what](page:dignity)"), "utf-8")
    assert problems_of(tiny) == [
        "content/tiny/tools.yaml:2: cross-reference 'page:dignity' is not allowed here (the site's tools page "
        "shows every workbook's wording; expected none)"
    ]
