"""The page images of a scanner's PDF (assets/js/score-pdf-images.js), read in Chromium: pixels, page order, problems."""

from __future__ import annotations

import base64
import io
import zlib
from collections.abc import Iterator
from typing import Any

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image
from playwright.sync_api import Page
from pypdf.filters import LZWDecode

from tests.browser import chromium, file_url
from tests.conftest import REPO

READ = """async pdfs => {
    const out = [];
    for (const b64 of pdfs) {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        try {
            const pages = [];
            for (const item of await ProgressScoring.pdf.readImages(bytes)) {
                if (item.problem) {
                    pages.push({ page: item.page, problem: item.problem });
                    continue;
                }
                const options = { colorSpaceConversion: 'none', premultiplyAlpha: 'none' };
                const bitmap = await createImageBitmap(item.blob, options);
                const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
                const context = canvas.getContext('2d');
                context.drawImage(bitmap, 0, 0);
                const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
                const rgb = Array.from(rgba.filter((_, index) => index % 4 !== 3));
                const small = rgb.length <= 30000; // larger ones: their values, not their pixels
                const opaque = rgba.every((value, index) => index % 4 !== 3 || value === 255);
                const values = small ? undefined : Array.from(new Set(rgb)).sort((a, b) => a - b);
                const size = [bitmap.width, bitmap.height];
                pages.push({ page: item.page, type: item.blob.type, size, rgb: small ? rgb : values, opaque });
            }
            out.push(pages);
        } catch (error) {
            out.push(error && error.reason ? error.reason : 'threw ' + String(error));
        }
    }
    return out;
}"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    """A page with score-pdf.js and score-pdf-images.js loaded from disk, as the scoring page loads them."""
    folder = tmp_path_factory.mktemp("images")
    scripts = "".join(
        f'<script src="{file_url(REPO / "assets" / "js" / name)}"></script>'
        for name in ("score-pdf.js", "score-pdf-images.js")
    )
    (folder / "read.html").write_text(f"<!doctype html><title>read</title>{scripts}", "utf-8")
    errors: list[str] = []
    with chromium() as browser:
        tab = browser.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(file_url(folder / "read.html"))
        yield tab
    assert errors == []


def read(page: Page, *pdfs: bytes) -> list[Any]:
    """Each PDF's pages as the page reads them ({page, type, size, rgb, opaque} or {page, problem}), or its reason."""
    result: list[Any] = page.evaluate(READ, [base64.b64encode(pdf).decode() for pdf in pdfs])
    return result


# ---------- Sources and the encoders the tests need ----------


def gray(width: int, height: int) -> bytes:
    """A grey test card: every value differs from its neighbours."""
    return bytes((x * 7 + y * 13 + x * y) % 256 for y in range(height) for x in range(width))


def rgb(width: int, height: int) -> bytes:
    """A colour test card."""
    return bytes(
        value for y in range(height) for x in range(width) for value in ((x * 9) % 256, (y * 11) % 256, (x * y) % 256)
    )


def as_rgb(values: bytes) -> list[int]:
    """Grey values as the RGB a canvas shows."""
    return [value for value in values for _ in range(3)]


def packed(bits: list[int], width: int) -> bytes:
    """1-bit samples packed as PDF rows (each row padded to a byte)."""
    out = bytearray()
    for start in range(0, len(bits), width):
        row = bits[start : start + width] + [0] * (-width % 8)
        out += bytes(int("".join(map(str, row[at : at + 8])), 2) for at in range(0, len(row), 8))
    return bytes(out)


def paeth(left: int, up: int, corner: int) -> int:
    """PNG's Paeth guess."""
    guess = left + up - corner
    a, b, c = abs(guess - left), abs(guess - up), abs(guess - corner)
    return left if a <= b and a <= c else up if b <= c else corner


def png_predicted(raw: bytes, row: int, step: int) -> bytes:
    """Rows under PNG predictors, each row its own (None, Sub, Up, Average, Paeth in turn)."""
    out = bytearray()
    previous = bytes(row)
    for y in range(len(raw) // row):
        line = raw[y * row : (y + 1) * row]
        out.append(y % 5)
        for index, value in enumerate(line):
            left = line[index - step] if index >= step else 0
            corner = previous[index - step] if index >= step else 0
            guess = (0, left, previous[index], (left + previous[index]) // 2, paeth(left, previous[index], corner))
            out.append((value - guess[y % 5]) % 256)
        previous = line
    return bytes(out)


def tiff_predicted(raw: bytes, row: int, step: int) -> bytes:
    """Rows under TIFF predictor 2: each sample less the one to its left."""
    return bytes((raw[at] - (raw[at - step] if (at % row) >= step else 0)) % 256 for at in range(len(raw)))


def run_length(data: bytes) -> bytes:
    """PackBits, as RunLengthDecode reads it: runs of a byte and literal stretches, then 128."""
    out = bytearray()
    at = 0
    while at < len(data):
        run = 1
        while at + run < len(data) and run < 128 and data[at + run] == data[at]:
            run += 1
        if run > 1:
            out += bytes([257 - run, data[at]])
            at += run
            continue
        end = at
        while end < len(data) and end - at < 128 and not (end + 1 < len(data) and data[end] == data[end + 1]):
            end += 1
        out += bytes([end - at - 1]) + data[at:end]
        at = end
    return bytes(out) + b"\x80"


def lzw(data: bytes) -> bytes:
    """LZW as PDF writes it (EarlyChange 1), for data short enough never to fill the table."""
    table = {bytes([byte]): byte for byte in range(256)}
    codes, word = [256], b""
    for byte in data:
        if word + bytes([byte]) in table:
            word += bytes([byte])
            continue
        codes.append(table[word])
        table[word + bytes([byte])] = len(table) + 2
        word = bytes([byte])
    codes += [table[word], 257]
    bits = "".join(
        format(code, "b").zfill(min(12, max(9, (258 + max(0, index - 2) + 1).bit_length())))
        for index, code in enumerate(codes)
    )
    bits += "0" * (-len(bits) % 8)
    assert len(table) < 4000
    return bytes(int(bits[at : at + 8], 2) for at in range(0, len(bits), 8))


# ---------- PDFs ----------


SIZE = (37, 29)  # rows of 1 and 4 bits end inside a byte


def image(pdf: pikepdf.Pdf, data: bytes, size: tuple[int, int] = SIZE, **entries: Any) -> pikepdf.Stream:
    """An image XObject holding `data` as it is (already encoded by the filters in `entries`)."""
    return pikepdf.Stream(pdf, data, Type=Name.XObject, Subtype=Name.Image, Width=size[0], Height=size[1], **entries)


def gray_image(pdf: pikepdf.Pdf, data: bytes, size: tuple[int, int] = SIZE, **entries: Any) -> pikepdf.Stream:
    """An 8-bit grey image XObject."""
    return image(pdf, data, size, ColorSpace=Name.DeviceGray, BitsPerComponent=8, **entries)


def add_page(pdf: pikepdf.Pdf, xobjects: dict[str, pikepdf.Object], draws: str = "", **entries: Any) -> None:
    """A page whose resources list `xobjects` and whose content draws the names in `draws` (all when omitted)."""
    names = draws.split() if draws else list(xobjects)
    content = b" ".join(b"q 100 0 0 100 0 0 cm /%s Do Q" % name.encode() for name in names)
    page = pdf.add_blank_page(page_size=(200, 200))
    if xobjects:
        page.Resources = Dictionary(XObject=Dictionary({"/" + name: value for name, value in xobjects.items()}))
    page.Contents = pdf.make_stream(content or b"BT /F1 12 Tf (words only) Tj ET")
    for key, value in entries.items():
        page[key] = value


def saved(pdf: pikepdf.Pdf, **options: Any) -> bytes:
    """The PDF's bytes, its streams as written (qpdf neither decodes nor compresses them)."""
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none, **options)
    return out.getvalue()


def pillow_pdf(*images: Image.Image) -> bytes:
    """Images saved by Pillow as a PDF, a page each."""
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=list(images[1:]))
    return out.getvalue()


def cases(pdf: pikepdf.Pdf) -> dict[str, tuple[pikepdf.Stream, list[int]]]:
    """Samples stored each way that must decode to the source exactly: name -> (image, the RGB a canvas shows)."""
    w, h = SIZE
    g, c = gray(w, h), rgb(w, h)
    bits = [(x // 3 + y // 2) % 2 for y in range(h) for x in range(w)]
    cmyk = bytes(v for y in range(h) for x in range(w) for v in (x * 5, y * 8, (x + y) * 3, (x * y) % 120))
    palette = bytes(v for index in range(16) for v in (index * 16, 255 - index * 16, (index * 40) % 256))
    indices = bytes((x + y) % 16 for y in range(h) for x in range(w))
    padded = [list(indices[y * w : (y + 1) * w]) + [0] * (w % 2) for y in range(h)]
    nibbles = bytes((row[at] << 4) | row[at + 1] for row in padded for at in range(0, len(row), 2))
    flat = bytes((x // 5) * 30 + y for y in range(h) for x in range(w))
    deep = bytes(v for value in g for v in (value, value))  # 16 bits whose high byte is the low byte
    fl = Name.FlateDecode
    gray8: dict[str, Any] = {"ColorSpace": Name.DeviceGray, "BitsPerComponent": 8}
    rgb8: dict[str, Any] = {"ColorSpace": Name.DeviceRGB, "BitsPerComponent": 8}
    icc = Array([Name.ICCBased, pdf.make_stream(b"a profile, not read", N=3)])
    lookup = pikepdf.Stream(pdf, zlib.compress(palette), Filter=fl)
    coloured = [v for index in indices for v in palette[index * 3 : index * 3 + 3]]
    naive = [
        int((255 - cmyk[at + part]) * (255 - cmyk[at + 3]) / 255 + 0.5)
        for at in range(0, len(cmyk), 4)
        for part in range(3)
    ]
    return {
        "gray 8": (image(pdf, zlib.compress(g), **gray8, Filter=fl), as_rgb(g)),
        "ICCBased RGB": (image(pdf, zlib.compress(c), ColorSpace=icc, BitsPerComponent=8, Filter=fl), list(c)),
        "gray inverted": (
            image(pdf, zlib.compress(g), **gray8, Decode=Array([1, 0]), Filter=fl),
            as_rgb(bytes(255 - v for v in g)),
        ),
        "gray 1 bit": (
            image(pdf, zlib.compress(packed(bits, w)), ColorSpace=Name.DeviceGray, BitsPerComponent=1, Filter=[fl]),
            as_rgb(bytes(255 * b for b in bits)),
        ),
        "mask, 1 paints": (
            image(pdf, packed(bits, w), ImageMask=True, Decode=Array([1, 0])),
            as_rgb(bytes(255 * (1 - b) for b in bits)),
        ),
        "indexed 8": (
            image(
                pdf,
                zlib.compress(indices),
                ColorSpace=Array([Name.Indexed, Name.DeviceRGB, 15, pikepdf.String(palette)]),
                BitsPerComponent=8,
                Filter=fl,
            ),
            coloured,
        ),
        "indexed 4, palette in a stream": (
            image(
                pdf,
                zlib.compress(nibbles),
                ColorSpace=Array([Name.Indexed, Name.DeviceRGB, 15, lookup]),
                BitsPerComponent=4,
                Filter=fl,
            ),
            coloured,
        ),
        "PNG predictors": (
            image(
                pdf,
                zlib.compress(png_predicted(c, w * 3, 3)),
                **rgb8,
                Filter=fl,
                DecodeParms=Dictionary(Predictor=15, Colors=3, Columns=w),
            ),
            list(c),
        ),
        "TIFF predictor": (
            image(
                pdf,
                zlib.compress(tiff_predicted(c, w * 3, 3)),
                **rgb8,
                Filter=fl,
                DecodeParms=Dictionary(Predictor=2, Colors=3, Columns=w),
            ),
            list(c),
        ),
        "LZW": (image(pdf, lzw(g), **gray8, Filter=Name.LZWDecode), as_rgb(g)),
        "hex of run length": (
            image(
                pdf,
                run_length(flat).hex().encode() + b">",
                **gray8,
                Filter=Array([Name.ASCIIHexDecode, Name.RunLengthDecode]),
            ),
            as_rgb(flat),
        ),
        "ASCII85 of Flate": (
            image(
                pdf,
                base64.a85encode(zlib.compress(c), adobe=True)[2:],
                **rgb8,
                Filter=Array([Name.ASCII85Decode, fl]),
            ),
            list(c),
        ),
        "CMYK": (image(pdf, zlib.compress(cmyk), ColorSpace=Name.DeviceCMYK, BitsPerComponent=8, Filter=fl), naive),
        "gray 16": (
            image(pdf, zlib.compress(deep), ColorSpace=Name.DeviceGray, BitsPerComponent=16, Filter=fl),
            as_rgb(g),
        ),
    }


# ---------- Tests ----------


def test_samples_of_every_stored_form_decode_to_the_source_pixels(page: Page) -> None:
    """Flate, LZW, run length, ASCII filters, predictors, grey, RGB, CMYK, ICC, palettes, 1 and 16 bits, inversion:
    one page each (the PDF's objects in object streams), every pixel as it was."""
    assert LZWDecode.decode(lzw(gray(*SIZE))) == gray(*SIZE)  # the test's LZW is PDF's: pypdf reads it
    pdf = pikepdf.new()
    made = cases(pdf)
    for stream, _ in made.values():
        add_page(pdf, {"Im0": stream})
    pages = read(page, saved(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate))[0]
    assert [item["page"] for item in pages] == list(range(1, len(made) + 1))
    for (name, (_, expected)), item in zip(made.items(), pages, strict=True):
        assert item.get("problem") is None, name
        assert (item["type"], item["size"], item["opaque"]) == ("image/png", list(SIZE), True), name
        assert item["rgb"] == expected, name


def jpegs(pdf: bytes) -> list[Image.Image]:
    """The JPEGs that a PDF's pages hold, as Pillow decodes them."""
    return [
        Image.open(io.BytesIO(stream.read_raw_bytes())).convert("RGB")
        for page in pikepdf.open(io.BytesIO(pdf)).pages
        for stream in page.Resources.XObject.values()
        if stream.get("/Filter") == Name.DCTDecode
    ]


def difference(item: dict[str, Any], source: Image.Image) -> float:
    """The mean difference of a page's pixels from the source's (sizes must match)."""
    expected = source.convert("RGB").tobytes()
    assert item["size"] == list(source.size)
    return float(sum(abs(a - b) for a, b in zip(item["rgb"], expected, strict=True)) / len(expected))


def test_a_pillow_pdf_gives_its_pages_in_order(page: Page) -> None:
    """Three pages of three sizes (JPEG colour, JPEG grey, a palette in ASCIIHexDecode) come back in page order, the
    JPEGs as they are in the file."""
    colour = Image.frombytes(
        "RGB", (48, 32), bytes(v for y in range(32) for x in range(48) for v in (x * 5, y * 7, 99))
    )
    grey = Image.frombytes("L", (24, 40), bytes(x * 6 + y * 2 for y in range(40) for x in range(24)))
    palette = Image.frombytes("RGB", (20, 20), rgb(20, 20)).quantize(16)
    body = pillow_pdf(colour, grey, palette)
    pages = read(page, body)[0]
    assert [(item["page"], item["type"]) for item in pages] == [(1, "image/jpeg"), (2, "image/jpeg"), (3, "image/png")]
    for item, source, stored in zip(pages, (colour, grey), jpegs(body), strict=False):
        assert difference(item, stored) < 0.5 and difference(item, source) < 4
    assert pages[2]["rgb"] == list(palette.convert("RGB").tobytes())


def test_a_cmyk_jpeg_passes_as_it_is_and_an_inverted_grey_one_is_undone(page: Page) -> None:
    """Pillow's CMYK JPEG (Adobe's inverted CMYK, /Decode [1 0 ...]) shows its colour; /Decode [1 0] on a grey JPEG
    comes back inverted, as a PNG."""
    cmyk = pillow_pdf(Image.new("RGB", (16, 16), (200, 30, 40)).convert("CMYK"))
    grey = Image.frombytes("L", (24, 16), bytes(x * 8 + y * 4 for y in range(16) for x in range(24)))
    stored = io.BytesIO()
    grey.save(stored, "JPEG")
    pdf = pikepdf.new()
    jpeg = stored.getvalue()
    add_page(pdf, {"Im0": gray_image(pdf, jpeg, grey.size, Filter=Name.DCTDecode, Decode=Array([1, 0]))})
    [colour], [inverted] = read(page, cmyk, saved(pdf))
    assert colour["type"] == "image/jpeg"
    assert max(abs(a - b) for a, b in zip(colour["rgb"], [200, 30, 40] * 256, strict=True)) <= 3
    assert inverted["type"] == "image/png"
    negative = Image.open(io.BytesIO(jpeg)).point(lambda value: 255 - value)
    assert difference(inverted, negative) < 0.5


def test_what_no_browser_decodes_is_said_per_page(page: Page) -> None:
    """CCITT (Pillow's 1-bit pages), JPEG 2000 (its RGBA ones), JBIG2 and a page of text each say so; a file with no
    image at all is refused."""
    bilevel = Image.frombytes("L", (64, 16), bytes(255 * ((x // 4) % 2) for _ in range(16) for x in range(64)))
    made = pikepdf.open(io.BytesIO(pillow_pdf(Image.new("RGB", (16, 16), "red"), bilevel.convert("1"))))
    made.pages.extend(pikepdf.open(io.BytesIO(pillow_pdf(Image.new("RGBA", (8, 8), (0, 0, 255, 128))))).pages)
    add_page(
        made, {"Scan": image(made, b"\x97JB2", Filter=Name.JBIG2Decode, ColorSpace=Name.DeviceGray, BitsPerComponent=1)}
    )
    add_page(made, {})
    words = pikepdf.new()
    add_page(words, {})
    add_page(words, {})
    mixed, text = read(page, saved(made), saved(words))
    assert [item.get("problem", item.get("type")) for item in mixed] == [
        "image/jpeg", "ccitt", "jpx", "jbig2", "noImage"
    ]  # fmt: skip
    assert text == "noImages"


def test_the_largest_image_a_page_draws_is_read(page: Page) -> None:
    """Drawn beats listed, larger beats smaller, a form's image counts, resources are inherited; content that cannot
    be read falls back to everything listed."""
    pdf = pikepdf.new()

    def solid(size: tuple[int, int], value: int) -> pikepdf.Stream:
        return gray_image(pdf, bytes([value]) * size[0] * size[1], size)

    big, small = solid((30, 20), 10), solid((6, 4), 200)
    form = pikepdf.Stream(pdf, b"/Inner Do", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 1, 1])
    form.Resources = Dictionary(XObject=Dictionary(Inner=solid((12, 10), 90)))
    add_page(pdf, {"Big": big, "Small": small}, draws="Small")
    add_page(pdf, {"Big": big, "Small": small}, draws="Small Big")
    add_page(pdf, {"Form": form, "Small": small}, draws="Small Form")
    add_page(pdf, {"Big": big, "Small": small}, draws="Small")
    pdf.pages[3].Contents = pikepdf.Stream(pdf, b"garbage", Filter=Name.JBIG2Decode)
    pdf.Root.Pages.Resources = Dictionary(XObject=Dictionary(Shared=solid((7, 7), 50)))
    add_page(pdf, {})
    del pdf.pages[4].Resources
    pdf.pages[4].Contents = pdf.make_stream(b"/Shared Do")
    pages = read(page, saved(pdf))[0]
    assert [(item["size"], item["rgb"][0]) for item in pages] == [
        ([6, 4], 200), ([30, 20], 10), ([12, 10], 90), ([30, 20], 10), ([7, 7], 50)
    ]  # fmt: skip


def test_damaged_encrypted_and_hostile_files_are_refused_and_never_hang(page: Page) -> None:
    """The file's reasons as score-pdf.js gives them; a page's damage or size is that page's problem."""
    pdf = pikepdf.new()
    add_page(pdf, {"Im0": gray_image(pdf, zlib.compress(gray(*SIZE)), Filter=Name.FlateDecode)})
    good = saved(pdf)
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=""))
    hostile = pikepdf.new()
    bomb = zlib.compress(bytes(16 * 1024 * 1024), 9)  # 16 MB of nothing in 16 KB
    for size in ((40000, 40000), (2000, 1500)):
        add_page(hostile, {"Bomb": gray_image(hostile, bomb, size, Filter=Name.FlateDecode)})
    short = zlib.compress(gray(*SIZE)[:400])
    add_page(hostile, {"Short": gray_image(hostile, short, Filter=Name.FlateDecode)})
    add_page(
        hostile, {"Lab": image(hostile, gray(*SIZE), ColorSpace=Array([Name.Lab, Dictionary()]), BitsPerComponent=8)}
    )
    hostile.Root.Pages.Kids.append(hostile.Root.Pages)  # a loop in the page tree
    results = read(page, good[: len(good) // 2], good[:-8], b"%PNG" + bytes(2000), out.getvalue(), saved(hostile))
    assert results[:4] == ["damaged", "damaged", "notPdf", "encrypted"]
    assert [(item.get("problem"), item.get("size")) for item in results[4]] == [
        ("tooLarge", None), (None, [2000, 1500]), ("damaged", None), ("unsupported", None)
    ]  # fmt: skip
    assert set(results[4][1]["rgb"]) == {0}
