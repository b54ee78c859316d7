"""The booklets' text layer and tags, as a screen reader, copy and search meet them (workbook/tags.py)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pdfua import validate
from pypdf import PdfReader

from tests.conftest import real_project, real_workbook
from workbook.tags import link_targets

SLUGS = sorted(wb.slug for wb in real_project().workbooks)
BOOKLETS = [f"{slug}{kind}" for slug in SLUGS for kind in ("", "-fillable")]
TEXT = {"Tj", "TJ", "'", '"'}
PAINT = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do"}  # what draws rules, backgrounds, images


def words(text: str) -> list[str]:
    """A text's words, hyphens dropped (pdftotext joins a word hyphenated at a line's end: "wellmanaged") and a
    line broken after a slash joined ("beliefs/" then "values" reads "beliefs/values", as it is written)."""
    return re.sub(r"/\s+", "/", text).replace("-", "").split()


def parts(text: str) -> list[str]:
    """A text's words, split at hyphens and slashes too (pdftotext -layout keeps "well-" and "managed", "beliefs/" and
    "values" on their lines)."""
    return [part for part in re.split(r"[\s/-]+", text) if part]


def plain(markdown: str) -> str:
    """A statement's words without its Markdown marks."""
    return re.sub(r"[*_`]|^\s*- ", "", markdown, flags=re.MULTILINE)


def pdftotext(pdf: Path, *options: str) -> list[str]:
    """Each page's text as pdftotext reads it."""
    run = subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True)
    return run.stdout.split("\f")[:-1]


def statement_words(pdf: Path, split: Any, *options: str) -> list[str]:
    """A booklet's words as pdftotext reads them, less list bullets and the lines that are just a page's number.

    pdftotext orders a page's blocks by where they stand: a page number may come between a statement's
    lead-in and its list, on a line of its own.
    """
    pages = pdftotext(pdf, *options)
    lines = [line for number, page in enumerate(pages, 1) for line in page.splitlines() if line.strip() != str(number)]
    return [word for word in split("\n".join(lines)) if word != "•"]


def contiguous(needle: list[str], haystack: list[str], start: int = 0) -> int:
    """Where a run of words first stands, unbroken, in a list of words from `start`; -1 if nowhere."""
    for at in range(start, len(haystack) - len(needle) + 1):
        if haystack[at : at + len(needle)] == needle:
            return at
    return -1


def letters(text: str) -> str:
    """A text's letters and digits alone, so line breaks and columns do not matter."""
    return re.sub(r"\W", "", text)


def in_order(needle: list[str], haystack: list[str]) -> bool:
    """Whether a run of words stands in a list of words in order, other words perhaps between them."""
    rest = iter(haystack)
    return all(word in rest for word in needle)


def elements(tree: Any) -> Iterator[Any]:
    """Every structure element of a structure tree."""
    stack = [tree]
    while stack:
        kids = stack.pop().get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                stack.append(kid)
                yield kid


def marked_text(page: Any) -> dict[str, str]:
    """A page's text in artifacts ("artifact"), in tagged content ("tagged") and in neither ("untagged")."""
    stack: list[tuple[str, bool]] = []
    found = {"artifact": "", "tagged": "", "untagged": ""}

    def before(operator: bytes, operands: list[Any], *_: Any) -> None:
        """Follow the marked-content sequences the text is in."""
        if operator in (b"BDC", b"BMC"):
            properties = operands[1] if operator == b"BDC" else {}
            stack.append((str(operands[0]), hasattr(properties, "get") and properties.get("/MCID") is not None))
        elif operator == b"EMC":
            stack.pop()

    def text(shown: str, *_: Any) -> None:
        """File the text under what it is in."""
        kind = "tagged" if any(mcid for _, mcid in stack) else "untagged"
        found["artifact" if any(tag == "/Artifact" for tag, _ in stack) else kind] += shown

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return found


@pytest.mark.parametrize("booklet", BOOKLETS)
def test_every_statement_reads_whole_and_in_order(real_output: Path, booklet: str) -> None:
    """Copy and search meet each statement's words unbroken, topic after topic, nothing glued to them."""
    pdf = real_output / "pdf" / f"{booklet}.pdf"
    wb = real_workbook(booklet.removesuffix("-fillable"))
    read, laid_out = statement_words(pdf, words), statement_words(pdf, parts, "-layout")
    position = 0
    for topic in wb.topics:
        found = [contiguous(words(plain(statement)), read, position) for statement in topic.statements]
        assert -1 not in found, f"{booklet}: a statement of {topic.id} is broken or missing after word {position}"
        position = min(found)
        for statement in topic.statements:  # side by side in columns, each still reads in order in -layout
            assert in_order(parts(plain(statement)), laid_out), f"{booklet}: {topic.id} in -layout"
    for level in wb.levels:  # a column's heading, with no label glued to it ("FeatureGetting Started")
        assert contiguous(words(level), read) >= 0, f"{booklet}: the level {level!r} is not read as itself"


@pytest.mark.parametrize("booklet", BOOKLETS)
def test_no_word_is_drawn_over_another(real_output: Path, booklet: str) -> None:
    """No two words of a page overlap: no label hidden under another word, clipped or not."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(real_output / "pdf" / f"{booklet}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for number, page in enumerate(bbox.split("<page ")[1:], start=1):
        boxes = sorted(
            (float(x0), float(y0), float(x1), float(y1), word)
            for x0, y0, x1, y1, word in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page
            )
        )
        for index, (x0, y0, x1, y1, word) in enumerate(boxes):
            for ox0, oy0, ox1, oy1, other in boxes[index + 1 :]:
                if ox0 >= x1:
                    break
                overlap = (min(x1, ox1) - max(x0, ox0)) * (min(y1, oy1) - max(y0, oy0))
                smaller = min((x1 - x0) * (y1 - y0), (ox1 - ox0) * (oy1 - oy0))
                assert overlap <= 0.2 * smaller, f"{booklet} page {number}: {word!r} overlaps {other!r}"


@pytest.mark.parametrize("booklet", BOOKLETS)
def test_all_content_is_in_the_tree_or_an_artifact(real_output: Path, booklet: str) -> None:
    """Each marked-content id is its structure element's, in the tree; nothing drawn is outside tags and artifacts."""
    with pikepdf.open(real_output / "pdf" / f"{booklet}.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot
        placed = {element.objgen for element in elements(tree)}
        numbers = tree.ParentTree.Nums
        parent_tree = {int(key): value for key, value in zip(numbers[::2], numbers[1::2], strict=True)}
        for number, page in enumerate(pdf.pages, start=1):
            parents = parent_tree[int(page.obj.StructParents)]
            mcids, stack = [], []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("BDC", "BMC"):
                    mcid = operands[1].get("/MCID") if str(operator) == "BDC" else None
                    stack.append((str(operands[0]), mcid))
                    mcids += [int(mcid)] if mcid is not None else []
                elif str(operator) == "EMC":
                    stack.pop()
                elif str(operator) in TEXT | PAINT:
                    inside = any(tag == "/Artifact" or mcid is not None for tag, mcid in stack)
                    assert inside, f"page {number}: {operator} outside tags and artifacts"
            assert sorted(mcids) == list(range(len(parents))), f"page {number}: ids and the parent tree differ"
            for mcid in mcids:
                parent = parents[mcid]
                assert parent.objgen in placed, f"page {number}: content {mcid} is in no element of the tree"
                kids = parent.K if isinstance(parent.K, pikepdf.Array) else [parent.K]
                assert mcid in [int(kid) for kid in kids if isinstance(kid, int)], f"page {number}: {mcid}"


@pytest.mark.parametrize("slug", SLUGS)
def test_running_heads_and_page_numbers_are_artifacts(real_output: Path, slug: str) -> None:
    """A screen reader skips the running head, the edition and the page number; they are still on the page."""
    short_title = words(real_workbook(slug).short_title)
    reader = PdfReader(real_output / "pdf" / f"{slug}.pdf")
    for number, page in enumerate(reader.pages[2:], start=3):  # the cover and inside cover have no heads
        text = marked_text(page)
        assert not text["untagged"].strip(), f"page {number}: text neither tagged nor an artifact"
        artifacts, tagged = words(text["artifact"]), words(text["tagged"])
        assert str(number) in artifacts and contiguous(short_title, artifacts) >= 0, f"page {number}"
        assert tagged[-len(artifacts) :] != artifacts, f"page {number}: its heads and number are tagged too"


@pytest.mark.parametrize("booklet", BOOKLETS)
def test_headings_tables_and_links_are_tagged_right(real_output: Path, booklet: str) -> None:
    """No heading inside a heading or link inside a link; every header cell has a scope; links say where they go."""
    path = real_output / "pdf" / f"{booklet}.pdf"
    pages = pdftotext(path)
    with pikepdf.open(path) as pdf:
        for element in elements(pdf.Root.StructTreeRoot):
            role, parent = str(element.S), str(element.P.get("/S"))
            assert not (re.fullmatch(r"/H\d?", role) and re.fullmatch(r"/H\d?", parent)), "a heading in a heading"
            assert not (role == parent == "/Link"), "a link in a link"
            if role == "/TH":
                scope = element.A.get("/Scope")
                assert scope == ("/Column" if str(element.P.P.S) == "/THead" else "/Row"), "a header cell's scope"
        destinations = {str(name): target for name, target in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        page_numbers = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        described = 0
        for page in pdf.pages:
            for link in page.obj.get("/Annots", []):
                if link.get("/Subtype") != "/Link" or "/Dest" not in link:
                    continue
                target = destinations[str(link.Dest)]
                number = page_numbers[(target[0] if isinstance(target, pikepdf.Array) else target.D[0]).objgen]
                title, _, said = str(link.Contents).rpartition(", page ")
                assert said == str(number), f"{link.Contents} names the wrong page (it is {number})"
                number_apart = title.split(" ", 1)[-1] if title.split(" ", 1)[0].isdigit() else title  # its own column
                assert letters(number_apart) in letters(pages[number - 1]), f"{title!r} is not on page {number}"
                described += 1
        assert described, "no link inside the booklet"


@pytest.mark.parametrize("booklet", ["health-check", "health-check-fillable"])
def test_a_feature_is_read_out_by_its_title(real_output: Path, booklet: str) -> None:
    """A feature's heading shows its number; a screen reader reads its title, and the number column is named."""
    wb = real_workbook("health-check")
    with pikepdf.open(real_output / "pdf" / f"{booklet}.pdf") as pdf:
        tables = [element for element in elements(pdf.Root.StructTreeRoot) if element.S == "/Table"]
        titles, columns = [], []
        for element in elements(pdf.Root.StructTreeRoot):
            if element.S == "/H2" and element.P.S == "/TH":
                titles.append(str(element.get("/ActualText", "")))
            if element.S == "/TH" and element.A.Scope == "/Column" and not len(element.K):
                columns.append(str(element.get("/ActualText", "")))
    assert tables
    assert sorted(titles) == sorted(" ".join(words(plain(topic.title))) for topic in wb.topics)
    assert columns and set(columns) == {"Feature"}


@pytest.mark.parametrize("booklet", BOOKLETS)
def test_pdfua_finds_nothing(real_output: Path, booklet: str) -> None:
    """The pdfua checker finds nothing wrong with any booklet, printed or fillable."""
    report = validate(str(real_output / "pdf" / f"{booklet}.pdf"))
    assert [(finding.rule_id, finding.message) for finding in report.findings] == []


def test_a_link_names_its_targets_heading_as_a_screen_reader_reads_it() -> None:
    """A link to a place is described by the heading there, as read out, and the page it is on."""
    import weasyprint

    html = (
        '<html lang="en"><body><p><a href="#feature">1</a> <a href="#summary">Summary</a></p>'
        '<table id="feature" style="break-before: page"><tr><th><h2 data-actual-text="Direction 4">4</h2></th></tr>'
        '</table><section id="summary"><h1>Summary sheet</h1><p>Copy the box you ticked.</p></section></body></html>'
    )
    targets = link_targets(weasyprint.HTML(string=html).render())
    assert targets == {"feature": "Direction 4, page 2", "summary": "Summary sheet, page 2"}
