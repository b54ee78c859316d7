"""The search page's index: every topic, framework item and tool, as plain text with where it links."""

from __future__ import annotations

import json
from typing import Any

from .addresses import framework_path, topic_path
from .markup import plain
from .model import Project, Workbook

SEARCH_INDEX = "assets/search-index.js"  # a script that sets a global, so the search page works from disk


def text_of(markdown_text: str) -> str:
    """Return Markdown as plain text on one line: what search matches and shows."""
    return " ".join(plain(markdown_text).replace("\n- ", " ").split())


def _entry(
    kind: str, workbook: int, where: str, title: str, texts: list[str], url: str, extra: list[str] | None = None
) -> dict[str, Any]:
    """Return one search entry: its kind, workbook (an index, -1 for the shared tools), place, words and link."""
    return {
        "kind": kind,
        "workbook": workbook,
        "where": where,
        "title": title,
        "texts": texts,
        "extra": [text for text in extra or [] if text],
        "url": url,
    }


def workbook_entries(number: int, workbook: Workbook, project: Project) -> list[dict[str, Any]]:
    """Return a workbook's topics and framework items as search entries."""
    entries = []
    for section in workbook.sections:
        for topic in section.topics:
            texts = [text_of(statement) for statement in topic.statements]
            extra = [text_of(topic.note), *(project.tools_by_id[tool].name for tool in topic.tools)]
            url = topic_path(workbook, section, topic)
            entries.append(_entry("topic", number, text_of(section.title), text_of(topic.title), texts, url, extra))
    for framework in workbook.frameworks:
        for item in framework.items:
            texts = [text_of(item.text)] if item.text else []
            url = framework_path(workbook, framework, item)
            entries.append(_entry("item", number, text_of(framework.title), text_of(item.title), texts, url))
    return entries


def search_index(project: Project) -> dict[str, Any]:
    """Return what the search page searches: every topic (title, statements), tool and framework item."""
    workbooks = [
        {"title": wb.short_title, "levels": list(wb.levels), "numeric_levels": wb.numeric_levels}
        for wb in project.workbooks
    ]
    entries = [entry for number, wb in enumerate(project.workbooks) for entry in workbook_entries(number, wb, project)]
    for tool in project.tools:
        texts = [text_of(text) for text, _ in project.tool_wordings[tool.id]]
        entries.append(_entry("tool", -1, "Person-centred thinking tools", tool.name, texts, f"tools.html#{tool.id}"))
    return {"workbooks": workbooks, "entries": entries}


def search_index_script(project: Project) -> bytes:
    """Return the search index as a script that sets `window.workbookSearchIndex` (no fetch: works from disk)."""
    data = json.dumps(search_index(project), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.workbookSearchIndex = {data};\n".encode()
