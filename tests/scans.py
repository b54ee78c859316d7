"""Synthetic scans and phone photos of ticked printed booklets: a test set for the in-browser reader.

    python3 -m tests.scans OUTPUT DEST --seed N --count N

Each case takes a page with tick boxes from a real booklet (`OUTPUT/pdf/<slug>.pdf`, where the box map
`OUTPUT/pdf/<slug>.boxes.js` says its boxes are; see docs/paper-reading.md), rasterises it, has a
"respondent" mark it (one mark per topic mostly; some topics blank, some with two marks, some with a box
blacked out and another ticked), and captures it as a flatbed scan or a phone photo would, with the printer's
shrink, rotation, perspective, a desk around the page, uneven light, colour cast, noise, blur and JPEG.

The truth of each case says what was marked and what the reader must answer (`expect`: the level of a topic
with exactly one mark and nothing crossed out, else null: the reader must flag it), plus how it was captured
(`capture`, with where the four finder centres landed in the image, in pixels). Everything follows from the
seed. Pillow only; pdftoppm (poppler-utils) rasterises.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import re
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # a sheet's corners: top-left, top-right, bottom-right, bottom-left
RGB = tuple[int, int, int]

SUPERSAMPLE = 4  # ink is drawn at this many times the page's resolution, then reduced: anti-aliased strokes
SCAN_DPIS = (150, 200, 250, 300)
PHOTO_SIZES = ((3024, 4032), (3000, 4000), (1200, 1600))  # portrait; turned for landscape frames
SCAN_SCALE = 200 / 25.4  # pixels per mm at which blur radii are stated ("at scan scale")
PENS: dict[str, RGB] = {
    "black": (22, 22, 28),
    "blue": (28, 62, 178),
    "dark-blue": (22, 32, 92),
    "red": (192, 32, 38),
    "green": (28, 118, 52),
}
SHAPES = ("tick", "cross", "scribble", "blob")
CROSSING_OUT = "crossing-out"
OUTCOMES = (("one", 0.72), ("blank", 0.10), ("two", 0.09), ("crossed", 0.09))  # what a respondent did per topic


# --- The box map ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """One tick box: its topic and level, and its border box in mm from the page's top-left corner."""

    topic: str
    level: int
    x: float
    y: float
    size: float

    @property
    def centre(self) -> Point:
        """Return the box's centre."""
        return (self.x + self.size / 2, self.y + self.size / 2)


@dataclass(frozen=True)
class BookletPage:
    """A printed page with tick boxes: its number in the PDF (from 1) and its boxes in page order."""

    workbook: str
    number: int
    boxes: tuple[Box, ...]

    def topics(self) -> dict[str, tuple[Box, ...]]:
        """Return each topic's boxes, topics in page order."""
        grouped: dict[str, list[Box]] = {}
        for box in self.boxes:
            grouped.setdefault(box.topic, []).append(box)
        return {topic: tuple(boxes) for topic, boxes in grouped.items()}

    @property
    def summary(self) -> bool:
        """Whether this is a summary sheet: several topics, each with its boxes in one row."""
        topics = self.topics()
        return len(topics) > 1 and all(len({round(b.y, 1) for b in boxes}) == 1 for boxes in topics.values())


def box_map_file(output: Path, slug: str) -> Path:
    """Return a workbook's box map script: `pdf/<slug>.boxes.js`, beside its booklets."""
    return output / "pdf" / f"{slug}.boxes.js"


def load_box_map(output: Path, slug: str) -> dict[str, Any]:
    """Parse a workbook's box map: the JSON object literal the script assigns to `ProgressScoring.boxMaps[slug]`."""
    text = box_map_file(output, slug).read_text(encoding="utf-8")
    assignment = re.search(r"boxMaps\[\s*(['\"])" + re.escape(slug) + r"\1\s*\]\s*=\s*", text)
    if assignment is None:
        raise ValueError(f"{slug}: its box map script assigns no boxMaps[{slug!r}]")
    value, _ = json.JSONDecoder().raw_decode(text, assignment.end())
    if not isinstance(value, dict):
        raise ValueError(f"{slug}: the box map is not an object")
    return value


def printed_pages(box_map: dict[str, Any]) -> tuple[BookletPage, ...]:
    """Return the box map's pages of the printed booklet, with their boxes."""
    return tuple(
        BookletPage(
            workbook=box_map["workbook"],
            number=int(entry["page"]),
            boxes=tuple(
                Box(str(b["topic"]), int(b["level"]), float(b["x"]), float(b["y"]), float(b["size"]))
                for b in entry["boxes"]
            ),
        )
        for entry in box_map["pages"]
        if "printed" in entry["in"] and entry["boxes"]
    )


def workbooks(output: Path) -> list[str]:
    """Return the slugs of the workbooks that have both a printed booklet and a box map, sorted."""
    booklets = (path.name.removesuffix(".pdf") for path in (output / "pdf").glob("*.pdf"))
    return sorted(slug for slug in booklets if box_map_file(output, slug).is_file())


# --- Rasterising --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=48)
def _page_png(pdf: str, page: int, dpi: int, stamp: float) -> bytes:
    """Rasterise one page with pdftoppm, as PNG bytes (cached per file, page, dpi and modification time)."""
    command = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", pdf]
    return subprocess.run(command, capture_output=True, check=True).stdout


def rasterise(pdf: Path, page: int, dpi: int) -> Image.Image:
    """Return one page of a PDF (counting from 1) as an RGB image at `dpi`."""
    data = _page_png(str(pdf.resolve()), page, dpi, pdf.stat().st_mtime)
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def trimmed(image: Image.Image, paper: Paper) -> Image.Image:
    """Cut a print-shop booklet's bleed off a page's raster (the trim is centred on the page); keep others whole."""
    width, height = (round(side * paper.px_per_mm) for side in paper.trim)
    if image.width - width <= 2 and image.height - height <= 2:
        return image
    left, top = round((image.width - width) / 2), round((image.height - height) / 2)
    return image.crop((left, top, left + width, top + height))


# --- What the respondent did -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a respondent did for one topic: the levels whose boxes they marked, and those they blacked out."""

    topic: str
    marked: tuple[int, ...] = ()
    crossed: tuple[int, ...] = ()

    @property
    def expect(self) -> int | None:
        """Return the level the reader must read: the one mark's, if nothing else is on the topic's boxes."""
        return self.marked[0] if len(self.marked) == 1 and not self.crossed else None


def choose_page(pages: Sequence[BookletPage], rng: random.Random) -> BookletPage:
    """Pick a page with boxes; summary sheets three times as often as a topic page, as there are few."""
    return rng.choices(pages, weights=[3 if page.summary else 1 for page in pages])[0]


def choose_answer(topic: str, levels: Sequence[int], rng: random.Random) -> Answer:
    """Choose what the respondent did for one topic: one mark mostly; else nothing, two marks, or a correction."""
    outcome = rng.choices([name for name, _ in OUTCOMES], weights=[weight for _, weight in OUTCOMES])[0]
    if outcome == "one" or len(levels) < 2:
        return Answer(topic, marked=(rng.choice(levels),))
    if outcome == "blank":
        return Answer(topic)
    if outcome == "two":
        return Answer(topic, marked=tuple(sorted(rng.sample(list(levels), 2))))
    crossed = rng.choice(levels)
    others = [level for level in levels if level != crossed]
    near = [level for level in others if abs(level - crossed) == 1]
    ticked = rng.choice(near) if near and rng.random() < 0.6 else rng.choice(others)
    return Answer(topic, marked=(ticked,), crossed=(crossed,))


def choose_answers(page: BookletPage, rng: random.Random) -> tuple[Answer, ...]:
    """Choose what the respondent did for each topic on the page, in page order."""
    return tuple(
        choose_answer(topic, sorted({box.level for box in boxes}), rng) for topic, boxes in page.topics().items()
    )


# --- Paper and ink -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    """A printed sheet: its trim in mm, the printer's shrink about its centre, and its raster's pixels per mm."""

    trim: Point
    shrink: float
    px_per_mm: float

    def on_sheet(self, point: Point) -> Point:
        """Return where a point of the page (in box-map mm) is printed on the sheet, in mm."""
        cx, cy = self.trim[0] / 2, self.trim[1] / 2
        return (cx + (point[0] - cx) * self.shrink, cy + (point[1] - cy) * self.shrink)

    def box(self, box: Box) -> Box:
        """Return a box as printed on the sheet (shrunk with the page), in mm."""
        x, y = self.on_sheet((box.x, box.y))
        return Box(box.topic, box.level, x, y, box.size * self.shrink)

    def px(self, point: Point) -> Point:
        """Return a point of the sheet (in mm) in the raster's pixels."""
        return (point[0] * self.px_per_mm, point[1] * self.px_per_mm)


@dataclass(frozen=True)
class Pen:
    """The respondent's pen: its colour's name and RGB, its line width in mm and how opaque its ink is."""

    name: str
    rgb: RGB
    width: float
    opacity: float


@dataclass(frozen=True)
class Stroke:
    """One stroke of ink on the sheet, in mm: a polyline, or a filled outline."""

    points: tuple[Point, ...]
    filled: bool = False


@dataclass(frozen=True)
class Mark:
    """The ink in one box: its shape's name, its strokes, and how far (mm) it reaches past the box's edge."""

    topic: str
    level: int
    shape: str
    strokes: tuple[Stroke, ...]
    overshoot: float = 0.0


def choose_pen(rng: random.Random) -> Pen:
    """Choose the respondent's pen: mostly black or blue, 0.3-1.2 mm wide."""
    name = rng.choices(list(PENS), weights=[4, 4, 2, 1, 1])[0]
    return Pen(name, PENS[name], round(rng.uniform(0.3, 1.2), 2), round(rng.uniform(0.8, 1.0), 2))


def smooth(points: Sequence[Point], rounds: int = 2) -> tuple[Point, ...]:
    """Round a polyline's corners (Chaikin's corner cutting), keeping its ends."""
    current = list(points)
    for _ in range(rounds):
        cut = [current[0]]
        for (x0, y0), (x1, y1) in pairwise(current):
            cut += [(0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1), (0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1)]
        cut.append(current[-1])
        current = cut
    return tuple(current)


def outside(point: Point, box: Box) -> float:
    """Return how far (mm) a point lies outside a box's border (negative inside)."""
    cx, cy = box.centre
    return max(abs(point[0] - cx), abs(point[1] - cy)) - box.size / 2


def reach_out(start: Point, end: Point, box: Box, beyond: float) -> Point:
    """Move a stroke's end along its direction until it lies `beyond` mm outside the box's border."""
    length = math.dist(start, end) or 1.0
    dx, dy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    point = end
    for _ in range(800):
        if outside(point, box) >= beyond:
            break
        point = (point[0] + dx * 0.025, point[1] + dy * 0.025)
    return point


def placed(box: Box, unit: Sequence[Point], rng: random.Random, scale: float, turn: float, shift: Point) -> list[Point]:
    """Map points in box units (-1..1 across the box) to sheet mm: scaled, turned, shifted and a little shaky."""
    cx, cy = box.centre
    half = box.size / 2
    cos, sin = math.cos(turn), math.sin(turn)
    result = []
    for u, v in unit:
        u, v = u + rng.gauss(0, 0.04), v + rng.gauss(0, 0.04)
        x, y = (u * cos - v * sin) * scale, (u * sin + v * cos) * scale
        result.append((cx + (x + shift[0]) * half, cy + (y + shift[1]) * half))
    return result


def mark_strokes(shape: str, box: Box, rng: random.Random, overshoot: float) -> tuple[Stroke, ...]:
    """Return the strokes of a tick, cross, short scribble or blob in a box, slightly off-centre."""
    scale = rng.uniform(0.7, 1.1)
    turn = math.radians(rng.uniform(-12, 12))
    shift = (rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2))
    if shape == "tick":
        points = placed(box, [(-0.6, 0.0), (-0.15, 0.55), (0.7, -0.8)], rng, scale, turn, shift)
        if overshoot:
            points[-1] = reach_out(points[-2], points[-1], box, overshoot)
        return (Stroke(smooth(points, 1)),)
    if shape == "cross":
        first = placed(box, [(-0.65, -0.65), (0.0, 0.02), (0.65, 0.65)], rng, scale, turn, shift)
        second = placed(box, [(0.65, -0.65), (0.02, 0.0), (-0.65, 0.65)], rng, scale, turn, shift)
        if overshoot:
            first[-1] = reach_out(first[-2], first[-1], box, overshoot)
        return (Stroke(smooth(first, 1)), Stroke(smooth(second, 1)))
    if shape == "scribble":
        loops, radius, step = rng.randint(2, 4), rng.uniform(0.3, 0.5), rng.uniform(1.6, 2.4)
        count = loops * 4
        unit = [  # a few loops drifting across the box, as a pen scrawls
            (-0.35 + 0.7 * i / count + radius * math.cos(i * step), radius * 0.8 * math.sin(i * step))
            for i in range(count + 1)
        ]
        return (Stroke(smooth(placed(box, unit, rng, scale, turn, shift), 2)),)
    if shape == "blob":
        radius = rng.uniform(0.35, 0.55)
        count = 12
        unit = [
            (radius * rng.uniform(0.85, 1.15) * math.cos(a), radius * rng.uniform(0.85, 1.15) * math.sin(a))
            for a in (2 * math.pi * i / count for i in range(count))
        ]
        outline = smooth(placed(box, [*unit, unit[0]], rng, 1.0, turn, shift), 2)
        return (Stroke(outline, filled=True), Stroke(outline))
    raise ValueError(f"unknown shape {shape!r}")


def chord(offset: float, angle: float, half: float) -> tuple[float, float] | None:
    """Return where a line at `angle`, `offset` mm from a square's centre, enters and leaves it (along the line)."""
    cos, sin = math.cos(angle), math.sin(angle)
    low, high = -math.inf, math.inf
    for along, across in ((cos, -offset * sin), (sin, offset * cos)):  # x = u cos - v sin, y = u sin + v cos
        if abs(along) < 1e-9:
            if abs(across) > half:
                return None
            continue
        ends = sorted(((-half - across) / along, (half - across) / along))
        low, high = max(low, ends[0]), min(high, ends[1])
    return (low, high) if high - low > 0.2 else None


def zigzag(box: Box, rng: random.Random, spacing: float, angle: float) -> Stroke:
    """Return one dense zig-zag stroke across a box (reaching a little past it), lines `spacing` mm apart."""
    half = box.size / 2 * 1.08
    cx, cy = box.centre
    cos, sin = math.cos(angle), math.sin(angle)
    reach = half * (abs(cos) + abs(sin))
    rows = max(2, math.ceil(2 * reach / spacing) + 1)
    points = []
    for row in range(rows):
        v = -reach + 2 * reach * row / (rows - 1) + rng.gauss(0, spacing * 0.15)
        ends = chord(v, angle, half)
        if ends is None:
            continue
        u = ends[row % 2] + rng.gauss(0, 0.15)
        points.append((cx + u * cos - v * sin, cy + u * sin + v * cos))
    return Stroke(smooth(points, 1))


# --- Drawing ink -------------------------------------------------------------------------------------------------


def render_ink(strokes: Sequence[Stroke], width: float, paper: Paper) -> tuple[Image.Image, tuple[int, int]]:
    """Render strokes as an anti-aliased coverage mask in the raster's pixels; return it and its top-left pixel."""
    width_px = width * paper.px_per_mm
    points = [paper.px(p) for stroke in strokes for p in stroke.points]
    left = math.floor(min(x for x, _ in points) - width_px) - 2
    top = math.floor(min(y for _, y in points) - width_px) - 2
    right = math.ceil(max(x for x, _ in points) + width_px) + 2
    bottom = math.ceil(max(y for _, y in points) + width_px) + 2
    big = Image.new("L", ((right - left) * SUPERSAMPLE, (bottom - top) * SUPERSAMPLE), 0)
    draw = ImageDraw.Draw(big)
    pen = max(1, round(width_px * SUPERSAMPLE))
    for stroke in strokes:
        xy = [((x - left) * SUPERSAMPLE, (y - top) * SUPERSAMPLE) for x, y in map(paper.px, stroke.points)]
        if stroke.filled:
            draw.polygon(xy, fill=255)
            continue
        draw.line(xy, fill=255, width=pen, joint="curve")
        for x, y in (xy[0], xy[-1]):  # round ends
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=255)
    return big.resize((right - left, bottom - top), Image.Resampling.BOX), (left, top)


def apply_ink(image: Image.Image, mask: Image.Image, origin: tuple[int, int], pen: Pen) -> None:
    """Lay a pen's ink on the image where the mask says, as opaque as the pen's ink is."""
    alpha = mask.point(lambda v: round(v * pen.opacity))
    ink = Image.new(image.mode, mask.size, pen.rgb if image.mode == "RGB" else sum(pen.rgb) // 3)
    image.paste(ink, origin, alpha)


def coverage(mask: Image.Image, origin: tuple[int, int], box: Box, paper: Paper) -> float:
    """Return the share of a box's area (on the sheet) that the mask inks at least half."""
    (x0, y0), (x1, y1) = paper.px((box.x, box.y)), paper.px((box.x + box.size, box.y + box.size))
    crop = mask.crop((round(x0) - origin[0], round(y0) - origin[1], round(x1) - origin[0], round(y1) - origin[1]))
    histogram = crop.histogram()
    return sum(histogram[128:]) / max(1, sum(histogram))


def cross_out(image: Image.Image, box: Box, pen: Pen, paper: Paper, rng: random.Random) -> Mark:
    """Black a box out with dense zig-zags, pass after pass, until more than 60% of it is inked."""
    width = max(pen.width, 0.5)
    angle = rng.uniform(-0.3, 0.3)
    strokes: list[Stroke] = []
    for attempt in range(5):
        strokes.append(zigzag(box, rng, width * rng.uniform(0.6, 0.9), angle + attempt * math.pi / 2.6))
        mask, origin = render_ink(strokes, width, paper)
        if coverage(mask, origin, box, paper) > 0.65:
            break
    apply_ink(image, mask, origin, pen)
    return Mark(box.topic, box.level, CROSSING_OUT, tuple(strokes))


def clearance(box: Box, boxes: Sequence[Box]) -> float:
    """Return the gap (mm) between a box and the nearest other box on its page."""
    gaps = [
        max(abs(box.centre[0] - other.centre[0]), abs(box.centre[1] - other.centre[1])) - (box.size + other.size) / 2
        for other in boxes
        if other != box
    ]
    return min(gaps, default=math.inf)


def tick(
    image: Image.Image, box: Box, shape: str, pen: Pen, paper: Paper, rng: random.Random, room: float = math.inf
) -> Mark:
    """Draw one mark (tick, cross, scribble or blob) in a box; ticks and crosses sometimes run 1-3 mm past it.

    A mark never runs further than `room` less 1 mm, so that it stays out of the next box.
    """
    overshoot = 0.0
    if shape in ("tick", "cross") and rng.random() < 0.3:
        overshoot = round(min(rng.uniform(1, 3), room - 1 - pen.width), 2)
        overshoot = overshoot if overshoot >= 0.5 else 0.0
    strokes = mark_strokes(shape, box, rng, overshoot)
    mask, origin = render_ink(strokes, pen.width * rng.uniform(0.9, 1.1), paper)
    apply_ink(image, mask, origin, pen)
    return Mark(box.topic, box.level, shape, strokes, overshoot)


def draw_answers(
    image: Image.Image, page: BookletPage, answers: Sequence[Answer], pen: Pen, paper: Paper, rng: random.Random
) -> list[Mark]:
    """Draw the respondent's answers on the printed page's raster (in place); return the marks made."""
    habit = rng.choices(SHAPES, weights=[55, 25, 8, 12])[0]  # a respondent mostly marks the same way
    topics = page.topics()
    marks = []
    sheet_boxes = [paper.box(box) for box in page.boxes]
    for answer in answers:
        boxes = {box.level: paper.box(box) for box in topics[answer.topic]}
        for level in answer.crossed:
            marks.append(cross_out(image, boxes[level], pen, paper, rng))
        for level in answer.marked:
            shape = habit if rng.random() < 0.8 else rng.choice(SHAPES)
            marks.append(tick(image, boxes[level], shape, pen, paper, rng, clearance(boxes[level], sheet_boxes)))
    return marks


# --- Printing --------------------------------------------------------------------------------------------------------


def print_page(image: Image.Image, paper: Paper, rng: random.Random) -> Image.Image:
    """Print a page's raster: shrunk about its centre onto the sheet, toner a little grey, paper a little tinted."""
    if paper.shrink != 1:
        cx, cy = image.width / 2, image.height / 2
        inverse = 1 / paper.shrink
        data = (inverse, 0, cx - cx * inverse, 0, inverse, cy - cy * inverse)
        image = image.transform(
            image.size, Image.Transform.AFFINE, data, Image.Resampling.BICUBIC, fillcolor=(255, 255, 255)
        )
    black = rng.randint(8, 45)
    bright = rng.randint(244, 255)  # paper: white, or a little warm
    white = (bright, bright - rng.randint(0, 3), bright - rng.randint(0, 10))
    lut = [round(black + v * (top - black) / 255) for top in white for v in range(256)]
    return image.point(lut)


# --- Geometry ----------------------------------------------------------------------------------------------------


def solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Solve a small square linear system by Gaussian elimination with partial pivoting."""
    size = len(rhs)
    rows = [[*row, value] for row, value in zip(matrix, rhs, strict=True)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, size):
            factor = rows[r][col] / rows[col][col]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    result = [0.0] * size
    for r in reversed(range(size)):
        result[r] = (rows[r][size] - sum(rows[r][c] * result[c] for c in range(r + 1, size))) / rows[r][r]
    return result


def homography(source: Sequence[Point], target: Sequence[Point]) -> tuple[float, ...]:
    """Return the 8 coefficients of the projective map taking four source points to four target points."""
    matrix: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(source, target, strict=True):
        matrix += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    return tuple(solve(matrix, rhs))


def project(coefficients: Sequence[float], point: Point) -> Point:
    """Map a point through a projective map's 8 coefficients."""
    a, b, c, d, e, f, g, h = coefficients
    x, y = point
    w = g * x + h * y + 1
    return ((a * x + b * y + c) / w, (d * x + e * y + f) / w)


def turned(point: Point, degrees: float) -> Point:
    """Rotate a point about the origin (clockwise on the image, as y points down)."""
    r = math.radians(degrees)
    return (point[0] * math.cos(r) - point[1] * math.sin(r), point[0] * math.sin(r) + point[1] * math.cos(r))


def as_quad(points: Sequence[Point]) -> Quad:
    """Return four points as a quadrilateral's corners."""
    first, second, third, fourth = points
    return (first, second, third, fourth)


def sheet_corners(paper: Paper) -> Quad:
    """Return the sheet's corners in mm: top-left, top-right, bottom-right, bottom-left."""
    w, h = paper.trim
    return ((0.0, 0.0), (w, 0.0), (w, h), (0.0, h))


# --- Capture -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Light:
    """Uneven light over a photo: exposure, a gradient, a vignette, a soft shadow's edge, and a colour cast."""

    exposure: float
    gradient: float
    direction: float
    vignette: float
    shadow: float
    shadow_at: Point
    shadow_direction: float
    softness: float
    cast: tuple[float, float, float]


@dataclass(frozen=True)
class Capture:
    """How a sheet was captured: the frame, where the sheet's corners landed, and what degraded the image."""

    kind: str
    size: tuple[int, int]
    dpi: int
    turn: int
    angle: float
    quad: Quad
    blur: float
    sharpen: int
    noise: float
    grey: bool
    quality: int | None
    background: str
    light: Light | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def choose_scan(rng: random.Random, paper_trim: Point) -> Capture:
    """Choose a flatbed scan: 150-300 dpi, the sheet a little turned and shifted, mild blur, JPEG or PNG."""
    dpi = rng.choice(SCAN_DPIS)
    scale = dpi / 25.4
    w, h = paper_trim
    size = (round(w * scale), round(h * scale))
    turn = 180 if rng.random() < 0.08 else 0
    angle = rng.uniform(-2, 2)
    shift = (rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5))
    quad = tuple(
        (size[0] / 2 + (x + shift[0]) * scale, size[1] / 2 + (y + shift[1]) * scale)
        for x, y in (turned((cx - w / 2, cy - h / 2), turn + angle) for cx, cy in ((0, 0), (w, 0), (w, h), (0, h)))
    )
    grey = rng.random() < 0.3
    quality = rng.randint(60, 95) if rng.random() < 0.55 else None
    fold = rng.choice(("left", "right", "top")) if rng.random() < 0.25 else ""
    return Capture(
        kind="scan",
        size=size,
        dpi=dpi,
        turn=turn,
        angle=round(angle, 3),
        quad=as_quad(quad),
        blur=round(rng.uniform(0.2, 1.0), 2),
        sharpen=0,
        noise=round(rng.uniform(1.5, 5), 2),
        grey=grey,
        quality=quality,
        background="lid",
        extras={"fold_shadow": fold, "lid": rng.randint(232, 252)},
    )


def choose_light(rng: random.Random) -> Light:
    """Choose a photo's light: a little under-exposed, darker to one side and the corners, maybe a shadow."""
    casts = ((1.0, 1.0, 1.0), (1.0, 0.95, 0.84), (0.9, 0.96, 1.0), (0.95, 1.0, 0.94), (1.0, 0.97, 0.92))
    return Light(
        exposure=round(rng.uniform(0.78, 1.0), 3),
        gradient=round(rng.uniform(0.0, 0.35), 3),
        direction=round(rng.uniform(0, 2 * math.pi), 3),
        vignette=round(rng.uniform(0.0, 0.3), 3),
        shadow=round(rng.uniform(0.15, 0.4), 3) if rng.random() < 0.35 else 0.0,
        shadow_at=(round(rng.uniform(0.1, 0.9), 3), round(rng.uniform(0.1, 0.9), 3)),
        shadow_direction=round(rng.uniform(0, 2 * math.pi), 3),
        softness=round(rng.uniform(0.02, 0.08), 3),
        cast=rng.choices(casts, weights=(4, 3, 2, 1, 2))[0],
    )


def choose_photo(rng: random.Random, paper_trim: Point) -> Capture:
    """Choose a phone photo: the frame, the sheet 60-90% of it, turned, in perspective, lit unevenly, JPEG."""
    turn = rng.choices((0, 90, 180, 270), weights=(70, 10, 10, 10))[0]
    portrait = rng.random() < (0.85 if turn in (0, 180) else 0.3)
    width, height = rng.choices(PHOTO_SIZES, weights=(45, 35, 20))[0]
    size = (width, height) if portrait else (height, width)
    angle = rng.uniform(-4, 4)
    w, h = paper_trim
    corners = [turned((x - w / 2, y - h / 2), turn + angle) for x, y in ((0, 0), (w, 0), (w, h), (0, h))]
    span_x = max(x for x, _ in corners) - min(x for x, _ in corners)
    span_y = max(y for _, y in corners) - min(y for _, y in corners)
    fill = rng.uniform(0.6, 0.9)
    scale = fill * min(size[0] / span_x, size[1] / span_y)  # frame pixels per sheet mm
    centre = (
        size[0] / 2 + rng.uniform(-0.7, 0.7) * (size[0] - span_x * scale) / 2,
        size[1] / 2 + rng.uniform(-0.7, 0.7) * (size[1] - span_y * scale) / 2,
    )
    tilt = rng.uniform(0.0, 0.06)  # corners move by up to this share of the sheet's sides
    quad = [
        (
            centre[0] + x * scale + rng.uniform(-tilt, tilt) * w * scale,
            centre[1] + y * scale + rng.uniform(-tilt, tilt) * h * scale,
        )
        for x, y in corners
    ]
    quad = inside_frame(quad, size, margin=0.015 * min(size))
    dpi = min(300, max(150, round(scale * 25.4 / 25) * 25))
    return Capture(
        kind="photo",
        size=size,
        dpi=dpi,
        turn=turn,
        angle=round(angle, 3),
        quad=as_quad(quad),
        blur=round(rng.uniform(0.0, 1.5), 2),
        sharpen=rng.choice((0, 0, 60, 100, 140)),
        noise=round(rng.uniform(3, 12), 2),
        grey=False,
        quality=rng.randint(50, 95),
        background=rng.choice(("oak", "walnut", "grey desk", "white desk", "black desk", "blue cloth", "beige")),
        light=choose_light(rng),
        extras={
            "fill": round(fill, 3),
            "tilt": round(tilt, 4),
            "stack": rng.random() < 0.3,
            "drop_shadow": rng.random() < 0.6,
        },
    )


def inside_frame(quad: list[Point], size: tuple[int, int], margin: float) -> list[Point]:
    """Shrink a quadrilateral about the frame's centre until it lies inside the frame, `margin` pixels in."""
    cx, cy = size[0] / 2, size[1] / 2
    factor = 1.0
    for x, y in quad:
        factor = min(factor, (cx - margin) / max(abs(x - cx), 1e-9), (cy - margin) / max(abs(y - cy), 1e-9))
    return [(cx + (x - cx) * factor, cy + (y - cy) * factor) for x, y in quad]


def random_layer(size: tuple[int, int], grid: tuple[int, int], rng: random.Random) -> Image.Image:
    """Return smooth random greys: a grid of random values blown up (bicubic) to `size`."""
    cells = Image.frombytes("L", grid, rng.randbytes(grid[0] * grid[1]))
    return cells.resize(size, Image.Resampling.BICUBIC)


def desk(size: tuple[int, int], name: str, rng: random.Random) -> Image.Image:
    """Return a desk or cloth to photograph the sheet on: wood grain, or a colour with blotches."""
    small = (max(8, size[0] // 4), max(8, size[1] // 4))
    woods = {"oak": ((150, 104, 62), (214, 170, 118)), "walnut": ((58, 36, 24), (122, 80, 52))}
    plains = {
        "grey desk": (118, 120, 126),
        "white desk": (222, 222, 216),
        "black desk": (34, 34, 38),
        "blue cloth": (58, 78, 118),
        "beige": (198, 184, 158),
    }
    if name in woods:
        across, along = rng.randint(120, 260), rng.randint(4, 9)  # the grain: fine across, long along
        grids = [(across, along), (across * 3, along // 2 + 1)]
        if rng.random() < 0.5:
            grids = [(y, x) for x, y in grids]
        coarse, fine = (random_layer(small, grid, rng) for grid in grids)
        grain = ImageChops.add(coarse, fine, scale=2.0)
        dark, light = woods[name]
        lut = [round(dark[c] + (light[c] - dark[c]) * v / 255) for c in range(3) for v in range(256)]
        surface = Image.merge("RGB", (grain, grain, grain)).point(lut)
    else:
        colour = plains[name]
        blotch = random_layer(small, (6, 8), rng)
        lut = [max(0, min(255, colour[c] + (v - 128) // 8)) for c in range(3) for v in range(256)]
        surface = Image.merge("RGB", (blotch, blotch, blotch)).point(lut)
    return surface.resize(size, Image.Resampling.BICUBIC)


def light_map(size: tuple[int, int], light: Light) -> Image.Image:
    """Return the light falling on a photo as an RGB multiplier (255 = full light), computed small then enlarged."""
    small = (max(2, size[0] // 32), max(2, size[1] // 32))
    cos, sin = math.cos(light.direction), math.sin(light.direction)
    scos, ssin = math.cos(light.shadow_direction), math.sin(light.shadow_direction)
    bands: list[list[int]] = [[], [], []]
    for j in range(small[1]):
        v = (j + 0.5) / small[1]
        for i in range(small[0]):
            u = (i + 0.5) / small[0]
            across = ((u - 0.5) * cos + (v - 0.5) * sin) / 0.7072 * 0.5 + 0.5
            value = light.exposure * (1 - light.gradient * across)
            value *= 1 - light.vignette * ((u - 0.5) ** 2 + (v - 0.5) ** 2) / 0.5
            if light.shadow:
                edge = ((u - light.shadow_at[0]) * scos + (v - light.shadow_at[1]) * ssin) / light.softness
                value *= 1 - light.shadow / (1 + math.exp(-max(-50.0, min(50.0, edge))))
            for band, cast in zip(bands, light.cast, strict=True):
                band.append(max(0, min(255, round(255 * value * cast))))
    channels = []
    for band in bands:
        channel = Image.new("L", small)
        channel.putdata(band)
        channels.append(channel)
    return Image.merge("RGB", channels).resize(size, Image.Resampling.BICUBIC)


def fold_shadow(size: tuple[int, int], side: str, rng: random.Random) -> Image.Image:
    """Return the darkening along a booklet's fold on a scanner's glass, as an L multiplier."""
    depth, reach = rng.uniform(0.15, 0.4), rng.uniform(0.02, 0.06)
    ramp = Image.linear_gradient("L").resize((256, 256))  # black at the top, white at the bottom
    lut = [round(255 * (1 - depth * max(0.0, 1 - (v / 255) / reach) ** 2)) for v in range(256)]
    shade = ramp.point(lut)
    shade = {"top": shade, "left": shade.transpose(Image.Transpose.TRANSPOSE)}.get(
        side, shade.transpose(Image.Transpose.TRANSPOSE).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    )
    return shade.resize(size, Image.Resampling.BICUBIC)


def noise(size: tuple[int, int], amplitude: float, rng: random.Random) -> Image.Image:
    """Return sensor noise about grey 128 (uniform, per channel, a little correlated), as an RGB image."""
    small = (max(1, size[0] // 2), max(1, size[1] // 2))
    lut = [max(0, min(255, round(128 + (v - 127.5) * amplitude / 128))) for v in range(256)]
    bands = [Image.frombytes("L", small, rng.randbytes(small[0] * small[1])).point(lut) for _ in range(3)]
    return Image.merge("RGB", bands).resize(size, Image.Resampling.BILINEAR)


def place_sheet(
    sheet: Image.Image, paper: Paper, capture: Capture, background: Image.Image
) -> tuple[Image.Image, tuple[float, ...]]:
    """Warp the sheet's raster onto the frame at the capture's quad; return the frame and the sheet-to-frame map."""
    corners_px = [paper.px(p) for p in sheet_corners(paper)]
    to_sheet = homography(capture.quad, corners_px)
    to_frame = homography(corners_px, capture.quad)
    warped = sheet.transform(capture.size, Image.Transform.PERSPECTIVE, to_sheet, Image.Resampling.BICUBIC)
    mask = Image.new("L", sheet.size, 255).transform(
        capture.size, Image.Transform.PERSPECTIVE, to_sheet, Image.Resampling.BILINEAR
    )
    frame = background.copy()
    frame.paste(warped, (0, 0), mask)
    return frame, to_frame


def underlay(frame: Image.Image, capture: Capture, rng: random.Random) -> Image.Image:
    """Put what lies under a photographed sheet on the desk: the rest of the booklet, and the sheet's shadow."""
    quad = capture.quad
    cx = sum(x for x, _ in quad) / 4
    cy = sum(y for _, y in quad) / 4
    if capture.extras.get("stack"):
        grow, dx, dy = (
            rng.uniform(1.0, 1.03),
            rng.uniform(-0.02, 0.02) * frame.width,
            rng.uniform(-0.02, 0.02) * frame.height,
        )
        stack = [(cx + (x - cx) * grow + dx, cy + (y - cy) * grow + dy) for x, y in quad]
        ImageDraw.Draw(frame).polygon(stack, fill=(rng.randint(200, 240),) * 3)
    if capture.extras.get("drop_shadow"):
        factor = 8
        small = Image.new("L", (frame.width // factor, frame.height // factor), 255)
        offset = (rng.uniform(-0.008, 0.008) * frame.width, rng.uniform(0.0, 0.012) * frame.height)
        ImageDraw.Draw(small).polygon(
            [((x + offset[0]) / factor, (y + offset[1]) / factor) for x, y in quad], fill=rng.randint(90, 170)
        )
        small = small.filter(ImageFilter.GaussianBlur(frame.width / factor * 0.006))
        frame = ImageChops.multiply(frame, small.resize(frame.size, Image.Resampling.BICUBIC).convert("RGB"))
    return frame


def finish(frame: Image.Image, capture: Capture, px_per_mm: float, rng: random.Random) -> Image.Image:
    """Degrade a captured frame: blur (stated at scan scale), phone sharpening, noise, and grey for a grey scan."""
    if capture.blur > 0:
        frame = frame.filter(ImageFilter.GaussianBlur(capture.blur * px_per_mm / SCAN_SCALE))
    if capture.sharpen:
        frame = frame.filter(ImageFilter.UnsharpMask(radius=2, percent=capture.sharpen, threshold=2))
    frame = ImageChops.add(frame, noise(frame.size, capture.noise, rng), scale=1.0, offset=-128)
    return frame.convert("L") if capture.grey else frame


def capture_sheet(
    sheet: Image.Image, paper: Paper, capture: Capture, rng: random.Random
) -> tuple[Image.Image, tuple[float, ...]]:
    """Scan or photograph the marked sheet as the capture says; return the image and the sheet-to-image map."""
    if capture.kind == "scan":
        background = Image.new("RGB", capture.size, (capture.extras["lid"],) * 3)
    else:
        background = underlay(desk(capture.size, capture.background, rng), capture, rng)
    frame, to_frame = place_sheet(sheet, paper, capture, background)
    if capture.light is not None:
        frame = ImageChops.multiply(frame, light_map(capture.size, capture.light))
    if capture.extras.get("fold_shadow"):
        shade = fold_shadow(capture.size, capture.extras["fold_shadow"], rng)
        frame = ImageChops.multiply(frame, shade.convert("RGB"))
    scale = math.dist(capture.quad[0], capture.quad[3]) / paper.trim[1]  # frame pixels per sheet mm
    return finish(frame, capture, scale, rng), to_frame


# --- Cases -------------------------------------------------------------------------------------------------------------


def make_case(
    output: Path, rng: random.Random, kind: str, workbook: str | None = None
) -> tuple[Image.Image, dict[str, Any]]:
    """Make one scan or photo of a ticked printed page; return the image and its truth (see the module's doc)."""
    if kind not in ("scan", "photo"):
        raise ValueError(f"kind must be 'scan' or 'photo', not {kind!r}")
    slug = workbook or rng.choice(workbooks(output))
    box_map = load_box_map(output, slug)
    trim = (float(box_map["trim"][0]), float(box_map["trim"][1]))
    page = choose_page(printed_pages(box_map), rng)
    answers = choose_answers(page, rng)
    pen = choose_pen(rng)
    capture = choose_scan(rng, trim) if kind == "scan" else choose_photo(rng, trim)
    shrink = 1.0 if rng.random() < 0.4 else round(rng.uniform(0.94, 0.995), 4)
    paper = Paper(trim, shrink, capture.dpi / 25.4)
    raster = trimmed(rasterise(output / "pdf" / f"{slug}.pdf", page.number, capture.dpi), paper)
    sheet = print_page(raster, paper, rng)
    marks = draw_answers(sheet, page, answers, pen, paper, rng)
    sheet, paper = fit_raster(sheet, paper, capture)
    image, to_frame = capture_sheet(sheet, paper, capture, rng)
    finders = [project(to_frame, paper.px(paper.on_sheet((float(x), float(y))))) for x, y in box_map["finders"]]
    extension = "png" if capture.quality is None else "jpg"
    truth = {
        "image": f"{slug}-p{page.number}-{kind}.{extension}",
        "workbook": slug,
        "page": page.number,
        "kind": kind,
        "summary": page.summary,
        "topics": {a.topic: {"marked": list(a.marked), "crossed": list(a.crossed)} for a in answers},
        "expect": {a.topic: a.expect for a in answers},
        "marks": [{"topic": m.topic, "level": m.level, "shape": m.shape, "overshoot": m.overshoot} for m in marks],
        "pen": asdict(pen),
        "capture": {
            **{k: v for k, v in asdict(capture).items() if k not in ("quad", "extras", "light")},
            **capture.extras,
            "light": asdict(capture.light) if capture.light else None,
            "shrink": shrink,
            "finders": [[round(x, 1), round(y, 1)] for x, y in finders],
        },
    }
    return image, truth


def fit_raster(sheet: Image.Image, paper: Paper, capture: Capture) -> tuple[Image.Image, Paper]:
    """Reduce the sheet's raster to about the frame's scale when it is much finer, so warping it does not alias."""
    frame_px_per_mm = math.dist(capture.quad[0], capture.quad[3]) / paper.trim[1]
    if frame_px_per_mm >= 0.9 * paper.px_per_mm:
        return sheet, paper
    factor = frame_px_per_mm / paper.px_per_mm
    reduced = sheet.resize((round(sheet.width * factor), round(sheet.height * factor)), Image.Resampling.LANCZOS)
    return reduced, Paper(paper.trim, paper.shrink, paper.px_per_mm * reduced.width / sheet.width)


def save_image(image: Image.Image, path: Path, quality: int | None) -> None:
    """Write a case's image: JPEG at the capture's quality (4:2:0, as phones do), or PNG when it has none."""
    if quality is None:
        image.save(path, "PNG", optimize=False)
    else:
        image.save(path, "JPEG", quality=quality, subsampling="4:2:0")


def make_set(output: Path, dest: Path, seed: int, count: int) -> list[dict[str, Any]]:
    """Write `count` cases (a third scans, two thirds photos, workbooks in turn) and truth.json into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    slugs = workbooks(output)
    random.Random(seed).shuffle(slugs)
    truths = []
    for index in range(count):
        kind = "scan" if index % 3 == 0 else "photo"
        image, truth = make_case(output, random.Random(f"{seed}:{index}"), kind, slugs[index % len(slugs)])
        truth["image"] = f"{index:04d}-{truth['image']}"
        save_image(image, dest / truth["image"], truth["capture"]["quality"])
        truths.append(truth)
    (dest / "truth.json").write_text(json.dumps(truths, indent=1) + "\n", encoding="utf-8")
    return truths


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: write a set of synthetic scans and photos with their truth."""
    parser = argparse.ArgumentParser(prog="python3 -m tests.scans", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="the build's output folder (with pdf/<slug>.pdf and <slug>.boxes.js)")
    parser.add_argument("dest", type=Path, help="where to write the images and truth.json")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args(argv)
    truths = make_set(args.output, args.dest, args.seed, args.count)
    scans = sum(truth["kind"] == "scan" for truth in truths)
    print(f"wrote {len(truths)} cases ({scans} scans, {len(truths) - scans} photos) and truth.json to {args.dest}")


if __name__ == "__main__":
    main()
