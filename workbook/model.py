"""The workbook types, and every rule derived from them, in one place for every output to present."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .markup import plain

logger = logging.getLogger(__name__)

PERCENTAGE_FORMULA = (
    "Percentage = points scored ÷ (points for the top level × features answered) × 100, "  # noqa: RUF001 (the printed sign)
    "where a tick at the first level scores 1 point, the second 2, and so on."
)
KEEP_DOING = "Keep doing this"
MUST_ACHIEVE = "must achieve"  # a threshold in words: "must achieve 4 or above"
FILLABLE_SUFFIX = "-fillable"  # pdf/<slug>-fillable.pdf is a workbook's fillable booklet


@dataclass(frozen=True)
class Summary:
    """How a workbook's answers are summed up per section, as its scoring sheet does."""

    name: str  # as content/<slug>/workbook.yaml names it
    statistic: str  # what a section's result is called, as a column heading
    tally: bool  # a table of ticks per heading and level with a total row, as the Health Check has
    formula: str  # how the statistic is computed, stated wherever it is shown ("" when it needs no saying)


SUMMARIES = {
    summary.name: summary
    for summary in (
        Summary(name="mean", statistic="Mean", tally=False, formula=""),
        Summary(name="percentage", statistic="Percentage", tally=True, formula=PERCENTAGE_FORMULA),
    )
}


@dataclass(frozen=True)
class Page:
    """A Markdown page of front or back matter."""

    id: str
    title: str
    body: str


@dataclass(frozen=True)
class Topic:
    """A topic: its graded statements, lowest level first."""

    id: str
    number: int
    title: str
    statements: tuple[str, ...]
    threshold: int | None
    requirement: str  # the threshold in words, "must achieve 4 or above"; "" without a threshold
    tools: tuple[str, ...]
    note: str


def requirement(threshold: int | None, levels: tuple[str, ...]) -> str:
    """Say a threshold in words: "must achieve 4 or above", or at the top level "must achieve 5"."""
    if threshold is None:
        return ""
    above = " or above" if threshold < len(levels) else ""
    return f"{MUST_ACHIEVE} {levels[threshold - 1]}{above}"


@dataclass(frozen=True)
class Section:
    """A section of topics, maybe within a group, maybe a tier."""

    id: str
    number: int
    title: str
    group: str
    tier: str
    intro: str
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class Group:
    """Sections that stand together under one heading; a section in no group stands in one titled ''."""

    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class FrameworkItem:
    """One item of a framework and the topics it maps to."""

    id: str
    title: str
    text: str
    sections: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    """A framework a workbook maps its topics to (CQC outcomes, ASCOF, ...)."""

    id: str
    title: str
    intro: str
    items: tuple[FrameworkItem, ...]


@dataclass(frozen=True)
class Plan:
    """A detailed action-plan page: the words of its heading and its prompts, in order."""

    title: str  # after "Detailed action plan: ", "to achieve Gold (optional)"; "" numbers the page, "2 of 3"
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class ActionPlan:
    """The summary of actions' introduction and the detailed action-plan pages."""

    intro: str
    plans: tuple[Plan, ...]

    @cached_property
    def prompts(self) -> tuple[str, ...]:
        """Every plan's prompts, each once, in an order that keeps each plan's own order where the plans agree.

        A prompt one plan adds goes just before the next of its prompts that another plan had already:
        ("Top priority", "First steps") and ("Next priority", "First steps") give all three in reading order.
        """
        merged: list[str] = []
        for plan in self.plans:
            for index, prompt in enumerate(plan.prompts):
                if prompt in merged:
                    continue
                later = (merged.index(other) for other in plan.prompts[index + 1 :] if other in merged)
                merged.insert(next(later, len(merged)), prompt)
        return tuple(merged)


@dataclass(frozen=True)
class TemplateBox:
    """A space to write in on a tool's blank template: its heading and, maybe, a prompt of what goes in it."""

    heading: str
    prompt: str  # "" when the heading says it all


BLANK_ROWS = 10  # a table with no row headings gets a page's worth of blank rows to write in
BLANK_ROWS_ABOVE_BOXES = 6  # or fewer, when boxes share its page


@dataclass(frozen=True)
class ToolTemplate:
    """A tool's blank form, drawn to print and fill in by hand: a table, boxes to write in, or both."""

    title: str
    columns: tuple[str, ...]  # the table's column headings; () for no table
    rows: tuple[str, ...]  # the table's row headings; () for blank rows
    boxes: tuple[TemplateBox, ...]  # below the table, if any

    @property
    def table_rows(self) -> tuple[str, ...]:
        """Each row of the table by its heading: its row headings, or a page's worth of blank ones ('')."""
        if self.rows or not self.columns:
            return self.rows
        return ("",) * (BLANK_ROWS_ABOVE_BOXES if self.boxes else BLANK_ROWS)


@dataclass(frozen=True)
class Tool:
    """A person-centred thinking tool, named once for all workbooks, with its blank template if it has one."""

    id: str
    name: str
    template: ToolTemplate | None = None


@dataclass(frozen=True)
class Mention:
    """A topic of a workbook, as another page points at it."""

    workbook: Workbook
    section: Section
    topic: Topic


@dataclass(frozen=True)
class Workbook:
    """One workbook, whole."""

    slug: str
    title: str
    subtitle: str
    short_title: str
    publisher: str
    audience: str
    levels: tuple[str, ...]
    summary: Summary
    numbering: str
    layout: str
    tiers: tuple[str, ...]
    front: tuple[Page, ...]
    sections: tuple[Section, ...]
    back: tuple[Page, ...]
    frameworks: tuple[Framework, ...]
    action_plan: ActionPlan
    tools_intro: str
    tool_wordings: tuple[tuple[str, str], ...]

    @property
    def topics(self) -> tuple[Topic, ...]:
        """Every topic, in order."""
        return tuple(topic for section in self.sections for topic in section.topics)

    @property
    def full_title(self) -> str:
        """The workbook's name in full: its title, and its short title unless the title holds it."""
        return self.title if self.short_title in self.title else f"{self.title}: {self.short_title}"

    @property
    def numeric_levels(self) -> bool:
        """Whether the levels are the numbers 1, 2, 3, ... rather than names."""
        return all(label == str(number) for number, label in enumerate(self.levels, start=1))

    @property
    def has_thresholds(self) -> bool:
        """Whether any topic has a level it must achieve."""
        return any(topic.threshold is not None for topic in self.topics)

    @cached_property
    def groups(self) -> tuple[Group, ...]:
        """The sections in runs that share a group heading, in order."""
        groups: list[Group] = []
        for section in self.sections:
            if groups and groups[-1].title == section.group:
                groups[-1] = Group(section.group, (*groups[-1].sections, section))
            else:
                groups.append(Group(section.group, (section,)))
        return tuple(groups)

    def mapped_topics(self, item: FrameworkItem) -> tuple[Mention, ...]:
        """Return the topics a framework item maps to, in workbook order."""
        return tuple(
            Mention(self, section, topic)
            for section in self.sections
            for topic in section.topics
            if topic.id in item.topics or section.id in item.sections
        )

    @cached_property
    def items_by_topic(self) -> dict[str, tuple[tuple[Framework, FrameworkItem], ...]]:
        """For each topic id, the framework items it serves."""
        found: dict[str, list[tuple[Framework, FrameworkItem]]] = {topic.id: [] for topic in self.topics}
        for framework in self.frameworks:
            for item in framework.items:
                for mention in self.mapped_topics(item):
                    found[mention.topic.id].append((framework, item))
        return {topic: tuple(items) for topic, items in found.items()}

    @cached_property
    def mapping_summaries(self) -> dict[str, str]:
        """For each topic id, its framework items in a phrase: "Maps to 31 items in ASCOF and Making it Real"."""
        summaries = {}
        for topic, items in self.items_by_topic.items():
            names = list(dict.fromkeys(framework.title for framework, _ in items))
            summaries[topic] = f"Maps to {count(items, 'item')} in {names_in_words(names)}" if items else ""
        return summaries


@dataclass(frozen=True)
class Project:
    """Everything under content/: the site's name, the shared tools and every workbook."""

    title: str
    intro: str
    tools: tuple[Tool, ...]
    workbooks: tuple[Workbook, ...]
    url: str = ""  # where output/ is published, ending in "/" (site.yaml's url:); "" when it is not set
    synonyms: tuple[tuple[str, ...], ...] = ()  # search.yaml: groups of words search takes as one another

    @cached_property
    def tools_by_id(self) -> dict[str, Tool]:
        """Each shared tool by its id."""
        return {tool.id: tool for tool in self.tools}

    @cached_property
    def tool_mentions(self) -> dict[str, tuple[Mention, ...]]:
        """For each tool id, the topics that name it, across all workbooks."""
        found: dict[str, list[Mention]] = {tool.id: [] for tool in self.tools}
        for workbook in self.workbooks:
            for section in workbook.sections:
                for topic in section.topics:
                    for tool in topic.tools:
                        found[tool].append(Mention(workbook, section, topic))
        return {tool: tuple(mentions) for tool, mentions in found.items()}

    @cached_property
    def tool_wordings(self) -> dict[str, tuple[tuple[str, tuple[Workbook, ...]], ...]]:
        """For each tool id, each distinct wording with the workbooks that use it."""
        found: dict[str, dict[str, list[Workbook]]] = {tool.id: {} for tool in self.tools}
        for workbook in self.workbooks:
            for tool, text in workbook.tool_wordings:
                found[tool].setdefault(text, []).append(workbook)
        return {tool: tuple((text, tuple(users)) for text, users in texts.items()) for tool, texts in found.items()}

    def tool_wording(self, workbook: Workbook, tool: str) -> tuple[str, Workbook | None]:
        """Return a tool's wording for a workbook, or another workbook's when it has none, with whose it is."""
        for source in (workbook, *(other for other in self.workbooks if other is not workbook)):
            for tool_id, text in source.tool_wordings:
                if tool_id == tool:
                    return text, source
        return "", None


def meaning(topic: Topic, levels: tuple[str, ...]) -> str:
    """Return a short fingerprint of what a score of this topic means: its levels and statements, in order.

    A saved answer keeps it, so a release that rewords, reorders or re-levels a topic's statements
    is noticed by the page, which shows the provider what changed rather than re-pointing the score.
    """
    digest = hashlib.sha256(
        json.dumps([list(levels), [plain(statement) for statement in topic.statements]]).encode("utf-8")
    )
    return digest.hexdigest()[:16]


def count(things: Sequence[Any], noun: str) -> str:
    """Say how many: "1 topic", "10 topics"."""
    return f"{len(things)} {noun}" if len(things) == 1 else f"{len(things)} {noun}s"


def names_in_words(names: list[str]) -> str:
    """Join names as a sentence lists them: "A", "A and B", "A, B and C"."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
