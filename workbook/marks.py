"""What lets a camera read a ticked booklet back: registration marks, a page code, and the map of every box.

docs/paper-reading.md is the contract with the scoring page's reader (assets/js/score-scan.js): where the
four marks and the page code's cells are, how the code is made, and the box map's shape. Booklet workers
find the boxes in WeasyPrint's layout and stamp each page that has some (`stamp`); each page keeps its own
entry of the box map in its /PieceInfo (the PDF's place for an application's private data), so a booklet
taken from the cache, or one a preview still shows, says where its boxes are; the build gathers the entries
of a workbook's two booklets into one box map (`box_map`) beside them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import FILLABLE_SUFFIX

MM_PER_PX = 25.4 / 96  # WeasyPrint lays out in CSS pixels
PT_PER_MM = 72 / 25.4

TRIM = (210.0, 297.0)  # A4, the page every booklet is laid out on
FINDER = 7.0  # a mark's side: a 1 mm ring, 1 mm of white, a 3 mm square (1:1:3:1:1)
FINDERS = ((11.0, 11.0), (199.0, 11.0), (11.0, 286.0), (199.0, 286.0))  # centres: TL, TR, BL, BR
STRIP_X, STRIP_Y, STRIP_WIDTH, CELL, BITS = 9.5, 52.5, 3.0, 4.0, 48  # the page code's column of cells

PIECE = "/ProgressWorkbooks"  # this tool's key in a page's /PieceInfo
PINNED = "D:20260101000000Z"  # /LastModified, which /PieceInfo requires: pinned, as the booklet's date is
FORMAT = 1  # the box map's format


@dataclass(frozen=True)
class Box:
    """A tick box on a page: its topic, its level as a score (1 for the scale's first), its border box in mm."""

    topic: str
    level: int
    x: float
    y: float
    size: float
    meaning: str  # the topic's meaning (model.meaning): a page reads only while its topics mean the same

    def entry(self) -> dict[str, Any]:
        """The box as the box map lists it."""
        return {"topic": self.topic, "level": self.level, "x": self.x, "y": self.y, "size": self.size}


@dataclass(frozen=True)
class PageBoxes:
    """A page's tick boxes, in page order, and the page's number in its PDF (from 1)."""

    page: int
    boxes: tuple[Box, ...]

    @property
    def hash(self) -> int:
        """The page's edition: two bytes of a hash of its boxes, where they are and what they mean."""
        listed = [[box.topic, box.level, box.x, box.y, box.size, box.meaning] for box in self.boxes]
        digest = hashlib.sha256(json.dumps(listed, separators=(",", ":")).encode("utf-8")).digest()
        return int.from_bytes(digest[:2], "big")

    def entry(self) -> dict[str, Any]:
        """The page as the box map lists it."""
        return {"page": self.page, "hash": self.hash, "boxes": [box.entry() for box in self.boxes]}


def layout_boxes(document: Any) -> list[PageBoxes]:
    """Find every tick box in a WeasyPrint document's layout: the elements with a data-topic."""
    pages = []
    for number, page in enumerate(document.pages, start=1):
        boxes = tuple(
            Box(
                topic=element.get("data-topic"),
                level=int(element.get("data-level")),
                x=_mm(box.border_box_x()),
                y=_mm(box.border_box_y()),
                size=_mm(box.border_width()),
                meaning=element.get("data-meaning", ""),
            )
            for box in _descendants(page._page_box)
            if (element := getattr(box, "element", None)) is not None
            and element.get("data-topic")
            and getattr(box, "element_tag", "") in ("span", "input")
        )
        if boxes:
            pages.append(PageBoxes(number, boxes))
    return pages


def _descendants(box: Any) -> Iterator[Any]:
    """A layout box and every box inside it, absolutely placed ones included (descendants() skips those)."""
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _descendants(child)


def _mm(pixels: float) -> float:
    """CSS pixels as millimetres, to a tenth (the printed and fillable booklets then agree to the digit)."""
    return round(pixels * MM_PER_PX, 1)


def workbook_code(slug: str) -> int:
    """The page code's first byte: which workbook."""
    return hashlib.sha256(slug.encode("utf-8")).digest()[0]


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def page_code(slug: str, page: PageBoxes) -> bytes:
    """The six bytes a page's code column shows: workbook, page, edition, check."""
    data = bytes([workbook_code(slug), page.page & 0xFF]) + page.hash.to_bytes(2, "big")
    return data + crc16(data).to_bytes(2, "big")


def bits(code: bytes) -> list[int]:
    """A code's bits, most significant first: one per cell, top to bottom."""
    return [(byte >> (7 - index)) & 1 for byte in code for index in range(8)]


def marks_stream(code: bytes, trim: tuple[float, float, float, float]) -> bytes:
    """The PDF drawing of a page's marks and code, in black, as an artifact (nothing a screen reader reads)."""
    left, _, _, top = trim

    def rect(x: float, y: float, width: float, height: float) -> str:
        """A rectangle given in mm from the trim's top-left, in PDF points from its bottom-left."""
        numbers = (left + x * PT_PER_MM, top - (y + height) * PT_PER_MM, width * PT_PER_MM, height * PT_PER_MM)
        return " ".join(f"{number:.3f}" for number in numbers) + " re"

    ops = ["/Artifact BMC", "q", "0 0 0 rg"]
    for cx, cy in FINDERS:
        ring = [rect(cx - 3.5, cy - 3.5, 7, 7), rect(cx - 2.5, cy - 2.5, 5, 5), "f*"]
        ops += [*ring, rect(cx - 1.5, cy - 1.5, 3, 3), "f"]
    cells = [rect(STRIP_X, STRIP_Y + CELL * index, STRIP_WIDTH, CELL) for index, bit in enumerate(bits(code)) if bit]
    ops += [*cells, "f", "Q", "EMC"]
    return "\n".join(ops).encode("ascii")


def stamp(document: Any, slug: str, pages: Iterable[PageBoxes]) -> None:
    """Draw marks and a page code on each page of an open PDF with boxes; keep its box map entry in its /PieceInfo."""
    import pikepdf

    for boxes in pages:
        page = document.pages[boxes.page - 1]
        trim = tuple(float(value) for value in page.obj.get("/TrimBox", page.mediabox))
        page.contents_add(pikepdf.Stream(document, b"q\n"), prepend=True)
        drawing = marks_stream(page_code(slug, boxes), trim)  # type: ignore[arg-type]
        page.contents_add(pikepdf.Stream(document, b"\nQ\n" + drawing), prepend=False)
        private = json.dumps(boxes.entry(), separators=(",", ":"))
        page.obj.LastModified = pikepdf.String(PINNED)
        page.obj.PieceInfo = pikepdf.Dictionary(
            {PIECE: pikepdf.Dictionary(LastModified=pikepdf.String(PINNED), Private=pikepdf.String(private))}
        )


def read_pages(pdf: bytes, cache: Path | None = None) -> list[dict[str, Any]]:
    """Return the box map entries a booklet's pages keep in their /PieceInfo (none in a damaged file).

    Kept in `cache` under the PDF's hash: a rebuild with nothing changed does not parse its booklets again.
    """
    kept = cache / f"{hashlib.sha256(pdf).hexdigest()}.json" if cache else None
    if kept:
        try:
            entries: list[dict[str, Any]] = json.loads(kept.read_text("utf-8"))
            kept.touch()
            return entries
        except (OSError, ValueError):
            pass
    entries = _piece_entries(pdf)
    if kept:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(f".{os.getpid()}.part")
            partial.write_text(json.dumps(entries), "utf-8")
            partial.replace(kept)
        except OSError:
            pass  # a read-only or full .cache only costs the next build a parse
    return entries


def _piece_entries(pdf: bytes) -> list[dict[str, Any]]:
    """Parse a booklet's pages for the box map entries in their /PieceInfo."""
    import pikepdf

    entries = []
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            for page in document.pages:
                pieces = page.obj.get("/PieceInfo")
                piece = pieces.get(PIECE) if isinstance(pieces, pikepdf.Dictionary) else None
                if isinstance(piece, pikepdf.Dictionary) and "/Private" in piece:
                    entries.append(json.loads(bytes(piece.Private)))
    except (pikepdf.PdfError, ValueError):
        return []  # a booklet this build did not make whole: the reader then finds no page of it
    return entries


def prune(cache: Path, keep_seconds: float = 86400) -> None:
    """Forget box map entries of booklets that no build has used for a day."""
    stale = time.time() - keep_seconds
    for path in cache.glob("*.json") if cache.is_dir() else []:
        if path.stat().st_mtime < stale:
            path.unlink(missing_ok=True)


def box_map(slug: str, printed: bytes | None, fillable: bytes | None, cache: Path | None = None) -> dict[str, Any]:
    """A workbook's box map: where the boxes are on each page of its printed and fillable booklets."""
    pages: dict[tuple[int, int], dict[str, Any]] = {}
    for name, pdf in (("printed", printed), ("fillable", fillable)):
        for entry in read_pages(pdf, cache) if pdf else []:
            kept = pages.setdefault((entry["page"], entry["hash"]), {**entry, "in": []})
            kept["in"].append(name)
    return {
        "format": FORMAT,
        "workbook": slug,
        "code": workbook_code(slug),
        "trim": list(TRIM),
        "finder": FINDER,
        "finders": [list(centre) for centre in FINDERS],
        "strip": {"x": STRIP_X, "y": STRIP_Y, "width": STRIP_WIDTH, "cell": CELL, "bits": BITS},
        "pages": [pages[key] for key in sorted(pages)],
    }


def box_map_path(slug: str) -> str:
    """Where a workbook's box map goes: beside its booklets."""
    return f"pdf/{slug}.boxes.js"


def box_map_files(slugs: Iterable[str], files: dict[str, bytes], cache: Path | None = None) -> dict[str, bytes]:
    """Each workbook's box map as the script the scoring page loads when the user reads a booklet."""
    if cache:
        prune(cache)
    made = {}
    for slug in slugs:
        printed, fillable = files.get(f"pdf/{slug}.pdf"), files.get(f"pdf/{slug}{FILLABLE_SUFFIX}.pdf")
        if printed or fillable:
            data = json.dumps(box_map(slug, printed, fillable, cache), separators=(",", ":"))
            script = (
                "window.ProgressScoring = window.ProgressScoring || {};\n"
                "window.ProgressScoring.boxMaps = window.ProgressScoring.boxMaps || {};\n"
                f"window.ProgressScoring.boxMaps[{json.dumps(slug)}] = {data};\n"
            )
            made[box_map_path(slug)] = script.encode("utf-8")
    return made
