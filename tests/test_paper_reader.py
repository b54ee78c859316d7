"""Reading a ticked paper booklet on the scoring page, through the real page in Chromium, as a provider would.

The pictures are synthetic scans and phone photos of the real booklets (tests/scans.py), ticked, blank, ticked
twice and crossed out, captured at 150-300 dpi or by a phone with perspective, uneven light and a desk around.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser import axe_violations, file_url, watched
from tests.reading import offered_levels, open_reader, read_picture, read_set
from tests.scans import make_case, make_set, save_image
from tests.test_scoring_page import stored

SEED = 14  # the test set; the benchmark reads another (tests/benchmark.py)
COUNT = 45  # pictures: a third scans, two thirds photos, every workbook in turn


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context, checked afterwards: no page error, nothing requested off the disk, no cookie."""
    yield from watched(browser.new_context(viewport={"width": 1024, "height": 900}))


@pytest.fixture(scope="module")
def scan_set(real_output: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """The test set: pictures of ticked booklet pages and what was ticked on each."""
    folder = tmp_path_factory.mktemp("scans")
    return folder, make_set(real_output, folder, SEED, COUNT)


def picture(real_output: Path, folder: Path, slug: str, seed: str, kind: str = "scan") -> tuple[Path, dict[str, Any]]:
    """One picture of a ticked page of a workbook's booklet, written to `folder`."""
    image, truth = make_case(real_output, random.Random(seed), kind, slug)
    path = folder / truth["image"]
    save_image(image, path, truth["capture"]["quality"])
    return path, truth


def picture_where(
    real_output: Path, folder: Path, slug: str, seed: str, wanted: Callable[[dict[str, Any]], bool]
) -> tuple[Path, dict[str, Any]]:
    """The first picture of a workbook's page, from seeds `seed:0`, `seed:1`..., whose truth is `wanted`."""
    for number in range(100):
        image, truth = make_case(real_output, random.Random(f"{seed}:{number}"), "scan", slug)
        if wanted(truth):
            path = folder / truth["image"]
            save_image(image, path, truth["capture"]["quality"])
            return path, truth
    raise AssertionError(f"no picture of {slug} as wanted")


def test_the_test_set_is_read_right_and_never_wrong(
    browser: Browser, real_output: Path, scan_set: tuple[Path, list[dict[str, Any]]]
) -> None:
    """At least 99% of marked topics read right, none wrong, every unclear topic flagged, 1.5 s a page at most."""
    folder, cases = scan_set
    tally = read_set(browser, real_output, folder, cases)
    print(tally.summary())
    assert tally.wrong == 0, tally.mistakes
    assert tally.unclear_flagged == tally.unclear > 0
    assert tally.marked >= 100 and tally.right_share >= 0.99, tally.mistakes
    assert tally.unread == []
    assert tally.seconds_per_page <= 1.5


def test_pages_in_any_order_at_once_and_the_missing_ones_listed(
    context: BrowserContext, real_output: Path, tmp_path: Path
) -> None:
    """Several pictures chosen together, out of order, are all read; the pages not given are listed as missing."""
    pictures = [picture(real_output, tmp_path, "wigan", f"order:{index}") for index in range(4)]
    page = context.new_page()
    open_reader(page, real_output, "wigan")
    page.set_input_files("#paper_files", [str(path) for path, _ in reversed(pictures)])
    page.wait_for_selector(".paper-topic", timeout=60_000)
    read = {truth["page"] for _, truth in pictures}
    expect(page.locator("#paper_section")).to_contain_text(f"Read {len(read)} page")
    missing = page.locator("#paper_section .notice").inner_text()
    assert not any(f" {number}," in f" {missing}" or f" {number} " in f" {missing}" for number in read)
    levels = offered_levels(page)
    for _, truth in pictures:
        for topic, level in truth["expect"].items():
            assert levels[topic] in (level, None)  # the same topic on two pictures may disagree: then flagged


def test_a_keyboard_alone_checks_a_whole_page_and_saves_it(
    context: BrowserContext, real_output: Path, tmp_path: Path
) -> None:
    """Tab to the reader, choose a file, then keys only: a digit for each flagged topic, Enter for each read one."""
    path, truth = picture_where(
        real_output, tmp_path, "homecare", "keys", lambda truth: truth["summary"] and None in truth["expect"].values()
    )
    page = context.new_page()
    page.goto(file_url(real_output / "homecare" / "score" / "index.html"))
    page.focus("#paper_open")
    page.keyboard.press("Enter")
    page.wait_for_selector("#paper_files")
    page.set_input_files("#paper_files", str(path))  # the file picker is the system's own dialog
    page.wait_for_selector(".paper-topic", timeout=60_000)
    chosen: dict[str, int] = {}
    flagged = 0
    for _ in range(len(truth["expect"])):
        focused = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
        topic = focused[0].removeprefix("paper_")
        if focused[1] == "0":  # flagged, "No answer" chosen: the user looks at the picture and decides
            page.keyboard.press("3")
            chosen[topic] = 3
            flagged += 1
        else:  # read: accepted as it is
            page.keyboard.press("Enter")
            chosen[topic] = int(focused[1])
    assert flagged >= sum(level is None for level in truth["expect"].values())
    assert page.evaluate("() => document.activeElement.id") == "paper_save"
    page.keyboard.press("Enter")
    saved = stored(page, "homecare")
    assessment = next(item for item in saved["assessments"] if item["id"] == saved["current"])
    assert {topic: answer["score"] for topic, answer in assessment["scores"].items()} == chosen
    assert assessment["name"].startswith("From paper")


def test_filling_the_current_assessment_keeps_its_answers(
    context: BrowserContext, real_output: Path, tmp_path: Path
) -> None:
    """Fill the current assessment: topics it has answered keep their answers, the others take what was read."""
    path, truth = picture_where(
        real_output,
        tmp_path,
        "managers",
        "fill",
        lambda truth: sum(v is not None for v in truth["expect"].values()) > 1,
    )
    read = {topic: level for topic, level in truth["expect"].items() if level is not None}
    kept_topic = next(iter(read))
    page = context.new_page()
    page.goto(file_url(real_output / "managers" / "score" / "index.html"))
    mine = 1 if read[kept_topic] != 1 else 2
    page.locator(f"#topic_{kept_topic}_{mine}").check()
    page.click("#paper_open")
    levels, problems, _ = read_picture(page, path)
    assert problems == []
    page.check("#paper_mode_fill")
    page.click("#paper_save")
    saved = stored(page, "managers")
    assert len(saved["assessments"]) == 1
    scores = {topic: answer["score"] for topic, answer in saved["assessments"][0]["scores"].items()}
    assert scores == {**{topic: level for topic, level in levels.items() if level is not None}, kept_topic: mine}


def test_a_scanners_pdf_is_read_page_by_page(context: BrowserContext, real_output: Path, tmp_path: Path) -> None:
    """An office scanner's PDF, one picture per page, is read like the pictures themselves."""
    first = picture_where(real_output, tmp_path, "reablement", "pdf", lambda truth: any(truth["expect"].values()))
    second = picture_where(
        real_output,
        tmp_path,
        "reablement",
        "pdf2",
        lambda truth: truth["page"] != first[1]["page"] and any(truth["expect"].values()),
    )
    scans = [first, second]
    images = [Image.open(path).convert("RGB") for path, _ in scans]
    pdf = tmp_path / "scan.pdf"
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=images[1:])
    pdf.write_bytes(buffer.getvalue())
    page = context.new_page()
    open_reader(page, real_output, "reablement")
    levels, problems, _ = read_picture(page, pdf)
    assert problems == []
    for _, truth in scans:
        for topic, level in truth["expect"].items():
            assert levels[topic] in (level, None)
        assert any(levels[topic] == level for topic, level in truth["expect"].items() if level is not None)


def test_another_workbooks_page_is_refused_by_name(context: BrowserContext, real_output: Path, tmp_path: Path) -> None:
    """A page of another workbook's booklet is not read: the page says so, and reads nothing."""
    path, _ = picture(real_output, tmp_path, "homecare", "other:1")
    page = context.new_page()
    open_reader(page, real_output, "wigan")
    levels, problems, _ = read_picture(page, path)
    assert levels == {}
    assert len(problems) == 1 and "another workbook" in problems[0] and path.name in problems[0]


def test_a_picture_that_is_not_a_page_is_refused(context: BrowserContext, real_output: Path, tmp_path: Path) -> None:
    """A photo of something else, and a file that is no picture at all, are each refused with a reason."""
    blank = tmp_path / "desk.jpg"
    Image.new("RGB", (1200, 900), (120, 90, 60)).save(blank)
    junk = tmp_path / "notes.png"
    junk.write_bytes(b"not a picture")
    page = context.new_page()
    open_reader(page, real_output, "homecare")
    page.set_input_files("#paper_files", [str(blank), str(junk)])
    page.wait_for_selector(".paper-problems", timeout=60_000)
    problems = page.locator(".paper-problems li").all_inner_texts()
    assert len(problems) == 2
    assert "corner squares" in problems[0] and "could not be opened" in problems[1]


def test_the_reader_loads_only_when_opened(context: BrowserContext, real_output: Path) -> None:
    """The scoring page's first load fetches none of the reader's scripts nor the box map; opening it does."""
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url.rsplit("/", 1)[-1]))
    page.goto(file_url(real_output / "health-check" / "score" / "index.html"))
    expect(page.locator("#paper_open")).to_be_visible()
    assert not [name for name in requested if name.startswith("score-scan") or name.endswith(".boxes.js")]
    page.click("#paper_open")
    page.wait_for_selector("#paper_files")
    assert {"score-scan.js", "score-scan-boxes.js", "score-paper.js", "health-check.boxes.js"} <= set(requested)


def test_the_reader_and_the_check_have_no_axe_violation(
    context: BrowserContext, real_output: Path, tmp_path: Path
) -> None:
    """axe-core finds nothing in the reader, opened, and in the list of topics to check."""
    path, _ = picture(real_output, tmp_path, "health-check", "axe:2", "photo")
    page = context.new_page()
    open_reader(page, real_output, "health-check")
    assert axe_violations(page, "#paper_section") == []
    read_picture(page, path)
    assert axe_violations(page, "#paper_section") == []


def test_the_box_map_matches_the_page_it_is_read_against(real_output: Path) -> None:
    """The scoring page finds its box map where the build writes it (its data-boxes address)."""
    html = (real_output / "homecare" / "score" / "index.html").read_text("utf-8")
    assert 'data-boxes="../../pdf/homecare.boxes.js"' in html
    script = (real_output / "pdf" / "homecare.boxes.js").read_text("utf-8").strip().splitlines()[-1]
    assert json.loads(script.split(" = ", 1)[1].rstrip(";"))["workbook"] == "homecare"
