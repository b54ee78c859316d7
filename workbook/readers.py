"""Read content/ into the model, checking every file in one pass and recording every problem found."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import Node, SequenceNode

from .content import ID_PATTERN, Reference, Source, split_front_matter
from .markup import refused_links
from .model import (
    FILLABLE_SUFFIX,
    SUMMARIES,
    ActionPlan,
    Framework,
    FrameworkItem,
    Page,
    Plan,
    Project,
    Section,
    TemplateBox,
    Tool,
    ToolTemplate,
    Topic,
    Workbook,
    requirement,
)
from .problems import ContentError, Problem, shown_path
from .qr import EXPECTED_URL, check_site_url
from .references import reference_problem
from .search import fold

logger = logging.getLogger(__name__)

SHARED = "_shared"
NUMBERINGS = ("workbook", "section")
LAYOUTS = ("list", "columns")
RESERVED_PAGE_IDS = ("index", "score", "sections", "frameworks", "tools", "pdf", "assets", "guide", "search")
# Ids that topics, framework items and tools may not take: pages use them as element ids ("main"), and
# the scoring page keeps answers by topic id in objects, where "constructor" and "prototype" are taken, and
# the fillable booklet names its fields by them beside its own ("booklet.edition": workbook/forms.py).
# tests/test_code.py checks that every id the layouts and scripts give their own elements is here.
RESERVED_IDS = frozenset(
    """constructor prototype booklet action-plan assessment assessment-choice assessment-date assessment-name
    assessment-name-hint assessment-panel assessment-people backup-list backup-notice blocking chart
    chart-caption compare compare-content compare-counts compare-now compare-table compare-then confirm-delete
    confirm-delete-no confirm-delete-text confirm-delete-yes contents delete-assessment export export-all
    export-content export-csv export-current export-json formula heading-chart heading-chart-caption
    import-files import-hint main new-assessment next-tier-title plan plan-content plan-default plan-group-below
    plan-group-rest plan-others plan-others-title plan-priorities plan-priorities-title plan-top plan-top-list
    print-buttons print-results progress results-for score-app score-form scoring-data search-form search-hint
    search-q search-results search-status search-workbook site-search-q status storage-problem summary
    summary-content summary-of-actions summary-sheet summary-table team team-content team-table tier-reached
    tiers tiers-content tools topics""".split()  # noqa: SIM905 (a word list reads better as words)
)
# A tool's blank template fills one printed page: no more headings than fit across and down it.
MAX_COLUMNS = 6
MAX_ROWS = 8
MAX_BOXES = 6
SYNONYM_GROUP = "a synonym group"
WORKBOOK_KEYS = ("title", "subtitle", "short_title", "audience", "levels", "summary", "sections", "action_plan")
WORKBOOK_OPTIONAL_KEYS = ("publisher", "numbering", "layout", "tiers", "front", "back", "frameworks")


@dataclass
class Reader:
    """What every reader shares: the project folder that messages name paths from, and the problems found."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)  # cross-references read, checked per workbook

    def open(self, path: Path) -> Source:
        """Open a content file for reading, named as messages name it."""
        return Source(path, shown_path(path, self.root), self.problems, self.root, self.references)

    def problem(self, path: Path, message: str) -> None:
        """Record a problem with a file or folder as a whole."""
        self.problems.append(Problem(shown_path(path, self.root), 1, message))


@dataclass
class Scale:
    """How a workbook is scored and laid out: what its sections are read against."""

    levels: tuple[str, ...]
    tiers: tuple[str, ...]
    tool_ids: set[str]
    numbering: str
    summary: str
    layout: str
    topic_lines: dict[str, str] = field(default_factory=dict)  # topic id -> where it was first defined


def read_project(content: Path) -> Project:
    """Read and check every content file; raise ContentError with every problem found."""
    reader = Reader(content.parent)
    title, intro, url = read_site(reader, content / SHARED / "site.yaml")
    refuse_references(reader, "the site's home page belongs to no workbook")
    tools = read_tools(reader, content / SHARED / "tools")
    synonyms = read_synonyms(reader, content / SHARED / "search.yaml")
    tool_ids = {tool.id for tool in tools}
    folders = sorted(path for path in content.iterdir() if path.is_dir() and not path.name.startswith((".", SHARED)))
    workbooks = []
    for folder in folders:
        if not ID_PATTERN.match(folder.name):
            reader.problem(folder, "a workbook folder name must be lower-case letters, digits and hyphens")
        elif folder.name.endswith(FILLABLE_SUFFIX):
            reader.problem(
                folder,
                f"a workbook folder name may not end in '{FILLABLE_SUFFIX}' "
                f"(expected another name: pdf/{folder.name}.pdf is the name of a fillable booklet)",
            )
        elif (workbook := read_workbook(reader, folder, tool_ids)) is not None:
            workbooks.append(workbook)
    if not folders:
        reader.problem(content, "no workbooks (expected a folder per workbook)")
    if reader.problems:
        raise ContentError(reader.problems)
    return Project(title=title, intro=intro, tools=tools, workbooks=tuple(workbooks), url=url, synonyms=synonyms)


def read_site(reader: Reader, path: Path) -> tuple[str, str, str]:
    """Read the site's title, home-page introduction (the one place for branding) and address, ending in '/'."""
    source = reader.open(path)
    if not path.exists() and not path.is_symlink():
        source.problem(1, "missing file (expected the site's title and intro)")
        return "", "", ""
    node = source.read_yaml()
    fields = source.mapping(node, "site.yaml", ("title", "intro"), ("url",)) if node else None
    if not fields:
        return "", "", ""
    written = _optional_text(source, fields, "url")
    url, wrong = check_site_url(written) if written else ("", "")
    if wrong:
        source.problem(fields["url"], f"url '{written}' {wrong} ({EXPECTED_URL})")
    return _optional_text(source, fields, "title"), _optional_text(source, fields, "intro"), url


def read_synonyms(reader: Reader, path: Path) -> tuple[tuple[str, ...], ...]:
    """Read search's synonym groups (the file is optional): each a list of single words, each word in one group."""
    if not path.exists() and not path.is_symlink():
        return ()
    source = reader.open(path)
    node = source.read_yaml()
    fields = source.mapping(node, "search.yaml", ("synonyms",)) if node else None
    if not fields or "synonyms" not in fields:
        return ()
    groups: list[tuple[str, ...]] = []
    seen: dict[str, tuple[int, int]] = {}  # each word (as search compares it) -> its group's number and line
    for number, group_node in enumerate(source.sequence(fields["synonyms"], "synonyms")):
        if not isinstance(group_node, SequenceNode):
            source.problem(group_node, f"{SYNONYM_GROUP} should be a list (expected [word, word, ...])")
            continue
        words = [word for word in source.texts(group_node, SYNONYM_GROUP) if _synonym_word(source, group_node, word)]
        line = group_node.start_mark.line + 1
        for word in words:
            if fold(word) in seen:
                other, other_line = seen[fold(word)]
                where = "in this group" if other == number else f"in the group at line {other_line}"
                source.problem(group_node, f"synonym '{word}' is already {where} (expected each word in one group)")
            seen.setdefault(fold(word), (number, line))
        if len(group_node.value) == 1:
            source.problem(group_node, f"{SYNONYM_GROUP} has one word (expected two or more that mean the same)")
        elif words and len(words) == len(group_node.value):
            groups.append(tuple(fold(word) for word in words))
    return tuple(groups)


def _synonym_word(source: Source, node: Node, word: str) -> bool:
    """Say whether a synonym is one word as search compares words; record it if not."""
    if len(fold(word).split()) == 1:
        return True
    source.problem(node, f"synonym '{word}' is not one word (expected a single word of letters or digits)")
    return False


def read_tools(reader: Reader, folder: Path) -> tuple[Tool, ...]:
    """Read the shared tools, one YAML file each."""
    tools: list[Tool] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        source = reader.open(path)
        if not ID_PATTERN.match(path.stem):
            source.problem(
                1, f"tool file name '{path.stem}' is not a valid id (expected lower-case letters, digits and hyphens)"
            )
            continue
        if is_reserved(path.stem):
            source.problem(1, f"tool file name '{path.stem}' is taken by the pages themselves (expected another name)")
            continue
        node = source.read_yaml()
        fields = source.mapping(node, "a tool", ("name",), ("template",)) if node else None
        name = source.text(fields["name"], "name") if fields and "name" in fields else None
        template = read_template(source, fields["template"]) if fields and "template" in fields else None
        if name:
            tools.append(Tool(id=path.stem, name=name, template=template))
    return tuple(sorted(tools, key=lambda tool: tool.name.casefold()))


def read_template(source: Source, node: Node) -> ToolTemplate | None:
    """Read a tool's blank template: a title, then columns (maybe rows) for a table, boxes, or both."""
    fields = source.mapping(node, "a template", ("title",), ("columns", "rows", "boxes"))
    if fields is None:
        return None
    columns = _template_texts(source, fields, "columns", MAX_COLUMNS, "to fit across the page")
    rows = _template_texts(source, fields, "rows", MAX_ROWS, "to fit down the page")
    boxes = [
        box
        for item in (source.sequence(fields["boxes"], "boxes") if "boxes" in fields else [])
        if (box := _read_template_box(source, item)) is not None
    ]
    if len(boxes) > MAX_BOXES:
        source.problem(fields["boxes"], f"boxes has {len(boxes)} entries (expected at most {MAX_BOXES}, to fit a page)")
    if "rows" in fields and "columns" not in fields:
        source.problem(fields["rows"], "rows without columns (expected columns: too, the headings across the table)")
    if "columns" not in fields and "boxes" not in fields:
        source.problem(node, "a template with nothing to write in (expected columns:, boxes: or both)")
    title = source.text(fields["title"], "title") if "title" in fields else None
    if title is None:
        return None
    return ToolTemplate(title=title, columns=tuple(columns), rows=tuple(rows), boxes=tuple(boxes))


def _template_texts(source: Source, fields: dict[str, Node], key: str, most: int, why: str) -> list[str]:
    """Read a template's column or row headings: a list of at most `most` texts."""
    if key not in fields:
        return []
    texts = source.texts(fields[key], key)
    if len(texts) > most:
        source.problem(fields[key], f"{key} has {len(texts)} entries (expected at most {most}, {why})")
    return texts


def _read_template_box(source: Source, node: Node) -> TemplateBox | None:
    """Read one box of a template: its heading and an optional prompt."""
    fields = source.mapping(node, "a box", ("heading",), ("prompt",))
    if fields is None or "heading" not in fields:
        return None
    heading = source.text(fields["heading"], "heading")
    return TemplateBox(heading=heading, prompt=_optional_text(source, fields, "prompt")) if heading else None


def _optional_text(source: Source, fields: dict[str, Node], key: str) -> str:
    """Return an optional text field, or '' when absent."""
    return (source.text(fields[key], key) or "") if key in fields else ""


def read_workbook(reader: Reader, folder: Path, tool_ids: set[str]) -> Workbook | None:
    """Read one workbook folder; record every problem found."""
    reader.references.clear()  # a workbook's cross-references are checked against its own parts only
    source = reader.open(folder / "workbook.yaml")
    if not source.path.exists() and not source.path.is_symlink():
        source.problem(1, "missing file (every workbook folder needs a workbook.yaml)")
        return None
    node = source.read_yaml()
    fields = source.mapping(node, "workbook.yaml", WORKBOOK_KEYS, WORKBOOK_OPTIONAL_KEYS) if node else None
    if fields is None:
        return None
    before = len(reader.problems)
    text = {key: source.text(fields[key], key) or "" for key in WORKBOOK_KEYS[:4] if key in fields}
    scale = _read_scale(source, fields, tool_ids)
    front, back = _read_matter(reader, folder, source, fields)
    sections = _read_sections(reader, folder, source, fields.get("sections"), scale)
    # References are checked only against sections that read cleanly, so one mistake gives one message.
    targets = None
    if len(reader.problems) == before:
        targets = {"topics": {t.id for s in sections for t in s.topics}, "sections": {s.id for s in sections}}
    frameworks = _read_frameworks(reader, folder, source, fields.get("frameworks"), targets)
    action_plan = _read_action_plan(source, fields["action_plan"], scale.tiers) if "action_plan" in fields else None
    since = len(reader.references)
    tools_intro, wordings = _read_tool_wordings(reader, folder / "tools.yaml", tool_ids)
    refuse_references(reader, "the site's tools page shows every workbook's wording", since)
    if len(reader.problems) > before or action_plan is None:
        return None
    workbook = Workbook(
        slug=folder.name,
        title=text["title"],
        subtitle=text["subtitle"],
        short_title=text["short_title"],
        publisher=_optional_text(source, fields, "publisher"),
        audience=text["audience"],
        levels=scale.levels,
        summary=SUMMARIES[scale.summary],
        numbering=scale.numbering,
        layout=scale.layout,
        tiers=scale.tiers,
        front=front,
        sections=sections,
        back=back,
        frameworks=frameworks,
        action_plan=action_plan,
        tools_intro=tools_intro,
        tool_wordings=wordings,
    )
    check_references(reader, workbook)
    return None if len(reader.problems) > before else workbook


def check_references(reader: Reader, workbook: Workbook) -> None:
    """Check that each cross-reference read since the last check names one part of the workbook."""
    for reference in reader.references:
        message = reference_problem(workbook, reference.target)
        if message:
            reader.problems.append(reference.problem(message))
    reader.references.clear()


def refuse_references(reader: Reader, why: str, since: int = 0) -> None:
    """Refuse the cross-references read since `since`: they stand where no workbook's pages are."""
    for reference in reader.references[since:]:
        reader.problems.append(
            reference.problem(f"cross-reference 'page:{reference.target}' is not allowed here ({why}; expected none)")
        )
    del reader.references[since:]


def _read_scale(source: Source, fields: dict[str, Node], tool_ids: set[str]) -> Scale:
    """Read how the workbook is scored and laid out: levels, tiers, numbering, summary, layout."""
    levels = tuple(source.texts(fields["levels"], "levels")) if "levels" in fields else ()
    if "levels" in fields and len(levels) < 2:
        source.problem(
            fields["levels"], "levels has fewer than two entries (expected a label per tick box, lowest first)"
        )
    summary = _choice(source, fields, "summary", tuple(SUMMARIES), "mean")
    numbering = _choice(source, fields, "numbering", NUMBERINGS, "workbook")
    layout = _choice(source, fields, "layout", LAYOUTS, "list")
    tiers = tuple(source.texts(fields["tiers"], "tiers")) if "tiers" in fields else ()
    return Scale(levels, tiers, tool_ids, numbering, summary, layout)


def _read_matter(
    reader: Reader, folder: Path, source: Source, fields: dict[str, Node]
) -> tuple[tuple[Page, ...], tuple[Page, ...]]:
    """Read the front and back matter pages; each page once."""
    front = _read_pages(reader, folder, source, fields.get("front"), "front")
    back = _read_pages(reader, folder, source, fields.get("back"), "back")
    pages_seen = [page.id for page in front + back]
    for page_id in sorted({page_id for page_id in pages_seen if pages_seen.count(page_id) > 1}):
        source.problem(fields["front"], f"page '{page_id}' is listed twice (expected each page once)")
    return front, back


def _choice(source: Source, fields: dict[str, Node], key: str, choices: tuple[str, ...], default: str) -> str:
    """Return a field that must be one of a few words."""
    if key not in fields:
        return default
    value = source.text(fields[key], key)
    if value is not None and value not in choices:
        source.problem(fields[key], f"{key} '{value}' is not known (expected one of: {', '.join(choices)})")
    return value if value in choices else default


def _listed_files(
    source: Source, node: Node | None, what: str, folder: Path, suffix: str
) -> list[tuple[str, Path, Node]]:
    """Return the files a list of ids in workbook.yaml names; record missing ones."""
    if node is None:
        return []
    found = []
    seen: set[str] = set()
    for ident, item in source.idents(node, what):
        path = folder / f"{ident}{suffix}"
        if ident in seen:
            source.problem(item, f"'{ident}' is listed twice in {what} (expected each once)")
        elif not path.exists() and not path.is_symlink():
            source.problem(item, f"{what} names '{ident}' but {_rel(path, source)} does not exist (expected that file)")
        else:
            found.append((ident, path, item))
        seen.add(ident)
    return found


def _rel(path: Path, source: Source) -> str:
    """Show a file beside workbook.yaml the way messages name files."""
    base = source.shown.rsplit("/", 1)[0]
    return f"{base}/{path.relative_to(source.path.parent).as_posix()}"


def _read_pages(reader: Reader, folder: Path, source: Source, node: Node | None, what: str) -> tuple[Page, ...]:
    """Read the Markdown pages a list in workbook.yaml names."""
    pages = []
    for ident, path, item in _listed_files(source, node, what, folder, ".md"):
        if ident in RESERVED_PAGE_IDS:
            source.problem(
                item, f"page id '{ident}' is reserved (expected another name than {', '.join(RESERVED_PAGE_IDS)})"
            )
            continue
        page = read_page(reader.open(path), ident)
        if page is not None:
            pages.append(page)
    return tuple(pages)


def read_page(source: Source, ident: str) -> Page | None:
    """Read a Markdown page with its YAML header."""
    text = source.read_text_file()
    if text is None:
        return None
    header, body, first_line = split_front_matter(source, text)
    for message in refused_links(body):
        url = message.split("'")[1]
        line = next((n for n, row in enumerate(body.split("\n"), start=first_line) if url in row), first_line)
        source.problem(line, message)
    source.note_references(body, first_line)
    fields = source.mapping(header, "the page header", ("title",)) if header else None
    title = source.text(fields["title"], "title") if fields and "title" in fields else None
    if not body.strip():
        source.problem(1, "the page has no text after its header (expected Markdown)")
        return None
    return Page(id=ident, title=title, body=body) if title else None


def _read_sections(
    reader: Reader, folder: Path, source: Source, node: Node | None, scale: Scale
) -> tuple[Section, ...]:
    """Read every section file workbook.yaml lists, numbering topics as it says."""
    sections: list[Section] = []
    listed = _listed_files(source, node, "sections", folder / "sections", ".yaml")
    for number, (ident, path, _) in enumerate(listed, start=1):
        first = 1 if scale.numbering == "section" else sum(len(s.topics) for s in sections) + 1
        section = read_section(reader.open(path), ident, number, first, scale)
        if section is not None:
            sections.append(section)
    return tuple(sections)


def read_section(source: Source, ident: str, number: int, first_topic: int, scale: Scale) -> Section | None:
    """Read one section file and its topics."""
    node = source.read_yaml()
    fields = source.mapping(node, "a section", ("title", "topics"), ("group", "tier", "intro")) if node else None
    if node is None or fields is None:
        return None
    title = source.text(fields["title"], "title") if "title" in fields else None
    tier = _optional_text(source, fields, "tier")
    if scale.tiers and not tier:
        source.problem(
            node, f"missing key 'tier' in a section (the workbook has tiers: expected one of {', '.join(scale.tiers)})"
        )
    elif tier and tier not in scale.tiers:
        expected = f"one of {', '.join(scale.tiers)}" if scale.tiers else "no tier, as workbook.yaml declares no tiers"
        source.problem(fields["tier"], f"tier '{tier}' is not a tier of this workbook (expected {expected})")
    topics = []
    for index, topic_node in enumerate(source.sequence(fields["topics"], "topics") if "topics" in fields else []):
        topic = read_topic(source, topic_node, first_topic + index, scale)
        if topic is not None:
            topics.append(topic)
    if title is None:
        return None
    return Section(
        id=ident,
        number=number,
        title=title,
        group=_optional_text(source, fields, "group"),
        tier=tier,
        intro=_optional_text(source, fields, "intro"),
        topics=tuple(topics),
    )


def read_topic(source: Source, node: Node, number: int, scale: Scale) -> Topic | None:
    """Read one topic; check its statements against the scale, its threshold and tools."""
    fields = source.mapping(node, "a topic", ("id", "title", "statements"), ("threshold", "note", "tools"))
    if fields is None:
        return None
    ident = anchor_id(source, fields["id"], "topic id") if "id" in fields else None
    if ident is not None:
        _check_unique_topic(source, fields["id"], ident, scale)
    title = source.text(fields["title"], "title") if "title" in fields else None
    statements = tuple(source.texts(fields["statements"], "statements")) if "statements" in fields else ()
    levels = scale.levels
    if "statements" in fields and levels and len(statements) != len(levels):
        source.problem(
            fields["statements"],
            f"topic '{ident}' has {len(statements)} statements "
            f"(expected {len(levels)}, one per level: {', '.join(levels)})",
        )
    threshold = (
        source.integer(fields["threshold"], "threshold", 1, max(len(levels), 1)) if "threshold" in fields else None
    )
    if scale.tiers and "threshold" not in fields:
        source.problem(node, f"topic '{ident}' has no threshold (the workbook has tiers: expected 'threshold: N')")
    tools = _read_topic_tools(source, fields, scale)
    if ident is None or title is None:
        return None
    return Topic(
        id=ident,
        number=number,
        title=title,
        statements=statements,
        threshold=threshold,
        requirement=requirement(threshold, levels) if threshold and threshold <= len(levels) else "",
        tools=tools,
        note=_optional_text(source, fields, "note"),
    )


def is_reserved(ident: str) -> bool:
    """Tell whether an id, or the "<id>-title" a page makes of it, is one the pages use for themselves."""
    return ident in RESERVED_IDS or ident.removesuffix("-title") in RESERVED_IDS or f"{ident}-title" in RESERVED_IDS


def anchor_id(source: Source, node: Node, what: str) -> str | None:
    """Return an id that pages also use as an element id and the scoring page as a key: none of RESERVED_IDS."""
    ident = source.ident(node, what)
    if ident is not None and is_reserved(ident):
        source.problem(node, f"{what} '{ident}' is taken by the pages themselves (expected another id)")
        return None
    return ident


def _check_unique_topic(source: Source, node: Node, ident: str, scale: Scale) -> None:
    """Record a topic id used twice in a workbook, naming where it was first used."""
    if ident in scale.topic_lines:
        source.problem(
            node,
            f"duplicate topic id '{ident}' (already used at {scale.topic_lines[ident]}; "
            "expected each topic id once in a workbook)",
        )
    else:
        scale.topic_lines[ident] = f"{source.shown}:{node.start_mark.line + 1 + source.offset}"


def _read_topic_tools(source: Source, fields: dict[str, Node], scale: Scale) -> tuple[str, ...]:
    """Read the tools a topic names; each must be in the shared glossary."""
    tools = []
    for tool, item in source.idents(fields["tools"], "tools") if "tools" in fields else []:
        if tool not in scale.tool_ids:
            source.problem(
                item, f"tool '{tool}' is not in the glossary (expected a file content/{SHARED}/tools/{tool}.yaml)"
            )
        tools.append(tool)
    return tuple(tools)


def _read_frameworks(
    reader: Reader, folder: Path, source: Source, node: Node | None, targets: dict[str, set[str]] | None
) -> tuple[Framework, ...]:
    """Read every framework file workbook.yaml lists."""
    frameworks = []
    for ident, path, _ in _listed_files(source, node, "frameworks", folder / "frameworks", ".yaml"):
        framework = read_framework(reader.open(path), ident, targets)
        if framework is not None:
            frameworks.append(framework)
    return tuple(frameworks)


def read_framework(source: Source, ident: str, targets: dict[str, set[str]] | None) -> Framework | None:
    """Read one framework and check that its items point at real topics and sections."""
    node = source.read_yaml()
    fields = source.mapping(node, "a framework", ("title", "items"), ("intro",)) if node else None
    if fields is None:
        return None
    items = []
    seen: set[str] = set()
    for item_node in source.sequence(fields["items"], "items") if "items" in fields else []:
        item = _read_framework_item(source, item_node, targets)
        if item is not None and item.id in seen:
            source.problem(item_node, f"duplicate item id '{item.id}' (expected each item id once in a framework)")
        elif item is not None:
            seen.add(item.id)
            items.append(item)
    title = source.text(fields["title"], "title") if "title" in fields else None
    if title is None:
        return None
    return Framework(id=ident, title=title, intro=_optional_text(source, fields, "intro"), items=tuple(items))


def _read_framework_item(source: Source, node: Node, targets: dict[str, set[str]] | None) -> FrameworkItem | None:
    """Read one framework item and its links."""
    fields = source.mapping(node, "a framework item", ("id", "title"), ("text", "topics", "sections"))
    if fields is None:
        return None
    links = {}
    for key in ("topics", "sections"):
        found = source.idents(fields[key], key) if key in fields else []
        for target, item in found:
            if targets is not None and target not in targets[key]:
                source.problem(
                    item, f"{key[:-1]} '{target}' does not exist in this workbook (expected the id of one of its {key})"
                )
        links[key] = tuple(target for target, _ in found)
    ident = anchor_id(source, fields["id"], "item id") if "id" in fields else None
    title = source.text(fields["title"], "title") if "title" in fields else None
    if ident is None or title is None:
        return None
    return FrameworkItem(
        id=ident,
        title=title,
        text=_optional_text(source, fields, "text"),
        sections=links["sections"],
        topics=links["topics"],
    )


def _read_action_plan(source: Source, node: Node, tiers: tuple[str, ...]) -> ActionPlan | None:
    """Read the summary of actions' intro and the detailed action plans, one per tier or three unless listed."""
    fields = source.mapping(node, "action_plan", (), ("intro", "prompts", "plans"))
    if fields is None:
        return None
    prompts = tuple(source.texts(fields["prompts"], "prompts")) if "prompts" in fields else ()
    if "plans" in fields:
        plans = [_read_plan(source, item, prompts) for item in source.sequence(fields["plans"], "plans")]
    else:
        plans = [Plan(f"to achieve {tier}", prompts) for tier in tiers] or [Plan("", prompts)] * 3
    if any(plan is not None and not plan.prompts for plan in plans):
        source.problem(node, "a detailed action plan has no prompts (expected 'prompts' in action_plan or its plans)")
        return None
    if None in plans or not plans:
        return None
    return ActionPlan(intro=_optional_text(source, fields, "intro"), plans=tuple(plan for plan in plans if plan))


def _read_plan(source: Source, node: Node, prompts: tuple[str, ...]) -> Plan | None:
    """Read one detailed action plan: its heading's words and its own prompts, else action_plan's."""
    fields = source.mapping(node, "a plan", (), ("title", "prompts"))
    if fields is None:
        return None
    own = tuple(source.texts(fields["prompts"], "prompts")) if "prompts" in fields else prompts
    return Plan(title=_optional_text(source, fields, "title"), prompts=own)


def _read_tool_wordings(reader: Reader, path: Path, tool_ids: set[str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Read a workbook's own wording for the tools it explains (the file is optional)."""
    if not path.exists():
        return "", ()
    source = reader.open(path)
    node = source.read_yaml()
    fields = source.mapping(node, "tools.yaml", ("tools",), ("intro",)) if node else None
    if fields is None or "tools" not in fields:
        return "", ()
    tools = source.mapping(fields["tools"], "tools", (), tuple(sorted(tool_ids)))
    wordings = []
    for tool, text_node in (tools or {}).items():
        text = source.text(text_node, f"the wording for '{tool}'")
        if text:
            wordings.append((tool, text))
    return _optional_text(source, fields, "intro"), tuple(wordings)
