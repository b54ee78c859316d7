"""The marks a camera reads a ticked booklet by: drawn where docs/paper-reading.md says, and a box map that is true."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from tests.conftest import real_project, real_workbook
from tests.test_forms import widgets
from workbook.marks import (
    BITS,
    CELL,
    FINDERS,
    STRIP_WIDTH,
    STRIP_X,
    STRIP_Y,
    Box,
    PageBoxes,
    crc16,
    workbook_code,
)

SLUGS = [workbook.slug for workbook in real_project().workbooks]
DPI = 100
PX = DPI / 25.4  # pixels per mm


def box_map(output: Path, slug: str) -> dict[str, Any]:
    """Read a workbook's box map as the scoring page does: the object its script's last line assigns."""
    script = (output / "pdf" / f"{slug}.boxes.js").read_text("utf-8")
    last = script.strip().splitlines()[-1]
    assert last.startswith(f"window.ProgressScoring.boxMaps[{json.dumps(slug)}] = ")
    data: dict[str, Any] = json.loads(last.split(" = ", 1)[1].rstrip(";"))
    return data


def page_image(pdf: Path, page: int, tmp_path: Path) -> Image.Image:
    """Rasterise one page of a PDF, in grey, at DPI."""
    stem = tmp_path / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True)  # fmt: skip
    return Image.open(f"{stem}.png").convert("L")


def dark(image: Image.Image, x: float, y: float) -> bool:
    """Whether the page is black at a point given in mm."""
    value = image.getpixel((round(x * PX), round(y * PX)))
    assert isinstance(value, int)
    return value < 128


def read_code(image: Image.Image) -> bytes:
    """Read a page's code from its picture: each cell's centre, black for 1, top to bottom."""
    cells = [dark(image, STRIP_X + STRIP_WIDTH / 2, STRIP_Y + CELL * (index + 0.5)) for index in range(BITS)]
    return bytes(int("".join("1" if cell else "0" for cell in cells[at : at + 8]), 2) for at in range(0, BITS, 8))


def test_the_check_is_crc16_ccitt_false() -> None:
    """The code's check is the standard CRC the reader implements: its check value for "123456789" is 0x29B1."""
    assert crc16(b"123456789") == 0x29B1


@pytest.mark.parametrize("slug", SLUGS)
def test_every_page_with_boxes_carries_marks_and_its_code(real_output: Path, slug: str, tmp_path: Path) -> None:
    """Each page the box map lists shows four finder marks and a code naming its workbook, page and edition."""
    data = box_map(real_output, slug)
    assert data["code"] == workbook_code(slug)
    for entry in data["pages"][:: max(1, len(data["pages"]) // 3)]:  # a few pages of each booklet, rasterised
        image = page_image(real_output / "pdf" / f"{slug}.pdf", entry["page"], tmp_path)
        for cx, cy in FINDERS:
            assert dark(image, cx, cy), "the finder's centre square"
            assert not dark(image, cx + 2, cy) and not dark(image, cx - 2, cy), "the white ring around it"
            assert dark(image, cx + 3, cy) and dark(image, cx, cy - 3), "the finder's black ring"
        code = read_code(image)
        assert code[0] == workbook_code(slug) and code[1] == entry["page"]
        assert int.from_bytes(code[2:4], "big") == entry["hash"]
        assert int.from_bytes(code[4:6], "big") == crc16(code[:4])


@pytest.mark.parametrize("slug", SLUGS)
def test_the_box_map_says_where_every_box_is(real_output: Path, slug: str) -> None:
    """Each box in the map is where the fillable booklet's radio button for that topic and level is.

    The button covers the box inside its 1.5 pt border.
    """
    border = 1.5 * 25.4 / 72
    data, workbook = box_map(real_output, slug), real_workbook(slug)
    mapped = {(entry["page"], box["topic"], box["level"]): box for entry in data["pages"] for box in entry["boxes"]}
    buttons = [widget for widget in widgets(real_output / "pdf" / f"{slug}-fillable.pdf") if widget.value]
    assert len(mapped) == len(buttons)
    for button in buttons:
        level = workbook.levels.index(button.value.replace("#20", " ")) + 1 if button.value else 0
        box = mapped[(button.page + 1, button.name, level)]
        left, bottom, right, top = (value * 25.4 / 72 for value in button.rect)
        assert box["x"] + border == pytest.approx(left, abs=0.1)
        assert box["y"] + border == pytest.approx(297 - top, abs=0.1)
        assert box["size"] - 2 * border == pytest.approx(right - left, abs=0.1) == pytest.approx(top - bottom, abs=0.1)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_topic_can_be_read_from_paper(real_output: Path, slug: str) -> None:
    """Every topic has all its levels' boxes in the printed booklet, and the printed and fillable ones agree."""
    data, workbook = box_map(real_output, slug), real_workbook(slug)
    printed = [entry for entry in data["pages"] if "printed" in entry["in"]]
    found = {(box["topic"], box["level"]) for entry in printed for box in entry["boxes"]}
    assert found == {(topic.id, level) for topic in workbook.topics for level in range(1, len(workbook.levels) + 1)}
    assert all(entry["in"] == ["printed", "fillable"] for entry in data["pages"])


def test_a_page_keeps_its_edition_while_its_boxes_mean_the_same() -> None:
    """A page's hash changes when a box moves or its topic's statements change, and only then."""
    box = Box("choice", 1, 18.0, 60.2, 7.0, "abc")
    page = PageBoxes(12, (box,))
    assert PageBoxes(12, (Box("choice", 1, 18.0, 60.2, 7.0, "abc"),)).hash == page.hash
    assert PageBoxes(12, (Box("choice", 1, 18.0, 61.2, 7.0, "abc"),)).hash != page.hash
    assert PageBoxes(12, (Box("choice", 1, 18.0, 60.2, 7.0, "abd"),)).hash != page.hash


def test_marks_are_artifacts_not_text(real_output: Path) -> None:
    """The marks are drawn last, as an artifact: four finders of three rectangles, and one per 1 in the code."""
    entry = box_map(real_output, "homecare")["pages"][0]
    data = bytes([workbook_code("homecare"), entry["page"]]) + entry["hash"].to_bytes(2, "big")
    ones = sum(bin(byte).count("1") for byte in data + crc16(data).to_bytes(2, "big"))
    with pikepdf.open(real_output / "pdf" / "homecare.pdf") as document:
        instructions = list(pikepdf.parse_content_stream(document.pages[entry["page"] - 1]))
    operators = [str(operator) for _, operator in instructions]
    last = len(operators) - 1 - operators[::-1].index("BMC")
    assert [str(operand) for operand in instructions[last][0]] == ["/Artifact"]
    assert operators[last:].count("re") == 4 * 3 + ones
    assert "EMC" in operators[last:] and "Tj" not in operators[last:] and "TJ" not in operators[last:]
