"""Small builders for the criteria tests."""

import copy

from screening.forms import CUTOFF_SECTION


def phq9_with_sum(total: int) -> list[int]:
    """Nine PHQ-9 items adding up to `total`, item 9 (self-harm thoughts) left at 0."""
    items = [0] * 9
    for index in range(8):
        items[index] = min(3, total - sum(items))
    assert sum(items) == total, "PHQ-9 items 1-8 reach at most 24"
    return items


def with_phq9_moderate_from(document: dict, score: int) -> dict:
    """The document with PHQ-9 'moderate' starting at `score` instead of 10."""
    document = copy.deepcopy(document)
    document[CUTOFF_SECTION]["phq9"]["moderate"] = score
    return document
