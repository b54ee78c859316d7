"""Each page's description (its <meta name="description">), said from the page's own content."""

from __future__ import annotations

from typing import Any

from .markup import plain
from .model import Framework, Page, Project, Section, Topic, Workbook, count, names_in_words

LONGEST = 160  # characters: what search results show of a description before cutting it
PROSE = 8  # words at least in a paragraph of prose: fewer is a heading, a name or an address


def describe(project: Project, layout: str, data: dict[str, Any]) -> str:
    """Return the description of a page rendered with `layout` and `data`, at most LONGEST characters."""
    workbook: Workbook | None = data.get("workbook")
    if workbook is None:
        return shorten(describe_site_page(project, layout))
    if layout == "section.html":
        return shorten(describe_section(workbook, data["section"]))
    if layout == "page.html":
        return shorten(describe_page(workbook, data["page"]))
    if layout == "framework.html":
        return shorten(describe_framework(workbook, data["framework"]))
    if layout == "score.html":
        topics = count(workbook.topics, "topic")
        return shorten(f"Score your service against {workbook.short_title}: {topics}, a statement to tick for each.")
    if layout == "guide.html":
        best = f"the best practice in each of its {count(workbook.topics, 'topic')}"
        return shorten(f"{data['title']}, {workbook.short_title}: {best}, a checklist.")
    return shorten(f"{workbook.title}: {workbook.subtitle}. {plain(workbook.audience)}")


def describe_site_page(project: Project, layout: str) -> str:
    """Describe a page of the whole site: the home page, the tools glossary or search."""
    names = names_in_words([workbook.short_title for workbook in project.workbooks])
    if layout == "tools.html":
        tools = names_in_words([tool.name for tool in project.tools])
        return f"The person-centred thinking tools the workbooks name, what each does and how it helps: {tools}."
    if layout == "search.html":
        return f"Search the {project.title} workbooks: {names}."
    return plain(project.intro)


def describe_section(workbook: Workbook, section: Section) -> str:
    """Describe a section: its workbook, how many topics, and the first of them."""
    titles = "; ".join(topic_words(section, topic).rstrip(".") for topic in section.topics)
    return f"{section.title}, {workbook.short_title}: {count(section.topics, 'topic')}. {titles}."


def topic_words(section: Section, topic: Topic) -> str:
    """Say what a topic is about: its title, or its first statement where the title only numbers it ("Home 1")."""
    title = plain(topic.title)
    numbered_only = title.removeprefix(section.title).strip().isdigit()
    return plain(topic.statements[0]) if numbered_only and topic.statements else title


def describe_page(workbook: Workbook, page: Page) -> str:
    """Describe a page of front or back matter: its title and its first paragraph of prose."""
    return f"{page.title}, {workbook.short_title}: {first_paragraph(plain(page.body))}"


def describe_framework(workbook: Workbook, framework: Framework) -> str:
    """Describe a framework page: what it maps, and its introduction."""
    intro = first_paragraph(plain(framework.intro))
    return f"{framework.title} ({workbook.short_title}): each item and the topics that serve it. {intro}"


def first_paragraph(words: str) -> str:
    """Return the first paragraph that reads as prose (words ending as a sentence does), else the paragraphs."""
    paragraphs = [paragraph for paragraph in words.split("\n\n") if paragraph.strip()]
    prose = [text for text in paragraphs if text.rstrip().endswith((".", "!", "?", ":")) and len(text.split()) >= PROSE]
    first = prose[0] if prose else "; ".join(paragraphs)  # no prose (a list of links): its first lines
    return " ".join(line.removeprefix("- ") for line in first.splitlines())


def shorten(text: str) -> str:
    """Put text on one line and cut it, at a word, to at most LONGEST characters ending "…"."""
    words = " ".join(text.split())
    if len(words) <= LONGEST:
        return words
    return words[: LONGEST - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
