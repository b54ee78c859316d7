"""Render the HTML site: every page's path, layout and data, through Jinja."""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .markup import markdown, markdown_inline, plain
from .model import Framework, FrameworkItem, Project, Section, Topic, Workbook
from .scoring import scoring_data

logger = logging.getLogger(__name__)

SEARCH_INDEX = "assets/search-index.js"  # the search page's index: a script that sets a global, so it works from disk


@dataclass(frozen=True)
class Mention:
    """A topic of a workbook, as another page points at it."""

    workbook: Workbook
    section: Section
    topic: Topic


@dataclass(frozen=True)
class Render:
    """One page of the site: where it goes, which layout, with what data."""

    path: str
    layout: str
    data: dict[str, Any]


def make_environment(layouts: Path, cache: Path | None = None) -> jinja2.Environment:
    """Build the Jinja environment: autoescape on, undefined variables an error, compiled layouts cached."""
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(layouts),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache)) if cache is not None else None,
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(markdown=markdown, inline=markdown_inline, plain=plain)
    return env


def topic_path(workbook: Workbook, section: Section, topic: Topic | None = None) -> str:
    """Return the site path of a section page, or of a topic's anchor on it."""
    path = f"{workbook.slug}/sections/{section.id}.html"
    return f"{path}#{topic.id}" if topic else path


def framework_path(workbook: Workbook, framework: Framework, item: FrameworkItem | None = None) -> str:
    """Return the site path of a framework page, or of an item's anchor on it."""
    path = f"{workbook.slug}/frameworks/{framework.id}.html"
    return f"{path}#{item.id}" if item else path


def mapped_topics(workbook: Workbook, item: FrameworkItem) -> list[Mention]:
    """Return the topics a framework item maps to, in workbook order."""
    wanted = set(item.topics)
    return [
        Mention(workbook, section, topic)
        for section in workbook.sections
        for topic in section.topics
        if topic.id in wanted or section.id in item.sections
    ]


def framework_items_by_topic(workbook: Workbook) -> dict[str, list[tuple[Framework, FrameworkItem]]]:
    """Return, for each topic id, the framework items it serves."""
    found: dict[str, list[tuple[Framework, FrameworkItem]]] = {topic.id: [] for topic in workbook.topics}
    for framework in workbook.frameworks:
        for item in framework.items:
            for mention in mapped_topics(workbook, item):
                found[mention.topic.id].append((framework, item))
    return found


def tool_mentions(project: Project) -> dict[str, list[Mention]]:
    """Return, for each tool id, the topics that name it, across all workbooks."""
    found: dict[str, list[Mention]] = {tool.id: [] for tool in project.tools}
    for workbook in project.workbooks:
        for section in workbook.sections:
            for topic in section.topics:
                for tool in topic.tools:
                    found[tool].append(Mention(workbook, section, topic))
    return found


def tool_wordings(project: Project) -> dict[str, list[tuple[str, list[Workbook]]]]:
    """Return, for each tool id, each distinct wording with the workbooks that use it."""
    found: dict[str, list[tuple[str, list[Workbook]]]] = {tool.id: [] for tool in project.tools}
    for workbook in project.workbooks:
        for tool, text in workbook.tool_wordings:
            same = [entry for entry in found[tool] if entry[0] == text]
            if same:
                same[0][1].append(workbook)
            else:
                found[tool].append((text, [workbook]))
    return found


GUIDE_TITLE = "What good support looks like"


def tool_wording(project: Project, workbook: Workbook, tool: str) -> tuple[str, Workbook | None]:
    """Return a tool's wording for a workbook, or another workbook's when it has none, with whose it is."""
    for source in (workbook, *(other for other in project.workbooks if other is not workbook)):
        for tool_id, text in source.tool_wordings:
            if tool_id == tool:
                return text, source
    return "", None


def text_of(markdown_text: str) -> str:
    """Return Markdown as plain text on one line: what search matches and shows."""
    rendered = re.sub(r"<[^>]+>", " ", str(markdown(markdown_text)))
    return " ".join(html.unescape(rendered).split())


def search_index(project: Project) -> dict[str, Any]:
    """Return what the search page searches: every topic (title, statements), tool and framework item.

    Each entry names its workbook (an index into `workbooks`, or -1 for the shared tools), where it
    stands (the section, framework or glossary), its title, its texts and the site path it links to.
    """
    tools = {tool.id: tool for tool in project.tools}
    wordings = tool_wordings(project)
    workbooks = [{"title": wb.short_title, "levels": list(wb.levels)} for wb in project.workbooks]
    entries: list[dict[str, Any]] = []
    for number, workbook in enumerate(project.workbooks):
        for section in workbook.sections:
            for topic in section.topics:
                entries.append(
                    {
                        "kind": "topic",
                        "workbook": number,
                        "where": text_of(section.title),
                        "title": text_of(topic.title),
                        "texts": [text_of(statement) for statement in topic.statements],
                        "extra": [text_of(topic.note), *(tools[tool].name for tool in topic.tools)],
                        "url": topic_path(workbook, section, topic),
                    }
                )
        for framework in workbook.frameworks:
            for item in framework.items:
                entries.append(
                    {
                        "kind": "item",
                        "workbook": number,
                        "where": text_of(framework.title),
                        "title": text_of(item.title),
                        "texts": [text_of(item.text)] if item.text else [],
                        "extra": [],
                        "url": framework_path(workbook, framework, item),
                    }
                )
    for tool in project.tools:
        entries.append(
            {
                "kind": "tool",
                "workbook": -1,
                "where": "Person-centred thinking tools",
                "title": tool.name,
                "texts": [text_of(text) for text, _ in wordings[tool.id]],
                "extra": [],
                "url": f"tools.html#{tool.id}",
            }
        )
    for entry in entries:
        entry["extra"] = [text for text in entry["extra"] if text]
    return {"workbooks": workbooks, "entries": entries}


def search_index_script(project: Project) -> bytes:
    """Return the search index as a script that sets `window.workbookSearchIndex` (no fetch: works from disk)."""
    data = json.dumps(search_index(project), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.workbookSearchIndex = {data};\n".encode()


def plan_site(project: Project) -> Iterator[Render]:
    """List every page of the site with its layout and data."""
    mentions = tool_mentions(project)
    yield Render("index.html", "home.html", {"title": "All workbooks"})
    yield Render(
        "tools.html",
        "tools.html",
        {"title": "Person-centred thinking tools", "mentions": mentions, "wordings": tool_wordings(project)},
    )
    yield Render("search.html", "search.html", {"title": "Search the workbooks"})
    tools = {tool.id: tool for tool in project.tools}
    for workbook in project.workbooks:
        common = {"workbook": workbook}
        yield Render(f"{workbook.slug}/index.html", "overview.html", common | {"title": workbook.short_title})
        for page in workbook.front + workbook.back:
            yield Render(f"{workbook.slug}/{page.id}.html", "page.html", common | {"title": page.title, "page": page})
        items = framework_items_by_topic(workbook)
        for section in workbook.sections:
            data = {"title": section.title, "section": section, "items": items, "tools": tools}
            yield Render(topic_path(workbook, section), "section.html", common | data)
        for framework in workbook.frameworks:
            data = {"title": framework.title, "framework": framework}
            yield Render(framework_path(workbook, framework), "framework.html", common | data)
        yield Render(
            f"{workbook.slug}/score/index.html",
            "score.html",
            common | {"title": "Score your service", "scoring": scoring_data(workbook)},
        )
        yield Render(f"{workbook.slug}/guide.html", "guide.html", common | {"title": GUIDE_TITLE})


def render_page(env: jinja2.Environment, project: Project, render: Render) -> str:
    """Render one page, its links relative to where it stands."""
    here = render.path
    data = {
        "project": project,
        "here": here,
        "url": _relative_to(here),
        "topic_path": topic_path,
        "framework_path": framework_path,
        "mapped_topics": mapped_topics,
        "tool_wording": lambda workbook, tool: tool_wording(project, workbook, tool),
    }
    return env.get_template(render.layout).render(data | render.data)


def render_site(env: jinja2.Environment, project: Project) -> dict[str, bytes]:
    """Render every page of the site to bytes, by path."""
    files = {render.path: render_page(env, project, render).encode("utf-8") for render in plan_site(project)}
    files[SEARCH_INDEX] = search_index_script(project)
    return files


def _relative_to(here: str) -> Callable[[str], str]:
    """Return a function that turns a site path into a link relative to the page `here`."""
    folder = posixpath.dirname(here) or "."

    def url(target: str) -> str:
        """Link to a site path (with an optional #anchor) from this page."""
        path, _, anchor = target.partition("#")
        link = posixpath.relpath(path, folder) if path else ""
        return f"{link}#{anchor}" if anchor else link

    return url
