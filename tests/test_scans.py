"""The synthetic scan and photo generator (tests/scans.py): its truth, its ink and its determinism."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from tests.scans import (
    Answer,
    BookletPage,
    Box,
    Paper,
    Pen,
    choose_answers,
    cross_out,
    draw_answers,
    load_box_map,
    make_case,
    print_page,
    printed_pages,
    rasterise,
    workbooks,
)

DPI = 150
PX_PER_MM = DPI / 25.4


def pages_of(output: Path) -> list[BookletPage]:
    """Return every printed page with boxes, of every workbook."""
    return [page for slug in workbooks(output) for page in printed_pages(load_box_map(output, slug))]


def printed(box: Box, shrink: float) -> Box:
    """Return where a box is on the sheet when the printer shrinks the A4 page about its centre."""
    return Box(box.topic, box.level, 105 + (box.x - 105) * shrink, 148.5 + (box.y - 148.5) * shrink, box.size * shrink)


def interior(image: Image.Image, box: Box) -> Image.Image:
    """Return a box's inside (1 mm in from its border box, clear of the border) as grey pixels."""
    corners = (box.x + 1, box.y + 1, box.x + box.size - 1, box.y + box.size - 1)
    left, top, right, bottom = (round(mm * PX_PER_MM) for mm in corners)
    return image.convert("L").crop((left, top, right, bottom))


def every_outcome(page: BookletPage) -> tuple[Answer, ...]:
    """Answer a page's topics in turn with one mark, nothing, two marks, and a correction."""
    answers = []
    for index, (topic, boxes) in enumerate(page.topics().items()):
        levels = [box.level for box in boxes]
        answers.append(
            [
                Answer(topic, marked=(levels[index % len(levels)],)),
                Answer(topic),
                Answer(topic, marked=(levels[0], levels[-1])),
                Answer(topic, marked=(levels[0],), crossed=(levels[-1],)),
            ][index % 4]
        )
    return tuple(answers)


def test_box_map_is_read_after_its_assignment(tmp_path: Path) -> None:
    """The box map script may set up ProgressScoring first; the map is the object assigned to boxMaps[slug]."""
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "demo.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "pdf" / "demo-fillable.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "pdf" / "demo.boxes.js").write_text(
        "window.ProgressScoring = window.ProgressScoring || {};\n"
        "window.ProgressScoring.boxMaps = window.ProgressScoring.boxMaps || {};\n"
        'window.ProgressScoring.boxMaps["demo"] = {"workbook": "demo", "pages": [{"page": 3, "in": ["fillable"], '
        '"boxes": [{"topic": "t", "level": 1, "x": 1, "y": 2, "size": 7}]}, {"page": 4, "in": ["printed"], '
        '"boxes": [{"topic": "t", "level": 2, "x": 18, "y": 60.25, "size": 7.0}]}]};\n'
    )
    assert workbooks(tmp_path) == ["demo"]
    box_map = load_box_map(tmp_path, "demo")
    assert box_map["workbook"] == "demo"
    assert printed_pages(box_map) == (BookletPage("demo", 4, (Box("t", 2, 18.0, 60.25, 7.0),)),)


def test_expect_follows_what_was_marked(real_output: Path) -> None:
    """One mark and nothing crossed out gives that level; no mark, two marks or a crossing-out give None."""
    seen = set()
    pages = pages_of(real_output)
    rng = random.Random(11)
    for _ in range(200):
        for answer in choose_answers(rng.choice(pages), rng):
            seen.add((len(answer.marked), len(answer.crossed)))
            if len(answer.marked) == 1 and not answer.crossed:
                assert answer.expect == answer.marked[0]
            else:
                assert answer.expect is None
            assert not set(answer.marked) & set(answer.crossed)
    assert seen == {(1, 0), (0, 0), (2, 0), (1, 1)}

    _, truth = make_case(real_output, random.Random(3), "scan")
    assert truth["topics"].keys() == truth["expect"].keys()
    for topic, done in truth["topics"].items():
        one = len(done["marked"]) == 1 and not done["crossed"]
        assert truth["expect"][topic] == (done["marked"][0] if one else None)


@pytest.mark.parametrize("shrink", [1.0, 0.95])
def test_marks_land_in_their_boxes(real_output: Path, shrink: float) -> None:
    """On the page as printed (before capture), a marked or crossed box darkens inside; every other box is untouched."""
    pages = pages_of(real_output)
    chosen = [page for page in pages if page.summary][:1] + [page for page in pages if len(page.topics()) > 1][:2]
    assert chosen, "no printed page with boxes"
    for page in chosen:
        paper = Paper((210.0, 297.0), shrink, PX_PER_MM)
        sheet = print_page(
            rasterise(real_output / "pdf" / f"{page.workbook}.pdf", page.number, DPI), paper, random.Random(1)
        )
        marked = sheet.copy()
        answers = every_outcome(page)
        draw_answers(marked, page, answers, Pen("green", (28, 118, 52), 0.3, 0.8), paper, random.Random(2))
        inked = {(a.topic, level) for a in answers for level in (*a.marked, *a.crossed)}
        for box in page.boxes:
            before, after = interior(sheet, printed(box, shrink)), interior(marked, printed(box, shrink))
            if (box.topic, box.level) in inked:
                darker = ImageStat.Stat(before).mean[0] - ImageStat.Stat(after).mean[0]
                assert darker > 4, f"{page.workbook} p{page.number} {box.topic} {box.level}: only {darker:.1f} darker"
            else:
                assert ImageChops.difference(before, after).getbbox() is None, f"{box.topic} {box.level} was inked"


def test_crossing_out_covers_most_of_its_box() -> None:
    """A crossing-out inks more than 60% of its box, whatever the pen."""
    paper = Paper((40.0, 40.0), 1.0, PX_PER_MM)
    box = Box("t", 1, 16.0, 16.0, 7.0)
    for seed in range(12):
        rng = random.Random(seed)
        pen = Pen("black", (22, 22, 28), rng.uniform(0.3, 1.2), 1.0)
        page = Image.new("RGB", (round(40 * PX_PER_MM),) * 2, "white")
        cross_out(page, box, pen, paper, rng)
        inside = interior(page, Box("t", 1, 15.0, 15.0, 9.0))  # the box itself: 1 mm in from this
        histogram = inside.histogram()
        assert sum(histogram[:128]) / sum(histogram) > 0.6, f"pen {pen.width:.2f} mm"


@pytest.mark.parametrize("kind", ["scan", "photo"])
def test_same_seed_same_image(real_output: Path, kind: str) -> None:
    """A case follows from its seed alone: the same seed gives the same image and truth, another seed another."""
    first, truth = make_case(real_output, random.Random(5), kind, "homecare")
    again, truth_again = make_case(real_output, random.Random(5), kind, "homecare")
    assert truth == truth_again
    assert truth["kind"] == kind and truth["workbook"] == "homecare"
    assert first.size == again.size and first.tobytes() == again.tobytes()
    if kind == "scan":  # (a photo takes seconds)
        other, _ = make_case(real_output, random.Random(6), kind, "homecare")
        assert first.size != other.size or first.tobytes() != other.tobytes()


def test_finders_are_where_the_truth_says(real_output: Path) -> None:
    """The truth's finder centres (image pixels) are the centres of the finder marks in the captured image."""
    for seed, kind in ((21, "scan"), (22, "photo")):
        image, truth = make_case(real_output, random.Random(seed), kind)
        grey = image.convert("L")
        (ax, ay), _, (bx, by), _ = truth["capture"]["finders"]
        px_per_mm = ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 / 275  # top-left to bottom-left finder: 275 mm
        reach = round(5 * px_per_mm)
        for x, y in truth["capture"]["finders"]:
            left, top = round(x) - reach, round(y) - reach
            window = grey.crop((left, top, left + 2 * reach, top + 2 * reach))
            values = window.tobytes()
            middle = (min(values) + max(values)) / 2
            dark = [(k % window.width, k // window.width) for k, value in enumerate(values) if value < middle]
            cx = left + sum(i for i, _ in dark) / len(dark) + 0.5
            cy = top + sum(j for _, j in dark) / len(dark) + 0.5
            assert abs(cx - x) < 0.5 * px_per_mm and abs(cy - y) < 0.5 * px_per_mm, (kind, (x, y), (cx, cy))
