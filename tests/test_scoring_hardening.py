"""The scoring page's data, hardened: corrupt, older and newer saved data, huge imports, and a property test.

Real Chromium, the page opened from disk, as in tests/test_scoring_page.py (whose helpers these
tests share). Saved data is planted in localStorage as an earlier visit, an earlier release or a
damaged disk would leave it, then the page is loaded over it.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import axe_violations, build_site, chromium, file_url, watched
from tests.conftest import make_project
from tests.test_scoring_page import download, import_files, open_score, storage_key, stored, tick
from workbook.scoring import FORMAT

KEY = storage_key("tiny")
OLD_KEY = "progress-workbooks/v1/tiny"  # where format 1 saved the answers
BACKUP = re.compile(r"^progress-workbooks/tiny/backup/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "2000"))
# Run before the page's script on every load: a storage with room for no more than `room` characters
# in one entry (0: full, as in a browser whose quota is used up).
STORAGE_ROOM = """
((room) => {
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, text) {
    if (String(key).length + String(text).length > room) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return set.call(this, key, text);
  };
})(%d);
"""

# ---------- Fixtures: one browser and one built tiny site for the module, a fresh context per test ----------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, shared by the module's tests."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny 1-5 workbook's site ('tiny': topics dignity, history, meetings), built once.

    Beside it, an empty page of the same (file:) origin, from which tests plant saved data.
    """
    folder = tmp_path_factory.mktemp("scale")
    built = build_site(make_project(folder, "scale"), folder / "output")
    (built / "plant.html").write_text("<!doctype html><title>Plant</title>", "utf-8")
    return built


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (its own empty localStorage), checked afterwards (see `watched`)."""
    yield from watched(browser.new_context(viewport={"width": 1024, "height": 900}, accept_downloads=True))


# ---------- Helpers ----------


def everything_stored(page: Page) -> dict[str, str]:
    """Every localStorage entry of the page's origin, as raw text."""
    entries: dict[str, str] = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
    return entries


def open_with(context: BrowserContext, site: Path, saved: dict[str, str], room: int | None = None) -> Page:
    """Open the scoring page over data saved earlier in this browser; with `room`, a storage with that little room.

    The data is planted from another page of the same origin, which the scoring page's script never runs in.
    """
    planter = context.new_page()
    planter.goto(file_url(site / "plant.html"))
    planter.evaluate(
        "saved => { localStorage.clear(); for (const [key, text] of Object.entries(saved)) localStorage.setItem(key, text); }",
        saved,
    )
    assert everything_stored(planter) == saved
    planter.close()
    if room is not None:
        context.add_init_script(STORAGE_ROOM % room)
    return open_score(context, site, "tiny")


def assessment(identifier: str, name: str, scores: dict[str, int], plans: dict[str, dict[str, str]]) -> dict[str, Any]:
    """An assessment as the page saves it."""
    return {
        "id": identifier,
        "name": name,
        "date": "2024-11-05",
        "people": "Ann, Bob",
        "scores": scores,
        "plans": plans,
    }


def format_1_state() -> dict[str, Any]:
    """What format 1 saved: two assessments, a plan, and an answer for a topic the content no longer has."""
    return {
        "format": 1,
        "workbook": "tiny",
        "current": "a-1",
        "assessments": [
            assessment("a-1", "Autumn 2024", {"dignity": 2, "retired-topic": 4}, {"dignity": {"who": "Ann"}}),
            assessment("a-2", "Winter 2024", {"history": 5}, {}),
        ],
    }


# ---------- Corrupt saved data: kept as a raw backup, the user told, a fresh assessment saved ----------

UNREADABLE = {
    "broken JSON": '{"format": 2, "workbook": "tiny", "assessments": [{"name": "Gwasanaeth ŵŷ 🙂", ',
    "not JSON at all": "\x00\x01 garbage from a damaged disk \ufffd",
    "a score out of range": json.dumps(
        {"format": 2, "workbook": "tiny", "current": None, "assessments": [assessment("x", "X", {"dignity": 9}, {})]}
    ),
    "another workbook's data": json.dumps({"format": 2, "workbook": "wigan", "current": None, "assessments": []}),
    "a __proto__ key": '{"format": 2, "workbook": "tiny", "__proto__": {"polluted": true}, "assessments": []}',
}


@pytest.mark.parametrize("kind", UNREADABLE)
@pytest.mark.parametrize("key", [KEY, OLD_KEY])
def test_unreadable_saved_data_is_kept_as_a_backup_and_a_fresh_assessment_saves(
    kind: str, key: str, site: Path, context: BrowserContext
) -> None:
    """Never silently replaced: kept byte for byte under a backup key, said plainly, downloadable; saving goes on."""
    raw = UNREADABLE[kind]
    page = open_with(context, site, {key: raw})
    notice = page.locator("#backup-notice")
    expect(notice).to_contain_text("The answers saved earlier in this browser could not be read, because")
    expect(notice).to_contain_text("Nothing has been deleted")
    expect(notice).to_have_attribute("aria-live", "polite")
    expect(page.locator("#storage-problem")).to_be_empty()  # saving works: nothing to warn about
    backups = {name: text for name, text in everything_stored(page).items() if name != KEY}
    assert len(backups) == 1, backups
    [(backup_key, backup_text)] = backups.items()
    assert BACKUP.match(backup_key), backup_key
    assert backup_text == raw
    assert download(page, "#download-backup-1") == raw.encode("utf-8")
    assert page.evaluate("() => ({}).polluted === undefined")

    # Carry on: a fresh assessment, saved as usual; the backup stays as it was.
    expect(page.locator("#assessment-panel")).to_contain_text("Nothing is saved yet")
    tick(page, "dignity", 3)
    state = stored(page, "tiny")
    assert (state["format"], state["workbook"]) == (FORMAT, "tiny")
    assert state["assessments"][0]["scores"] == {"dignity": 3}
    assert everything_stored(page)[backup_key] == raw
    assert set(everything_stored(page)) == {KEY, backup_key}

    # Later visits: nothing new to tell; the backup can still be downloaded from Export and import.
    page.reload()
    expect(page.locator("#topic_dignity_3")).to_be_checked()
    expect(page.locator("#backup-notice")).to_be_empty()
    expect(page.locator("#backup-list li")).to_have_count(1)
    assert download(page, "#stored-backup-1") == raw.encode("utf-8")


def test_the_backup_notice_and_list_pass_axe(site: Path, context: BrowserContext) -> None:
    """The notice, its button and the list of backups have no accessibility violations."""
    page = open_with(context, site, {KEY: "{not json"})
    tick(page, "history", 2)
    expect(page.locator("#backup-list li")).to_have_count(1)
    assert axe_violations(page) == []


def test_unreadable_saved_data_with_no_room_for_a_backup_is_not_saved_over(site: Path, context: BrowserContext) -> None:
    """No room for a copy (though a new answer would fit): the data stays where it was, never saved over, downloadable."""
    one = json.dumps(assessment("a", "Gwasanaeth Llŷr", {"dignity": 2}, {"dignity": {"action": "ŵ" * 200}}))
    raw = '{"format": 2, "workbook": "tiny", "assessments": [' + ", ".join([one] * 200)  # cut short: not JSON
    assert len(raw) > 50000
    page = open_with(context, site, {KEY: raw}, room=20000)
    expect(page.locator("#storage-problem")).to_contain_text("could not be read")
    expect(page.locator("#storage-problem")).to_contain_text("will not be saved over them")
    tick(page, "dignity", 4)
    page.fill("#assessment-name", "Spring")
    assert everything_stored(page) == {KEY: raw}
    assert download(page, "#download-backup-1") == raw.encode("utf-8")
    # Its export offer still gives the answers given since.
    exported = json.loads(download(page, "#storage-problem button"))
    assert exported["assessments"][0]["scores"] == {"dignity": 4}


# ---------- Older formats migrate; newer ones are left alone (tests/test_scoring_page.py) ----------


def test_format_1_saved_under_the_old_key_loads_and_is_saved_as_the_new_format(
    site: Path, context: BrowserContext
) -> None:
    """Shown as it was, moved to the key without a version as format 2, the old key removed, nothing lost."""
    old = format_1_state()
    page = open_with(context, site, {OLD_KEY: json.dumps(old)})
    expect(page.locator("#assessment-name")).to_have_value("Autumn 2024")
    expect(page.locator("#topic_dignity_2")).to_be_checked()
    expect(page.locator("#plan_dignity_who")).to_have_value("Ann")
    expect(page.locator("#assessment-choice option")).to_have_count(2)
    expect(page.locator("#backup-notice")).to_be_empty()
    expect(page.locator("#storage-problem")).to_be_empty()
    assert FORMAT == 2
    assert set(everything_stored(page)) == {KEY}
    assert stored(page, "tiny") == old | {"format": 2}

    tick(page, "meetings", 1)
    state = stored(page, "tiny")
    assert state["assessments"][0]["scores"] == {"dignity": 2, "retired-topic": 4, "meetings": 1}
    page.reload()
    expect(page.locator("#topic_meetings_1")).to_be_checked()
    assert set(everything_stored(page)) == {KEY}
    assert stored(page, "tiny") == state


def test_format_1_data_is_kept_under_its_old_key_while_it_cannot_be_saved(site: Path, context: BrowserContext) -> None:
    """Storage full during the move: the answers are shown, the page says it cannot save, the old key stays."""
    old = json.dumps(format_1_state())
    page = open_with(context, site, {OLD_KEY: old}, room=0)
    expect(page.locator("#assessment-name")).to_have_value("Autumn 2024")
    expect(page.locator("#storage-problem")).to_contain_text("storage is full")
    assert everything_stored(page) == {OLD_KEY: old}


def test_a_copy_left_under_the_old_key_beside_the_new_one_is_kept_as_a_backup(
    site: Path, context: BrowserContext
) -> None:
    """The new key wins; the old key's copy (an old page left open) becomes a backup that imports."""
    current = format_1_state() | {"format": 2, "current": "a-2"}
    leftover = {
        "format": 1,
        "workbook": "tiny",
        "current": "a-3",
        "assessments": [assessment("a-3", "From an old window", {"meetings": 3}, {})],
    }
    page = open_with(context, site, {KEY: json.dumps(current), OLD_KEY: json.dumps(leftover)})
    expect(page.locator("#assessment-name")).to_have_value("Winter 2024")
    expect(page.locator("#backup-notice")).to_contain_text("Another copy of your answers")
    assert stored(page, "tiny") == current
    saved = everything_stored(page)
    assert OLD_KEY not in saved
    [backup_key] = [name for name in saved if name != KEY]
    assert BACKUP.match(backup_key)
    body = download(page, "#download-backup-1")
    assert body == json.dumps(leftover).encode()
    import_files(page, ("backup.json", body))
    expect(page.locator("#status")).to_contain_text("Imported 1 assessment")
    assert [item["id"] for item in stored(page, "tiny")["assessments"]] == ["a-1", "a-2", "a-3"]


def test_an_imported_format_1_file_imports(site: Path, context: BrowserContext) -> None:
    """A file exported by format 1 is migrated on import; it is saved, and exported again, as format 2."""
    page = open_score(context, site, "tiny")
    old = format_1_state()
    import_files(page, ("old.json", json.dumps(old).encode()))
    expect(page.locator("#status")).to_contain_text("Imported 2 assessments from 1 file.")
    expect(page.locator("#topic_dignity_2")).to_be_checked()
    assert stored(page, "tiny") == old | {"format": 2}
    assert json.loads(download(page, "#export-json")) == old | {"format": 2}


def test_a_topic_removed_between_releases_keeps_its_answer(site: Path, context: BrowserContext) -> None:
    """Answers and plans for a topic the content no longer has survive loading, changes, saving and export."""
    state = format_1_state() | {"format": 2}
    state["assessments"][0]["plans"]["retired-topic"] = {"action": "Kept"}
    page = open_with(context, site, {KEY: json.dumps(state)})
    tick(page, "history", 1)
    page.fill("#plan_dignity_by", "May")
    saved = stored(page, "tiny")["assessments"][0]
    assert saved["scores"] == {"dignity": 2, "retired-topic": 4, "history": 1}
    assert saved["plans"] == {"dignity": {"who": "Ann", "by": "May"}, "retired-topic": {"action": "Kept"}}
    exported = json.loads(download(page, "#export-json"))
    assert exported["assessments"][0] == saved


# ---------- Huge imports: refused before they are read ----------

COUNT_READS = """
window.fileReads = 0;
for (const name of ['text', 'arrayBuffer', 'stream', 'slice']) {
  const original = Blob.prototype[name];
  Blob.prototype[name] = function () { window.fileReads += 1; return original.apply(this, arguments); };
}
for (const name of ['readAsText', 'readAsArrayBuffer', 'readAsDataURL', 'readAsBinaryString']) {
  const original = FileReader.prototype[name];
  FileReader.prototype[name] = function () { window.fileReads += 1; return original.apply(this, arguments); };
}
"""


def test_a_50_mb_import_is_refused_before_it_is_read(site: Path, context: BrowserContext, tmp_path: Path) -> None:
    """A valid file of 50 MB is refused unread, named with its size; alone or beside a good file, nothing changes."""
    context.add_init_script(COUNT_READS)
    page = open_score(context, site, "tiny")
    tick(page, "dignity", 2)
    page.fill("#plan_dignity_who", "Ann")
    before = everything_stored(page)
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps({"format": FORMAT, "workbook": "tiny", "assessments": [assessment("g", "Good", {"history": 3}, {})]})
    )
    huge = tmp_path / "huge.json"
    head = json.dumps({"format": FORMAT, "workbook": "tiny", "assessments": [assessment("h", "Huge", {}, {})]})
    with huge.open("w") as file:
        file.write(head.replace('"people": "Ann, Bob"', '"people": "' + "x" * (50 * 1024 * 1024 - len(head) + 8) + '"'))
    assert huge.stat().st_size == 50 * 1024 * 1024
    json.loads(huge.read_text())  # a valid file of assessments: only its size is wrong
    for files in ([huge], [good, huge]):
        page.evaluate("() => { document.getElementById('status').textContent = ''; }")
        page.set_input_files("#import-files", files=files)
        status = page.locator("#status")
        expect(status).to_contain_text("Nothing was imported: “huge.json” was refused because it is 50 MB")
        expect(status).to_contain_text("the limit is 5 MB")
        expect(status).to_contain_text("Your assessments are unchanged.")
        assert page.evaluate("() => window.fileReads") == 0
        assert everything_stored(page) == before
        expect(page.locator("#topic_dignity_2")).to_be_checked()
        expect(page.locator("#assessment-choice option")).to_have_count(1)
    # A file of an ordinary size still imports.
    page.set_input_files("#import-files", files=[good])
    expect(page.locator("#status")).to_contain_text("Imported 1 assessment")
    assert page.evaluate("() => window.fileReads") == 1


# ---------- Property: importing any valid file, then exporting it as JSON, gives the same data ----------

WELSH = [*"ŵŷŴŶâêîôûẁẃẅỳýÿ", "Llŷr", "Siôn", "Dŵr", "Ŵy"]
EMOJI = ["🙂", "🏴󠁧󠁢󠁷󠁬󠁳󠁿", "👩‍👩‍👧", "🧑🏽‍🦽", "❤️", "🇬🇧"]
FORMULA_STARTS = ["", "=", "+", "-", "@", "\t", "\r", "=HYPERLINK(", "+1", "-2", "@SUM("]
TEXT = st.builds(
    lambda start, parts: start + "".join(parts),
    st.sampled_from(FORMULA_STARTS),
    st.lists(
        st.one_of(st.characters(codec="utf-8"), st.sampled_from(WELSH + EMOJI + ['"', "\\", "\n", "\u2028", "\ufeff"])),
        max_size=12,
    ),
)
TOPIC = st.sampled_from(["dignity", "history", "meetings"]) | st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z").filter(
    lambda topic: topic not in ("constructor", "prototype")
)
DATE = st.just("") | st.dates().map(lambda day: day.isoformat())
PLAN = st.fixed_dictionaries({}, optional={"action": TEXT, "who": TEXT, "by": TEXT})
ASSESSMENT = st.fixed_dictionaries(
    {
        "id": st.text(min_size=1, max_size=12),
        "name": TEXT,
        "date": DATE,
        "people": TEXT,
        "scores": st.dictionaries(TOPIC, st.integers(1, 5), max_size=5),
        "plans": st.dictionaries(TOPIC, PLAN, max_size=3),
    }
)


@st.composite
def assessment_files(draw: st.DrawFn) -> dict[str, Any]:
    """A valid file of assessments, as the page exports it: format, workbook, the current one, 1 to 4 assessments."""
    assessments = draw(st.lists(ASSESSMENT, min_size=1, max_size=4, unique_by=lambda item: item["id"]))
    current = draw(st.sampled_from([item["id"] for item in assessments]))
    return {"format": FORMAT, "workbook": "tiny", "current": current, "assessments": assessments}


class ReusedPage:
    """One scoring page for every example of a property test, with a second window of the same origin.

    Between examples the other window removes the saved answers, so the page (told by the browser's
    storage event, as when another tab changes them) starts each example empty, without a reload.
    Chromium drops a frame's downloads beyond 10 a second, so exports are spaced to stay under that.
    """

    def __init__(self, context: BrowserContext, site: Path) -> None:
        self.page = open_score(context, site, "tiny")
        self.page.set_default_timeout(10000)
        self.other = context.new_page()
        self.other.goto(file_url(site / "plant.html"))
        self.page.bring_to_front()  # a page in the background has its timers and frames slowed
        self.downloads: deque[float] = deque(maxlen=10)

    def empty(self) -> None:
        """Remove the saved answers from the other window; wait until the page shows nothing saved."""
        self.other.evaluate("key => localStorage.removeItem(key)", KEY)
        expect(self.page.locator("#export-content")).to_contain_text("Nothing to export yet")

    def export_json(self) -> bytes:
        """Export every assessment as JSON through the page's download, at most 10 downloads a second."""
        if len(self.downloads) == self.downloads.maxlen:
            time.sleep(max(0.0, self.downloads[0] + 1.1 - time.monotonic()))
        self.downloads.append(time.monotonic())
        return download(self.page, "#export-json")


@pytest.fixture
def reused_page(context: BrowserContext, site: Path) -> Iterator[ReusedPage]:
    """The page the property test reuses across its examples; prints how long they took."""
    started = time.monotonic()
    yield ReusedPage(context, site)
    print(f"\n{EXAMPLES} examples in {time.monotonic() - started:.1f} s")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=assessment_files(), ascii_only=st.booleans())
def test_import_then_export_is_the_identity(reused_page: ReusedPage, file: dict[str, Any], ascii_only: bool) -> None:
    """Any valid file imported through the file input, then exported through the JSON download, comes back the same."""
    reused_page.empty()
    body = json.dumps(file, ensure_ascii=ascii_only).encode("utf-8")
    import_files(reused_page.page, ("assessments.json", body))
    assert json.loads(reused_page.export_json()) == file
    assert stored(reused_page.page, "tiny") == file
