"""Cross-references: "the page where X is", written `[words](page:target)` in Markdown, checked and shown.

In the booklet the words are followed by the page their target starts on, "the summary sheet (page 30)";
on the site they are a link to where the target is. A target is a part of its workbook, named by its id.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from .addresses import framework_path, topic_path
from .model import Workbook

SCHEME = "page:"  # a link to "page:summary-sheet" is a cross-reference to the summary sheet
WRITTEN = re.compile(r"\]\(\s*<?page:([^)\s>]*)")  # a cross-reference as written in content
RENDERED = re.compile(r'<a href="page:([^"]*)">')  # and as markdown-it renders it
# The booklet's own parts a cross-reference may name: id, title, and where the site shows them.
PARTS = (
    ("contents", "Contents", "{slug}/index.html"),
    ("summary-sheet", "Summary sheet", "{slug}/score/index.html#summary"),
    ("summary-of-actions", "Summary of actions", "{slug}/score/index.html#plan"),
    ("action-plan", "Detailed action plan", "{slug}/score/index.html#plan"),
)
TOOLS = ("tools", "Person-centred thinking tools", "tools.html")


@dataclass(frozen=True)
class Target:
    """A part of a workbook a cross-reference can name: where the booklet and the site show it."""

    id: str
    kind: str  # "part", "page", "section", "topic", "framework" or "tool": how messages group targets
    title: str
    anchor: str  # the booklet's element id, on the element that holds the target's heading
    path: str  # the site path where it is, with an #anchor when it is part of a page


@lru_cache(maxsize=16)
def targets(workbook: Workbook) -> dict[str, tuple[Target, ...]]:
    """Return every target of a workbook by its id (two targets under one id make a reference ambiguous)."""
    slug = workbook.slug
    found = [Target(ident, "part", title, ident, path.format(slug=slug)) for ident, title, path in PARTS]
    if workbook.tool_wordings:
        found.append(Target(TOOLS[0], "part", TOOLS[1], TOOLS[0], TOOLS[2]))
    for page in workbook.front + workbook.back:
        found.append(Target(page.id, "page", page.title, f"page-{page.id}", f"{slug}/{page.id}.html"))
    for section in workbook.sections:
        path = topic_path(workbook, section)
        found.append(Target(section.id, "section", section.title, f"section-{section.id}", path))
        for topic in section.topics:
            path = topic_path(workbook, section, topic)
            found.append(Target(topic.id, "topic", topic.title, f"topic-{topic.id}", path))
    for framework in workbook.frameworks:
        path = framework_path(workbook, framework)
        found.append(Target(framework.id, "framework", framework.title, f"framework-{framework.id}", path))
    for tool, _ in workbook.tool_wordings:
        found.append(Target(tool, "tool", tool, f"tool-{tool}", f"tools.html#{tool}"))
    by_id: dict[str, tuple[Target, ...]] = {}
    for target in found:
        by_id[target.id] = (*by_id.get(target.id, ()), target)
    return by_id


def written_targets(text: str) -> list[str]:
    """Return the targets of the cross-references written in a text, in order."""
    return WRITTEN.findall(text) if SCHEME in text else []


def reference_problem(workbook: Workbook, target: str) -> str | None:
    """Say what is wrong with a cross-reference to `target` in a workbook, or None if it names one part."""
    found = targets(workbook)
    named = found.get(target, ())
    if len(named) == 1:
        return None
    if named:
        kinds = " and ".join(f"a {target.kind}" for target in named)
        return f"cross-reference 'page:{target}' is ambiguous: {kinds} share that id (expected an id that names one)"
    close = difflib.get_close_matches(target, list(found), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"cross-reference 'page:{target}' names nothing in this workbook ({hint}expected one of: {_listed(found)})"


def _listed(found: dict[str, tuple[Target, ...]]) -> str:
    """List the ids a cross-reference may name, grouped by kind: "contents, ...; a page: forewords, ..."."""
    kinds: dict[str, list[str]] = {}
    for ident, named in found.items():
        for target in named:
            kinds.setdefault(target.kind, []).append(ident)
    groups = [", ".join(ids) if kind == "part" else f"a {kind}: {', '.join(ids)}" for kind, ids in kinds.items()]
    return "; ".join(groups)


def show_references(html: str, workbook: Workbook | None, url: Callable[[str], str] | None) -> Markup:
    """Point rendered cross-references at their targets: the booklet's element (url None) or the site's page."""
    if 'href="page:' not in html:
        return Markup(html)

    def link(match: re.Match[str]) -> str:
        named = targets(workbook).get(match[1], ()) if workbook else ()
        if len(named) != 1:  # refused when the content was read; only a page with no workbook gets here
            return "<a>"
        if url is None:
            return f'<a class="page-ref" href="#{named[0].anchor}">'
        return f'<a href="{url(named[0].path)}">'

    return Markup(RENDERED.sub(link, html))
