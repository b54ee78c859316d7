"""The search page's index: every topic, framework item and tool, as plain text with where it links.

Words match by their stem and by the synonym groups in content/_shared/search.yaml. The stems are the Snowball
English stemmer's, worked out here at build time for every word the index holds: the index carries the groups
of words that count as one another, and the browser only looks a query's words up in them (it never stems).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

import snowballstemmer

from .addresses import framework_path, topic_path
from .markup import plain
from .model import Project, Workbook

SEARCH_INDEX = "assets/search-index.js"  # a script that sets a global, so the search page works from disk
_STEMMER = snowballstemmer.stemmer("english")  # Snowball's English (Porter2) stemmer


def fold(text: str) -> str:
    """Return text as search compares it: lower case, no accents or apostrophes, every other non-letter a space."""
    text = "".join(char for char in unicodedata.normalize("NFD", text) if not "\u0300" <= char <= "\u036f")
    text = re.sub(r"['\u2018\u2019`]", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@cache
def stem(word: str) -> str:
    """Return a folded word's Snowball English stem: "medicines" and "medicine" share "medicin"."""
    return str(_STEMMER.stemWord(word))


def word_groups(words: Iterable[str], synonyms: Iterable[tuple[str, ...]]) -> list[list[str]]:
    """Return the groups of words that search takes as one another, each sorted, of two words or more.

    Words sharing a stem form a group; a synonym group gathers every word sharing a stem with one of its words.
    A query word finds what any group holding it holds (and, as it is typed, every word it starts).
    """
    by_stem: dict[str, set[str]] = {}
    synonyms = [tuple(group) for group in synonyms]
    for word in {*words, *(word for group in synonyms for word in group)}:
        by_stem.setdefault(stem(word), set()).add(word)
    gathered = [set().union(*(by_stem[stem(word)] for word in group)) for group in synonyms]
    taken = {stem(word) for group in synonyms for word in group}
    alone = [found for key, found in by_stem.items() if key not in taken and len(found) > 1]
    return sorted(sorted(group) for group in [*gathered, *alone])


def index_words(entries: list[dict[str, Any]]) -> set[str]:
    """Return every word the entries hold, folded as search compares them."""
    return {word for entry in entries for text in _searched(entry) for word in fold(text).split()}


def _searched(entry: dict[str, Any]) -> list[str]:
    """Return the texts of an entry that search reads: its title, texts and extra words."""
    return [entry["title"], *entry["texts"], *entry["extra"]]


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
    """Return what the search page searches: every topic, tool and framework item, and the words taken as one."""
    workbooks = [
        {"slug": wb.slug, "title": wb.short_title, "levels": list(wb.levels), "numeric_levels": wb.numeric_levels}
        for wb in project.workbooks
    ]
    entries = [entry for number, wb in enumerate(project.workbooks) for entry in workbook_entries(number, wb, project)]
    for tool in project.tools:
        texts = [text_of(text) for text, _ in project.tool_wordings[tool.id]]
        entries.append(_entry("tool", -1, "Person-centred thinking tools", tool.name, texts, f"tools.html#{tool.id}"))
    groups = [" ".join(group) for group in word_groups(index_words(entries), project.synonyms)]
    return {"workbooks": workbooks, "entries": entries, "words": groups}


def search_index_script(project: Project) -> bytes:
    """Return the search index as a script that sets `window.workbookSearchIndex` (no fetch: works from disk)."""
    data = json.dumps(search_index(project), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.workbookSearchIndex = {data};\n".encode()
