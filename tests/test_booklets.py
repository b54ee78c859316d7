"""The PDF booklets, as facts a printer and a manager care about: pages, words, fonts, fields, boxes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import real_project, real_workbook
from workbook.pdf import booklet_pdfs
from workbook.pipeline import Paths, build
from workbook.problems import BookletError, ContentError

A4 = (595.28, 841.89)
MM = 72 / 25.4


SLUGS = sorted(wb.slug for wb in real_project().workbooks)


def pages_text(pdf: Path) -> list[str]:
    """Return each page's text, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def letters(text: str) -> str:
    """Reduce text to letters, so line breaks and layout do not matter."""
    return re.sub(r"[^a-z]", "", text.lower())


def plain(markdown: str) -> str:
    """Drop Markdown marks from a statement."""
    return re.sub(r"[*_`]|^\s*- ", "", markdown, flags=re.MULTILINE)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_statement_is_in_its_booklet_in_order(real_output: Path, slug: str) -> None:
    """Every statement of every topic is printed, topic after topic, level after level."""
    whole = letters("".join(pages_text(real_output / "pdf" / f"{slug}.pdf")))
    wb = real_workbook(slug)
    position = 0
    for topic in wb.topics:
        found = [whole.find(letters(plain(statement)), position) for statement in topic.statements]
        assert -1 not in found, f"{topic.id}: a statement is missing after position {position}"
        if wb.layout == "list":
            assert found == sorted(found), f"{topic.id}: statements out of order"
        position = min(found)


@pytest.mark.parametrize("slug", SLUGS)
def test_contents_page_numbers_match_where_topics_stand(real_output: Path, slug: str) -> None:
    """The contents' page number for each topic (or section, for tables) is where its statements are printed."""
    pdf = real_output / "pdf" / f"{slug}.pdf"
    pages = pages_text(pdf)
    contents = next(i for i, text in enumerate(pages) if text.lstrip().startswith("Contents"))
    wb = real_workbook(slug)
    first_statement = letters(plain(wb.topics[0].statements[0]))
    end = next(i for i in range(contents, len(pages)) if first_statement in letters(pages[i]))  # contents end here
    listing = re.sub(r"\s+", " ", " ".join(pages[contents:end]))
    entries = wb.topics if wb.layout == "list" else [section.topics[0] for section in wb.sections]
    titles = [topic.title for topic in wb.topics] if wb.layout == "list" else [s.title for s in wb.sections]
    for topic, title in zip(entries, titles, strict=True):
        title = re.sub(r"\s+", " ", plain(title))
        printed = re.search(re.escape(title) + r"[ .]*?(\d+)\b", listing)
        assert printed, f"{topic.id} is not in the contents"
        page = int(printed.group(1))
        first = letters(plain(topic.statements[0]))
        assert first in letters(pages[page - 1]), f"{topic.id}: contents say page {page}, its statements are not there"


@pytest.mark.parametrize("slug", SLUGS)
def test_a_topic_is_never_split_across_pages(real_output: Path, slug: str) -> None:
    """A topic's first and last statements stand on the same page."""
    pages = [letters(text) for text in pages_text(real_output / "pdf" / f"{slug}.pdf")]
    for topic in real_workbook(slug).topics:
        first, last = letters(plain(topic.statements[0]))[:80], letters(plain(topic.statements[-1]))[-80:]
        on = [i for i, text in enumerate(pages) if first in text]
        assert on and last in pages[on[0]], f"{topic.id} is split across pages"


def test_fonts_are_shipped_and_embedded(real_output: Path) -> None:
    """Every font in every booklet is embedded, and it is the project's own typeface."""
    for pdf in sorted((real_output / "pdf").glob("*.pdf")):
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[
            2:
        ]
        assert rows, pdf
        for row in rows:
            assert "Atkinson-Hyperlegible" in row, row
            assert row.split()[-5] == "yes", f"{pdf.name}: not embedded: {row}"


@pytest.mark.parametrize("slug", SLUGS)
def test_booklets_are_tagged_with_metadata_and_bookmarks(real_output: Path, slug: str) -> None:
    """Tagged PDF/UA with title, language, author and subject; bookmarks for sections and topics."""
    reader = PdfReader(real_output / "pdf" / f"{slug}.pdf")
    wb = real_workbook(slug)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    info = reader.metadata
    assert info is not None
    assert info.title == f"{wb.title}: {wb.subtitle}"
    assert info.subject == wb.subtitle
    assert info.author
    titles = [entry["/Title"] for entry in flatten(reader.outline)]
    for section in wb.sections:
        assert section.title in titles
    assert sum(1 for title in titles if re.match(r"^\d+\.? ", title)) == len(wb.topics)
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4


def flatten(outline: list[object]) -> list[dict[str, object]]:
    """Return every bookmark of a nested outline, in order."""
    found: list[dict[str, object]] = []
    for entry in outline:
        found.extend(flatten(entry) if isinstance(entry, list) else [entry])  # type: ignore[list-item]
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_fillable_booklet_has_one_choice_group_per_topic(real_output: Path, slug: str) -> None:
    """The fillable variant has a radio group per topic, a button per level, and text fields to plan."""
    fields = PdfReader(real_output / "pdf" / f"{slug}-fillable.pdf").get_fields() or {}
    wb = real_workbook(slug)
    groups = {name: field for name, field in fields.items() if field.get("/FT") == "/Btn" and "." not in name}
    assert sorted(groups) == sorted(topic.id for topic in wb.topics)
    for field in groups.values():
        assert len(field["/_States_"]) == len(wb.levels)
    assert sum(1 for field in fields.values() if field.get("/FT") == "/Tx") >= 4 * len(wb.topics)


def test_a_missing_image_fails_the_build(tiny: Path) -> None:
    """A booklet never comes out silently broken: a missing image is an error at the line that names it."""
    intro = tiny / "content/tiny/introduction.md"
    intro.write_text(intro.read_text("utf-8") + "\n![A chart](assets/missing.png)\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        build(Paths(tiny), tiny / "output")
    assert [str(problem) for problem in caught.value.problems] == [
        "content/tiny/introduction.md:10: image 'assets/missing.png' cannot be read (No such file or directory) "
        "(expected a file inside the project)"
    ]
    assert not (tiny / "output").exists()


@pytest.mark.parametrize("address", ["file:///etc/passwd", "http://example.org/logo.png", "../../../etc/hosts"])
def test_content_cannot_reach_outside_the_project(tiny: Path, address: str) -> None:
    """An image outside the project, local or remote, is refused at its line and fails the build."""
    intro = tiny / "content/tiny/introduction.md"
    intro.write_text(intro.read_text("utf-8") + f"\n![Outside]({address})\n", "utf-8")
    with pytest.raises(ContentError) as caught:
        build(Paths(tiny), tiny / "output")
    assert [str(problem) for problem in caught.value.problems] == [
        f"content/tiny/introduction.md:10: image '{address}' is refused (expected a file inside the project, like assets/x.png)"
    ]


def test_weasyprint_fetches_nothing_outside_the_project(tmp_path: Path) -> None:
    """Even a layout that asks for a file outside the project gets nothing: the booklet fails to build."""
    html = '<html lang="en-GB"><body><img src="file:///etc/hostname" alt="x"></body></html>'
    with pytest.raises(BookletError) as caught:
        booklet_pdfs(html, tmp_path, "output/pdf/x.pdf", "x")
    assert "refused file:///etc/hostname" in str(caught.value.problems[0])


def test_named_levels_keep_their_tick_boxes_in_one_column(tiny: Path) -> None:
    """Levels named in words ("Not yet") wrap in their own column: every tick box stands in one line, right of every label."""
    levels = ["Not yet", "Starting", "Getting there", "Mostly", "Always without exception"]
    workbook_yaml = tiny / "content/tiny/workbook.yaml"
    workbook_yaml.write_text(
        workbook_yaml.read_text("utf-8").replace('["1", "2", "3", "4", "5"]', str(levels)), "utf-8"
    )
    build(Paths(tiny), tiny / "output")
    fillable = PdfReader(tiny / "output/pdf/tiny-fillable.pdf")
    lefts, page_numbers = set(), set()
    for number, page in enumerate(fillable.pages, start=1):
        if "Summary sheet" in page.extract_text():
            continue  # its boxes stand in a column per level, as its table's headings say
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            parent = widget.get("/Parent")
            if widget.get("/Subtype") == "/Widget" and parent is not None and parent.get_object().get("/FT") == "/Btn":
                lefts.add(round(float(widget["/Rect"][0]), 1))
                page_numbers.add(number)
    assert len(lefts) == 1, f"tick boxes stand at {sorted(lefts)} points from the left, not in one column"
    box_left = lefts.pop()
    words = subprocess.run(
        [
            "pdftotext",
            "-bbox",
            "-f",
            str(min(page_numbers)),
            "-l",
            str(max(page_numbers)),
            str(tiny / "output/pdf/tiny.pdf"),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    label_words = {word for level in levels for word in level.split()}
    found = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', words)
    label_right_edges = [float(right) for _, right, word in found if word in label_words]
    assert len(label_right_edges) >= len(levels) * 3
    assert max(label_right_edges) < box_left, "a level's name runs into its tick box"
