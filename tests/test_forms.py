"""The fillable booklets' forms, as the tools that fill them see them.

Each topic is one radio field whose values are its levels; each text field is named and described for
what it is. Every real workbook's fillable booklet is filled by pypdf, by pdftk and by PDFium (the engine
of Chrome and Edge, driven as a user would: clicks and typing), then read back by pypdf (the values), by
PDFium (which boxes are on, what the fields hold) and by poppler (which boxes look ticked on the page).
"""

from __future__ import annotations

import ctypes
import json
import random
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader, PdfWriter

from tests.conftest import real_project, real_workbook
from workbook.forms import EDITION_FIELD, NO_TOGGLE_TO_OFF, RADIO, RADIOS_IN_UNISON, walk
from workbook.markup import plain
from workbook.model import Workbook
from workbook.scoring import scoring_data

COLUMNS = {"towards": "What we want to work towards", "action": "Action", "who": "Who", "by-when": "By when"}
PUSHBUTTON = 1 << 16
TEXTS = [
    "Zoë O\u2019Brien",
    "Ask the team (by June) \u2013 £200",
    "Review with Sam, then Jo",
    "3/4 of us",
    "Café meeting",
]


SLUGS = sorted(wb.slug for wb in real_project().workbooks)


def words(markdown: str) -> str:
    """Markdown as the plain words a tooltip would say."""
    return " ".join(plain(markdown).split())


def slug_of(prompt: str) -> str:
    """A prompt as the README says it is named: its words in lower case, joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", prompt.lower()).strip("-")


def expected_text_fields(wb: Workbook) -> list[str]:
    """The text fields a workbook's booklet has, named as the README says, in order."""
    actions = [f"summary-of-actions.{topic.id}.{column}" for topic in wb.topics for column in COLUMNS]
    plans = enumerate(wb.action_plan.plans, start=1)
    return actions + [f"action-plan.{number}.{slug_of(prompt)}" for number, plan in plans for prompt in plan.prompts]


@dataclass(frozen=True)
class Widget:
    """A widget on a page: the field it belongs to, its page (from 0), its on state (buttons), where it is."""

    name: str
    page: int
    value: str | None
    rect: tuple[float, float, float, float]  # left, bottom, right, top

    @property
    def middle(self) -> tuple[float, float]:
        """The middle of the widget, in points from the page's bottom left."""
        return (self.rect[0] + self.rect[2]) / 2, (self.rect[1] + self.rect[3]) / 2


def widgets(pdf: Path) -> list[Widget]:
    """Every widget of a PDF, in page order, with its field's fully qualified name."""
    found = []
    with pikepdf.open(pdf) as document:
        for number, page in enumerate(document.pages):
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") != "/Widget":
                    continue
                parts, field = [], annotation
                while field is not None:
                    if "/T" in field:
                        parts.append(str(field.T))
                    field = field.get("/Parent")
                states = [str(key)[1:] for key in annotation.AP.N if key != "/Off"] if "/AS" in annotation else []
                rect = normalised(annotation.Rect)
                found.append(Widget(".".join(reversed(parts)), number, states[0] if states else None, rect))
    return found


def normalised(rect: Any) -> tuple[float, float, float, float]:
    """A rectangle as left, bottom, right, top, whichever corners a PDF gives."""
    x1, y1, x2, y2 = (float(value) for value in rect)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


# --- The form as it is built -------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_each_topic_is_one_radio_field_whose_values_are_its_levels(real_output: Path, slug: str) -> None:
    """One field per topic, named by its id; its kids (no names of their own) are its boxes, valued by level."""
    wb = real_workbook(slug)
    summary_boxes = not wb.summary.tally  # the summary sheet lists every topic with a box per level
    with pikepdf.open(real_output / "pdf" / f"{slug}-fillable.pdf") as document:
        form = document.Root.AcroForm
        radios = [field for field in form.Fields if field.get("/FT") == "/Btn"]
        assert [str(field.T) for field in radios] == [topic.id for topic in wb.topics]
        others = [str(field.T) for field in form.Fields if field not in radios]
        assert others == ["summary-of-actions", "action-plan", "booklet"]
        listed = {field.objgen for field in form.Fields}
        for topic, field in zip(wb.topics, radios, strict=True):
            flags = int(field.Ff)
            assert flags & RADIO and flags & NO_TOGGLE_TO_OFF and not flags & PUSHBUTTON, topic.id
            assert flags & RADIOS_IN_UNISON or not summary_boxes, "a tick on one page must show on the other"
            assert field.get("/V", pikepdf.Name.Off) == pikepdf.Name.Off, f"{topic.id} is answered already"
            assert "/Opt" not in field, "export values are the on states themselves"
            kids = list(field.Kids)
            assert len(kids) == len(wb.levels) * (2 if summary_boxes else 1)
            for kid in kids:
                assert "/T" not in kid and kid.objgen not in listed, f"{topic.id}: a box is a field of its own"
                assert kid.Parent.objgen == field.objgen
                assert "/Off" in kid.AP.N and str(kid.AS) == "/Off"
                assert all(state in kid.AP.N for state in kid.AP.get("/D", {}))
            states = [[str(key)[1:] for key in kid.AP.N if key != "/Off"] for kid in kids]
            assert [state for (state,) in states] == list(wb.levels) * (2 if summary_boxes else 1)
            title = words(topic.title)
            assert title in str(field.TU) and str(topic.number) in str(field.TU), field.TU


@pytest.mark.parametrize("slug", SLUGS)
def test_named_levels_read_back_as_the_levels(real_output: Path, slug: str) -> None:
    """pypdf, pdftk and PDFium read the on states as the levels, words and spaces as the workbook has them."""
    wb = real_workbook(slug)
    pdf = real_output / "pdf" / f"{slug}-fillable.pdf"
    topic = wb.topics[-1]
    reader = PdfReader(pdf)
    assert [state[1:] for state in reader.get_fields()[topic.id]["/_States_"] if state != "/Off"] == list(wb.levels)
    dump = subprocess.run(["pdftk", str(pdf), "dump_data_fields_utf8"], capture_output=True, text=True, check=True)
    block = next(part for part in dump.stdout.split("---") if f"FieldName: {topic.id}\n" in part)
    options = {line.split(": ", 1)[1] for line in block.splitlines() if line.startswith("FieldStateOption: ")}
    assert options == {*wb.levels, "Off"}
    assert pdfium_export_values(pdf, topic.id) == list(wb.levels) * (1 if wb.summary.tally else 2)


@pytest.mark.parametrize("slug", SLUGS)
def test_text_fields_are_named_for_what_they_hold_and_say_so(real_output: Path, slug: str) -> None:
    """Summary of actions by topic and column, action plans by number and prompt; tooltips in the workbook's words."""
    wb = real_workbook(slug)
    with pikepdf.open(real_output / "pdf" / f"{slug}-fillable.pdf") as document:
        form = document.Root.AcroForm
        terminal = [(name, field) for name, field in walk(form.Fields) if name != EDITION_FIELD]
        names = [name for name, _ in terminal]
        assert len(names) == len(set(names)), "two fields share a name"
        texts = {name: field for name, field in terminal if field.get("/FT") == "/Tx"}
        assert list(texts) == expected_text_fields(wb)
        tooltips = [str(field.TU) for _, field in terminal]
        assert len(tooltips) == len(set(tooltips)), "two fields share a tooltip"
        for topic in wb.topics:
            for column, heading in COLUMNS.items():
                tooltip = str(texts[f"summary-of-actions.{topic.id}.{column}"].TU)
                assert heading in tooltip and str(topic.number) in tooltip, tooltip
        for name, field in texts.items():
            if name.startswith("action-plan."):
                number, prompt = name.split(".")[1:]
                plan, plans = wb.action_plan.plans[int(number) - 1], len(wb.action_plan.plans)
                wording = plan.prompts[[slug_of(p) for p in plan.prompts].index(prompt)]
                assert str(field.TU).startswith("Action plan ") and str(field.TU).endswith(f", {wording}")
                assert (plan.title or f"{number} of {plans}") in str(field.TU)
            assert field.Ff & (1 << 12), f"{name} is not multiline"
            assert "/N" in field.AP, f"{name} has no appearance"
        assert not form.get("/NeedAppearances", False), "every field has its appearance: none needs making"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_widget_is_a_field_and_tagged(real_output: Path, slug: str) -> None:
    """PDF/UA stays whole: each widget reached from /Fields and from its /Form tag; the file checks clean."""
    pdf = real_output / "pdf" / f"{slug}-fillable.pdf"
    with pikepdf.open(pdf) as document:
        assert document.check_pdf_syntax() == []  # what `qpdf --check` reports
        reachable = set()

        def visit(field: Any) -> None:
            reachable.add(field.objgen)
            for kid in field.get("/Kids", []):
                visit(kid)

        for field in document.Root.AcroForm.Fields:
            visit(field)
        parents = document.Root.StructTreeRoot.ParentTree.Nums
        tags = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
        count = 0
        for page in document.pages:
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") != "/Widget":
                    continue
                count += 1
                assert annotation.objgen in reachable, "a widget is on a page but in no field"
                tag = tags[int(annotation.StructParent)]
                assert tag.S == "/Form"
                assert [kid.Obj.objgen for kid in tag.K if kid.get("/Type") == "/OBJR"] == [annotation.objgen]
        wb = real_workbook(slug)
    fields_without_widgets = len(expected_parents(wb)) + len(wb.topics) + 1  # + the hidden edition field
    assert count == len(reachable) - fields_without_widgets, "a field has a widget of its own"
    reader = PdfReader(pdf)
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert 'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data().decode("utf-8")  # type: ignore[union-attr]


def expected_parents(wb: Workbook) -> set[str]:
    """The non-terminal fields: "summary-of-actions", one per topic under it, "action-plan", one per plan, "booklet"."""
    names = {"summary-of-actions", "action-plan", "booklet"}
    names |= {f"summary-of-actions.{topic.id}" for topic in wb.topics}
    return names | {f"action-plan.{plan}" for plan in range(1, len(wb.action_plan.plans) + 1)}


@pytest.mark.parametrize("slug", SLUGS)
def test_the_booklet_says_which_workbook_and_edition_it_is(real_output: Path, slug: str) -> None:
    """A hidden, read-only field names the workbook and each topic's meaning, as the scoring page knows them."""
    wb = real_workbook(slug)
    field = (PdfReader(real_output / "pdf" / f"{slug}-fillable.pdf").get_fields() or {})[EDITION_FIELD]
    assert int(field.get("/Ff", 0)) & 1, "the edition field can be typed over"
    edition = json.loads(str(field["/V"]))
    topics = [topic for section in scoring_data(wb)["sections"] for topic in section["topics"]]
    assert edition == {"workbook": slug, "meanings": {topic["id"]: topic["meaning"] for topic in topics}}


def page_drawings(pdf: Path) -> list[bytes]:
    """Each page's content streams as they draw it: text, boxes, rules, marks and page code."""
    with pikepdf.open(pdf) as document:
        return [pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)) for page in document.pages]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_printed_booklet_is_the_fillable_one_without_its_form(real_output: Path, slug: str) -> None:
    """Both come from one layout: the same pages, words and boxes; the booklet to print has no form, no widget,
    and its structure tree points at nothing taken away."""
    printed, fillable = real_output / "pdf" / f"{slug}.pdf", real_output / "pdf" / f"{slug}-fillable.pdf"
    words = [
        subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
        for pdf in (printed, fillable)
    ]
    assert words[0] == words[1]
    assert page_drawings(printed) == page_drawings(fillable), "the pages are not drawn the same"
    assert tag_counts(printed) == {**tag_counts(fillable), "/Form": 0}, "the form took more than itself away"
    with pikepdf.open(printed) as document:
        assert document.check_pdf_syntax() == []
        assert "/AcroForm" not in document.Root
        annotations = {a.objgen for page in document.pages for a in page.get("/Annots", [])}
        assert not any(a.get("/Subtype") == "/Widget" for page in document.pages for a in page.get("/Annots", []))
        parents = document.Root.StructTreeRoot.ParentTree.Nums
        assert all(
            parents[i].get("/S") != "/Form"
            for i in range(1, len(parents), 2)
            if isinstance(parents[i], pikepdf.Dictionary)
        )
        elements = [document.Root.StructTreeRoot]
        while elements:
            element = elements.pop()
            assert element.get("/S") != "/Form"
            for kid in element.get("/K", []) if isinstance(element.get("/K"), pikepdf.Array) else []:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    assert kid.Obj.objgen in annotations, "a tag points at an annotation no page has"
                elif isinstance(kid, pikepdf.Dictionary):
                    elements.append(kid)


def tag_counts(pdf: Path) -> dict[str, int]:
    """Count a PDF's structure elements by type, but for the form's own (/Form, and its field's /NonStruct)."""
    counts = {"/Form": 0}
    with pikepdf.open(pdf) as document:
        elements = [document.Root.StructTreeRoot]
        while elements:
            element = elements.pop()
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            tags = [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
            if not any(tag.S == "/Form" for tag in tags) and element.get("/S") != "/NonStruct":
                counts[str(element.get("/S"))] = counts.get(str(element.get("/S")), 0) + 1
            elements += tags
    return counts


# --- Filled by three tools, read back by three -------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What a filler writes: a level per topic, and some text fields."""

    levels: dict[str, str]
    texts: dict[str, str]


def answers(wb: Workbook) -> Answers:
    """A random level for every topic and five text fields (the same each run for a workbook)."""
    rng = random.Random(wb.slug)
    levels = {topic.id: rng.choice(wb.levels) for topic in wb.topics}
    fields = rng.sample(expected_text_fields(wb), len(TEXTS))
    return Answers(levels, dict(zip(fields, TEXTS, strict=True)))


def fill_with_pypdf(source: Path, target: Path, filled: Answers) -> None:
    """Fill with pypdf, as its documentation says: a button's value is its state's name ("/3")."""
    writer = PdfWriter(clone_from=source)
    values = {name: f"/{level}" for name, level in filled.levels.items()} | filled.texts
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    writer.write(target)


def fill_with_pdftk(source: Path, target: Path, filled: Answers) -> None:
    """Fill with pdftk from an FDF file: a button's value is the level, a text a UTF-16 string."""

    def name(value: str) -> str:
        return "/" + "".join(c if c.isalnum() or c in "-_." else f"#{ord(c):02X}" for c in value)

    def text(value: str) -> str:
        return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"

    fields = [f"<< /T ({key}) /V {name(level)} >>" for key, level in filled.levels.items()]
    fields += [f"<< /T ({key}) /V {text(value)} >>" for key, value in filled.texts.items()]
    fdf = target.with_suffix(".fdf")
    body = "%FDF-1.2\n1 0 obj\n<< /FDF << /Fields [\n" + "\n".join(fields) + "\n] >> >>\nendobj\n"
    fdf.write_text(body + "trailer\n<< /Root 1 0 R >>\n%%EOF\n", "ascii")
    subprocess.run(["pdftk", str(source), "fill_form", str(fdf), "output", str(target)], check=True)


def fill_with_pdfium(source: Path, target: Path, filled: Answers) -> None:
    """Fill with PDFium as a user in Chrome would: click a box, click into a field and type; then save.

    Every other topic is ticked on the summary sheet, where it has boxes, the rest on their own pages.
    """
    boxes = [box for box in widgets(source) if box.value is not None]
    fields = {box.name: box for box in widgets(source) if box.value is None}
    document = pdfium.PdfDocument(str(source))
    document.init_forms()
    form, pages = document.formenv.raw, {}

    def click(box: Widget) -> Any:
        if box.page not in pages:  # one handle per page, loaded once, as a viewer keeps it
            pages[box.page] = document[box.page]
        page = pages[box.page]
        x, y = box.middle
        pdfium_c.FORM_OnMouseMove(form, page.raw, 0, x, y)
        pdfium_c.FORM_OnLButtonDown(form, page.raw, 0, x, y)
        pdfium_c.FORM_OnLButtonUp(form, page.raw, 0, x, y)
        return page

    for number, (topic, level) in enumerate(filled.levels.items()):
        choices = [box for box in boxes if box.name == topic and box.value == level]
        click(choices[-1] if number % 2 else choices[0])
    for name, value in filled.texts.items():
        page = click(fields[name])
        typed = ctypes.create_string_buffer((value + "\0").encode("utf-16-le"))
        pdfium_c.FORM_ReplaceSelection(form, page.raw, ctypes.cast(typed, pdfium_c.FPDF_WIDESTRING))
        pdfium_c.FORM_ForceToKillFocus(form)
    document.save(str(target))  # a whole new file, as Chrome's "Save" writes it
    document.close()


FILLERS = {"pypdf": fill_with_pypdf, "pdftk": fill_with_pdftk, "pdfium": fill_with_pdfium}


def read_with_pypdf(pdf: Path) -> tuple[dict[str, str | None], dict[str, str]]:
    """The value of every field, as pypdf reads /V: levels by topic, texts by name."""
    fields = PdfReader(pdf).get_fields() or {}
    levels, texts = {}, {}
    for name, field in fields.items():
        value = field.get("/V")
        if field.get("/FT") == "/Btn":
            level = str(value).removeprefix("/") if value is not None else None  # pypdf writes its own as "(/3)"
            levels[name] = None if level in (None, "Off") else level
        elif field.get("/FT") == "/Tx" and "/Kids" not in field and name != EDITION_FIELD:
            texts[name] = str(value or "")
    return levels, texts


def _pdfium_string(function: Any, form: Any, annotation: Any) -> str:
    """Call one of PDFium's functions that write a UTF-16 string into a buffer."""
    size = function(form, annotation, None, 0)
    buffer = ctypes.create_string_buffer(size)
    function(form, annotation, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw.decode("utf-16-le").rstrip("\0")


def pdfium_export_values(pdf: Path, name: str) -> list[str]:
    """The export values PDFium gives the buttons of a field, in page order."""
    return [found.value for found in pdfium_widgets(pdf) if found.button and found.name == name]


@dataclass(frozen=True)
class Seen:
    """A radio button or text field as PDFium sees it: its name, page, export value or text, whether on."""

    button: bool
    name: str
    page: int
    value: str
    on: bool


def pdfium_widgets(pdf: Path) -> list[Seen]:
    """Every radio button and text field as PDFium sees it, in page order."""
    found = []
    document = pdfium.PdfDocument(str(pdf))
    document.init_forms()
    form = document.formenv.raw
    for number in range(len(document)):
        page = document[number]
        for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
            annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
            kind = pdfium_c.FPDFAnnot_GetFormFieldType(form, annotation)
            name = _pdfium_string(pdfium_c.FPDFAnnot_GetFormFieldName, form, annotation)
            if kind == pdfium_c.FPDF_FORMFIELD_RADIOBUTTON:
                value = _pdfium_string(pdfium_c.FPDFAnnot_GetFormFieldExportValue, form, annotation)
                found.append(Seen(True, name, number, value, bool(pdfium_c.FPDFAnnot_IsChecked(form, annotation))))
            elif kind == pdfium_c.FPDF_FORMFIELD_TEXTFIELD:
                value = _pdfium_string(pdfium_c.FPDFAnnot_GetFormFieldValue, form, annotation)
                found.append(Seen(False, name, number, value, False))
            pdfium_c.FPDFPage_CloseAnnot(annotation)
        page.close()
    document.close()
    return found


def read_with_pdfium(pdf: Path) -> tuple[set[tuple[str, int, str]], dict[str, str]]:
    """The buttons PDFium sees on (topic, page, level) and the text it reads in every text field."""
    found = pdfium_widgets(pdf)
    ticked = {(seen.name, seen.page, seen.value) for seen in found if seen.button and seen.on}
    return ticked, {seen.name: seen.value for seen in found if not seen.button}


def read_with_poppler(pdf: Path, folder: Path) -> set[tuple[str, int, str]]:
    """The buttons that look ticked when poppler draws their pages: dark in the middle of the box."""
    boxes = [box for box in widgets(pdf) if box.value is not None]
    first, last = min(box.page for box in boxes) + 1, max(box.page for box in boxes) + 1
    dpi = 72
    command = ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(folder / "p")]
    subprocess.run(command, check=True)
    images = {int(path.stem.rsplit("-", 1)[1]) - 1: Image.open(path) for path in folder.glob("p-*.pgm")}
    ticked = set()
    for box in boxes:
        image, scale = images[box.page], dpi / 72
        x, y = box.middle[0] * scale, image.height - box.middle[1] * scale
        quarter = (box.rect[2] - box.rect[0]) / 4 * scale
        middle = image.crop((round(x - quarter), round(y - quarter), round(x + quarter), round(y + quarter)))
        if ImageStat.Stat(middle).mean[0] < 128:  # grey levels: 0 black, 255 white
            ticked.add((box.name, box.page, box.value))
    return ticked


def appearance_texts(pdf: Path) -> dict[str, str]:
    """What each filled text field shows: the text of its appearance, as pypdf reads it."""
    reader, shown = PdfReader(pdf), {}
    names = {(box.page, box.rect): box.name for box in widgets(pdf) if box.value is None}
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget" or "/AS" in widget or "/AP" not in widget:
                continue
            key = (number, normalised(widget["/Rect"]))
            text = page.extract_xform_text(widget["/AP"]["/N"].get_object())
            if text.strip():  # spaces dropped: a narrow field wraps its text in lines, even inside a word
                shown[names[key]] = "".join(text.split())
    return shown


@pytest.mark.parametrize("tool", FILLERS)
@pytest.mark.parametrize("slug", SLUGS)
def test_filled_by_a_tool_reads_back_the_same_in_every_other(
    real_output: Path, slug: str, tool: str, tmp_path: Path
) -> None:
    """Exactly the answers filled: pypdf reads the values, PDFium and poppler see the same boxes ticked."""
    wb = real_workbook(slug)
    filled = answers(wb)
    target = tmp_path / f"{slug}-{tool}.pdf"
    FILLERS[tool](real_output / "pdf" / f"{slug}-fillable.pdf", target, filled)

    levels, texts = read_with_pypdf(target)
    assert levels == filled.levels
    assert {name: text for name, text in texts.items() if text} == filled.texts
    boxes = [box for box in widgets(target) if box.value is not None]
    expected = {(box.name, box.page, box.value) for box in boxes if filled.levels[box.name] == box.value}
    assert len(expected) == len(wb.topics) * (1 if wb.summary.tally else 2), "a tick shows on both pages"
    ticked, pdfium_texts = read_with_pdfium(target)
    assert ticked == expected
    assert {name: text for name, text in pdfium_texts.items() if text} == filled.texts
    assert read_with_poppler(target, tmp_path) == expected
    assert appearance_texts(target) == {name: "".join(text.split()) for name, text in filled.texts.items()}


@pytest.mark.parametrize("slug", SLUGS)
def test_the_scoring_page_names_each_plans_prompts_in_its_printed_order(slug: str) -> None:
    """A filled booklet's detailed plans show on the scoring page prompt by prompt, each plan as it is printed."""
    wb = real_workbook(slug)
    listed = [prompt["slug"] for prompt in scoring_data(wb)["form"]["prompts"]]
    for plan in wb.action_plan.plans:
        slugs = [slug_of(prompt) for prompt in plan.prompts]
        assert [slug for slug in listed if slug in slugs] == slugs, f"{slug}: {plan.title or 'a plan'}"
