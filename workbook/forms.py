"""The fillable booklet's form: what its fields are called, and the standard AcroForm every reader can fill.

Field names, fully qualified (as pypdf, pdftk, PDFium and pdf.js report them):

    {topic-id}                                 a radio group: the level ticked, as the workbook names it
                                               ("3", "Getting Started"); no /V (or /Off) when none is
    summary-of-actions.{topic-id}.towards      the summary of actions, one row per topic: what we want to work
    summary-of-actions.{topic-id}.action       towards (the next statement), the action, who, by when
    summary-of-actions.{topic-id}.who
    summary-of-actions.{topic-id}.by-when
    action-plan.{n}.{prompt}                   detailed action plan n (1, 2, 3: in a tiered workbook the
                                               tiers in order), prompt the workbook's prompt as a slug
                                               ("what-support-will-i-we-need"; see `prompt_slugs`)
    booklet.edition                            hidden and read-only, no widget: which workbook and edition
                                               the booklet is, as JSON (see `edition`)

A name without a period is a topic. "summary-of-actions" and "action-plan" are the booklet's own element ids,
which no topic may take (readers.RESERVED_IDS), so no name can stand for two fields. The radio group of a topic
has a widget per level on the topic's page and, where the summary sheet lists topics, one per level there too:
the same field, the same export values, so a tick on either page shows on both.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any

from .markup import plain
from .model import Topic, Workbook, meaning

SUMMARY_OF_ACTIONS = "summary-of-actions"
ACTION_PLAN = "action-plan"
# The summary of actions' columns: each one's field name (last part) and heading, in order.
ACTION_COLUMNS = {
    "towards": "What we want to work towards (the next statement)",
    "action": "Action",
    "who": "Who",
    "by-when": "By when",
}
# The scoring page's action-plan fields, and the summary of actions' columns they are read from.
PLAN_COLUMNS = {"action": "action", "who": "who", "by": "by-when"}
EDITION_FIELD = "booklet.edition"  # hidden: {"workbook": slug, "meanings": {topic id: meaning}}, as JSON

# Field flags (ISO 32000-1, table 226): a radio group, exactly one button on once ticked, and buttons that
# share an export value (a level's box on the topic page and on the summary sheet) on and off together.
READ_ONLY = 1 << 0
NO_TOGGLE_TO_OFF = 1 << 14
RADIO = 1 << 15
RADIOS_IN_UNISON = 1 << 25


def prompt_slugs(prompts: tuple[str, ...]) -> tuple[str, ...]:
    """Name each action-plan prompt in a field name: its words in lower case joined by hyphens, unique."""
    slugs: list[str] = []
    for number, prompt in enumerate(prompts, start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", prompt.lower()).strip("-") or f"prompt-{number}"
        slugs.append(slug if slug not in slugs else f"{slug}-{number}")
    return tuple(slugs)


def _words(markdown: str) -> str:
    """Return Markdown as one line of plain words, for a tooltip."""
    return " ".join(plain(markdown).split())


class BookletForm:
    """The names and tooltips of a workbook's form fields, as the booklet's layouts write them."""

    columns = ACTION_COLUMNS

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.plans = workbook.action_plan.plans
        self.slugs = tuple(prompt_slugs(plan.prompts) for plan in self.plans)  # each plan's, by plan
        # Every plan's prompts by slug, each once, in the order ActionPlan.prompts gives them (the scoring page's).
        named: dict[str, str] = {}
        for slugs, plan in zip(self.slugs, self.plans, strict=True):
            for slug, text in zip(slugs, plan.prompts, strict=True):
                named.setdefault(slug, text)
        order = workbook.action_plan.prompts
        self.prompts = tuple(sorted(named.items(), key=lambda item: order.index(item[1])))
        self.labels: dict[str, str] = {}  # by topic id: "Topic 3", or where numbers start again in each section,
        for section in workbook.sections:  # "Visionary Leadership, topic 3" (or the title, if it says just that)
            for topic in section.topics:
                label = f"{section.title}, topic {topic.number}"
                if workbook.numbering == "workbook":
                    label = f"Topic {topic.number}"
                elif _words(topic.title) == f"{section.title} {topic.number}":
                    label = _words(topic.title)
                self.labels[topic.id] = label

    def choice_tooltip(self, topic: Topic) -> str:
        """What a topic's radio group is: "Topic 3: We understand and respect the person's life history"."""
        label, title = self.labels[topic.id], _words(topic.title)
        return label if label == title else f"{label}: {title}"

    def level_tooltip(self, topic: Topic, level: str) -> str:
        """What one of its buttons is: the group's tooltip and ", level 4" (which `standard_form` takes off)."""
        return f"{self.choice_tooltip(topic)}{level_suffix(level)}"

    def action_name(self, topic: Topic, column: str) -> str:
        """A cell of the summary of actions: "summary-of-actions.life-history.who"."""
        return f"{SUMMARY_OF_ACTIONS}.{topic.id}.{column}"

    def action_tooltip(self, topic: Topic, heading: str) -> str:
        """What that cell is: "Topic 3, Who"."""
        return f"{self.labels[topic.id]}, {heading}"

    def plan_name(self, plan: int, prompt: int) -> str:
        """A prompt of a detailed action plan (both counted from 1): "action-plan.2.first-steps"."""
        return f"{ACTION_PLAN}.{plan}.{self.slugs[plan - 1][prompt - 1]}"

    def plan_tooltip(self, plan: int, prompt: int) -> str:
        """What that prompt is: "Action plan 2 of 3, First steps" ("Action plan to achieve Silver, ...")."""
        which = self.plans[plan - 1].title or f"{plan} of {len(self.plans)}"
        return f"Action plan {which}, {self.plans[plan - 1].prompts[prompt - 1]}"


def level_suffix(level: str) -> str:
    """The end of a radio button's tooltip that names its level."""
    return f", level {level}"


def edition(workbook: Workbook) -> str:
    """Say which workbook and edition a fillable booklet is, as its hidden EDITION_FIELD holds it.

    The scoring page's import reads it: a booklet of another workbook is refused, and an answer to a
    topic whose meaning has changed since the booklet was made is shown to the provider to confirm.
    """
    meanings = {topic.id: meaning(topic, workbook.levels) for topic in workbook.topics}
    return json.dumps({"workbook": workbook.slug, "meanings": meanings}, separators=(",", ":"))


def standardise_form(document: Any, booklet_edition: str = "") -> None:
    """Rewrite the form WeasyPrint writes as a standard AcroForm; the pages, tags and everything else unchanged.

    WeasyPrint gives every radio button its own name, lists it in /Fields beside its group, names its on
    state by position ("/0") with the values in /Opt, and draws no Off state; each page's buttons are a group
    of their own. Here each topic becomes one radio field whose kids are its buttons on every page, on states
    named by the levels, each with an Off appearance. A text field named "a.b.c" becomes the field "c" under
    the fields "a" and "a.b". Every widget keeps its object, so the structure tree's references stay valid;
    every widget has an appearance, so readers need not make them (no /NeedAppearances).
    """
    import pikepdf

    form = document.Root.get("/AcroForm")
    if form is None:
        return
    fields: list[Any] = []
    texts: list[Any] = []  # the terminal text fields
    groups: dict[str, Any] = {}
    parents: dict[str, Any] = {}
    for field in list(form.Fields):
        if "/Parent" in field:
            continue  # a radio button WeasyPrint also listed as a field: now only a kid of its group
        name = str(field.T)
        if field.get("/FT") == "/Btn" and int(field.get("/Ff", 0)) & RADIO:
            group = groups.get(name)
            if group is None:
                groups[name] = group = _radio_field(document, field)
                fields.append(group)
            _adopt_buttons(document, group, field)
        elif "." in name:
            *path, field.T = name.split(".")
            parent = _parent(document, path, parents, fields)
            parent.Kids.append(field)
            field.Parent = parent
            texts.append(field)
        else:
            fields.append(field)
            texts.append(field)
    if booklet_edition:
        fields.append(_edition_field(document, booklet_edition))
    form.Fields = pikepdf.Array(fields)
    if "/NeedAppearances" in form:
        del form["/NeedAppearances"]
    _simple_text_font(document, form, texts)


def remove_form(document: Any) -> None:
    """Take a booklet's form away: its fields, their widgets on the pages and their place in the structure tree.

    What is left is the booklet to print: the same pages, drawn the same, with nothing to fill in.
    """
    import pikepdf

    if "/AcroForm" not in document.Root:
        return
    del document.Root["/AcroForm"]
    for page in document.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        kept = [annotation for annotation in annotations if annotation.get("/Subtype") != "/Widget"]
        if kept:
            page.obj.Annots = pikepdf.Array(kept)
        else:
            del page.obj["/Annots"]
    tree = document.Root.get("/StructTreeRoot")
    if tree is None:
        return
    numbers = tree.ParentTree.Nums  # a widget's /StructParent: its number here, beside its /Form element
    kept = []
    for number, element in zip(numbers[::2], numbers[1::2], strict=True):
        if isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Form":
            _detach(element)
        else:
            kept += [number, element]
    tree.ParentTree.Nums = pikepdf.Array(kept)


def _detach(element: Any) -> None:
    """Take a structure element out of its parent's kids; an input's own element (a /NonStruct) left empty too.

    Nothing else that empties goes: a table cell, a paragraph or a tick box's square stays where it stands.
    """
    import pikepdf

    parent = element.get("/P")
    kids = parent.get("/K") if parent is not None else None
    if not isinstance(kids, pikepdf.Array):
        return
    parent.K = pikepdf.Array([kid for kid in kids if getattr(kid, "objgen", None) != element.objgen])
    if not len(parent.K) and parent.get("/S") == "/NonStruct":
        _detach(parent)


def _edition_field(document: Any, value: str) -> Any:
    """Make the hidden, read-only field that names the booklet's workbook and edition (no widget: never shown)."""
    import pikepdf

    group, name = EDITION_FIELD.split(".")
    field = pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String(name), Ff=READ_ONLY, V=pikepdf.String(value))
    parent = document.make_indirect(pikepdf.Dictionary(T=pikepdf.String(group), Kids=pikepdf.Array()))
    field.Parent = parent
    parent.Kids.append(document.make_indirect(field))
    return parent


def _radio_field(document: Any, first: Any) -> Any:
    """Make the one radio field of a topic, named and described as WeasyPrint's first group of it was."""
    import pikepdf

    tooltip = str(first.get("/TU", ""))  # a button's: the group's, and its level
    for value in first.get("/Opt", []):
        if tooltip.endswith(level_suffix(str(value))):
            tooltip = tooltip.removesuffix(level_suffix(str(value)))
            break
    return document.make_indirect(
        pikepdf.Dictionary(
            FT=pikepdf.Name.Btn,
            Ff=RADIO | NO_TOGGLE_TO_OFF | RADIOS_IN_UNISON,
            T=first.T,
            TU=pikepdf.String(tooltip),
            Kids=pikepdf.Array(),
        )
    )


def _adopt_buttons(document: Any, group: Any, weasy_group: Any) -> None:
    """Make the buttons of one of WeasyPrint's groups kids of the topic's field, on states named by the levels."""
    import pikepdf

    values = [str(value) for value in weasy_group.get("/Opt", [])]
    chosen = weasy_group.get("/V", pikepdf.Name.Off)
    for position, button in enumerate(weasy_group.Kids):
        value = pikepdf.Name("/" + values[position]) if position < len(values) else pikepdf.Name(f"/{position}")
        normal = button.AP.N
        on = normal.get(f"/{position}")
        width, height = _size(button)
        button.AP.N = pikepdf.Dictionary({str(value): on, "/Off": _empty_appearance(document, width, height)})
        checked = chosen == pikepdf.Name(f"/{position}") or button.get("/AS") == pikepdf.Name(f"/{position}")
        button.AS = value if checked else pikepdf.Name.Off
        if checked:
            group.V = value
        for key in ("/T", "/FT", "/V", "/Ff"):
            if key in button:
                del button[key]
        button.Parent = group
        group.Kids.append(button)


def _parent(document: Any, path: list[str], parents: dict[str, Any], fields: list[Any]) -> Any:
    """Return the non-terminal field for a name's leading parts ("a", "b" for "a.b"), making those missing."""
    import pikepdf

    name = ".".join(path)
    if name not in parents:
        parent = document.make_indirect(pikepdf.Dictionary(T=pikepdf.String(path[-1]), Kids=pikepdf.Array()))
        if len(path) > 1:
            above = _parent(document, path[:-1], parents, fields)
            above.Kids.append(parent)
            parent.Parent = above
        else:
            fields.append(parent)
        parents[name] = parent
    return parents[name]


def _size(widget: Any) -> tuple[float, float]:
    """Return a widget's width and height in points."""
    left, bottom, right, top = (float(number) for number in widget.Rect)
    return abs(right - left), abs(top - bottom)


def _empty_appearance(document: Any, width: float, height: float, content: bytes = b"") -> Any:
    """Make an appearance that draws nothing over the box the page draws: its own object, never shared.

    Its own, because a reader that fills a field may write its new appearance into the object it finds.
    """
    import pikepdf

    stream = pikepdf.Stream(document, content)
    stream.Subtype = pikepdf.Name.Form
    stream.BBox = pikepdf.Array([0, 0, round(width, 3), round(height, 3)])
    return document.make_indirect(stream)


FORM_FONT = "AtkinsonHyperlegible"  # the text fields' font, in the form's own resources (/DR)
DEFAULT_APPEARANCE = re.compile(r"/(\S+) ([\d.]+) Tf")


def _simple_text_font(document: Any, form: Any, texts: list[Any]) -> None:
    """Give the text fields an empty appearance each and a font every filling tool can write text in.

    WeasyPrint names its embedded typeface as a composite font (Identity-H), in which pdftk writes
    every character as glyph 0 (a row of boxes). Here the same embedded font program is also described
    as a simple TrueType font with the standard WinAnsi encoding, in the form's own resources, and the
    fields' default appearance names it: PDFium, pypdf, pdftk and poppler all write and read it.
    """
    import pikepdf

    font = None
    for field in texts:
        if field.get("/FT") != "/Tx":
            continue
        found = DEFAULT_APPEARANCE.search(str(field.get("/DA", "")))
        if font is None and found:
            font = _winansi_font(document, form.DR.Font[f"/{found[1]}"])
        if found and font is not None:
            field.DA = pikepdf.String(f"/{FORM_FONT} {found[2]} Tf 0 g")
        if "/AP" not in field:
            width, height = _size(field)
            field.AP = pikepdf.Dictionary(N=_empty_appearance(document, width, height, b"/Tx BMC EMC"))
    if font is not None:
        form.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary({f"/{FORM_FONT}": font}))
        form.DA = pikepdf.String(f"/{FORM_FONT} 10 Tf 0 g")


def _winansi_font(document: Any, composite: Any) -> Any:
    """Describe a composite TrueType font's embedded program as a simple font with WinAnsi encoding."""
    import pikepdf
    from fontTools.ttLib import TTFont

    descriptor = composite.DescendantFonts[0].FontDescriptor
    program = descriptor.FontFile2
    with TTFont(io.BytesIO(program.read_bytes()), lazy=True) as ttfont:
        cmap, metrics, scale = ttfont.getBestCmap(), ttfont["hmtx"], 1000 / ttfont["head"].unitsPerEm
        name = str(ttfont["name"].getDebugName(6) or "AtkinsonHyperlegible-Regular")
        widths = []
        for code in range(32, 256):
            char = bytes([code]).decode("cp1252", errors="ignore")
            glyph = cmap.get(ord(char)) if char else None
            widths.append(round(metrics[glyph][0] * scale) if glyph else 0)
    simple = pikepdf.Dictionary({key: value for key, value in descriptor.items() if key != "/FontFile2"})
    simple.FontName = pikepdf.Name(f"/{name}")
    simple.Flags = 32  # nonsymbolic: its characters are the standard Latin set
    simple.FontFile2 = program
    return document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=pikepdf.Name(f"/{name}"),
            FirstChar=32,
            LastChar=255,
            Widths=pikepdf.Array(widths),
            Encoding=pikepdf.Name.WinAnsiEncoding,
            FontDescriptor=document.make_indirect(simple),
        )
    )


def walk(fields: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield every terminal field of a form with its fully qualified name (for checks and tests)."""
    for field in fields:
        name = f"{prefix}{field.T}" if "/T" in field else prefix.rstrip(".")
        kids = [kid for kid in field.get("/Kids", []) if "/T" in kid]
        if kids:
            yield from walk(kids, f"{name}.")
        else:
            yield name, field
