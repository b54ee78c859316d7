"""What lets a camera read a ticked booklet back: registration marks, a page code, and the map of every box.

docs/paper-reading.md is the contract with the scoring page's reader (assets/js/score-scan.js): where the
four marks and the page code's cells are, how the code is made, and the box map's shape. Booklet workers
find the boxes in WeasyPrint's layout, stamp each page that has some (`stamp`) and write the workbook's box
map beside its booklets (`box_map_script`); it is cached with them, so a rebuild parses no PDF.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

MM_PER_PX = 25.4 / 96  # WeasyPrint lays out in CSS pixels
PT_PER_MM = 72 / 25.4

TRIM = (210.0, 297.0)  # A4, the page every booklet is laid out on
FINDER = 7.0  # a mark's side: a 1 mm ring, 1 mm of white, a 3 mm square (1:1:3:1:1)
FINDERS = ((11.0, 11.0), (199.0, 11.0), (11.0, 286.0), (199.0, 286.0))  # centres: TL, TR, BL, BR
STRIP_X, STRIP_Y, STRIP_WIDTH, CELL, BITS = 9.5, 52.5, 3.0, 4.0, 48  # the page code's column of cells

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
    """Draw marks and a page code on each page of an open PDF with boxes."""
    import pikepdf

    for boxes in pages:
        page = document.pages[boxes.page - 1]
        trim = tuple(float(value) for value in page.obj.get("/TrimBox", page.mediabox))
        page.contents_add(pikepdf.Stream(document, b"q\n"), prepend=True)
        drawing = marks_stream(page_code(slug, boxes), trim)  # type: ignore[arg-type]
        page.contents_add(pikepdf.Stream(document, b"\nQ\n" + drawing), prepend=False)


def box_map(slug: str, pages: Iterable[PageBoxes]) -> dict[str, Any]:
    """A workbook's box map: where the boxes are on each page of its booklets (printed and fillable alike)."""
    return {
        "format": FORMAT,
        "workbook": slug,
        "code": workbook_code(slug),
        "trim": list(TRIM),
        "finder": FINDER,
        "finders": [list(centre) for centre in FINDERS],
        "strip": {"x": STRIP_X, "y": STRIP_Y, "width": STRIP_WIDTH, "cell": CELL, "bits": BITS},
        "pages": [{**page.entry(), "in": ["printed", "fillable"]} for page in pages],
    }


def box_map_script(slug: str, pages: Iterable[PageBoxes]) -> bytes:
    """A workbook's box map as the script the scoring page loads when the user reads a booklet."""
    data = json.dumps(box_map(slug, pages), separators=(",", ":"))
    script = (
        "window.ProgressScoring = window.ProgressScoring || {};\n"
        "window.ProgressScoring.boxMaps = window.ProgressScoring.boxMaps || {};\n"
        f"window.ProgressScoring.boxMaps[{json.dumps(slug)}] = {data};\n"
    )
    return script.encode("utf-8")


def box_map_path(slug: str) -> str:
    """Where a workbook's box map goes: beside its booklets."""
    return f"pdf/{slug}.boxes.js"
