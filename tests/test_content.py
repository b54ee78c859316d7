"""The real workbooks: faithful to their printed source, complete, in order, and clean of extraction noise.

The five workbooks transcribed from print are checked against verbatim extracts of their printed
text in tests/sources/<slug>.txt (see the README there); nothing outside the repository is read.
Nothing here is a hand-typed count or list of topics: the structure is read from the sources.

- Fidelity: every section title, topic title and statement of the five is found letter for letter
  in its source. Completeness: every passage of an extract, page furniture aside, is found in the
  workbook, so a topic or statement left out is noticed whatever the number of topics.
- Order and sections: every topic the source lists (Wigan's and Reablement's contents, Homecare's
  summary of actions, the Health Check's numbered features) is a topic of the workbook, in the
  printed order, the topics of one printed section in one section. Managers lists its topics
  nowhere, so each of its titles is looked for under its section's printed heading instead.
  Topics in between that the source does not list are allowed by these checks.
- A topic that is not in the printed source fails the fidelity test of its workbook only, with a
  message naming it. That is deliberate: these five are transcriptions, so wording that is not in
  print is a slip, or a decision to record in ADDED_TOPICS (with its reason). A council edition
  of its own, a sixth folder under content/, has no source here and is not compared with any.
- Wigan's tiers and "must achieve" thresholds and the Health Check's headings, groups and levels
  are read from the source too; the noise check covers every content file of every workbook.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import REPO
from workbook.model import Project, Section, Topic, Workbook
from workbook.readers import read_project

SOURCES = REPO / "tests" / "sources"
SLUGS = ("wigan", "homecare", "managers", "reablement", "health-check")
# The Health Check prints no topic titles: its features are numbered under their heading, so each
# topic's title is ours, the section's title and the feature's number ("Visionary Leadership 1").
UNTITLED = {"health-check"}
# Titles the extraction broke apart, as printed (verbatim in the source), and the title repaired.
BROKEN_IN_SOURCE = {
    "managers": {
        "Working towards the outcomes that the person wants for\n\nhe futur\nthe future": (
            "Working towards the outcomes that the person wants for the future"
        ),
    },
}
# Topics a workbook deliberately has although its printed source does not: {slug: {topic id: reason}}.
ADDED_TOPICS: dict[str, dict[str, str]] = {}
NOISE = re.compile(
    r"\[ (am|have|demonstrate)\b|[¢»]|personcentred|onepage|\bAsa\b|Tick one box|<p>|<b>|</b>|\bPage \d+\b"
)
# Page furniture of the extracts, set aside when checking that nothing printed is left out:
# running titles, page and feature numbers, contents lines (checked by the outline test), "Tick one
# box", Wigan's "(must achieve N)" (checked by the thresholds test) and HTML tags of the extraction.
FURNITURE = re.compile(
    r"^[ \t]*(?:Progress for Providers - [Cc]hecking your progress.*|Section \d+|\d+|.*(?:\.{4,}|\t)[ \t]*\d+)[ \t]*$"
    r"|Tick one box.*$|\(must achieve [^)]*\)|</?\w+>",
    re.MULTILINE,
)
# Passages printed in a source that the content rewords on purpose, {slug: {printed passage: why}}: set aside
# when checking that nothing printed is left out, each still printed in its source (else the entry is stale).
REWORDED = {
    "homecare": {
        "For family relationships see Section 2, page 16": "a page number, now a cross-reference to Section 2",
        "On the following page we have included an action plan. You can use your score to plan your next steps. "
        "Look at each section and what the next statement suggests you may want to work towards. You can use this "
        "to record what you are going to do to achieve this, who will be responsible for this, and when you want "
        "this to be achieved.": "'On the following page' is 'Below': the summary of actions is printed under it",
    },
    "health-check": {
        "For each characteristic, total up the scores under each of the categories and transfer these on to the "
        "scoring sheet at the end.": "a place, now a cross-reference to the summary sheet",
        "This sheet will perform automatic calculations and will be the basis for the initial report that you can "
        "use to inform your planning. The outcomes from the self assessment also allow you to check your "
        "achievements and progress by updating the scoring at regular intervals.": "the Excel sheet's sums",
        "Right click the table. Go to Worksheet object, and choose the edit option.": "Excel: not in print",
        "Enter the number of ticks for each heading under each category": "now 'On the scoring sheet, enter ...'",
        "The table will compute totals and projections": "Excel: the scoring page computes them",
        "The graph will then automatically show how will you are doing as a percentage": "Excel: the scoring page",
    },
}
# Leftovers shorter than this are OCR debris and headings run together ("ek one box / ICK One DOX");
# the shortest statement of the five workbooks has 26 letters.
MISSING_LETTERS = 25


@cache
def project() -> Project:
    """Read the repository's real content once."""
    return read_project(REPO / "content")


def workbook(slug: str) -> Workbook:
    """Return one real workbook by slug."""
    found = [wb for wb in project().workbooks if wb.slug == slug]
    assert found, f"no workbook {slug!r} under content/"
    return found[0]


@cache
def source(slug: str) -> str:
    """The printed text a workbook was transcribed from (an extract, verbatim, noise included)."""
    return (SOURCES / f"{slug}.txt").read_text("utf-8")


def words(text: str) -> str:
    """Reduce text to its letters, so line breaks, hyphens and markup do not matter."""
    text = re.sub(r"\[ ?", "I", text)
    return re.sub(r"[^a-z]", "", text.lower())


@cache
def source_words(slug: str) -> str:
    """The source's letters, as `words` reduces them."""
    return words(source(slug))


def pieces(text: str) -> list[str]:
    """A statement as a whole, and each of its paragraphs and list items (printed apart in some sources)."""
    whole = words(re.sub(r"^\s*- ", "", text, flags=re.MULTILINE))
    return [whole, *(words(part) for part in re.split(r"\n\s*- |\n\n", text) if words(part))]


def repaired(slug: str) -> dict[str, str]:
    """Titles repaired from a broken print, {repaired title: passage as printed}."""
    return {title: printed for printed, title in BROKEN_IN_SOURCE.get(slug, {}).items()}


def test_the_source_extracts_are_there() -> None:
    """Each transcribed workbook has its printed source beside the tests, and each source is used."""
    assert sorted(path.stem for path in SOURCES.glob("*.txt")) == sorted(SLUGS)


def test_the_five_workbooks_are_among_the_workbooks() -> None:
    """Every workbook transcribed from print is content, in its own folder (others may be added)."""
    slugs = {wb.slug for wb in project().workbooks}
    assert not set(SLUGS) - slugs, f"missing under content/: {sorted(set(SLUGS) - slugs)}"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_title_and_statement_stands_in_its_source(slug: str) -> None:
    """Every section title, topic title and statement is the source's wording (compared letter by letter)."""
    wb, text, letters, added = workbook(slug), source(slug), source_words(slug), ADDED_TOPICS.get(slug, {})
    for printed in BROKEN_IN_SOURCE.get(slug, {}):
        assert printed in text, f"BROKEN_IN_SOURCE: {printed!r} is not printed in tests/sources/{slug}.txt"
    missing = []
    for section in wb.sections:
        if words(section.title) not in letters:
            missing.append(f"section {section.id}: title {section.title!r}")
        for topic in section.topics:
            if topic.id in added:
                continue
            where = f"section {section.id}, topic {topic.id}"
            if slug in UNTITLED:
                if topic.title != f"{section.title} {topic.number}":
                    missing.append(f"{where}: title {topic.title!r} (expected {section.title} {topic.number})")
            elif words(topic.title) not in letters and topic.title not in repaired(slug):
                missing.append(f"{where}: title {topic.title!r}")
            for level, statement in zip(wb.levels, topic.statements, strict=True):
                parts = pieces(statement)
                if parts[0] not in letters and not all(part in letters for part in parts[1:]):
                    missing.append(f"{where}: statement {level}: {statement[:70]!r}")
    assert not missing, (
        f"not in tests/sources/{slug}.txt (if a topic is a deliberate addition, list it in ADDED_TOPICS):\n"
        + "\n".join(missing)
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_printed_is_left_out(slug: str) -> None:
    """Every passage of the extract is in the workbook, page furniture aside: no topic, statement or heading dropped."""
    wb = workbook(slug)
    texts = [wb.title, wb.subtitle, wb.action_plan.intro, *wb.action_plan.prompts]
    texts += [repaired(slug).get(topic.title, "") for topic in wb.topics]
    for section in wb.sections:
        texts += [section.title, section.intro, section.group]
        texts += [text for topic in section.topics for text in (topic.title, *topic.statements, topic.note)]
    texts += [text for page in (*wb.front, *wb.back) for text in (page.title, page.body)]
    lines = FURNITURE.sub("", source(slug)).split("\n")  # the furniture goes, the lines stay where they were
    letters = "".join(words(line) for line in lines)
    line_of = [number for number, line in enumerate(lines, start=1) for _ in words(line)]
    covered = bytearray(len(letters))
    for printed in REWORDED.get(slug, {}):
        assert words(printed) in letters, f"REWORDED: {printed!r} is not printed in tests/sources/{slug}.txt"
    for part in {part for text in (*texts, *REWORDED.get(slug, {})) for part in pieces(text) if len(part) >= 10}:
        at = letters.find(part)
        while at >= 0:
            covered[at : at + len(part)] = b"\1" * len(part)
            at = letters.find(part, at + 1)
    left_out = [
        f"tests/sources/{slug}.txt:{line_of[start]}-{line_of[end - 1]}: {end - start} letters from "
        f"{letters[start : start + 40]!r}"
        for start, end in runs(covered)
        if end - start >= MISSING_LETTERS
    ]
    assert not left_out, "printed in the source but not in the workbook:\n" + "\n".join(left_out)


def runs(covered: bytearray) -> Iterator[tuple[int, int]]:
    """The (start, end) of every stretch of letters not covered."""
    for match in re.finditer(rb"\0+", bytes(covered)):
        yield match.start(), match.end()


# The outline each source prints: [(heading, [entry, ...])], an entry being a topic's title as
# listed (a contents line may shorten it) or, for the Health Check, a feature's first statement.


def wigan_contents() -> list[tuple[str, str, int | None]]:
    """Wigan's contents: (tier, title, threshold or None) for each topic listed."""
    contents = source("wigan").split("Tick one box", 1)[0]  # the contents is all before the first topic page
    listed, tier = [], ""
    for line in contents.splitlines():
        if heading := re.match(r"## To achieve (\w+)\s*$", line):
            tier = heading[1]
        elif entry := re.match(r"\d+ (.+?)(?: \(must achieve (\d)[^)]*\))? ?\.{3,}\s*\d+$", line):
            listed.append((tier, entry[1], int(entry[2]) if entry[2] else None))
    return listed


def wigan_outline() -> list[tuple[str, list[str]]]:
    """Wigan's contents, topics under their tier."""
    outline: dict[str, list[str]] = {}
    for tier, title, _ in wigan_contents():
        outline.setdefault(tier, []).append(title)
    return list(outline.items())


def homecare_outline() -> list[tuple[str, list[str]]]:
    """Homecare prints no contents; its summary of actions lists every topic under its section."""
    outline: list[tuple[str, list[str]]] = []
    for line in source("homecare").split(" Summary of actions", 1)[1].split("Detailed action plan", 1)[0].splitlines():
        if heading := re.match(r"Section \d+ [-\u2013] (.+)$", line):
            outline.append((heading[1], []))
        elif outline and re.match(r"\d+ ", line):
            outline[-1][1].append(line.split(" ", 1)[1])
        elif outline and outline[-1][1] and line.strip():
            outline[-1][1][-1] += " " + line.strip()  # a title wrapped onto the next line
    return outline


def reablement_outline() -> list[tuple[str, list[str]]]:
    """Reablement's contents; a section that lists no topic is one topic of the section's title."""
    contents = source("reablement").split("Action planning summary", 1)[0]
    outline: list[tuple[str, list[str]]] = []
    for line in contents.splitlines():
        if heading := re.match(r"Section \d+ - (.+?)(?:\.{3,})?\t\d+$", line):
            outline.append((heading[1], []))
        elif outline and (entry := re.match(r"\d+\.? (.+?)(?:\.{3,})?\t\d+$", line)):
            outline[-1][1].append(entry[1])
    return [(heading, entries or [heading]) for heading, entries in outline]


def health_check_blocks() -> list[tuple[str, str]]:
    """The Health Check's checklist: (heading, text under it) for each numbered or lettered heading."""
    parts = re.split(r"^(?:\d|[a-f])\.\s+(.+?)\s*$", source("health-check"), flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def health_check_outline() -> list[tuple[str, list[str]]]:
    """The Health Check's features under each heading that has any, by their first (Getting Started) statement."""
    outline = []
    for heading, block in health_check_blocks():
        features = re.findall(r"^\t(\d+)\s*\n\t(.+)$", block, re.MULTILINE)
        if features:
            assert [int(n) for n, _ in features] == list(range(1, len(features) + 1)), heading
            outline.append((heading, [first for _, first in features]))
    return outline


# Managers prints neither contents nor a list of its topics: see test_managers_topics_are_under_their_printed_section.
OUTLINES: dict[str, Callable[[], list[tuple[str, list[str]]]]] = {
    "wigan": wigan_outline,
    "homecare": homecare_outline,
    "reablement": reablement_outline,
    "health-check": health_check_outline,
}


def listed_as(slug: str, topic: Topic) -> str:
    """The letters by which a source's outline names a topic."""
    return words(topic.statements[0] if slug in UNTITLED else topic.title)


@pytest.mark.parametrize("slug", sorted(OUTLINES))
def test_every_topic_the_source_lists_is_there_in_order(slug: str) -> None:
    """Each topic of the printed outline is a topic of the workbook, in the printed order, one printed section in one section."""
    wb, outline = workbook(slug), OUTLINES[slug]()
    assert outline and all(entries for _, entries in outline), f"no outline read from tests/sources/{slug}.txt"
    topics = [(section, topic) for section in wb.sections for topic in section.topics]
    problems: list[str] = []
    after, placed = 0, []
    for heading, entries in outline:
        sections: list[Section] = []
        for entry in entries:
            found = next(
                (i for i in range(after, len(topics)) if listed_as(slug, topics[i][1]).startswith(words(entry))), None
            )
            if found is None:
                before = f"after topic {topics[after - 1][1].id}" if after else "at all"
                problems.append(f"{heading}: {entry[:70]!r} is not a topic of the workbook {before}")
                continue
            after = found + 1
            if topics[found][0] not in sections:
                sections.append(topics[found][0])
        if len(sections) > 1:
            problems.append(f"{heading}: its topics are split over sections {[s.id for s in sections]}")
        placed += [section.id for section in sections[:1]]
    merged = sorted({ident for ident in placed if placed.count(ident) > 1})
    assert not merged, f"printed sections merged into one section of the workbook: {merged}"
    assert not problems, "\n".join(problems)


def test_managers_topics_are_under_their_printed_section() -> None:
    """Managers lists its topics nowhere: each title is printed under its section's heading, in the workbook's order."""
    letters, problems, starts = source_words("managers"), [], []
    at = 0
    for section in workbook("managers").sections:
        at = letters.find(words(section.title), at)
        if at < 0:
            problems.append(f"section {section.id}: heading {section.title!r} not printed after the previous section's")
            break
        starts.append((section, at))
    for index, (section, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(letters)
        at = start
        for topic in section.topics:
            title = words(repaired("managers").get(topic.title, topic.title))
            found = letters.find(title, at, end)
            if found >= 0:
                at = found + len(title)
            elif title in letters:  # not printed at all: the fidelity test names it
                problems.append(
                    f"topic {topic.id} is printed, but not under {section.title!r} after the topic before it"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_topic_has_one_statement_per_level(slug: str) -> None:
    """Each topic can be scored: one statement for each level of the workbook's scale."""
    wb = workbook(slug)
    assert [t.id for t in wb.topics if len(t.statements) != len(wb.levels)] == []


def test_wigan_tiers_and_thresholds_follow_the_source() -> None:
    """Wigan's tiers as its contents orders them, each topic in its tier, each with the 'must achieve' threshold printed."""
    wb, contents = workbook("wigan"), wigan_contents()
    assert wb.tiers == tuple(dict.fromkeys(tier for tier, _, _ in contents))
    # The contents gives no threshold for topic 18; its topic page does ("must achieve 5").
    pages = source("wigan").split("Tick one box", 1)[1]
    printed = {
        words(title): int(n) for title, n in re.findall(r"^\W*\d+\W* (.+?) \(must achieve (\d)", pages, re.MULTILINE)
    }
    found = {words(topic.title): (section.tier, topic) for section in wb.sections for topic in section.topics}
    problems = []
    for tier, title, threshold in contents:
        if words(title) not in found:
            continue  # the outline test names it
        section_tier, topic = found[words(title)]
        expected = threshold if threshold is not None else printed.get(words(title))
        if section_tier != tier:
            problems.append(f"{topic.id}: in tier {section_tier}, printed under 'To achieve {tier}'")
        if expected is None or topic.threshold != expected:
            problems.append(f"{topic.id}: threshold {topic.threshold}, printed 'must achieve {expected}'")
    assert not problems, "\n".join(problems)


def test_health_check_headings_and_levels() -> None:
    """The Health Check's characteristics and the parts of 'Making it happen' as printed, on the levels its tables print."""
    wb, blocks = workbook("health-check"), health_check_blocks()
    columns = {
        tuple(column.strip() for column in header.strip("\n").split("\n"))
        for _, block in blocks
        for header in re.findall(r"^\t\n((?:\t.+\n)+)\n\t1\s*$", block, re.MULTILINE)
    }
    assert columns == {wb.levels}
    # Scored by the share of ticks at each level: "the graph will ... show how [well] you are doing as a percentage".
    assert "as a percentage" in source("health-check")
    assert wb.summary.name == "percentage"
    # The characteristic with no features of its own ("5. Making it happen") groups the lettered parts after it.
    headings = [heading for heading, _ in blocks]
    group = next(heading for heading, block in blocks if not re.search(r"^\t1\s*$", block, re.MULTILINE))
    characteristics, parts = headings[: headings.index(group)], headings[headings.index(group) + 1 :]
    assert [words(s.title) for s in wb.sections if not s.group] == [words(h) for h in characteristics]
    assert [words(s.title) for s in wb.sections if s.group] == [words(part) for part in parts]
    groups = {s.group for s in wb.sections if s.group}
    # Named in full as "Using the Checklist" prints it: "Making it happen - outcomes for people".
    assert len(groups) == 1
    assert all(words(g).startswith(words(group)) and words(g) in source_words("health-check") for g in groups)


def content_files() -> list[Path]:
    """Every content file in the repository."""
    return sorted(path for path in (REPO / "content").rglob("*") if path.suffix in (".yaml", ".md"))


def test_no_extraction_noise_anywhere() -> None:
    """No OCR slips, stray bullets, running titles, page furniture or HTML fragments in any content."""
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()[:80]}"
        for path in content_files()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if NOISE.search(line)
    ]
    assert found == []


# A detailed action-plan page's heading, as the sources print it: "Detailed action plan to achieve Gold
# (optional)" (Wigan, a Markdown heading), "Detailed action plan" (homecare, reablement), "Action plan" (managers).
PLAN_HEADING = re.compile(r"^[ #]*(?:Detailed action plan|Action plan)\b(.*)$", re.MULTILINE)
PLANNED = ("wigan", "homecare", "managers", "reablement")  # the Health Check prints one framework, not plan pages


@pytest.mark.parametrize("slug", PLANNED)
def test_each_detailed_action_plan_is_as_printed(slug: str) -> None:
    """As many plans as the source prints, each with its heading's words and its own prompts, in order."""
    text = source(slug)
    start = re.search(PLAN_HEADING.pattern + r"\n[\s#]*Top", text, re.MULTILINE)  # the first plan's page
    assert start, f"tests/sources/{slug}.txt prints no detailed action plan"
    parts = PLAN_HEADING.split(text[start.start() :])[1:]  # heading's words, page, heading's words, page, ...
    printed = list(zip(parts[::2], parts[1::2], strict=True))
    plans = workbook(slug).action_plan.plans
    assert len(plans) == len(printed), f"{slug}: {len(plans)} plans, the source prints {len(printed)}"
    for number, (plan, (heading, page)) in enumerate(zip(plans, printed, strict=True), start=1):
        assert words(plan.title) == words(heading), f"{slug} plan {number}: {plan.title!r}, printed {heading!r}"
        assert words(" ".join(plan.prompts)) == words(page), f"{slug} plan {number}: its prompts are not as printed"
