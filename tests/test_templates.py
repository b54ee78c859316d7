"""The tools' blank templates and the Health Check's blank graph: on paper, whole, a page each, and checked as content.

Facts, not bytes: each template's headings are in the text of every booklet whose tools chapter lists the
tool, all on one page that its ruled space fills; the glossary page prints each template on a page of its
own; every heading of a tally workbook stands in its scoring grid and its graph; a mistake in a template is
reported at its line.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import file_url
from tests.conftest import real_project
from tests.test_booklets import letters, pages_text
from tests.test_errors import problems_of
from workbook.model import Tool, ToolTemplate, Workbook

TOOL = "content/_shared/tools/one-page-profile.yaml"
TEXT_BLOCK_FOOT = 277  # mm from the top of an A4 booklet page to the foot of its text block (20 mm margin)
FILLED = 250  # mm: a template that fills its page reaches at least this far down (90% of the text block)


def headings(template: ToolTemplate) -> list[str]:
    """Every heading and prompt a template prints, in order."""
    boxes = [text for box in template.boxes for text in (box.heading, box.prompt) if text]
    return [template.title, *template.columns, *template.rows, *boxes]


def templates_of(workbook: Workbook) -> list[Tool]:
    """The tools with a template that a workbook's tools chapter lists, in its order."""
    tools = real_project().tools_by_id
    return [tools[tool] for tool, _ in workbook.tool_wordings if tools[tool].template]


def template_page(pages: list[str], template: ToolTemplate) -> int:
    """Return the index of the page a template stands on: the one whose text begins with all its headings."""
    wanted = letters("".join(headings(template)))
    found = [number for number, text in enumerate(pages) if letters(text).startswith(wanted)]
    assert len(found) == 1, f"{template.title}: on pages {found} (expected one page that starts with it)"
    return found[0]


def lowest_ink(pdf: Path, page: int, left_mm: float, right_mm: float) -> float:
    """Return how far down a page (mm) anything is drawn between two distances from its left edge."""
    dpi = 50
    ppm = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page + 1), "-l", str(page + 1), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    _, size, _, pixels = ppm.split(b"\n", 3)  # a PGM: P5, its width and height, 255, then a byte a pixel
    width, height = (int(value) for value in size.split())
    per_mm = dpi / 25.4
    columns = range(int(left_mm * per_mm), int(right_mm * per_mm))
    inked = [row for row in range(height) if any(pixels[row * width + column] < 200 for column in columns)]
    return inked[-1] / per_mm


TEMPLATED = [wb.slug for wb in real_project().workbooks if templates_of(wb)]


@pytest.mark.parametrize("slug", TEMPLATED)
def test_each_template_fills_a_page_of_the_booklets_that_list_its_tool(real_output: Path, slug: str) -> None:
    """Every template of a tool the booklet's chapter lists is there, on a page of its own, ruled to its foot."""
    pdf = real_output / "pdf" / f"{slug}.pdf"
    pages = pages_text(pdf)
    workbook = next(wb for wb in real_project().workbooks if wb.slug == slug)
    for tool in templates_of(workbook):
        assert tool.template is not None
        page = template_page(pages, tool.template)
        foot = lowest_ink(pdf, page, 18, 40)  # the left of the text block: clear of the page number
        assert FILLED <= foot <= TEXT_BLOCK_FOOT, f"{tool.id}: its page is drawn down to {foot:.0f} mm only"


def test_a_booklet_carries_only_the_templates_its_chapter_lists(real_output: Path) -> None:
    """A tool's template is in the booklets whose tools chapter lists the tool, and in no other."""
    templated = [tool for tool in real_project().tools if tool.template]
    for workbook in real_project().workbooks:
        whole = letters("".join(pages_text(real_output / "pdf" / f"{workbook.slug}.pdf")))
        listed = {tool.id for tool in templates_of(workbook)}
        for tool in templated:
            assert tool.template is not None
            present = letters("".join(headings(tool.template))) in whole
            assert present == (tool.id in listed), f"{workbook.slug}: {tool.id} template present: {present}"


def test_every_heading_stands_in_the_scoring_grid_and_its_graph(real_output: Path) -> None:
    """A tally workbook's booklet has its grid (headings by levels, total, percentage) and a graph of every heading."""
    tallied = [wb for wb in real_project().workbooks if wb.summary.tally]
    assert tallied
    for workbook in tallied:
        pages = pages_text(real_output / "pdf" / f"{workbook.slug}.pdf")
        columns = letters("Heading" + "".join(workbook.levels) + "Total" + workbook.summary.statistic)
        grid = next(letters(text) for text in pages if columns in letters(text))
        graph = next(
            text for text in pages if letters(text).startswith(letters(f"{workbook.summary.statistic} for each"))
        )
        assert all(letters(section.title) in grid for section in workbook.sections)
        assert "".join(letters(section.title) for section in workbook.sections) in letters(graph), "a bar unlabelled"
        assert "".join(f"{step}%" for step in range(100, -1, -10)) in "".join(graph.split()), "no axis 0-100%"


def test_the_glossary_prints_each_template_on_a_page_of_its_own(real_output: Path, browser: Browser) -> None:
    """Printed from Chromium, the glossary gives each template a page that starts with it and holds nothing else."""
    page = browser.new_page()
    page.goto(file_url(real_output / "tools.html"))
    printed = real_output.parent / "tools-printed.pdf"
    page.pdf(path=str(printed), format="A4", prefer_css_page_size=True)
    page.close()
    pages = pages_text(printed)
    for tool in real_project().tools:
        if tool.template is None:
            continue
        number = template_page(pages, tool.template)
        assert letters(pages[number]) == letters("".join(headings(tool.template))), f"{tool.id}: its page holds more"
        foot = lowest_ink(printed, number, 15, 40)
        assert foot >= FILLED, f"{tool.id}: printed down to {foot:.0f} mm only"


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("  title: Profile\n  colums: [A]\n  boxes: [{heading: B}]", 4, "unknown key 'colums' in a template (did you mean 'columns'?)"),
        ("  title: Profile\n  rows: [Person]\n  boxes: [{heading: B}]", 4, "rows without columns (expected columns: too, the headings across the table)"),
        ("  title: Profile\n  columns: [A, B, C, D, E, F, G]", 4, "columns has 7 entries (expected at most 6, to fit across the page)"),
        ("  title: Profile\n  boxes:\n    - prompt: Write here", 5, "missing key 'heading' in a box (expected heading)"),
        ("  title: yes\n  columns: [A]", 3, "title 'yes' is read as a true/false value, not text (put it in quotes)"),
        ("  title: Profile", 3, "a template with nothing to write in (expected columns:, boxes: or both)"),
    ],
)  # fmt: skip
def test_a_template_mistake_names_its_file_and_line(tiny: Path, template: str, line: int, message: str) -> None:
    """A mistake in a tool's template is reported as path:line: what is wrong (what was expected)."""
    (tiny / TOOL).write_text(f"name: One-page profile\ntemplate:\n{template}\n", "utf-8")
    assert problems_of(tiny) == [f"{TOOL}:{line}: {message}"]
