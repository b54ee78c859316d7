"""Make a laid-out booklet one a print shop accepts: PDF/X-4 in CMYK, bleed and a slug with crop marks, nothing live.

WeasyPrint lays the print booklet out with assets/css/booklet-printer.css (a 3 mm bleed) and writes it as
`pdf/x-4`, which marks the XMP but adds no output intent and leaves every colour in RGB. `make_press_ready`
finishes it in the open pikepdf document: every colour turned into CMYK (`ink`), the output intent of the
coated FOGRA39 profile in assets/icc/, a slug around the bleed with crop marks in black ink only, no links
or form fields, and the Info and XMP entries PDF/X-4 asks for.

Each conversion is derived once, here: a neutral RGB colour (black, greys, white) becomes black ink alone
(`0 0 0 K k`) of the same lightness on the profile's paper, so type and rules never print in four inks; any
other colour goes through the profile (sRGB to CMYK, relative colorimetric with black point compensation).
A soft mask's colours say how opaque something is, not what ink it takes: they become DeviceGray of the same
luminance, so transparency is kept exactly.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from functools import cache
from pathlib import Path
from typing import Any

PROFILE = Path(__file__).resolve().parent.parent / "assets" / "icc" / "FOGRA39-coated-argyll.icc"
CONDITION = "FOGRA39"  # the registered characterisation the profile was built from (ISO 12647-2 coated paper)
CONDITION_TEXT = "Coated FOGRA39 (ISO 12647-2:2004, paper type 1 or 2, coated art)"
REGISTRY = "http://www.color.org"

PT_PER_MM = 72 / 25.4
BLEED = 3.0  # mm beyond the trim on every side: booklet-printer.css's bleed
SLUG = 10.0  # mm beyond the bleed, for the crop marks: outside what is printed and trimmed
MARK_GAP = 1.0  # mm between the bleed and the start of a crop mark
MARK_WIDTH = 0.25  # pt: a crop mark's line

RGB = ("/DeviceRGB", "/CalRGB")
Colour = tuple[float, ...]


def make_press_ready(pdf: Any, document_id: str) -> None:
    """Turn an open PDF/X-4 booklet from WeasyPrint into one a print shop's preflight accepts."""
    remove_links(pdf)
    ink(pdf)
    for page in pdf.pages:
        add_slug(pdf, page)
    add_output_intent(pdf)
    mark_pdfx(pdf, document_id)


def remove_links(pdf: Any) -> None:
    """Take every annotation (links, and the widgets of any form) off the pages: paper has nothing to click."""
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
    for key in ("/AcroForm", "/OpenAction", "/AA", "/Names"):
        if key in pdf.Root:
            del pdf.Root[key]


def ink(pdf: Any) -> None:
    """Turn every RGB colour of a PDF into CMYK: page and form contents, patterns, shadings, images, groups."""
    import pikepdf

    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        page.contents_coalesce()
        _convert_group(page.obj, mask=False)
        if _key(page.obj.Contents) not in done:
            done.add(_key(page.obj.Contents))
            _convert_content(page.obj.Contents, page.obj.Resources, False)
        _convert_resources(page.obj.Resources, False, done)
    for obj in pdf.objects:  # anything left, reached or not: an output intent covers every object in the file
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" and _key(obj) not in done:
            _convert_image(obj, done)


def _key(obj: Any) -> tuple[int, int]:
    """An indirect object's number and generation (direct objects are keyed by identity)."""
    return tuple(obj.objgen) if obj.is_indirect else (-id(obj), 0)


def _convert_resources(resources: Any, mask: bool, done: set[tuple[int, int]]) -> None:
    """Convert what a resource dictionary names: colour spaces, forms, images, patterns, shadings, soft masks."""
    if resources is None:
        return
    for name, space in list((resources.get("/ColorSpace") or {}).items()):
        if _is_rgb(space):
            resources.ColorSpace[name] = _target(mask)
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            _convert_form(xobject, mask, done)
        elif xobject.get("/Subtype") == "/Image":
            _convert_image(xobject, done)
    for pattern in (resources.get("/Pattern") or {}).values():
        if pattern.get("/PatternType") == 1:
            _convert_form(pattern, mask, done)
        elif "/Shading" in pattern:
            _convert_shading(pattern.Shading, mask, done)
    for shading in (resources.get("/Shading") or {}).values():
        _convert_shading(shading, mask, done)
    for state in (resources.get("/ExtGState") or {}).values():
        soft = state.get("/SMask")
        if soft is not None and not isinstance(soft, str) and "/G" in soft:
            _convert_form(soft.G, True, done)  # a soft mask's group says how opaque, in grey


def _convert_form(form: Any, mask: bool, done: set[tuple[int, int]]) -> None:
    """Convert a form XObject or tiling pattern once: its group, its content and its resources."""
    if _key(form) in done:
        return
    done.add(_key(form))
    _convert_group(form, mask)
    _convert_content(form, form.get("/Resources"), mask)
    _convert_resources(form.get("/Resources"), mask, done)


def _convert_group(obj: Any, mask: bool) -> None:
    """Give a transparency group a CMYK blending space (grey for a soft mask's) instead of an RGB one."""
    group = obj.get("/Group")
    if group is not None and "/CS" in group and _is_rgb(group.CS):
        group.CS = _target(mask)


def _convert_content(stream: Any, resources: Any, mask: bool) -> None:
    """Rewrite a content stream's colour operators in CMYK (or grey for a soft mask)."""
    import pikepdf

    spaces = resources.get("/ColorSpace") if resources is not None else None
    named = {str(name): _is_rgb(space) for name, space in (spaces or {}).items()}
    operations = []
    fill_rgb, stroke_rgb = False, False  # whether the current fill and stroke colour spaces are RGB
    saved: list[tuple[bool, bool]] = []
    for item in pikepdf.parse_content_stream(stream):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            raise ValueError("an inline image in a booklet cannot be put in print colours (use an image file)")
        operands, operator = list(item.operands), str(item.operator)
        if operator == "q":
            saved.append((fill_rgb, stroke_rgb))
        elif operator == "Q" and saved:
            fill_rgb, stroke_rgb = saved.pop()
        elif operator in ("rg", "RG", "g", "G"):
            values = [float(value) for value in operands]
            colour = tuple(values * 3) if len(values) == 1 else tuple(values)
            operands, operator = _set_colour(colour, operator in ("rg", "g"), mask)
        elif operator in ("cs", "CS"):
            rgb = str(operands[0]) in RGB or named.get(str(operands[0]), False)
            if rgb:
                operands = [_target(mask)]
            fill_rgb, stroke_rgb = (rgb, stroke_rgb) if operator == "cs" else (fill_rgb, rgb)
        elif operator in ("sc", "scn", "SC", "SCN") and (fill_rgb if operator.islower() else stroke_rgb):
            colour = tuple(float(value) for value in operands)
            operands = [pikepdf.Object.parse(f"{value:.4f}".encode()) for value in convert(colour, mask)]
        operations.append(pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(operator)))
    stream.write(zlib.compress(pikepdf.unparse_content_stream(operations)), filter=pikepdf.Name.FlateDecode)


def _set_colour(colour: Colour, fill: bool, mask: bool) -> tuple[list[Any], str]:
    """The operands and operator that set an RGB colour in the target space: `k`/`K`, or `g`/`G` in a mask."""
    operator = ("k" if fill else "K") if not mask else ("g" if fill else "G")
    return [round(value, 4) for value in convert(colour, mask)], operator


def _convert_shading(shading: Any, mask: bool, done: set[tuple[int, int]]) -> None:
    """Convert an axial or radial shading's colour space and the colours its functions give."""
    if _key(shading) in done or not _is_rgb(shading.get("/ColorSpace")):
        return
    done.add(_key(shading))
    shading.ColorSpace = _target(mask)
    _convert_function(shading.Function, mask)


def _convert_function(function: Any, mask: bool) -> None:
    """Convert the end colours of an exponential function, or of each function a stitching one joins."""
    import pikepdf

    kind = int(function.FunctionType)
    if kind == 2:
        for end in ("/C0", "/C1"):
            colour = tuple(float(value) for value in function.get(end, [0, 0, 0] if end == "/C0" else [1, 1, 1]))
            function[end] = pikepdf.Array([round(value, 4) for value in convert(colour, mask)])
    elif kind == 3:
        for part in function.Functions:
            _convert_function(part, mask)
    else:
        raise ValueError(f"a shading of function type {kind} cannot be put in print colours")


def _convert_image(image: Any, done: set[tuple[int, int]]) -> None:
    """Convert an RGB image's pixels into CMYK through the profile, losslessly compressed."""
    import pikepdf
    from PIL import ImageCms

    if _key(image) in done:
        return
    done.add(_key(image))
    if "/SMask" in image:
        _convert_image(image.SMask, done)
    if not _is_rgb(image.get("/ColorSpace")) and not _is_indexed_rgb(image.get("/ColorSpace")):
        return
    picture = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
    cmyk = ImageCms.applyTransform(picture, _rgb_to_cmyk())
    assert cmyk is not None
    image.write(zlib.compress(cmyk.tobytes()), filter=pikepdf.Name.FlateDecode)
    image.ColorSpace = pikepdf.Name.DeviceCMYK
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[key]


def _is_rgb(space: Any) -> bool:
    """Tell whether a colour space is RGB: by name, CalRGB, or an ICC-based space of three components."""
    import pikepdf

    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        return str(space) in RGB
    if isinstance(space, pikepdf.Array) and len(space) >= 2:
        family = str(space[0])
        if family == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        return family in RGB
    return False


def _is_indexed_rgb(space: Any) -> bool:
    """Tell whether a colour space is a palette of RGB colours."""
    import pikepdf

    return isinstance(space, pikepdf.Array) and len(space) == 4 and str(space[0]) == "/Indexed" and _is_rgb(space[1])


def _target(mask: bool) -> Any:
    """The colour space RGB becomes: CMYK for what is printed, grey for a soft mask."""
    import pikepdf

    return pikepdf.Name.DeviceGray if mask else pikepdf.Name.DeviceCMYK


def convert(colour: Colour, mask: bool = False) -> Colour:
    """An sRGB colour (components 0 to 1) in print: CMYK (black ink only if neutral), or its luminance in a mask."""
    red, green, blue = (min(max(value, 0.0), 1.0) for value in colour)
    if mask:
        return (round(0.2126 * red + 0.7152 * green + 0.0722 * blue, 4),)
    return cmyk((round(red * 255), round(green * 255), round(blue * 255)))


@cache
def cmyk(rgb: tuple[int, int, int]) -> Colour:
    """An 8-bit sRGB colour as CMYK (0 to 1): a neutral one as black ink alone, any other through the profile."""
    if max(rgb) - min(rgb) <= 2:
        return (0.0, 0.0, 0.0, black_for_grey(round(sum(rgb) / 3)))
    from PIL import Image, ImageCms

    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _rgb_to_cmyk())
    assert pixel is not None
    return tuple(round(value / 255, 4) for value in pixel.getpixel((0, 0)))  # type: ignore[union-attr]


@cache
def black_for_grey(value: int) -> float:
    """The black ink alone that prints an 8-bit sRGB grey at its lightness on the profile's paper (L*, relative)."""
    if value <= 0:
        return 1.0
    if value >= 255:
        return 0.0
    wanted = _srgb_lightness(value / 255)
    tints = _black_lightness()
    for tint in range(1, 256):  # lightness falls as black rises: find the first tint as dark as the grey
        if tints[tint] <= wanted:
            lighter, darker = tints[tint - 1], tints[tint]
            step = (lighter - wanted) / (lighter - darker) if lighter != darker else 0.0
            return round((tint - 1 + step) / 255, 4)
    return 1.0  # darker than black ink alone prints: full black


def _srgb_lightness(value: float) -> float:
    """CIE L* of an sRGB grey (0 to 1)."""
    linear = value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    return 116 * linear ** (1 / 3) - 16 if linear > 216 / 24389 else linear * 24389 / 27


@cache
def _black_lightness() -> list[float]:
    """L* on the profile's paper (white 100) of black ink alone at each 8-bit tint."""
    from PIL import Image, ImageCms

    ramp = Image.new("CMYK", (256, 1))
    ramp.putdata([(0, 0, 0, tint) for tint in range(256)])
    lab = ImageCms.buildTransform(_profile(), ImageCms.createProfile("LAB"), "CMYK", "LAB", _relative())
    measured = ImageCms.applyTransform(ramp, lab)
    assert measured is not None
    return [measured.getpixel((tint, 0))[0] * 100 / 255 for tint in range(256)]  # type: ignore[index]


def _relative() -> Any:
    """Relative colorimetric: the paper is the page's white."""
    from PIL import ImageCms

    return ImageCms.Intent.RELATIVE_COLORIMETRIC


@cache
def _rgb_to_cmyk() -> Any:
    """The transform from sRGB to the print profile (relative colorimetric, black point compensated)."""
    from PIL import ImageCms

    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), _profile(), "RGB", "CMYK", _relative(), flags=flags)


@cache
def _profile() -> Any:
    """The print profile, read once."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(io.BytesIO(PROFILE.read_bytes()))


def add_slug(pdf: Any, page: Any) -> None:
    """Set a page's trim, bleed and media boxes (media = bleed + slug) and draw crop marks in the slug."""
    import pikepdf

    left, bottom, right, top = (float(value) for value in page.obj.get("/TrimBox", page.mediabox))
    bleed, outer = BLEED * PT_PER_MM, (BLEED + SLUG) * PT_PER_MM
    page.obj.TrimBox = pikepdf.Array([left, bottom, right, top])
    page.obj.BleedBox = pikepdf.Array([left - bleed, bottom - bleed, right + bleed, top + bleed])
    page.obj.MediaBox = pikepdf.Array([left - outer, bottom - outer, right + outer, top + outer])
    for key in ("/CropBox", "/ArtBox"):
        if key in page.obj:
            del page.obj[key]
    page.contents_add(pikepdf.Stream(pdf, crop_marks((left, bottom, right, top))), prepend=False)


def crop_marks(trim: tuple[float, float, float, float]) -> bytes:
    """Crop marks in black ink only: at each corner, the trim's two edges carried out into the slug."""
    left, bottom, right, top = trim
    start, end = (BLEED + MARK_GAP) * PT_PER_MM, (BLEED + SLUG) * PT_PER_MM
    lines = []
    for x, y, out_x, out_y in ((left, bottom, -1, -1), (right, bottom, 1, -1), (left, top, -1, 1), (right, top, 1, 1)):
        lines.append(_line(x + out_x * start, y, x + out_x * end, y))  # the horizontal edge, carried out
        lines.append(_line(x, y + out_y * start, x, y + out_y * end))  # the vertical edge, carried out
    drawing = ["q", "/Artifact BMC", "0 0 0 1 K", f"{MARK_WIDTH} w", "0 J", *lines, "S", "EMC", "Q"]
    return ("\n" + "\n".join(drawing) + "\n").encode("ascii")


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    """A straight line from one point to another, in PDF points."""
    return f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l"


def add_output_intent(pdf: Any) -> None:
    """Say which printing condition the CMYK is for: the FOGRA39 output intent, its ICC profile embedded."""
    import pikepdf

    profile = pikepdf.Stream(pdf, zlib.compress(PROFILE.read_bytes()))
    profile.Filter = pikepdf.Name.FlateDecode
    profile.N = 4
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(CONDITION),
        OutputCondition=pikepdf.String(CONDITION_TEXT),
        RegistryName=pikepdf.String(REGISTRY),
        Info=pikepdf.String(CONDITION_TEXT),
        DestOutputProfile=pdf.make_indirect(profile),
    )
    pdf.Root.OutputIntents = pikepdf.Array([intent])


def mark_pdfx(pdf: Any, document_id: str) -> None:
    """Write the Info and XMP entries PDF/X-4 asks for, the same on every build of the same booklet."""
    import pikepdf

    pdf.docinfo[pikepdf.Name.GTS_PDFXVersion] = pikepdf.String("PDF/X-4")
    pdf.docinfo[pikepdf.Name.Trapped] = pikepdf.Name("/False")
    for key in ("/GTS_PDFXConformance",):
        if key in pdf.docinfo:
            del pdf.docinfo[key]
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key in ("pdfx:GTS_PDFXVersion", "pdfx:GTS_PDFXConformance"):
            if key in meta:
                del meta[key]
        meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        meta["pdf:Trapped"] = "False"
        meta["xmpMM:DocumentID"] = f"uuid:{_uuid(document_id)}"
        meta["xmpMM:InstanceID"] = f"uuid:{_uuid(document_id + ':instance')}"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"


def _uuid(text: str) -> str:
    """A UUID-shaped name made from a text, so that a rebuild names the document the same."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
