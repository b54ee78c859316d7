"""The site's pages: each page's path, its layout and the data it is rendered with."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2

from .addresses import framework_path, relative_links, topic_path
from .descriptions import describe
from .model import Project
from .scoring import scoring_data
from .search import SEARCH_INDEX, search_index_script

logger = logging.getLogger(__name__)

GUIDE_TITLE = "What good support looks like"


@dataclass(frozen=True)
class Render:
    """One page of the site: where it goes, which layout, with what data."""

    path: str
    layout: str
    data: dict[str, Any]


def plan_site(project: Project) -> Iterator[Render]:
    """List every page of the site with its layout and data."""
    yield Render("index.html", "home.html", {"title": "All workbooks"})
    yield Render("tools.html", "tools.html", {"title": "Person-centred thinking tools"})
    yield Render("search.html", "search.html", {"title": "Search the workbooks"})
    for workbook in project.workbooks:
        common = {"workbook": workbook}
        yield Render(f"{workbook.slug}/index.html", "overview.html", common | {"title": workbook.short_title})
        for page in workbook.front + workbook.back:
            yield Render(f"{workbook.slug}/{page.id}.html", "page.html", common | {"title": page.title, "page": page})
        for section in workbook.sections:
            yield Render(
                topic_path(workbook, section), "section.html", common | {"title": section.title, "section": section}
            )
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
    data = {
        "project": project,
        "here": render.path,
        "description": describe(project, render.layout, render.data),
        "url": relative_links(render.path),
        "topic_path": topic_path,
        "framework_path": framework_path,
    }
    return env.get_template(render.layout).render(data | render.data)


def render_site(env: jinja2.Environment, project: Project) -> dict[str, bytes]:
    """Render every page of the site to bytes by path, and the search page's index."""
    files = {render.path: render_page(env, project, render).encode("utf-8") for render in plan_site(project)}
    files[SEARCH_INDEX] = search_index_script(project)
    return files
