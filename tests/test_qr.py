"""Each booklet links to its scoring page: a QR code a phone reads from the printed page, and an address to type.

The codes are read the way a reader's phone would: from the page as printed (rasterised at 150 dpi by poppler),
decoded by zxing-cpp, then followed into the built output, where the address must lead to that workbook's
scoring page.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import segno
import zxingcpp
from PIL import Image

from tests.conftest import REPO, make_project
from workbook.pipeline import BuildOptions, Paths, build
from workbook.problems import ContentError
from workbook.qr import EXPECTED_URL, NO_URL, QUIET_ZONE, scoring_link
from workbook.readers import read_project

SITE = "https://workbooks.example.org/"
SITE_YAML = "content/_shared/site.yaml"
DPI = 150
MM = DPI / 25.4  # pixels per millimetre
SCORE_ONLINE = "Score online: scan the code or type the address"


def set_url(root: Path, url: str) -> None:
    """Give a project's site.yaml a url: line, on its third line."""
    site = root / SITE_YAML
    lines = site.read_text("utf-8").rstrip("\n").split("\n")
    assert len(lines) == 2, "the tiny projects' site.yaml has a title line and an intro line"
    site.write_text("\n".join([*lines, f"url: {url}", ""]), "utf-8")


def page_image(pdf: Path, page: int) -> Image.Image:
    """Rasterise one page as a printer would put it on paper, at 150 dpi."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-png", "-f", str(page), "-l", str(page), str(pdf), f"{folder}/p"], check=True
        )
        with Image.open(next(Path(folder).glob("p*.png"))) as image:
            return image.convert("L")


def qr_codes(image: Image.Image) -> list[Any]:
    """Decode every QR code on a page image."""
    return list(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))


def pages_text(pdf: Path) -> list[str]:
    """Return each page's text, as pdftotext reads it."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def summary_page(pdf: Path) -> int:
    """Return the number of the page where the summary sheet starts."""
    pages = pages_text(pdf)
    return next(number for number, text in enumerate(pages, start=1) if text.lstrip().startswith("Summary sheet\n"))


def follow(url: str, output: Path) -> Path:
    """Map an address on the published site onto the built output folder, as a web server would."""
    assert url.startswith(SITE), f"{url} is not on the site {SITE}"
    path = output / url.removeprefix(SITE)
    return path / "index.html" if url.endswith("/") else path


def assert_scoring_page(page: Path, slug: str) -> None:
    """The page is the scoring page of that workbook: its scoring data names the workbook."""
    assert page.is_file(), f"{page} does not exist"
    html = page.read_text("utf-8")
    found = re.search(r'<script type="application/json" id="scoring-data">(.*?)</script>', html, re.DOTALL)
    assert found, f"{page} is not a scoring page"
    data = json.loads(found.group(1))
    assert data["workbook"] == slug
    assert "Score your service" in html


def assert_readable_code(image: Image.Image, url: str) -> None:
    """One QR code on the page: it decodes to the address, corrects errors at M, is 20 mm or more, has its quiet zone."""
    codes = qr_codes(image)
    assert [code.text for code in codes] == [url]
    code = codes[0]
    assert code.ec_level == "M"
    modules = segno.make(url, error="m", micro=False, boost_error=False).symbol_size(border=0)[0]
    corners = [(point.x, point.y) for point in (code.position.top_left, code.position.bottom_right)]
    (left, top), (right, bottom) = corners
    ink = image.crop((left - 20, top - 20, right + 20, bottom + 20)).point(lambda v: 255 if v < 128 else 0)
    box = ink.getbbox()  # the dark modules' bounds, in the crop
    assert box is not None
    width_mm = (box[2] - box[0]) / MM
    assert width_mm >= 20, f"the code is {width_mm:.1f} mm wide (expected 20 mm or more)"
    module = (box[2] - box[0]) / modules
    zone = round(QUIET_ZONE * module) - 1
    x0, y0 = left - 20 + box[0], top - 20 + box[1]
    ring = image.crop((x0 - zone, y0 - zone, x0 + box[2] - box[0] + zone, y0 + box[3] - box[1] + zone))
    inside = ring.crop((zone, zone, ring.width - zone, ring.height - zone))
    dark_in_ring = sum(ring.histogram()[:200]) - sum(inside.histogram()[:200])
    assert dark_in_ring == 0, "something is printed in the code's quiet zone"


def built(tmp_path: Path, url: str | None) -> Path:
    """Build the tiny project, with a site address or without, and return its output folder."""
    root = make_project(tmp_path, "scale")
    if url is not None:
        set_url(root, url)
    build(Paths(root), root / "output")
    return root / "output"


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project built with its site's address set."""
    return built(tmp_path_factory.mktemp("linked"), SITE)


@pytest.mark.parametrize("booklet", ["tiny.pdf", "tiny-fillable.pdf"])
def test_inside_cover_and_summary_sheet_lead_to_the_scoring_page(linked: Path, booklet: str) -> None:
    """Scanned from the printed page, both codes lead to the workbook's own scoring page; the address is printed."""
    pdf = linked / "pdf" / booklet
    url = f"{SITE}tiny/score/"
    for page in (2, summary_page(pdf)):
        assert_readable_code(page_image(pdf, page), url)
        assert_scoring_page(follow(url, linked), "tiny")
        text = " ".join(pages_text(pdf)[page - 1].split())
        assert SCORE_ONLINE in text, f"page {page} does not say how to score online"
        assert "workbooks.example.org/tiny/score" in text, f"page {page} does not print the short address"


def test_the_code_is_vector_art_with_a_text_alternative() -> None:
    """Inline SVG (no picture file), black on white, named for assistive technology, the same bytes every time."""
    link = scoring_link(SITE, "tiny")
    assert link is not None
    assert (link.url, link.short) == (f"{SITE}tiny/score/", "workbooks.example.org/tiny/score")
    assert link.svg.startswith('<svg role="img" aria-label="QR code for the scoring page: ')
    assert f"<title>QR code for the scoring page: {SITE}tiny/score/</title>" in link.svg
    assert 'fill="#fff"' in link.svg and 'stroke="#000"' in link.svg
    assert link.size_mm >= 30
    assert scoring_link(SITE, "tiny") == link
    assert scoring_link("", "tiny") is None


def test_booklets_with_a_code_are_the_same_bytes_every_build(
    linked: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A second build, with no cache shared, gives the same booklets, byte for byte; it has nothing to warn of."""
    caplog.set_level(logging.INFO)
    again = built(tmp_path, SITE)
    assert NO_URL not in caplog.text
    for booklet in ("tiny.pdf", "tiny-fillable.pdf"):
        assert (again / "pdf" / booklet).read_bytes() == (linked / "pdf" / booklet).read_bytes(), booklet


def test_without_a_url_no_code_and_the_build_says_so_once(tmp_path: Path) -> None:
    """No address set: no code and no address in the booklets; the build says why once, and succeeds."""
    root = make_project(tmp_path, "scale")
    command = [sys.executable, str(REPO / "build.py"), "--project", str(root)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(NO_URL) == 1, result.stderr
    assert sum("QR code" in line for line in result.stderr.splitlines()) == 1, result.stderr
    for booklet in ("tiny.pdf", "tiny-fillable.pdf"):
        pdf = root / "output/pdf" / booklet
        for page in (2, summary_page(pdf)):
            assert qr_codes(page_image(pdf, page)) == [], f"{booklet} page {page} has a QR code"
        assert "Score online" not in "".join(pages_text(pdf))


def test_without_a_url_a_build_warns_once(tiny: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Said once per build, two booklets or more, as a warning (the build succeeds), not an error."""
    caplog.set_level(logging.INFO)
    build(Paths(tiny), tiny / "output")
    said = [record for record in caplog.records if record.getMessage() == NO_URL]
    assert len(said) == 1 and said[0].levelno == logging.WARNING
    assert len(list((tiny / "output/pdf").glob("*.pdf"))) == 2


def test_a_build_without_booklets_says_nothing_of_them(tiny: Path, caplog: pytest.LogCaptureFixture) -> None:
    """--no-pdf, or checking the content: no booklet, nothing to say about their codes."""
    caplog.set_level(logging.INFO)
    build(Paths(tiny), tiny / "output", BuildOptions(booklets=False))
    assert NO_URL not in caplog.text


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("ftp://x", "is not an http:// or https:// address"),
        ("not a url", "is not an http:// or https:// address"),
        ("https:workbooks.example.org", "is not an http:// or https:// address"),
        ("https://x.org/?a=1", "has a ?query or a #fragment"),
        ("https://x.org/#top", "has a ?query or a #fragment"),
        ("https://", "names no host, or a user name or password with it"),
        ("https://me:secret@x.org/", "names no host, or a user name or password with it"),
        ("https://x.org/my workbooks/", "has a space or a character an address cannot hold as written"),
        ("https://x.org:99999/", "is not a web address"),
    ],
)
def test_a_bad_url_is_a_content_error_at_its_line(tiny: Path, written: str, why: str) -> None:
    """A url that is not an http(s) address of a folder is refused at its line in site.yaml, the form expected said."""
    set_url(tiny, f'"{written}"')
    with pytest.raises(ContentError) as caught:
        read_project(tiny / "content")
    [problem] = [str(problem) for problem in caught.value.problems]
    assert problem.startswith(f"{SITE_YAML}:3: url '{written}' {why}")
    assert problem.endswith(f"({EXPECTED_URL})")
    assert EXPECTED_URL.startswith("expected the absolute http:// or https:// address")


@pytest.mark.parametrize("value", ["", "[https://x.org/]", "yes"])
def test_a_url_that_is_not_text_is_a_content_error(tiny: Path, value: str) -> None:
    """An empty url, a list or a true/false value is refused at its line too."""
    set_url(tiny, value)
    with pytest.raises(ContentError) as caught:
        read_project(tiny / "content")
    [problem] = [str(problem) for problem in caught.value.problems]
    assert problem.startswith(f"{SITE_YAML}:3: url ")


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("https://workbooks.example.org/", "https://workbooks.example.org/"),
        ("https://workbooks.example.org", "https://workbooks.example.org/"),
        ("HTTP://Workbooks.Example.org:8080/progress", "http://workbooks.example.org:8080/progress/"),
    ],
)
def test_a_good_url_is_kept_as_a_folder(tiny: Path, written: str, kept: str) -> None:
    """A final '/' is added when missing; the scheme and host are written in lower case."""
    set_url(tiny, written)
    assert read_project(tiny / "content").url == kept


# Every real workbook: built from a copy of the repository with a url set in its site.yaml.


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real project, its site.yaml given a url, in a temporary copy."""
    root = tmp_path_factory.mktemp("real") / "project"
    for folder in ("content", "layouts", "assets"):
        shutil.copytree(REPO / folder, root / folder)
    site = root / SITE_YAML
    site.write_text(site.read_text("utf-8").rstrip("\n") + f"\nurl: {SITE}\n", "utf-8")
    build(Paths(root), root / "output")
    return root / "output"


REAL_SLUGS = sorted(workbook.slug for workbook in read_project(REPO / "content").workbooks)


@pytest.mark.parametrize("slug", REAL_SLUGS)
def test_every_real_booklet_leads_to_its_scoring_page(real: Path, slug: str) -> None:
    """Each real booklet's inside cover, printed and fillable, carries a code to its own scoring page."""
    url = f"{SITE}{slug}/score/"
    for booklet in (f"{slug}.pdf", f"{slug}-fillable.pdf"):
        pdf = real / "pdf" / booklet
        assert_readable_code(page_image(pdf, 2), url)
        assert f"{SITE.split('://')[1]}{slug}/score" in " ".join(pages_text(pdf)[1].split()), booklet
    assert_scoring_page(follow(url, real), slug)
