"""A filled booklet imported into the scoring page, and an assessment shared by link, in real Chromium from disk.

Each real workbook's fillable booklet is filled as its users fill it (pypdf, pdftk, PDFium; an incremental update
over the booklet's object streams; every object rewritten into object streams), imported through the page's file
input, and the assessment saved compared with exactly what was filled. Booklets that are not for this page are
refused in words, nothing changed. A shared link round-trips an assessment through a fresh browser; its QR code
reads back, with zxing-cpp, as the link.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import os
import random
import re
import shutil
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader, PdfWriter

from tests.browser import axe_violations, file_url, watched
from tests.conftest import REPO, real_project
from tests.oracle import default_priorities
from tests.test_forms import Answers, expected_text_fields, fill_with_pdfium, fill_with_pdftk, fill_with_pypdf
from tests.test_scoring_page import DASH, all_stored, cell_texts, save_now
from workbook.forms import ACTION_PLAN, EDITION_FIELD, PLAN_COLUMNS, SUMMARY_OF_ACTIONS, prompt_slugs
from workbook.model import Project, Workbook
from workbook.pipeline import BuildOptions, Paths, build
from workbook.readers import read_project
from workbook.scoring import FORMAT, PRIORITIES, scoring_data

EXAMPLES = min(int(os.environ.get("HYPOTHESIS_EXAMPLES", "2000")), 100)  # each example is a round trip in the browser
TEXTS = [
    "Zoë O\u2019Brien",
    "Ask the team (by June) \u2013 £200",
    "Review with Sam, then Jo\nand the families",
    "3/4 of us",
    "Café meeting",
    "\u201cWhat matters\u201d first, 100%",
    "(Back to) basics \\ again",
]
PAGE_KEYS = {column: key for key, column in PLAN_COLUMNS.items()}  # "by-when" -> "by"


# ---------- Fixtures: the real project built once, booklets included; one browser; a fresh context per test ----------


@pytest.fixture(scope="module")
def project() -> Project:
    """The real content, read once (tests/conftest.py builds its output once for the run: `real_output`)."""
    return real_project()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh context (its own empty localStorage), checked afterwards: no page error, nothing off the disk."""
    yield from watched(browser.new_context(viewport={"width": 1024, "height": 900}))


SLUGS = sorted(path.name for path in (REPO / "content").iterdir() if (path / "workbook.yaml").is_file())


# ---------- Helpers ----------


def book(project: Project, slug: str) -> Workbook:
    return next(item for item in project.workbooks if item.slug == slug)


def topics_of(wb: Workbook) -> dict[str, dict[str, Any]]:
    """Each topic's data as the scoring page gets it (statements, meaning), by id, in the workbook's order."""
    return {topic["id"]: topic for section in scoring_data(wb)["sections"] for topic in section["topics"]}


def open_score(context: BrowserContext, real_output: Path, slug: str, fragment: str = "") -> Page:
    page = context.new_page()
    page.goto(file_url(real_output / slug / "score" / "index.html") + fragment)
    expect(page.locator("#score-app")).to_be_visible()
    return page


def stored(page: Page, slug: str) -> Any:
    save_now(page)
    saved = page.evaluate("key => localStorage.getItem(key)", f"progress-workbooks/{slug}")
    return None if saved is None else json.loads(saved)


def everything_stored(page: Page) -> dict[str, str]:
    return all_stored(page)


def import_pdf(page: Page, name: str, body: bytes, message: str = "") -> str:
    """Choose a PDF in the page's import field; wait for what the page says, and return it."""
    page.evaluate("() => { document.getElementById('status').textContent = ''; }")
    page.set_input_files("#import-files", files=[{"name": name, "mimeType": "application/pdf", "buffer": body}])
    expect(page.locator("#status")).to_contain_text(message or re.compile(r"\w"), timeout=15000)
    return page.locator("#status").inner_text()


def tick(page: Page, topic: str, score: int) -> None:
    page.locator(f"#topic_{topic}_{score}").check()


def today(page: Page) -> str:
    """The day as the page's clock has it, YYYY-MM-DD."""
    return page.evaluate(
        "() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]"
        ".map((n, i) => String(n).padStart(i ? 2 : 4, '0')).join('-'); }"
    )


# ---------- Filling a booklet as its users do ----------


def filled_answers(wb: Workbook, seed: str) -> Answers:
    """A random level for most topics (some left unticked), text in a few rows of the summary of actions (a
    "towards" among them, which the page works out itself) and in two detailed action plans."""
    rng = random.Random(seed)
    levels = {topic.id: rng.choice(wb.levels) for topic in wb.topics if rng.random() > 0.15}
    names = expected_text_fields(wb)
    summary = [name for name in names if name.startswith(f"{SUMMARY_OF_ACTIONS}.")]
    towards = [name for name in summary if name.endswith(".towards")]
    plans = [name for name in names if name.startswith(f"{ACTION_PLAN}.")]
    rest = [name for name in summary if name not in towards]
    chosen = [*rng.sample(rest, 4), rng.choice(towards), *rng.sample(plans, 2)]
    return Answers(levels, dict(zip(chosen, TEXTS, strict=True)))


def fill_incrementally(source: Path, target: Path, filled: Answers) -> None:
    """Fill with pypdf as an incremental update: the booklet's bytes (object streams, a cross-reference stream)
    kept as they were, the changed objects and a new cross-reference section appended after them."""
    writer = PdfWriter(source, incremental=True)
    values = {name: f"/{level}" for name, level in filled.levels.items()} | filled.texts
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    writer.write(target)


def fill_into_object_streams(source: Path, target: Path, filled: Answers) -> None:
    """Fill with pdftk, then have qpdf (pikepdf) put every object it can into compressed object streams."""
    plain = target.with_name(target.stem + "-plain.pdf")
    fill_with_pdftk(source, plain, filled)
    with pikepdf.open(plain) as document:
        document.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate)


FILLERS: dict[str, Callable[[Path, Path, Answers], None]] = {
    "pypdf": fill_with_pypdf,
    "pdftk": fill_with_pdftk,
    "pdfium": fill_with_pdfium,
    "incremental": fill_incrementally,
    "object-streams": fill_into_object_streams,
}


def expected_assessment(wb: Workbook, filled: Answers) -> dict[str, Any]:
    """What the page should save from a booklet filled so: the answers, the plans, the detailed plans."""
    topics = topics_of(wb)
    scores = {}
    for topic, level in filled.levels.items():
        score = wb.levels.index(level) + 1
        scores[topic] = {
            "score": score,
            "meaning": topics[topic]["meaning"],
            "statement": topics[topic]["statements"][score - 1],
        }
    plans: dict[str, dict[str, str]] = {}
    detailed: dict[str, dict[str, str]] = {}
    for name, value in filled.texts.items():
        parts = name.split(".")
        if parts[0] == SUMMARY_OF_ACTIONS and parts[2] in PAGE_KEYS:
            plans.setdefault(parts[1], {})[PAGE_KEYS[parts[2]]] = value
        elif parts[0] == ACTION_PLAN:
            detailed.setdefault(parts[1], {})[parts[2]] = value
    return {"scores": scores, "plans": plans, "action_plans": detailed} | landed(wb, scores, plans, detailed)


def landed(
    wb: Workbook, scores: Mapping[str, Any], plans: dict[str, dict[str, str]], detailed: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """The detailed plans landed in the priorities' prompts (plan n: the n-th priority by default), where the plans
    are numbered rather than each for a tier; what has no place (a prompt the summary of actions filled, a plan
    with no priority) stays a detailed plan. The priorities are then kept as they were."""
    form = scoring_data(wb)["form"]
    if not form["plans_are_priorities"]:
        return {}
    given = {topic: answer["score"] for topic, answer in scores.items()}
    priorities = [topic.id for topic in default_priorities(wb, given, PRIORITIES)]
    moved = False
    for number in list(detailed):
        if int(number) > len(priorities):
            continue
        plan = plans.setdefault(priorities[int(number) - 1], {})
        for slug in list(detailed[number]):
            key = form["keys"][slug]
            if key not in plan:
                plan[key] = detailed[number].pop(slug)
                moved = True
        if not plan:
            del plans[priorities[int(number) - 1]]
        if not detailed[number]:
            del detailed[number]
    return {"priorities": priorities} if moved else {}


def last_assessment(page: Page, slug: str) -> dict[str, Any]:
    saved = stored(page, slug)
    assessment: dict[str, Any] = saved["assessments"][-1]
    assert saved["current"] == assessment["id"], "the assessment imported is the one shown"
    return assessment


# ---------- Task A: import a filled booklet ----------


def test_the_form_names_the_page_reads_are_the_booklets_fields(real_output: Path, project: Project) -> None:
    """Every field name the page is given (workbook/scoring.py's "form") is a field of the real fillable booklet."""
    for wb in project.workbooks:
        form = scoring_data(wb)["form"]
        fields = set(PdfReader(real_output / "pdf" / f"{wb.slug}-fillable.pdf").get_fields() or {})
        assert form["edition_field"] in fields
        for topic in wb.topics:
            assert topic.id in fields
            for column in form["columns"].values():
                assert f"{form['summary_of_actions']}.{topic.id}.{column}" in fields
        assert form["plans"] == len(wb.action_plan.plans) == len(form["titles"])
        named = set()
        for number, plan in enumerate(wb.action_plan.plans, start=1):
            for slug in prompt_slugs(plan.prompts):
                assert f"{form['action_plan']}.{number}.{slug}" in fields
                named.add(slug)
        assert {prompt["slug"] for prompt in form["prompts"]} == named, "the page can name every prompt it reads"


@pytest.mark.parametrize("tool", FILLERS)
@pytest.mark.parametrize("slug", SLUGS)
def test_a_filled_booklet_imports_as_exactly_what_was_filled(
    real_output: Path, project: Project, context: BrowserContext, slug: str, tool: str, tmp_path: Path
) -> None:
    """The booklet filled by each tool becomes a new assessment holding exactly its ticks and texts."""
    wb = book(project, slug)
    filled = filled_answers(wb, f"{slug}-{tool}")
    target = tmp_path / f"{slug}-{tool}.pdf"
    FILLERS[tool](real_output / "pdf" / f"{slug}-fillable.pdf", target, filled)
    page = open_score(context, real_output, slug)
    tick(page, wb.topics[0].id, 1)  # an assessment already here, which the import must leave as it is
    before = stored(page, slug)["assessments"]
    said = import_pdf(page, target.name, target.read_bytes(), "Imported the booklet")
    assert f"{len(filled.levels)} of {len(wb.topics)} topics ticked" in said, said
    saved = stored(page, slug)
    assert saved["assessments"][:-1] == before
    assessment = last_assessment(page, slug)
    expected = expected_assessment(wb, filled)
    assert assessment["scores"] == expected["scores"]
    assert assessment["plans"] == expected["plans"]
    assert assessment.get("action_plans", {}) == expected["action_plans"]
    assert assessment.get("priorities") == expected.get("priorities")
    assert assessment["name"] == "From the booklet"  # its date is the assessment's date, shown beside the name
    assert (assessment["date"], assessment["people"]) == (today(page), "")
    # The page shows it: the ticks, the plan, the detailed plans read-only under the action plan.
    for topic, level in filled.levels.items():
        expect(page.locator(f"#topic_{topic}_{wb.levels.index(level) + 1}")).to_be_checked()
    for topic, plan in expected["plans"].items():
        for key, value in plan.items():  # "who" and "by when" are one line on the page: a line break is not shown
            expect(page.locator(f"#plan_{topic}_{key}")).to_have_value(
                value if key not in ("who", "by") else value.replace("\n", "")
            )
    shown = page.locator(".detailed-plans")
    if expected["action_plans"]:
        expect(shown.locator("h3")).to_have_text("Detailed action plans (from the booklet)")
    for number, prompts in expected["action_plans"].items():
        for value in prompts.values():
            first_line = value.split("\n")[0]
            expect(shown.locator(f'.detailed-plan[data-plan="{number}"]')).to_contain_text(first_line)


def test_a_booklet_imported_twice_is_two_assessments_and_exports_with_its_detailed_plans(
    real_output: Path, project: Project, browser: Browser, context: BrowserContext, tmp_path: Path
) -> None:
    """Never an overwrite: the same booklet again is a second assessment, named apart. The detailed plans go
    into the JSON export and come back with its import."""
    wb = book(project, "homecare")
    filled = filled_answers(wb, "twice")
    target = tmp_path / "filled.pdf"
    fill_with_pypdf(real_output / "pdf" / "homecare-fillable.pdf", target, filled)
    page = open_score(context, real_output, "homecare")
    import_pdf(page, "filled.pdf", target.read_bytes(), "Imported the booklet")
    said = import_pdf(page, "filled.pdf", target.read_bytes(), "Imported the booklet")
    first, second = stored(page, "homecare")["assessments"]
    assert second["name"] == first["name"] + " (2)" and second["id"] != first["id"], said
    assert {key: value for key, value in first.items() if key not in ("id", "name")} == {
        key: value for key, value in second.items() if key not in ("id", "name")
    }
    with page.expect_download() as info:
        page.click("#export-json")
    exported = json.loads(Path(info.value.path()).read_text("utf-8"))
    expected = expected_assessment(wb, filled)  # the detailed plans, landed in the priorities' prompts or kept whole
    assert exported["assessments"][1].get("action_plans", {}) == expected["action_plans"]
    assert exported["assessments"][1]["plans"] == expected["plans"]
    for fresh in watched(browser.new_context()):
        other = open_score(fresh, real_output, "homecare")
        other.set_input_files(
            "#import-files",
            files=[{"name": "export.json", "mimeType": "application/json", "buffer": json.dumps(exported).encode()}],
        )
        expect(other.locator("#status")).to_contain_text("Imported 2 assessments")
        assert stored(other, "homecare") == exported


def test_a_booklet_dropped_on_the_import_box_imports(
    real_output: Path, project: Project, context: BrowserContext, tmp_path: Path
) -> None:
    """Drag and drop onto the import area, as a file chosen; the PDF reader is fetched only then, from disk."""
    wb = book(project, "reablement")
    filled = filled_answers(wb, "dropped")
    target = tmp_path / "dropped.pdf"
    fill_with_pdftk(real_output / "pdf" / "reablement-fillable.pdf", target, filled)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = open_score(context, real_output, "reablement")
    assert not [url for url in requests if url.endswith(("score-pdf.js", "qrcode.js"))], "loaded before it is needed"
    page.evaluate(
        """async b64 => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], 'dropped.pdf', { type: 'application/pdf' }));
            const box = document.querySelector('.import-drop');
            box.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
            box.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }""",
        base64.b64encode(target.read_bytes()).decode(),
    )
    expect(page.locator("#status")).to_contain_text("Imported the booklet “dropped.pdf”", timeout=15000)
    assert last_assessment(page, "reablement")["scores"] == expected_assessment(wb, filled)["scores"]
    assert [url for url in requests if url.endswith("score-pdf.js")], "the reader came from disk"


def truncated(body: bytes) -> bytes:
    return body[: len(body) * 3 // 5]


def without_edition(body: bytes) -> bytes:
    """The booklet with its edition field taken out (as a fillable PDF made elsewhere would be)."""
    with pikepdf.open(io.BytesIO(body)) as document:
        form = document.Root.AcroForm
        form.Fields = pikepdf.Array([field for field in form.Fields if str(field.get("/T", "")) != "booklet"])
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def encrypted(body: bytes) -> bytes:
    """The booklet encrypted with an owner password only: it opens without one, but its strings are ciphered."""
    with pikepdf.open(io.BytesIO(body)) as document:
        out = io.BytesIO()
        document.save(out, encryption=pikepdf.Encryption(owner="owner", user="", R=6))
    return out.getvalue()


def too_large(body: bytes) -> bytes:
    return body + b"%" + b" " * (6 * 1024 * 1024) + b"\n"


REFUSALS: dict[str, tuple[str, Callable[[Path, Path], bytes]]] = {
    "another workbook's booklet": (
        'it is for another workbook ("wigan"), not this one ("homecare")',
        lambda pdfs, filled: filled.with_name("wigan-filled.pdf").read_bytes(),
    ),
    "the printed booklet": ("it has no form to read", lambda pdfs, filled: (pdfs / "homecare.pdf").read_bytes()),
    "an unfilled fillable booklet": (
        "nothing in it is filled in",
        lambda pdfs, filled: (pdfs / "homecare-fillable.pdf").read_bytes(),
    ),
    "a truncated booklet": ("it is damaged or incomplete", lambda pdfs, filled: truncated(filled.read_bytes())),
    "a file that is not a PDF, named .pdf": (
        "it is not a PDF",
        lambda pdfs, filled: b'{"format": 3, "workbook": "homecare", "assessments": []}',
    ),
    "a fillable PDF that does not say its edition": (
        "it is not a fillable booklet of these workbooks",
        lambda pdfs, filled: without_edition(filled.read_bytes()),
    ),
    "an encrypted booklet": ("it is protected by a password or encryption", lambda p, f: encrypted(f.read_bytes())),
    "a booklet over the size limit": ("too large to be a file of assessments", lambda p, f: too_large(f.read_bytes())),
}


@pytest.fixture(scope="module")
def filled_homecare(real_output: Path, project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A filled homecare booklet, and beside it a filled Wigan one."""
    folder = tmp_path_factory.mktemp("filled")
    for slug in ("homecare", "wigan"):
        filled = filled_answers(book(project, slug), slug)
        fill_with_pypdf(real_output / "pdf" / f"{slug}-fillable.pdf", folder / f"{slug}-filled.pdf", filled)
    return folder / "homecare-filled.pdf"


@pytest.mark.parametrize("kind", REFUSALS)
def test_what_is_not_a_filled_booklet_of_this_workbook_is_refused_and_nothing_changes(
    real_output: Path, context: BrowserContext, filled_homecare: Path, kind: str
) -> None:
    """Each refused in a sentence naming the file; the assessments saved, and all of storage, as they were."""
    message, make = REFUSALS[kind]
    body = make(real_output / "pdf", filled_homecare)
    page = open_score(context, real_output, "homecare")
    tick(page, "life-history", 3)
    page.fill("#plan_life-history_who", "Ann")
    before = everything_stored(page)
    said = import_pdf(page, "booklet.pdf", body, "Nothing was imported")
    assert message in said, said
    assert said.startswith("Nothing was imported: “booklet.pdf” was refused because") or "too large" in said
    assert said.endswith("Your assessments are unchanged.")
    assert everything_stored(page) == before
    expect(page.locator("#topic_life-history_3")).to_be_checked()
    expect(page.locator("#status")).to_have_class(re.compile("status-error"))


def test_a_good_booklet_beside_a_refused_one_imports_nothing(
    real_output: Path, context: BrowserContext, filled_homecare: Path
) -> None:
    page = open_score(context, real_output, "homecare")
    tick(page, "life-history", 3)
    before = everything_stored(page)
    page.set_input_files(
        "#import-files",
        files=[
            {"name": "good.pdf", "mimeType": "application/pdf", "buffer": filled_homecare.read_bytes()},
            {"name": "cut.pdf", "mimeType": "application/pdf", "buffer": truncated(filled_homecare.read_bytes())},
        ],
    )
    expect(page.locator("#status")).to_contain_text("Nothing was imported: “cut.pdf” was refused", timeout=15000)
    assert everything_stored(page) == before


# ---------- A booklet made before a release reworded a topic ----------


@dataclass(frozen=True)
class Editions:
    """A one-workbook project built before and after a statement of one topic was reworded."""

    before: Path  # the output made first: its pages, and its booklets
    after: Path  # the output after the rewording: its pages
    topic: str  # the topic reworded


STALE_SLUG = "reablement"
STALE_TOPIC, STALE_FILE = "community-focus", "community.yaml"
REWORDED = ("we focus very closely on certain support tasks", "we focus closely on certain support tasks")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Editions:
    """Build Reablement with its booklets, reword a statement of one topic, build its pages again elsewhere."""
    root = tmp_path_factory.mktemp("editions") / "project"
    for part in ("_shared", STALE_SLUG):
        shutil.copytree(REPO / "content" / part, root / "content" / part)
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "assets", root / "assets")
    build(Paths(root), root / "before")
    section = root / "content" / STALE_SLUG / "sections" / STALE_FILE
    text = section.read_text("utf-8")
    assert REWORDED[0] in text, "the statement this test rewords has changed: choose another"
    section.write_text(text.replace(REWORDED[0], REWORDED[1]), "utf-8")
    build(Paths(root), root / "after", BuildOptions(booklets=False))
    return Editions(root / "before", root / "after", STALE_TOPIC)


def test_a_booklet_of_an_earlier_edition_asks_about_the_topic_reworded_since(
    editions: Editions, project: Project, context: BrowserContext, tmp_path: Path
) -> None:
    """The reworded topic's answer keeps the booklet's meaning and waits for the provider; the rest count."""
    wb = book(project, STALE_SLUG)
    other = next(topic.id for topic in wb.topics if topic.id != editions.topic)
    filled = Answers({editions.topic: wb.levels[0], other: wb.levels[1]}, {})
    target = tmp_path / "earlier.pdf"
    fill_with_pypdf(editions.before / "pdf" / f"{STALE_SLUG}-fillable.pdf", target, filled)
    old = json.loads(str((PdfReader(target).get_fields() or {})[EDITION_FIELD]["/V"]))["meanings"]
    page = open_score(context, editions.after, STALE_SLUG)
    said = import_pdf(page, "earlier.pdf", target.read_bytes(), "Imported the booklet")
    assert "The wording of 1 topic changed since the booklet was made" in said, said
    answers = last_assessment(page, STALE_SLUG)["scores"]
    assert answers[editions.topic] == {"score": 1, "meaning": old[editions.topic], "statement": ""}
    now = page.evaluate("() => JSON.parse(document.getElementById('scoring-data').textContent)")
    topics = {topic["id"]: topic for section in now["sections"] for topic in section["topics"]}
    assert topics[editions.topic]["meaning"] != old[editions.topic]
    assert answers[other] == {"score": 2, "meaning": old[other], "statement": topics[other]["statements"][1]}
    notice = page.locator(f"#changed_{editions.topic}")
    expect(notice).to_contain_text("you chose level 1.")
    expect(page.locator("#progress")).to_contain_text("1 of ")
    notice.locator("button", has_text="Keep level 1").click()
    assert last_assessment(page, STALE_SLUG)["scores"][editions.topic] == {
        "score": 1,
        "meaning": topics[editions.topic]["meaning"],
        "statement": topics[editions.topic]["statements"][0],
    }


# ---------- The reader, on what PDF writers write: checked against a PDF made byte by byte ----------


def pdf_string(text: str) -> bytes:
    return b"(" + text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def handmade_pdf() -> bytes:
    """A form whose values use every way of writing a string and a name, fields nested and inheriting, some objects
    in a compressed object stream (with a PNG predictor), a cross-reference stream, and an incremental update.

    Each field's value is written so that it reads as the text in `HANDMADE`."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>",
        2: b"<< /Type /Pages /Kids [] /Count 0 >>",
        3: b"<< /Fields [4 0 R 5 0 R 10 0 R 11 0 R 12 0 R 13 0 R 14 0 R 16 0 R] % a comment inside\n>>",
        4: b"<< /FT /Btn /Ff 49152 /T (level) /V /Getting#20Started /Kids [20 0 R] >>",
        5: b"<< /T (parent) /FT /Tx /V <FEFF 0069 006E 0068 0065 0072 0069 0074 0065 0064> /Kids [6 0 R 7 0 R 8 0 R 9 0 R] >>",
        6: rb"<< /T (escapes) /Parent 5 0 R /V (Caf\351 \(1\) \\ a\
b\nc\101 \0618) >>",
        7: b"<< /T <FEFF0075 0074 0066 002D 0031 0036> /Parent 5 0 R /V <FEFF00E90020 20AC0020 D83DDE00> >>",
        8: b"<< /T (inherits) /Parent 5 0 R >>",
        9: b"<< /T (hex) /Parent 5 0 R /V <48 69 7> >>",
        10: b"<< /FT /Tx /T (utf-8) /V (\xef\xbb\xbfZo\xc3\xab) >>",
        11: b"<< /FT /Tx /T (pdfdoc) /V (O\x90Brien \x85 \xa0 \x8dq\x8e) >>",
        12: b"<< /FT /Btn /Ff 49152 /T (shown-only) /Kids [21 0 R 22 0 R] >>",
        13: b"<< /FT /Tx /T (streamed) /V 15 0 R >>",
        14: b"<< /FT /Tx /T (updated) /V (before) >>",
        16: rb"<< /FT /Btn /Ff 49152 /T (Caf\351) /V /Na#23me#C3#A9 >>",
        20: b"<< /Type /Annot /Subtype /Widget /Parent 4 0 R /AS /Getting#20Started /AP << /N << /Getting#20Started 23 0 R /Off 23 0 R >> >> >>",
        21: b"<< /Type /Annot /Subtype /Widget /Parent 12 0 R /AS /Off /AP << /N << /On 23 0 R /Off 23 0 R >> >> >>",
        22: b"<< /Type /Annot /Subtype /Widget /Parent 12 0 R /AS /On /AP << /N << /On 23 0 R /Off 23 0 R >> >> >>",
        23: b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length 0 >>\nstream\n\nendstream",
    }
    packed = {6, 7, 9, 10, 11, 20, 21, 22}  # in the object stream
    text = zlib.compress("a text stream, longer than a line\r\nand on two".encode("utf-16-be").join([b"\xfe\xff", b""]))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, tuple[int, int, int]] = {}  # number -> (type, field 2, field 3) of its xref entry
    for number, body in objects.items():
        if number not in packed:
            offsets[number] = (1, len(out), 0)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[15] = (1, len(out), 0)
    out += b"15 0 obj\n<< /Length 17 0 R /Filter /FlateDecode >>\nstream\n" + text + b"\nendstream\nendobj\n"
    offsets[17] = (1, len(out), 0)  # its length, given by reference: the reader finds "endstream" instead
    out += b"17 0 obj\n%d\nendobj\n" % len(text)
    header, data = b"", b""
    for index, number in enumerate(sorted(packed)):
        header += b"%d %d " % (number, len(data))
        data += objects[number] + b"\n"
        offsets[number] = (2, 30, index)
    columns = 16
    stream = (header + data).ljust(-(-len(header + data) // columns) * columns, b" ")
    first = len(header)
    rows = [stream[at : at + columns] for at in range(0, len(stream), columns)]
    predicted = b"".join(  # PNG "Up": each byte less the one above it
        b"\x02" + bytes((byte - (rows[row - 1][i] if row else 0)) % 256 for i, byte in enumerate(rows[row]))
        for row in range(len(rows))
    )
    squeezed = zlib.compress(predicted)
    offsets[30] = (1, len(out), 0)
    out += (
        b"30 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter [/FlateDecode] /DecodeParms [<< /Predictor 12 /Columns %d >>] /Length %d >>\nstream\n"
        % (len(packed), first, columns, len(squeezed))
        + squeezed
        + b"\nendstream\nendobj\n"
    )
    xref_at = len(out)
    offsets[31] = (1, xref_at, 0)
    size = 32
    entries = b"".join(
        bytes([offsets[n][0]]) + offsets[n][1].to_bytes(4, "big") + offsets[n][2].to_bytes(2, "big")
        if n in offsets
        else b"\x00\x00\x00\x00\x00\xff\xff"
        for n in range(size)
    )
    out += (
        b"31 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (size, len(entries))
        + entries
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    # The incremental update: a new value for "updated", appended with its own cross-reference section.
    update_at = len(out)
    out += b"14 0 obj\n<< /FT /Tx /T (updated) /V (after) >>\nendobj\n"
    table_at = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n14 1\n%010d 00000 n \n" % update_at
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at, table_at)
    return bytes(out)


HANDMADE = {
    "level": ("Btn", "Getting Started"),
    "parent.escapes": ("Tx", "Café (1) \\ ab\ncA 18"),
    "parent.utf-16": ("Tx", "é € \U0001f600"),
    "parent.inherits": ("Tx", "inherited"),
    "parent.hex": ("Tx", "Hip"),
    "utf-8": ("Tx", "Zoë"),
    "pdfdoc": ("Tx", "O\u2019Brien \u2013 \u20ac \u201cq\u201d"),
    "shown-only": ("Btn", "On"),
    "streamed": ("Tx", "a text stream, longer than a line\r\nand on two"),
    "updated": ("Tx", "after"),
    "Café": ("Btn", "Na#meé"),
}


def read_in_page(page: Page, body: bytes) -> Any:
    """The page's PDF reader (loaded as the page loads it) on some bytes: the fields, or the reason refused."""
    return page.evaluate(
        """async b64 => {
            await new Promise((resolve, reject) => {
                if (window.ProgressScoring.pdf) return resolve();
                const script = document.createElement('script');
                script.src = '../../assets/js/score-pdf.js';
                script.onload = resolve;
                script.onerror = reject;
                document.head.append(script);
            });
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            try {
                const fields = await ProgressScoring.pdf.readForm(bytes);
                return Object.fromEntries(Array.from(fields, ([name, field]) => [name, [field.type, field.value]]));
            } catch (error) {
                return error.reason || String(error);
            }
        }""",
        base64.b64encode(body).decode(),
    )


def test_the_reader_reads_strings_names_nesting_object_streams_and_updates(
    real_output: Path, context: BrowserContext
) -> None:
    """A PDF made byte by byte: every value read as written, the incremental update's value winning (as pypdf,
    which follows the cross-reference chain, reads it too); damage refused, never a page error."""
    body = handmade_pdf()
    page = open_score(context, real_output, "homecare")
    assert read_in_page(page, body) == {name: list(value) for name, value in HANDMADE.items()}
    # pypdf, following the cross-reference chain, finds the same objects: the update's value, the packed ones.
    fields = {str(field["/T"]): field for field in PdfReader(io.BytesIO(body)).trailer["/Root"]["/AcroForm"]["/Fields"]}
    assert fields["updated"]["/V"] == "after" and fields["pdfdoc"]["/V"] == HANDMADE["pdfdoc"][1]
    kids = {str(kid["/T"]): kid for kid in fields["parent"]["/Kids"]}
    assert kids["escapes"]["/V"] == HANDMADE["parent.escapes"][1] and kids["hex"]["/V"] == "Hip"
    # Damage: cut anywhere, a byte changed in the compressed stream, no form, not a PDF.
    for cut in (len(body) // 3, len(body) - 10):
        assert read_in_page(page, body[:cut]) == "damaged", cut
    broken = body.replace(b"/Predictor 12", b"/Predictor 13")
    assert isinstance(read_in_page(page, broken), (dict, str))  # read or refused, never a page error
    assert read_in_page(page, body.replace(b"/AcroForm 3 0 R", b"/Foo 3 0 R     ")) == "noForm"
    assert read_in_page(page, b"PK\x03\x04" + body)["updated"] == ["Tx", "after"]  # bytes before the header: read
    assert read_in_page(page, b"PK\x03\x04" + b"\0" * 2000 + body) == "notPdf"
    assert read_in_page(page, b"%PDF-1.7\n" + b"[" * 100000 + b"\nstartxref\n0\n%%EOF\n") == "damaged"
    # A decompression bomb: three object streams of 30 MB of nothing each, 90 KB in the file, are refused.
    bomb = zlib.compress(b"\0" * 30 * 1024 * 1024, 9)
    streams = b"".join(
        b"%d 0 obj\n<< /Type /ObjStm /N 0 /First 0 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n"
        % (40 + n, len(bomb), bomb)
        for n in range(3)
    )
    assert read_in_page(page, body.replace(b"1 0 obj", streams + b"1 0 obj", 1)) == "damaged"


# ---------- Task B: share by link ----------


def share_link(page: Page) -> str:
    """Open the share panel (if it is not open) and return the link made for the assessment shown."""
    if page.locator("#share_open").count():
        page.click("#share_open")
    expect(page.locator("#share_link")).to_have_value(re.compile(r"#share=1[0-9A-Za-z_-]+$"))
    link: str = page.input_value("#share_link")
    return link


def payload_of(link: str) -> dict[str, Any]:
    """What a link holds: its fragment's JSON (score-share.js describes it)."""
    encoded = link.split("#share=", 1)[1]
    assert encoded[0] == "1"
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    value: dict[str, Any] = json.loads(zlib.decompress(raw, -15).decode("utf-8"))
    return value


def link_with(link: str, payload: Mapping[str, Any]) -> str:
    """The same page's link, holding another payload."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = packer.compress(json.dumps(payload).encode("utf-8")) + packer.flush()
    return link.split("#", 1)[0] + "#share=1" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_qr(page: Page) -> list[str]:
    """The texts of the QR codes zxing-cpp finds in a screenshot of the share panel's code."""
    shot = page.locator(".share-qr").screenshot()
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]


def without_id(assessment: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in assessment.items() if key != "id"}


PLAN_TEXTS = [
    "Jo and Sam",
    "Ask the families what a good day looks like\n\u2013 and write it down",
    "Ann",
    "by 1 June",
    "Zoë",
]


def unfold_plan(page: Page) -> None:
    """Open the action plan's folded part (the topics at the top level, "keep doing this"), to write in it."""
    page.evaluate("() => document.querySelectorAll('#plan-content details').forEach(fold => (fold.open = true))")


def answer_all(page: Page, wb: Workbook, rng: random.Random, plans: int, long: bool = False) -> None:
    """Tick every topic at random; write the action plan of `plans` topics; name the assessment and its people."""
    page.fill("#assessment-name", "Jo\u2019s review")
    page.fill("#assessment-people", "Jo, Sam & the team")
    for topic in wb.topics:
        tick(page, topic.id, rng.randint(1, len(wb.levels)))
    unfold_plan(page)
    for topic in rng.sample(list(wb.topics), plans):
        action = rng.choice(PLAN_TEXTS)
        if long:
            action = f"{topic.title}: {rng.choice(PLAN_TEXTS)}, then review it with everyone every three months."
        page.fill(f"#plan_{topic.id}_action", action)
        page.fill(f"#plan_{topic.id}_who", rng.choice(PLAN_TEXTS[2:]))
        if rng.random() < 0.5:
            page.fill(f"#plan_{topic.id}_by", "March 2027")


LINK_SIZES: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def report_link_sizes() -> Iterator[None]:
    """Say, at the end, how long the links made were."""
    yield
    if LINK_SIZES:
        print("\nshared links, in characters:", ", ".join(f"{what} {size}" for what, size in LINK_SIZES.items()))


def round_trip(browser: Browser, link: str, slug: str, real_output: Path) -> dict[str, Any]:
    """Open the link in a fresh browser, add what it offers; return the assessment saved there."""
    for fresh in watched(browser.new_context(viewport={"width": 390, "height": 844})):
        page = fresh.new_page()
        page.goto(link)
        expect(page.locator(".share-notice")).to_contain_text("An assessment was shared with you by link.")
        page.click("#share_add")
        expect(page.locator("#status")).to_contain_text("from the link")
        assert "#" not in page.url, "the fragment is taken off the address"
        assert page.url == file_url(real_output / slug / "score" / "index.html")
        saved = stored(page, slug)
        assert len(saved["assessments"]) == 1 and saved["current"] == saved["assessments"][0]["id"]
        expect(page.locator(".share-notice")).to_be_empty()
        added: dict[str, Any] = saved["assessments"][0]
    return added


@pytest.mark.parametrize("slug", SLUGS)
def test_a_shared_link_opens_in_another_browser_as_the_same_assessment(
    real_output: Path, project: Project, browser: Browser, slug: str
) -> None:
    """Every topic ticked at random, some plans written: the link adds exactly that assessment elsewhere, and its
    QR code, drawn on screen, reads back as the link."""
    wb = book(project, slug)
    for context in watched(browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=2)):
        page = open_score(context, real_output, slug)
        answer_all(page, wb, random.Random(slug), plans=3)
        link = share_link(page)
        sent = stored(page, slug)["assessments"][0]
        LINK_SIZES[f"{slug} ({len(wb.topics)} topics, 3 plans)"] = len(link)
        assert payload_of(link)["w"] == slug and len(payload_of(link)["s"]) == len(wb.topics)
        expect(page.locator("#share_length")).to_have_text(f"The link is {len(link):,} characters long.")
        assert read_qr(page) == [link]
        expect(page.locator(".share-content")).to_contain_text("they are not sent to us or to any server")
    assert without_id(round_trip(browser, link, slug, real_output)) == without_id(sent)


def test_a_fully_answered_health_check_with_long_plans_is_too_long_for_a_qr_code_but_its_link_works(
    real_output: Path, project: Project, browser: Browser
) -> None:
    """57 topics answered and an action written for each: the page says the link is too long for a QR code and
    still gives the link, which adds the whole assessment. Without plans, its QR code reads back."""
    wb = book(project, "health-check")
    for context in watched(browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=2)):
        page = open_score(context, real_output, "health-check")
        answer_all(page, wb, random.Random("all"), plans=0)
        short = share_link(page)
        LINK_SIZES["health-check, every topic, no plans"] = len(short)
        assert read_qr(page) == [short]
        page.click("#share_close")  # opened again once every plan is written: the link of all of them
        unfold_plan(page)
        for topic in wb.topics:
            page.fill(f"#plan_{topic.id}_action", f"{topic.title}: ask the team, then review it every three months.")
            page.fill(f"#plan_{topic.id}_who", random.Random(topic.id).choice(PLAN_TEXTS[2:]))
            page.fill(f"#plan_{topic.id}_by", "March 2027")
        link = share_link(page)
        LINK_SIZES["health-check, every topic and plan"] = len(link)
        expect(page.locator(".share-qr-note")).to_contain_text("This link is too long for a QR code")
        expect(page.locator(".share-qr")).to_have_count(0)
        sent = stored(page, "health-check")["assessments"][0]
    assert len(sent["plans"]) == len(wb.topics)
    assert without_id(round_trip(browser, link, "health-check", real_output)) == without_id(sent)


def test_not_now_adds_nothing_and_takes_the_link_off_the_address(
    real_output: Path, project: Project, context: BrowserContext
) -> None:
    page = open_score(context, real_output, "wigan")
    tick(page, book(project, "wigan").topics[0].id, 2)
    link = share_link(page)
    save_now(page)  # the tick saved (once it settles, or at once when the page is left), then cleared
    page.evaluate("() => localStorage.clear()")
    other = context.new_page()
    other.goto(link)
    expect(other.locator("#share_add")).to_be_visible()
    other.click("#share_not_now")
    expect(other.locator(".share-notice")).to_be_empty()
    expect(other.locator("#status")).to_have_text(
        "The shared assessment was not added. To add it later, open the link again."
    )
    assert "#" not in other.url
    assert stored(other, "wigan") is None
    other.reload()
    expect(other.locator("#score-app")).to_be_visible()
    expect(other.locator(".share-notice")).to_be_empty()


def test_a_link_pasted_into_the_address_of_an_open_page_is_offered_and_never_replaces(
    real_output: Path, project: Project, context: BrowserContext
) -> None:
    """The same page, its fragment changed (no reload): offered; adding keeps the assessment here, named apart."""
    wb = book(project, "managers")
    page = open_score(context, real_output, "managers")
    tick(page, wb.topics[0].id, 4)
    link = share_link(page)
    page.evaluate("hash => { location.hash = hash; }", link.split("#", 1)[1])
    page.click("#share_add")
    first, second = stored(page, "managers")["assessments"]
    assert second["name"] == "Assessment 1 (2)" and second["id"] != first["id"]
    assert without_id(first) | {"name": ""} == without_id(second) | {"name": ""}


def test_a_link_made_before_a_topic_was_reworded_asks_about_that_topic(
    editions: Editions, project: Project, browser: Browser
) -> None:
    """A link from the earlier edition's page, opened on the later one: the reworded topic waits for the provider,
    the others are as they were answered."""
    wb = book(project, STALE_SLUG)
    for context in watched(browser.new_context()):
        page = open_score(context, editions.before, STALE_SLUG)
        answer_all(page, wb, random.Random("stale"), plans=1)
        link = share_link(page)
        sent = stored(page, STALE_SLUG)["assessments"][0]
    later = link.replace(file_url(editions.before), file_url(editions.after))
    for context in watched(browser.new_context()):
        page = context.new_page()
        page.goto(later)
        page.click("#share_add")
        added = stored(page, STALE_SLUG)["assessments"][0]
        waiting = page.locator(".changed-list li")
        expect(waiting).to_have_count(1)
        expect(waiting).to_have_attribute("data-topic", editions.topic)
        score = sent["scores"][editions.topic]["score"]
        assert added["scores"][editions.topic] == {"score": score, "meaning": "", "statement": ""}
        assert {t: a for t, a in added["scores"].items() if t != editions.topic} == {
            t: a for t, a in sent["scores"].items() if t != editions.topic
        }
        page.click(f"#changed_{editions.topic}_keep")
        expect(waiting).to_have_count(0)
        now = stored(page, STALE_SLUG)["assessments"][0]["scores"][editions.topic]
        assert now["score"] == score and now["meaning"] != sent["scores"][editions.topic]["meaning"]


def refused_links(link: str) -> dict[str, tuple[str, str]]:
    """Links that cannot be added, and what the page says of each."""
    payload = payload_of(link)
    encoded = link.split("#share=", 1)[1]
    return {
        "cut short": (link[: len(link) - len(encoded) // 2], "it is incomplete or damaged"),
        "not base64": (link.split("#")[0] + "#share=1@@@@", "it is incomplete or damaged"),
        "a newer version's": (link.split("#")[0] + "#share=2" + encoded[1:], "it was made by a newer version"),
        "another workbook's": (link_with(link, payload | {"w": "wigan"}), 'it is for another workbook ("wigan")'),
        "other topics": (link_with(link, payload | {"t": "00000000"}), "an edition of this workbook with other topics"),
        "scores not as written": (link_with(link, payload | {"s": "12x"}), "it is incomplete or damaged"),
        "an impossible date": (link_with(link, payload | {"d": "2026-02-30"}), "which is not a day in the calendar"),
        "a forbidden key": (link_with(link, payload | {"x": {"1": {"__proto__": "x"}}}), "__proto__"),
        "not an object": (link_with(link, [1, 2]), "it is incomplete or damaged"),  # type: ignore[arg-type]
    }


def test_links_that_cannot_be_added_say_why_and_change_nothing(
    real_output: Path, project: Project, context: BrowserContext
) -> None:
    wb = book(project, "homecare")
    page = open_score(context, real_output, "homecare")
    tick(page, wb.topics[1].id, 3)
    link = share_link(page)
    before = everything_stored(page)
    for kind, (bad, message) in refused_links(link).items():
        other = context.new_page()
        other.goto(bad)
        notice = other.locator(".share-notice")
        expect(notice).to_contain_text("A link opened this page, but it cannot be added, because", timeout=5000)
        assert message in notice.inner_text(), kind
        expect(other.locator("#share_add")).to_have_count(0)
        other.click("#share_not_now")
        assert "#" not in other.url, kind
        assert everything_stored(other) == before, kind
        other.close()


def test_a_team_lead_pastes_the_teams_links_into_the_team_view(
    real_output: Path, project: Project, browser: Browser, context: BrowserContext
) -> None:
    """Three people's links pasted at once: three assessments in the team view, each as it was sent. A bad link
    among them adds none."""
    wb = book(project, "homecare")
    links, sent = [], []
    for person in ("Ann", "Ben", "Cat"):
        for own in watched(browser.new_context()):
            page = open_score(own, real_output, "homecare")
            answer_all(page, wb, random.Random(person), plans=1)
            page.fill("#assessment-people", person)
            links.append(share_link(page))
            sent.append(stored(page, "homecare")["assessments"][0])
    lead = open_score(context, real_output, "homecare")
    tick(lead, wb.topics[0].id, 5)
    before = everything_stored(lead)
    lead.fill("#team_links", f"{links[0]}\n{links[1][:-20]}\n{links[2]}")
    lead.click("#team_links_add")
    expect(lead.locator("#status")).to_contain_text(
        "Nothing was imported: “link 2” was refused because it is incomplete"
    )
    assert everything_stored(lead) == before
    lead.fill(
        "#team_links",
        "Here are ours:\n" + "\n\n".join(f"{person}: {link}" for person, link in zip("ABC", links, strict=True)),
    )
    lead.click("#team_links_add")
    expect(lead.locator("#status")).to_contain_text("Imported 3 assessments from 3 links.")
    expect(lead.locator("#team_links")).to_have_value("")
    saved = stored(lead, "homecare")["assessments"]
    assert [without_id(item) | {"name": ""} for item in saved[1:]] == [without_id(item) | {"name": ""} for item in sent]
    assert [item["name"] for item in saved[1:]] == ["Jo\u2019s review", "Jo\u2019s review (2)", "Jo\u2019s review (3)"]
    expect(lead.locator("#team-table caption")).to_contain_text("across 4 people")
    names = lead.locator("#team-table thead th").all_inner_texts()
    assert names[1:5] == ["Assessment 1", "Ann", "Ben", "Cat"]  # each person by name: who took part, else the name
    topic = wb.topics[2].id
    answers = [wb.levels[item["scores"][topic]["score"] - 1] if topic in item["scores"] else DASH for item in saved]
    assert cell_texts(lead, f'#team-table tr[data-topic="{topic}"]')[:4] == answers


def test_the_share_panel_and_offer_pass_axe(real_output: Path, project: Project, context: BrowserContext) -> None:
    page = open_score(context, real_output, "wigan")
    tick(page, book(project, "wigan").topics[0].id, 2)
    link = share_link(page)
    expect(page.locator(".share-qr")).to_be_visible()
    page.click("#share_copy")
    expect(page.locator("#status")).to_have_text("Copied the link. Paste it into an email or a message.")
    assert axe_violations(page, "#share_section") == []
    assert axe_violations(page, ".team-links") == []
    other = context.new_page()
    other.goto(link)
    expect(other.locator("#share_add")).to_be_visible()
    assert axe_violations(other, ".share-notice") == []


# ---------- Any assessment: exported, imported, shared and added back, the same ----------

LEVELS_5 = st.integers(min_value=1, max_value=5)
TEXT = st.text(min_size=1, max_size=40)
DETAILED = st.dictionaries(
    st.sampled_from(["1", "2", "3"]),
    st.dictionaries(st.sampled_from(["top-priority", "first-steps", "who", "gone-prompt"]), TEXT, max_size=3),
    min_size=1,
    max_size=3,
)


@st.composite
def assessments(draw: st.DrawFn, topics: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """An assessment of a real workbook: answers to today's statements or to earlier ones, plans, detailed plans."""
    ids = list(topics)
    answered = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    scores = {}
    for topic in answered:
        score = draw(st.integers(min_value=1, max_value=9))
        if score <= 5 and draw(st.booleans()):
            scores[topic] = {
                "score": score,
                "meaning": topics[topic]["meaning"],
                "statement": topics[topic]["statements"][score - 1],
            }
        else:
            scores[topic] = {
                "score": score,
                "meaning": draw(st.sampled_from(["", "0123456789abcdef"])),
                "statement": draw(st.text(max_size=20)),
            }
    plans = draw(
        st.dictionaries(
            st.sampled_from(ids),
            st.dictionaries(st.sampled_from(["action", "who", "by"]), TEXT, min_size=1),
            max_size=4,
        )
    )
    day = draw(st.dates(min_value=datetime.date(1, 1, 1)))
    assessment = {
        "id": "a-" + draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)),
        "name": draw(TEXT),
        "date": draw(st.sampled_from(["", day.isoformat().zfill(10)])),
        "people": draw(st.text(max_size=30)),
        "scores": scores,
        "plans": plans,
    }
    if draw(st.booleans()):
        assessment["action_plans"] = draw(DETAILED)
    return assessment


def as_shared(assessment: Mapping[str, Any], topics: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """What a link carries of an assessment: an answer to earlier statements keeps only its score."""
    shared = without_id(assessment)
    shared["scores"] = {
        topic: answer
        if answer["meaning"] == topics[topic]["meaning"]
        else {"score": answer["score"], "meaning": "", "statement": ""}
        for topic, answer in assessment["scores"].items()
    }
    return shared


HOMECARE_TOPICS = topics_of(next(wb for wb in read_project(REPO / "content").workbooks if wb.slug == "homecare"))


@pytest.fixture
def reused(real_output: Path, context: BrowserContext) -> tuple[Page, Page]:
    """The homecare scoring page reused across examples, and a second window of it that empties its storage."""
    page = open_score(context, real_output, "homecare")
    page.set_default_timeout(10000)
    other = context.new_page()
    other.goto(file_url(real_output / "homecare" / "guide.html"))
    page.bring_to_front()
    return page, other


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(assessment=assessments(HOMECARE_TOPICS))
def test_any_assessment_exports_imports_and_shares_unchanged(
    reused: tuple[Page, Page], assessment: dict[str, Any]
) -> None:
    """Imported from JSON (detailed plans and all), exported the same; shared by link and added, the same but for
    its id, its name made unique, and an answer to earlier statements keeping only its score."""
    page, other = reused
    if page.locator("#share_close").count():
        page.click("#share_close")  # opened again below, for the assessment imported then
    other.evaluate("() => localStorage.removeItem('progress-workbooks/homecare')")
    expect(page.locator("#export-content")).to_contain_text("Nothing to export yet")
    file = {"format": FORMAT, "workbook": "homecare", "current": assessment["id"], "assessments": [assessment]}
    page.set_input_files(
        "#import-files", files=[{"name": "a.json", "mimeType": "application/json", "buffer": json.dumps(file).encode()}]
    )
    expect(page.locator("#status")).to_contain_text("Imported 1 assessment")
    assert stored(page, "homecare") == file
    link = share_link(page)
    page.evaluate("hash => { location.hash = hash; }", link.split("#", 1)[1])
    page.click("#share_add")
    saved = stored(page, "homecare")["assessments"]
    assert len(saved) == 2
    added = without_id(saved[1])
    assert added.pop("name") == f"{assessment['name']} (2)"
    expected = as_shared(assessment, HOMECARE_TOPICS)
    expected.pop("name")
    assert added == expected
