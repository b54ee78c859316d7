"""The vision core of "Read a ticked booklet" (assets/js/score-scan.js and score-scan-boxes.js) in Chromium.

The test pages are drawn here with Pillow as docs/paper-reading.md lays a printed page out: four finder marks,
the 48-bit page code and 7 mm tick boxes, with ticks, two marks or a box blacked out; then turned, blurred and
put on a desk. The last test reads pages of the real printed booklet (the session's real build), ticked and
captured by tests/scans.py.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFilter
from playwright.sync_api import Browser, Page

from tests.conftest import REPO
from tests.scans import load_box_map, make_case

SCRIPTS = [REPO / "assets" / "js" / "score-scan.js", REPO / "assets" / "js" / "score-scan-boxes.js"]
FINDERS = [(11.0, 11.0), (199.0, 11.0), (11.0, 286.0), (199.0, 286.0)]
STRIP = {"x": 9.5, "y": 52.5, "width": 3.0, "cell": 4.0, "bits": 48}
PAPER = (246, 244, 238)
INK = (30, 50, 150)  # a blue ballpoint
TOPIC_PAGE, SUMMARY_PAGE = 12, 30

READ = """async ([url, map, asData]) => {
  let image = new Image();
  image.src = url;
  await image.decode();
  if (asData) {
    const canvas = Object.assign(document.createElement("canvas"), { width: image.width, height: image.height });
    canvas.getContext("2d").drawImage(image, 0, 0);
    image = canvas.getContext("2d").getImageData(0, 0, image.width, image.height);
  }
  const started = performance.now();
  const reading = ProgressScoring.scan.readPage(image, map);
  const result = Object.assign({ ms: performance.now() - started }, reading);
  if (reading.ok) {
    window.readings = (window.readings || []).concat([reading]);
    const box = map.pages.find((p) => p.page === reading.page).boxes[0];
    const canvas = reading.crop({ x: box.x - 1, y: box.y - 1, width: box.size + 2, height: box.size + 2 });
    result.crop = [canvas.width, canvas.height];
  } else delete result.crop;
  return result;
}"""


def workbook_code(slug: str) -> int:
    """The workbook's byte of the page code: the first byte of SHA-256 of its slug."""
    return hashlib.sha256(slug.encode("utf-8")).digest()[0]


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def code_bits(workbook: int, page: int, edition: int) -> list[int]:
    """The 48 bits of a page code, most significant first."""
    head = bytes([workbook, page, edition >> 8, edition & 0xFF])
    check = crc16(head)
    return [(byte >> (7 - i)) & 1 for byte in head + bytes([check >> 8, check & 0xFF]) for i in range(8)]


def box_map(slug: str = "demo") -> dict[str, Any]:
    """A box map (docs/paper-reading.md) with a topic page of two topics and a summary sheet of both."""
    topic_boxes = [
        {"topic": topic, "level": level, "x": 27.0, "y": top + 13.7 * (level - 1), "size": 7.0}
        for topic, top in (("alpha", 58.3), ("beta", 176.6))
        for level in range(1, 6)
    ]
    summary_boxes = [
        {"topic": topic, "level": level, "x": 119.7 + 15.25 * (level - 1), "y": y, "size": 7.0}
        for topic, y in (("alpha", 67.1), ("beta", 79.9))
        for level in range(1, 6)
    ]
    return {
        "format": 1,
        "workbook": slug,
        "code": workbook_code(slug),
        "trim": [210, 297],
        "finder": 7,
        "finders": [list(point) for point in FINDERS],
        "strip": STRIP,
        "pages": [
            {"page": TOPIC_PAGE, "hash": 40213, "in": ["printed", "fillable"], "boxes": topic_boxes},
            {"page": 20, "hash": 999, "in": ["printed", "fillable"], "boxes": topic_boxes[:5]},
            {"page": SUMMARY_PAGE, "hash": 5150, "in": ["printed"], "boxes": summary_boxes},
        ],
    }


def entry(map_: dict[str, Any], page: int) -> dict[str, Any]:
    """The box map's entry for a page."""
    found: dict[str, Any] = next(item for item in map_["pages"] if item["page"] == page)
    return found


def draw_mark(draw: ImageDraw.ImageDraw, box: dict[str, Any], kind: str, scale: float) -> None:
    """Draw a tick, a dot or a blacked-out box (`kind` "tick", "dot" or "fill") into a box, in page pixels."""
    x, y, size = (box[key] * scale for key in ("x", "y", "size"))
    width = max(1, round(0.6 * scale))
    if kind == "dot":
        cx, cy, r = x + 0.6 * size, y + 0.45 * size, 0.4 * scale
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=INK)
        return
    if kind == "fill":
        for step in range(0, round(size) + 1, max(1, width // 2)):
            draw.line([(x - scale * 0.3, y + step), (x + size + scale * 0.3, y + step)], fill=INK, width=width)
        return
    points = [(x + 0.2 * size, y + 0.5 * size), (x + 0.42 * size, y + 0.8 * size), (x + 1.1 * size, y - 0.3 * size)]
    draw.line(points, fill=INK, width=width, joint="curve")


def draw_page(
    map_: dict[str, Any], page: int, marks: dict[tuple[str, int], str], scale: float = 6.0, code: int | None = None
) -> Image.Image:
    """A printed page of the map at `scale` pixels per mm: marks, page code, boxes, a little text, and the marks
    made on it ({(topic, level): "tick", "dot" or "fill"})."""
    image = Image.new("RGB", (round(210 * scale), round(297 * scale)), PAPER)
    draw = ImageDraw.Draw(image)
    for cx, cy in FINDERS:
        for half, fill in ((3.5, (0, 0, 0)), (2.5, PAPER), (1.5, (0, 0, 0))):
            draw.rectangle(
                [(cx - half) * scale, (cy - half) * scale, (cx + half) * scale - 1, (cy + half) * scale - 1], fill
            )
    item = entry(map_, page)
    bits = code_bits(map_["code"] if code is None else code, page, item["hash"])
    for n, bit in enumerate(bits):
        top = (STRIP["y"] + STRIP["cell"] * n) * scale
        if bit:
            draw.rectangle([9.5 * scale, top, 12.5 * scale - 1, top + 4 * scale - 1], fill=(0, 0, 0))
    border = max(1, round(0.53 * scale))
    for box in item["boxes"]:
        x, y, size = (box[key] * scale for key in ("x", "y", "size"))
        draw.rectangle([x, y, x + size - 1, y + size - 1], outline=(0, 0, 0), width=border)
        draw.text((x - 5 * scale, y + 2 * scale), str(box["level"]), fill=(0, 0, 0))
        if box["x"] < 100:  # a topic page: a statement beside the box and a rule between rows
            draw.text((x + size + 4 * scale, y + scale), "We know and act on what matters. " * 3, fill=(0, 0, 0))
            draw.line([(20 * scale, y - 3 * scale), (190 * scale, y - 3 * scale)], fill=(120, 120, 120), width=1)
    for (topic, level), kind in marks.items():
        box = next(b for b in item["boxes"] if b["topic"] == topic and b["level"] == level)
        draw_mark(draw, box, kind, scale)
    return image


def capture(page: Image.Image, angle: float = 0.0, blur: float = 0.0) -> str:
    """The page turned by `angle` degrees on a grey desk, blurred, as a PNG data URL."""
    turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(90, 84, 76))
    desk = Image.new("RGB", (turned.width + 160, turned.height + 120), (90, 84, 76))
    desk.paste(turned, (90, 50))
    if blur:
        desk = desk.filter(ImageFilter.GaussianBlur(blur))
    data = io.BytesIO()
    desk.save(data, "PNG")
    return "data:image/png;base64," + base64.b64encode(data.getvalue()).decode("ascii")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A blank page with the reader's scripts loaded."""
    context = browser.new_context()
    tab = context.new_page()
    for script in SCRIPTS:
        tab.add_script_tag(path=str(script))
    yield tab
    context.close()


def read(page: Page, url: str, map_: dict[str, Any], as_data: bool = False) -> dict[str, Any]:
    """Read a picture (as an image, or `as_data` as ImageData) through ProgressScoring.scan.readPage; keep the
    reading in the page for decide()."""
    result: dict[str, Any] = page.evaluate(READ, [url, map_, as_data])
    return result


def decide(page: Page, map_: dict[str, Any]) -> dict[str, Any]:
    """ProgressScoring.scan.decide over the readings kept so far."""
    result: dict[str, Any] = page.evaluate("(map) => ProgressScoring.scan.decide(window.readings || [], map)", map_)
    return result


def states(reading: dict[str, Any]) -> dict[tuple[str, int], str]:
    """Each box's state, by (topic, level)."""
    return {(box["topic"], box["level"]): box["state"] for box in reading["boxes"]}


@pytest.mark.parametrize("angle", [0, 180, 93, -4])
def test_marks_and_code_are_read_whatever_the_turn(page: Page, angle: float) -> None:
    """Straight, upside down, sideways or a little askew: the page and its edition are read, every box blank."""
    map_ = box_map()
    reading = read(page, capture(draw_page(map_, TOPIC_PAGE, {}), angle, blur=0.8), map_)
    assert reading["ok"], reading
    assert (reading["page"], reading["hash"]) == (TOPIC_PAGE, 40213)
    assert set(states(reading).values()) == {"blank"}
    assert reading["crop"] == [72, 72]  # 9 mm at 8 px/mm


def test_a_tick_is_marked_and_the_rest_blank(page: Page) -> None:
    """A tick reads "marked" (with ink), every other box "blank"; decide gives its level, and the booklet's
    other pages with boxes are missing. (The picture is given as ImageData.)"""
    map_ = box_map()
    marks = {("alpha", 2): "tick", ("beta", 5): "tick"}
    reading = read(page, capture(draw_page(map_, TOPIC_PAGE, marks), 180, blur=1.0), map_, as_data=True)
    assert reading["ok"], reading
    for key, state in states(reading).items():
        assert state == ("marked" if key in marks else "blank"), key
    assert all(box["ink"] > 0.05 for box in reading["boxes"] if (box["topic"], box["level"]) in marks)
    decided = decide(page, map_)
    assert decided["topics"] == {"alpha": {"level": 2, "reason": "read"}, "beta": {"level": 5, "reason": "read"}}
    assert decided["missing"] == [20, SUMMARY_PAGE]


def test_two_marks_a_crossing_out_and_a_dot_are_flagged(page: Page) -> None:
    """Two ticked boxes give "two"; a blacked-out box, with a tick beside it, "crossed"; a tick with a dot in
    another box "faint": never a level."""
    map_ = box_map()
    marks = {("alpha", 1): "tick", ("alpha", 4): "tick", ("beta", 3): "fill", ("beta", 4): "tick"}
    reading = read(page, capture(draw_page(map_, TOPIC_PAGE, marks), 3, blur=0.6), map_)
    assert reading["ok"], reading
    assert states(reading)[("beta", 3)] == "filled"
    assert decide(page, map_)["topics"] == {
        "alpha": {"level": None, "reason": "two"},
        "beta": {"level": None, "reason": "crossed"},
    }
    page.evaluate("() => { window.readings = []; }")
    dotted = read(page, capture(draw_page(map_, TOPIC_PAGE, {("alpha", 2): "tick", ("alpha", 5): "dot"})), map_)
    assert states(dotted)[("alpha", 5)] == "faint"
    assert decide(page, map_)["topics"]["alpha"] == {"level": None, "reason": "faint"}


def test_the_summary_sheet_agrees_or_disagrees(page: Page) -> None:
    """A topic ticked alike on its page and the summary sheet is read; blank on one is read too; ticked
    differently it "disagree"s."""
    map_ = box_map()
    read(page, capture(draw_page(map_, TOPIC_PAGE, {("alpha", 2): "tick", ("beta", 1): "tick"})), map_)
    summary = read(page, capture(draw_page(map_, SUMMARY_PAGE, {("alpha", 2): "tick"}), 90), map_)
    assert summary["ok"] and summary["page"] == SUMMARY_PAGE, summary
    assert decide(page, map_)["topics"] == {
        "alpha": {"level": 2, "reason": "read"},
        "beta": {"level": 1, "reason": "read"},
    }
    read(page, capture(draw_page(map_, SUMMARY_PAGE, {("beta", 4): "tick"}), -90), map_)
    assert decide(page, map_)["topics"]["beta"] == {"level": None, "reason": "disagree"}


def test_decide_on_readings_alone(page: Page) -> None:
    """decide() flags a faint box, says "blank" for no mark, and lists the fillable booklet's missing pages
    when every page read is only in the fillable one."""
    map_ = box_map()
    map_["pages"][0]["in"] = ["fillable"]
    boxes = [
        {"topic": "alpha", "level": 1, "ink": 0.02, "state": "faint"},
        {"topic": "alpha", "level": 2, "ink": 0.3, "state": "marked"},
        {"topic": "beta", "level": 1, "ink": 0.0, "state": "blank"},
    ]
    readings = [{"ok": True, "page": TOPIC_PAGE, "hash": 40213, "boxes": boxes}]
    decided = page.evaluate("([r, m]) => ProgressScoring.scan.decide(r, m)", [readings, map_])
    assert decided == {
        "topics": {"alpha": {"level": None, "reason": "faint"}, "beta": {"level": None, "reason": "blank"}},
        "missing": [20],
    }


def test_another_edition_or_workbook_or_no_page(page: Page) -> None:
    """A page whose (page, hash) the map lacks is "otherEdition"; another workbook's code "otherWorkbook"; a
    picture with no marks "noMarks"."""
    map_ = box_map()
    url = capture(draw_page(map_, TOPIC_PAGE, {}))
    older = json.loads(json.dumps(map_))
    older["pages"][0]["hash"] = 12345
    reading = read(page, url, older)
    del reading["ms"]
    assert reading == {"ok": False, "reason": "otherEdition", "page": TOPIC_PAGE}
    other = capture(draw_page(map_, TOPIC_PAGE, {}, code=workbook_code("another")))
    assert read(page, other, map_)["reason"] == "otherWorkbook"
    assert read(page, capture(Image.new("RGB", (900, 1200), PAPER)), map_)["reason"] == "noMarks"


@pytest.mark.parametrize(("kind", "seed"), [("scan", 0), ("photo", 2)])
def test_real_booklet_pages(page: Page, real_output: Path, kind: str, seed: int) -> None:
    """A summary sheet of the real printed booklet, ticked, scanned or photographed (tests/scans.py): no topic is
    read wrong, every unclear one is flagged, nine in ten clearly marked are read; a 12-megapixel photo in time."""
    image, truth = make_case(real_output, random.Random(seed), kind, "homecare")
    data = io.BytesIO()
    image.save(data, "JPEG", quality=90)
    url = "data:image/jpeg;base64," + base64.b64encode(data.getvalue()).decode("ascii")
    map_ = load_box_map(real_output, "homecare")
    reading = read(page, url, map_)
    assert reading["ok"] and reading["page"] == truth["page"], reading
    assert reading["ms"] < 1500
    topics = decide(page, map_)["topics"]
    read_as = {topic: topics[topic]["level"] for topic in truth["expect"]}
    assert all(read_as[topic] in (None, expect) for topic, expect in truth["expect"].items()), (read_as, truth)
    assert all(read_as[topic] is None for topic, expect in truth["expect"].items() if expect is None)
    marked = [topic for topic, expect in truth["expect"].items() if expect is not None]
    assert marked and sum(read_as[topic] is not None for topic in marked) >= 0.9 * len(marked), (read_as, truth)
