"""The data each scoring page embeds: the workbook's scale, sections and topics, and the rules' wording.

The scoring page (assets/js/) knows no workbook: everything it needs comes from `scoring_data`,
each rule already decided here on the model (whether levels are numbers, where a group starts,
how the summary is computed, each topic's requirement), so the page only presents it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .markup import plain
from .model import KEEP_DOING, Topic, Workbook

FORMAT = 3  # the format of the answers the page saves and exports (3: each score keeps what it answered)


def scoring_data(workbook: Workbook) -> dict[str, Any]:
    """Return everything the scoring page needs about a workbook, as JSON-ready data."""
    starts = {group.sections[0].id: group.title for group in workbook.groups}
    return {
        "format": FORMAT,
        "workbook": workbook.slug,
        "title": workbook.title,
        "short_title": workbook.short_title,
        "levels": list(workbook.levels),
        "numeric_levels": workbook.numeric_levels,
        "summary": {
            "name": workbook.summary.name,
            "statistic": workbook.summary.statistic,
            "tally": workbook.summary.tally,
            "formula": workbook.summary.formula,
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
    }


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


def meaning(topic: Topic, levels: tuple[str, ...]) -> str:
    """Return a short fingerprint of what a score of this topic means: its levels and statements, in order.

    A saved answer keeps it, so a release that rewords, reorders or re-levels a topic's statements
    is noticed by the page, which shows the provider what changed rather than re-pointing the score.
    """
    digest = hashlib.sha256(json.dumps([list(levels), [plain(s) for s in topic.statements]]).encode("utf-8"))
    return digest.hexdigest()[:16]
