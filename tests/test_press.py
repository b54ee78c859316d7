"""The print-shop booklets (`build.py --printer`): what a print shop's preflight checks, as facts about the PDFs.

PDF/X-4 with a CMYK output intent, no RGB colour anywhere, black type in black ink alone, a slug with crop
marks outside the bleed, nothing to click, whole sheets with the back cover last; a ticked copy reads with the
web booklet's box map; and the booklets the site links to are untouched by --printer.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from tests.conftest import REPO, real_project, real_workbook
from tests.test_booklets import pages_text
from workbook.marks import CELL, STRIP_WIDTH, STRIP_X, STRIP_Y, bits, crc16, workbook_code
from workbook.pipeline import BuildOptions, Paths, build

SLUGS = [workbook.slug for workbook in real_project().workbooks]
MM = 72 / 25.4
A4 = (595.28, 841.89)
DPI = 100
PX = DPI / 25.4
TRIM_CORNER = (3 + 10) * PX  # where the trim's top-left corner is in a raster of the media box: bleed and slug in
COLOUR_OPERATORS = ("rg", "RG", "g", "G", "k", "K", "sc", "scn", "SC", "SCN", "cs", "CS")
SHOW_TEXT = ("Tj", "TJ", "'", '"')


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once with --printer."""
    folder = tmp_path_factory.mktemp("press") / "output"
    build(Paths(REPO), folder, BuildOptions(printer=True))
    return folder


def press_pdf(output: Path, slug: str) -> pikepdf.Pdf:
    """Open a workbook's print-shop booklet."""
    return pikepdf.open(output / "print" / f"{slug}.pdf")


def content_streams(pdf: pikepdf.Pdf) -> Iterator[tuple[Any, Any]]:
    """Every content stream in a PDF, reached or not, with its resources: pages, forms, tiling patterns."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Page":
            contents = obj.Contents
            for stream in [contents] if isinstance(contents, pikepdf.Stream) else list(contents):
                yield stream, obj.get("/Resources")
        elif isinstance(obj, pikepdf.Stream) and (obj.get("/Subtype") == "/Form" or "/PatternType" in obj):
            yield obj, obj.get("/Resources")


def is_rgb(space: Any) -> bool:
    """Tell whether a colour space is RGB in any of its forms."""
    if isinstance(space, pikepdf.Name):
        return str(space) in ("/DeviceRGB", "/CalRGB")
    if isinstance(space, pikepdf.Array) and len(space) >= 2:
        family = str(space[0])
        if family == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if family == "/Indexed":
            return is_rgb(space[1])
        return family in ("/CalRGB", "/DeviceRGB")
    return False


def text_colours(pdf: pikepdf.Pdf) -> list[tuple[float, ...]]:
    """The fill colour every piece of text is drawn in (operands of the last colour operator before it)."""
    found = []
    for stream, _ in content_streams(pdf):
        fill: tuple[float, ...] = (0.0,)  # the initial colour: DeviceGray black
        saved = []
        for item in pikepdf.parse_content_stream(stream):
            operator = str(getattr(item, "operator", ""))
            if operator == "q":
                saved.append(fill)
            elif operator == "Q" and saved:
                fill = saved.pop()
            elif operator in ("rg", "g", "k", "sc", "scn"):
                fill = tuple(float(value) for value in item.operands if not isinstance(value, pikepdf.Name))
            elif operator in SHOW_TEXT:
                found.append(fill)
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_print_booklet_is_pdfx4_with_a_cmyk_output_intent(printed: Path, slug: str) -> None:
    """PDF/X-4: its version in Info and XMP, not trapped, a FOGRA39 output intent with a CMYK printer profile."""
    with press_pdf(printed, slug) as pdf:
        assert pdf.pdf_version >= "1.6" and not pdf.is_encrypted
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
        assert str(pdf.docinfo["/Trapped"]) == "/False"
        assert str(pdf.docinfo["/Title"])
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["pdf:Trapped"] == "False"
        assert meta["xmpMM:DocumentID"].startswith("uuid:") and meta["xmpMM:VersionID"]
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        profile = intent.DestOutputProfile
        header = profile.read_bytes()[:20]
        assert profile.N == 4 and header[12:16] == b"prtr" and header[16:20] == b"CMYK"


@pytest.mark.parametrize("slug", SLUGS)
def test_print_booklet_has_no_rgb_and_black_type_in_black_ink(printed: Path, slug: str) -> None:
    """No RGB colour operator, space, shading or image anywhere; black and grey text in black ink alone."""
    with press_pdf(printed, slug) as pdf:
        for stream, resources in content_streams(pdf):
            named = {str(name): is_rgb(space) for name, space in (resources or {}).get("/ColorSpace", {}).items()}
            for item in pikepdf.parse_content_stream(stream):
                assert not isinstance(item, pikepdf.ContentStreamInlineImage), "an inline image"
                operator = str(item.operator)
                assert operator not in ("rg", "RG"), f"RGB colour: {item}"
                if operator in ("cs", "CS"):
                    name = str(item.operands[0])
                    assert name not in ("/DeviceRGB", "/CalRGB") and not named.get(name), f"RGB space: {item}"
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                for key in ("/ColorSpace", "/CS"):  # of an image, a shading or a group; or a resources' spaces
                    named = obj[key] if isinstance(obj.get(key), pikepdf.Dictionary) else {key: obj.get(key)}
                    for name, space in named.items():
                        assert not is_rgb(space), f"RGB {name} in {obj.get('/Type')} {obj.get('/Subtype')}"
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                assert str(obj.get("/ColorSpace")) in ("/DeviceCMYK", "/DeviceGray"), "an image not in CMYK or grey"
        colours = text_colours(pdf)
        assert colours
        for colour in colours:
            assert len(colour) == 4, f"text in a colour that is not CMYK: {colour}"
            cyan, magenta, yellow = colour[:3]
            neutral = max(cyan, magenta, yellow) - min(cyan, magenta, yellow) < 0.1
            assert not (neutral and cyan + magenta + yellow > 0), f"grey or black text in four inks: {colour}"
        black_only = sum(1 for colour in colours if colour[:3] == (0, 0, 0) and colour[3] > 0.5)
        assert black_only > 0.8 * len(colours), "most text is black, in black ink alone"


def test_the_conversion_puts_neutrals_in_black_ink_and_colours_through_the_profile() -> None:
    """Black is full black ink, white no ink, a grey black ink alone, darker for darker; the green is mostly cyan."""
    from workbook.press import convert

    assert convert((0, 0, 0)) == (0, 0, 0, 1)
    assert convert((1, 1, 1)) == (0, 0, 0, 0)
    light, dark = convert((0.6, 0.6, 0.6)), convert((0.3, 0.3, 0.3))
    assert light[:3] == dark[:3] == (0, 0, 0) and 0 < light[3] < dark[3] < 1
    cyan, magenta, yellow, _ = convert((0x0B / 255, 0x5A / 255, 0x49 / 255))
    assert cyan > 0.5 and cyan > yellow > magenta
    assert convert((0.5, 0.5, 0.5), mask=True) == (0.5,)


@pytest.mark.parametrize("slug", SLUGS)
def test_print_booklet_has_a_slug_outside_the_bleed_and_nothing_to_click(printed: Path, slug: str) -> None:
    """Every page: trim A4, bleed 3 mm around it, a media box larger still; no annotation, form or action."""
    with press_pdf(printed, slug) as pdf:
        assert "/AcroForm" not in pdf.Root and "/OpenAction" not in pdf.Root
        for page in pdf.pages:
            trim, bleed, media = (
                [float(value) for value in page.obj[key]] for key in ("/TrimBox", "/BleedBox", "/MediaBox")
            )
            assert (round(trim[2] - trim[0], 2), round(trim[3] - trim[1], 2)) == A4
            assert [round(b - t, 1) for b, t in zip(bleed, trim, strict=True)] == [
                round(v * 3 * MM, 1) for v in (-1, -1, 1, 1)
            ]
            assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]
            assert "/Annots" not in page.obj, "a link or field on a printed page"


@pytest.mark.parametrize("slug", ["wigan", "health-check"])
def test_crop_marks_are_in_the_slug_not_the_bleed(printed: Path, slug: str, tmp_path: Path) -> None:
    """On a page, dark marks lie on the trim's edges carried out into the slug; the bleed's corner stays clear."""
    image = rasterise(printed / "print" / f"{slug}.pdf", 4, tmp_path)
    outer = (3 + 10) * PX  # the slug's width plus the bleed: where the trim's corner is in the raster
    corner = image.crop((0, 0, round(outer), round(outer)))
    trim_line = round(outer)  # the trim's left edge, carried up into the slug: x = outer, y from 0 to 9 mm
    column = [image.getpixel((trim_line, y)) for y in range(round(1 * PX), round(9 * PX))]
    assert min(column) < 100, "no crop mark on the trim's left edge in the slug"
    bleed_corner = corner.crop((round(10.5 * PX), round(10.5 * PX), round(12.5 * PX), round(12.5 * PX)))
    assert bleed_corner.getextrema()[0] > 200, "a mark inside the bleed"


def rasterise(pdf: Path, page: int, folder: Path, dpi: int = DPI) -> Image.Image:
    """One page of a PDF as a grey image, its whole media box (the slug shows)."""
    prefix = folder / f"{pdf.stem}-{page}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), str(pdf), prefix], check=True
    )
    return Image.open(next(folder.glob(f"{prefix.name}*.pgm"))).convert("L")


@pytest.mark.parametrize("slug", SLUGS)
def test_print_booklet_is_whole_sheets_with_the_back_cover_last(printed: Path, slug: str) -> None:
    """Pages a multiple of four; the last is the back cover (the publisher, the site), notes pages only before it."""
    pages = pages_text(printed / "print" / f"{slug}.pdf")
    web = pages_text(printed / "pdf" / f"{slug}.pdf")
    assert len(pages) % 4 == 0
    assert len(pages) - len(web) - 1 < 4, "more notes pages than whole sheets need"
    assert pages[: len(web)] == web, "the pages before the notes are the printed booklet's"
    assert all(page.lstrip().startswith("Notes") for page in pages[len(web) : -1])
    workbook = real_workbook(slug)
    last = " ".join(pages[-1].split())
    assert "Notes" not in last and real_project().title in last and workbook.title in last
    assert not workbook.publisher or workbook.publisher in last


@pytest.mark.parametrize("slug", SLUGS)
def test_a_ticked_print_booklet_reads_with_the_web_box_map(printed: Path, slug: str, tmp_path: Path) -> None:
    """Every page with boxes: the web box map's page code in its strip, and its boxes where the map says, in the trim."""
    script = (printed / "pdf" / f"{slug}.boxes.js").read_text("utf-8").strip().splitlines()[-1]
    boxes = json.loads(script.split(" = ", 1)[1].rstrip(";"))
    assert boxes["pages"]
    press = printed / "print" / f"{slug}.pdf"
    for entry in boxes["pages"]:
        image = rasterise(press, entry["page"], tmp_path)
        data = bytes([workbook_code(slug), entry["page"] & 0xFF]) + entry["hash"].to_bytes(2, "big")
        code = bits(data + crc16(data).to_bytes(2, "big"))
        cells = [(STRIP_X + STRIP_WIDTH / 2, STRIP_Y + CELL * (index + 0.5)) for index in range(len(code))]
        assert [int(dark(image, x, y)) for x, y in cells] == code, f"page {entry['page']}: not the web page code"
        for box in entry["boxes"]:
            x, y, size = box["x"], box["y"], box["size"]
            assert dark(image, x + size / 2, y + 0.25) and dark(image, x + 0.25, y + size / 2), (
                f"{entry['page']}: {box}"
            )
            assert not dark(image, x + size / 2, y + size / 2), f"page {entry['page']}: no empty box at {box}"


def dark(image: Image.Image, x: float, y: float) -> bool:
    """Tell whether there is dark ink at x, y mm from the trim's top-left (to a pixel, as a reader allows)."""
    column, row = round(TRIM_CORNER + x * PX), round(TRIM_CORNER + y * PX)
    darkest: int = image.crop((column - 1, row - 1, column + 2, row + 2)).getextrema()[0]  # type: ignore[assignment]
    return darkest < 110


def test_printer_leaves_the_web_booklets_as_a_plain_build_makes_them(printed: Path, real_output: Path) -> None:
    """--printer adds print/ and changes nothing else: the web booklets and box maps are the same bytes, PDF/UA-1."""
    web = sorted(path.relative_to(real_output).as_posix() for path in (real_output / "pdf").iterdir())
    assert web == sorted(path.relative_to(printed).as_posix() for path in (printed / "pdf").iterdir())
    for name in web:
        assert (printed / name).read_bytes() == (real_output / name).read_bytes(), name
    assert sorted(path.name for path in (printed / "print").iterdir()) == sorted(f"{slug}.pdf" for slug in SLUGS)
    with pikepdf.open(printed / "pdf" / f"{SLUGS[0]}.pdf") as pdf:
        assert pdf.open_metadata()["pdfuaid:part"] == "1" and "/StructTreeRoot" in pdf.Root


@pytest.mark.parametrize("slug", SLUGS)
def test_qpdf_finds_nothing_wrong(printed: Path, slug: str) -> None:
    """qpdf --check passes the print booklet without a warning."""
    result = subprocess.run(["qpdf", "--check", str(printed / "print" / f"{slug}.pdf")], capture_output=True, text=True)
    assert result.returncode == 0 and "WARNING" not in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize("slug", SLUGS)
def test_every_font_is_embedded(printed: Path, slug: str) -> None:
    """Every font the print booklet uses carries its own glyphs."""
    with press_pdf(printed, slug) as pdf:
        fonts = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"]
        assert fonts
        for font in fonts:
            if font.get("/Subtype") == "/Type0":
                continue  # its descendant font is listed too
            if font.get("/Subtype") == "/Type3":
                continue  # drawn by its own content streams
            descriptor = font.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")


def test_a_plain_build_removes_print_booklets_and_says_so(tiny: Path, caplog: pytest.LogCaptureFixture) -> None:
    """After --printer, a build without it removes print/ with a warning; a site-only build keeps it."""
    output = tiny / "output"
    build(Paths(tiny), output, BuildOptions(printer=True))
    assert (output / "print" / "tiny.pdf").is_file()
    build(Paths(tiny), output, BuildOptions(booklets=False))
    assert (output / "print" / "tiny.pdf").is_file(), "a site-only build keeps the booklets of the last build"
    with caplog.at_level(logging.WARNING, logger="workbook.pipeline"):
        build(Paths(tiny), output)
    assert not (output / "print").exists()
    assert "removed the print-shop booklets" in caplog.text and "tiny.pdf" in caplog.text
    assert (output / "pdf" / "tiny.pdf").is_file()


def test_print_booklet_is_laid_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes pages and the back cover come from the one layout: notes pages are dropped, never laid out again."""
    import weasyprint

    from workbook.pdf import booklet_html, press_pdf
    from workbook.templates import make_environment

    html = booklet_html(make_environment(REPO / "layouts"), real_project(), real_workbook("homecare"), printer=True)
    layouts = []
    render = weasyprint.HTML.render
    monkeypatch.setattr(weasyprint.HTML, "render", lambda *args, **kwargs: layouts.append(1) or render(*args, **kwargs))
    pdf, _ = press_pdf(html, REPO, "output/print/homecare.pdf", "homecare")
    assert len(layouts) == 1
    assert len(pikepdf.open(io.BytesIO(pdf)).pages) % 4 == 0
