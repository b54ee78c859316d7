"""The data each scoring page embeds: the workbook's scale, sections and topics, and the rules' wording.

The scoring page (assets/js/) knows no workbook: everything it needs comes from `scoring_data`,
each rule already decided here on the model (whether levels are numbers, where a group starts,
how the summary is computed, each topic's requirement), so the page only presents it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .forms import ACTION_PLAN, EDITION_FIELD, PLAN_COLUMNS, SUMMARY_OF_ACTIONS, BookletForm
from .markup import plain
from .model import KEEP_DOING, Topic, Workbook, meaning

FORMAT = 4  # the format of the answers the page saves and exports (3: each score keeps what it answered;
# 4: a topic's plan keeps the workbook's own prompts, and the priorities the team chose)
PRIORITIES = 5  # how many topics the action plan takes as priorities until the team chooses its own


def scoring_data(workbook: Workbook) -> dict[str, Any]:
    """Return everything the scoring page needs about a workbook, as JSON-ready data."""
    starts = {group.sections[0].id: group.title for group in workbook.groups}
    return {
        "format": FORMAT,
        "workbook": workbook.slug,
        "title": workbook.title,
        "short_title": workbook.short_title,
        "full_title": workbook.full_title,  # printed results name the workbook by it
        "levels": list(workbook.levels),
        "numeric_levels": workbook.numeric_levels,
        "summary": {
            "name": workbook.summary.name,
            "statistic": workbook.summary.statistic,
            "tally": workbook.summary.tally,
            "formula": workbook.summary.formula,
            "by_heading": workbook.summary.name == "percentage",  # a graph of each section's percentage
        },
        "keep_doing": KEEP_DOING,
        "tiers": list(workbook.tiers),
        "has_thresholds": workbook.has_thresholds,
        "sections": [
            {
                "id": section.id,
                "number": section.number,
                "title": section.title,
                "group": section.group,
                "group_heading": starts.get(section.id, ""),
                "tier": section.tier,
                "topics": [_topic_data(topic, workbook.levels) for topic in section.topics],
            }
            for section in workbook.sections
        ],
        "priorities": PRIORITIES,
        "share": _share_data(workbook),
        "form": _form_data(workbook),
    }


def _share_data(workbook: Workbook) -> dict[str, str]:
    """What a shared link is checked against: a fingerprint of the topics' ids, in order.

    A link gives each topic's score by its position, with the first characters of the meaning it answered
    (assets/js/score-share.js). Made on an edition with the same topics in the same order, it is read topic
    by topic (an answer to other wording waits for the provider to choose); made on one with other topics,
    its positions mean other topics, and it is refused.
    """
    ids = [topic.id for topic in workbook.topics]
    return {"topics": hashlib.sha256(json.dumps(ids).encode("utf-8")).hexdigest()[:8]}


def _form_data(workbook: Workbook) -> dict[str, Any]:
    """The names of the fillable booklet's fields, for the page's import of a filled booklet (workbook/forms.py)."""
    form = BookletForm(workbook)
    return {
        "edition_field": EDITION_FIELD,
        "summary_of_actions": SUMMARY_OF_ACTIONS,
        "columns": PLAN_COLUMNS,
        "action_plan": ACTION_PLAN,
        "plans": len(form.plans),
        "titles": [plan.title for plan in form.plans],  # each plan's heading after "Detailed action plan: "
        "prompts": [{"slug": slug, "text": text} for slug, text in form.prompts],
        "plan_keys": [[_plan_key(slug) for slug in slugs] for slugs in form.slugs],  # each plan's prompts, by key
        "labels": {_plan_key(slug): text for slug, text in form.prompts},  # each prompt's words, by key
        "keys": {slug: _plan_key(slug) for slug, _ in form.prompts},  # each prompt's key, by its field's slug
        # Whether a filled booklet's detailed plan n is the plan of the n-th priority: when the plans are numbered
        # ("Top priority", "Next priority"), not each for a tier ("to achieve Bronze").
        "plans_are_priorities": all(not plan.title for plan in form.plans),
    }


def _plan_key(slug: str) -> str:
    """The key a topic's plan keeps a prompt under: the summary of actions' own ("by" for "by-when"), or its slug.

    So what was written as "Action", "Who" and "By when" before the plans had the workbook's prompts is the
    answer to the prompt of that name, where the workbook has one; elsewhere it is kept and shown by its old name.
    """
    return {column: key for key, column in PLAN_COLUMNS.items()}.get(slug, slug)


def _topic_data(topic: Topic, levels: tuple[str, ...]) -> dict[str, Any]:
    """Return one topic's scoring data: its statements as plain text."""
    return {
        "id": topic.id,
        "number": topic.number,
        "title": plain(topic.title),
        "threshold": topic.threshold,
        "requirement": topic.requirement,
        "statements": [plain(statement) for statement in topic.statements],
        "meaning": meaning(topic, levels),
    }
