"""The booklets' tags: what a screen reader, copy and search get from a booklet, beyond what WeasyPrint writes.

WeasyPrint 70 tags a PDF/UA-1 booklet from its HTML. Here, in the booklet's one pikepdf session (workbook/pdf.py):

- running heads and page numbers (CSS margin boxes), which WeasyPrint marks as content of structure elements
  it leaves out of the tree, become pagination artifacts, and the page's other marked content is renumbered;
- a link WeasyPrint nests in a link (a contents entry's `::after`: its leader and page number) joins the outer one;
- every table header cell gets its scope: a column's in a table's head, a row's elsewhere (the booklet's
  layouts give `scope="col"` to the one and `scope="row"` or `"rowgroup"` to the other);
- every link inside the booklet is described by where it goes: "Summary sheet, page 30" (a heading that says
  `data-actual-text` is named by it).

And while WeasyPrint writes the PDF (`actual_texts`), an element whose HTML says `data-actual-text` gets that text
as its structure element's /ActualText: what a screen reader reads for it, where the page shows less (a feature's
number for its title). A label is never hidden text on the page, which copy and search would get too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ACTUAL_TEXT = "data-actual-text"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")  # a marked-content sequence's start, with its id


@contextmanager
def actual_texts() -> Iterator[None]:
    """While WeasyPrint writes a PDF, give the structure element of each `data-actual-text` element that text.

    WeasyPrint 70 makes a box's structure element in `weasyprint.pdf.tags._build_box_tree`, which yields it;
    this wraps that function for as long as the `with` lasts (a booklet worker writes one PDF at a time).
    """
    import pydyf
    from weasyprint.pdf import tags

    build = tags._build_box_tree

    def build_labelled(box: Any, *args: Any) -> Iterator[Any]:
        """Build a box's structure as WeasyPrint does, and label it as its element says."""
        element = getattr(box, "element", None)
        text = None if element is None or element.tag in ("html", "body") else element.get(ACTUAL_TEXT)
        for structure in build(box, *args):
            if text:
                structure["ActualText"] = pydyf.String(text)
            yield structure

    tags._build_box_tree = build_labelled
    try:
        yield
    finally:
        tags._build_box_tree = build


def link_targets(document: Any) -> dict[str, str]:
    """Describe every place a link in a laid-out booklet can go: its id's title and page ("Summary sheet, page 30")."""
    root = document.pages[0]._page_box.children[0].element if document.pages else None
    elements = {element.get("id"): element for element in root.iter() if element.get("id")} if root is not None else {}
    targets: dict[str, str] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            if name not in targets and name in elements:
                title = element_title(elements[name])
                targets[name] = f"{title}, page {number}" if title else f"Page {number}"
    return targets


def element_title(element: Any) -> str:
    """An element's title: its own words if it is a heading, else its first heading's, else its own words.

    A heading's words are what a screen reader reads for it: its `data-actual-text` where it has one.
    """
    heading = element if element.tag in HEADINGS else next((e for e in element.iter() if e.tag in HEADINGS), element)
    return " ".join((heading.get(ACTUAL_TEXT) or "".join(heading.itertext())).split())


def tidy_tags(document: Any, targets: dict[str, str]) -> None:
    """Make an open booklet's tags right: pagination as artifacts, header cells with scope, links described."""
    mark_pagination(document)
    join_links(document)
    scope_headers(document)
    describe_links(document, targets)


def mark_pagination(document: Any) -> None:
    """Turn the marked content of structure elements outside the tree (margin boxes) into pagination artifacts."""
    import pikepdf

    tree = document.Root.get("/StructTreeRoot")
    if tree is None:
        return
    placed = {element.objgen for element in _elements(tree)}
    pages = {int(page.obj.StructParents): page for page in document.pages if "/StructParents" in page.obj}
    numbers = tree.ParentTree.Nums
    for index in range(0, len(numbers), 2):
        parents = numbers[index + 1]
        if not isinstance(parents, pikepdf.Array):
            continue  # an annotation's parent, not a page's
        kept = [mcid for mcid, parent in enumerate(parents) if parent.objgen in placed]
        if len(kept) == len(parents):
            continue
        renumbered = {old: new for new, old in enumerate(kept)}
        _rewrite_marks(document, pages[int(numbers[index])], renumbered)
        for parent in {parents[old].objgen: parents[old] for old in kept}.values():
            parent.K = _renumbered(parent.K, renumbered)
        numbers[index + 1] = pikepdf.Array([parents[old] for old in kept])


def _elements(tree: Any) -> Iterator[Any]:
    """Every structure element in a structure tree, depth first."""
    import pikepdf

    stack = [tree]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                stack.append(kid)


def _rewrite_marks(document: Any, page: Any, renumbered: dict[int, int]) -> None:
    """Rewrite a page's content: each marked content id renumbered, or, when it has no number, made an artifact.

    WeasyPrint writes every string of text in hexadecimal and no inline image, so a marked-content operator is
    the only thing in its page streams that reads like one. Finding them in the bytes keeps all of `tidy_tags` at
    0.13 s of CPU for homecare's 56 pages, where parsing and rewriting every instruction took 0.5 s.
    """
    import pikepdf

    def rewrite(found: re.Match[bytes]) -> bytes:
        """One marked-content operator, renumbered or made an artifact."""
        mcid = int(found[2])
        if mcid in renumbered:
            return b"/%s <</MCID %d>> BDC" % (found[1], renumbered[mcid])
        return b"/Artifact <</Type /Pagination>> BDC"

    streams = page.obj.Contents if isinstance(page.obj.Contents, pikepdf.Array) else [page.obj.Contents]
    content = b"\n".join(stream.read_bytes() for stream in streams)
    page.obj.Contents = document.make_stream(MARKED.sub(rewrite, content))


def _renumbered(kids: Any, renumbered: dict[int, int]) -> Any:
    """A structure element's kids with their marked content ids renumbered."""
    import pikepdf

    if isinstance(kids, int):
        return renumbered.get(kids, kids)
    if isinstance(kids, pikepdf.Array):
        return pikepdf.Array([renumbered.get(kid, kid) if isinstance(kid, int) else kid for kid in kids])
    return kids


def join_links(document: Any) -> None:
    """Make each link WeasyPrint nests in a link (a contents entry's leader and page number) part of the outer one."""
    import pikepdf

    tree = document.Root.get("/StructTreeRoot")
    joined: dict[tuple[int, int], Any] = {}  # by an inner link: the link it is now part of
    for element in list(_elements(tree)) if tree is not None else ():
        outer = element.get("/P")
        if element.S != "/Link" or outer is None or outer.get("/S") != "/Link":
            continue
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                kid.P = outer
        at = [getattr(kid, "objgen", None) for kid in outer.K].index(element.objgen)
        outer.K = pikepdf.Array([*outer.K[:at], *kids, *outer.K[at + 1 :]])
        joined[element.objgen] = outer
    if not joined:
        return
    numbers = tree.ParentTree.Nums
    for index in range(1, len(numbers), 2):
        parents = numbers[index]
        if isinstance(parents, pikepdf.Array):
            numbers[index] = pikepdf.Array([joined.get(parent.objgen, parent) for parent in parents])
        else:
            numbers[index] = joined.get(parents.objgen, parents)


def scope_headers(document: Any) -> None:
    """Give every table header cell its scope: a column's in the table's head, a row's in its body."""
    import pikepdf

    tree = document.Root.get("/StructTreeRoot")
    for element in _elements(tree) if tree is not None else ():
        if element.S != "/TH":
            continue
        row = element.get("/P")
        group = row.get("/P") if row is not None else None
        scope = pikepdf.Name.Column if group is not None and group.get("/S") == "/THead" else pikepdf.Name.Row
        attributes = element.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            element.A = attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
        attributes.Scope = scope


def describe_links(document: Any, targets: dict[str, str]) -> None:
    """Describe each link to a place in the booklet by that place's title and page, for a screen reader to say."""
    import pikepdf

    for page in document.pages:
        for annotation in page.obj.get("/Annots", ()):
            destination = annotation.get("/Dest")
            if annotation.get("/Subtype") == "/Link" and isinstance(destination, pikepdf.String):
                described = targets.get(str(destination))
                if described:
                    annotation.Contents = pikepdf.String(described)
