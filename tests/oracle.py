"""A test oracle: the scoring rules of PRODUCT.md stated again, in Python, for tests only.

The scoring page computes summaries, tiers and plans in the browser from `scoring_data`; the
browser tests tick a real page and compare what it shows with these functions. Nothing in the
build calls them: they are the second, independent statement of the rules that a test needs.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbook.markup import plain
from workbook.model import KEEP_DOING, Section, Topic, Workbook


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
    """Return a section's percentage as the percentage formula states, or None if none is answered."""
    return _percentage(section.topics, scores)


def total_percentage(workbook: Workbook, scores: Mapping[str, int]) -> float | None:
    """Return the whole workbook's percentage (the scoring sheet's Total row), or None if none is answered."""
    return _percentage(workbook.topics, scores)


def _percentage(topics: tuple[Topic, ...], scores: Mapping[str, int]) -> float | None:
    """Return some topics' percentage as the percentage formula states, or None if none is answered."""
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


# ---------- Over time and the team view (issue 17) ----------

TALK_GAP = 2  # people "talk about it" when the answers given to a topic are this many levels apart or more


def section_result(workbook: Workbook, section: Section, scores: Mapping[str, int]) -> float | None:
    """Return a section's result as the workbook sums it up: the mean, or the percentage; None if none is answered."""
    return percentage(section, scores) if workbook.summary.name == "percentage" else mean(section, scores)


def in_date_order(dates: list[str]) -> list[int]:
    """Return the positions of assessments in date order: dated ones oldest first, then undated; ties as saved."""
    dated = sorted((date, index) for index, date in enumerate(dates) if date)
    return [index for _, index in dated] + [index for index, date in enumerate(dates) if not date]


def middle(given: list[int]) -> tuple[int, int] | None:
    """Return a team's middle answer (the median): the middle one twice, or with an even count the two middle ones."""
    ordered = sorted(given)
    if not ordered:
        return None
    half = len(ordered) // 2
    return (ordered[half], ordered[half]) if len(ordered) % 2 else (ordered[half - 1], ordered[half])


def talk_about_it(given: list[int]) -> bool:
    """Return whether a team's answers to a topic are TALK_GAP levels apart or more."""
    return len(given) > 1 and max(given) - min(given) >= TALK_GAP


def default_priorities(workbook: Workbook, scores: Mapping[str, int], count: int) -> list[Topic]:
    """Return the action plan's priorities until the team chooses: of the topics answered and below the top level,
    those below their threshold first, then the lowest scores, then the workbook's order; at most `count`."""
    candidates = [topic for topic in workbook.topics if topic.id in scores and scores[topic.id] < len(topic.statements)]

    def below(topic: Topic) -> bool:
        return topic.threshold is not None and scores[topic.id] < topic.threshold

    ranked = sorted(candidates, key=lambda topic: (0 if below(topic) else 1, scores[topic.id]))
    return ranked[:count]
