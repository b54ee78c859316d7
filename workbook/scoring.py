"""The scoring rules, in one place: the data the scoring page gets, and the same rules in Python.

The scoring page (assets/js/score.js) knows no workbook: everything it needs, the rules
included, comes from `scoring_data`. The Python functions below state the same rules for the
booklet's summary sheet and for tests that check the page against them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .markup import plain
from .model import Section, Topic, Workbook

FORMAT = 2
KEEP_DOING = "Keep doing this"
PERCENTAGE_FORMULA = (
    "Percentage = points scored ÷ (points for the top level × features answered) × 100, "  # noqa: RUF001 (the printed sign)
    "where a tick at the first level scores 1 point, the second 2, and so on."
)


def scoring_data(workbook: Workbook) -> dict[str, Any]:
    """Return everything the scoring page needs about a workbook, as JSON-ready data."""
    return {
        "format": FORMAT,
        "workbook": workbook.slug,
        "title": workbook.title,
        "short_title": workbook.short_title,
        "levels": list(workbook.levels),
        "summary": workbook.summary,
        "percentage_formula": PERCENTAGE_FORMULA,
        "keep_doing": KEEP_DOING,
        "tiers": list(workbook.tiers),
        "sections": [
            {
                "id": section.id,
                "number": section.number,
                "title": section.title,
                "group": section.group,
                "tier": section.tier,
                "topics": [_topic_data(topic) for topic in section.topics],
            }
            for section in workbook.sections
        ],
    }


def _topic_data(topic: Topic) -> dict[str, Any]:
    """Return one topic's scoring data: its statements as plain text."""
    return {
        "id": topic.id,
        "number": topic.number,
        "title": plain(topic.title),
        "threshold": topic.threshold,
        "statements": [plain(statement) for statement in topic.statements],
    }


def work_towards(topic: Topic, score: int | None) -> str:
    """Return the statement a topic works towards next: the one above its score."""
    if score is None:
        return plain(topic.statements[0])
    if score >= len(topic.statements):
        return KEEP_DOING
    return plain(topic.statements[score])


def counts(section: Section, scores: Mapping[str, int]) -> list[int]:
    """Return how many of a section's topics are at each level (unanswered not counted)."""
    found = [0] * len(section.topics[0].statements)
    for topic in section.topics:
        if topic.id in scores:
            found[scores[topic.id] - 1] += 1
    return found


def mean(section: Section, scores: Mapping[str, int]) -> float | None:
    """Return a section's mean score over its answered topics, or None if none is answered."""
    answered = [scores[topic.id] for topic in section.topics if topic.id in scores]
    return sum(answered) / len(answered) if answered else None


def percentage(section: Section, scores: Mapping[str, int]) -> float | None:
    """Return a section's percentage as PERCENTAGE_FORMULA states, or None if none is answered."""
    return _percentage(section.topics, scores)


def total_percentage(workbook: Workbook, scores: Mapping[str, int]) -> float | None:
    """Return the whole workbook's percentage (the scoring sheet's Total row), or None if none is answered."""
    return _percentage(workbook.topics, scores)


def _percentage(topics: tuple[Topic, ...], scores: Mapping[str, int]) -> float | None:
    """Return some topics' percentage as PERCENTAGE_FORMULA states, or None if none is answered."""
    answered = [scores[topic.id] for topic in topics if topic.id in scores]
    if not answered:
        return None
    top = len(topics[0].statements)
    return 100 * sum(answered) / (top * len(answered))


def blocking_topics(workbook: Workbook, tier: str, scores: Mapping[str, int]) -> list[Topic]:
    """Return a tier's topics that do not yet meet their threshold (unanswered ones included)."""
    return [
        topic
        for section in workbook.sections
        if section.tier == tier
        for topic in section.topics
        if topic.threshold is not None and scores.get(topic.id, 0) < topic.threshold
    ]


def tier_reached(workbook: Workbook, scores: Mapping[str, int]) -> str | None:
    """Return the highest tier reached: every topic in it and every lower tier meets its threshold."""
    reached = None
    for tier in workbook.tiers:
        if blocking_topics(workbook, tier, scores):
            break
        reached = tier
    return reached
