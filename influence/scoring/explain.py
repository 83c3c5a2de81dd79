"""Explaining scores: whole numbers that add up, and what moved between two days.

Re-exported by influence.scoring.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple


def display_parts(total: float, parts: Mapping[str, float]) -> tuple[int, dict[str, int]]:
    """Whole numbers that add up: round the total, floor the parts, and give the
    leftover units to the parts with the largest remainders (SCORING.md)."""
    shown_total = math.floor(total + 0.5)
    floors = {name: math.floor(value) for name, value in parts.items()}
    leftover = shown_total - sum(floors.values())
    by_remainder = sorted(parts, key=lambda name: (parts[name] - floors[name], parts[name]), reverse=True)
    for name in by_remainder[: max(leftover, 0)]:
        floors[name] += 1
    return shown_total, floors


class Movement(NamedTuple):
    """How one component (a network or an activity kind) moved between two days."""

    side: str
    group: str
    points_before: float
    points_after: float
    share_before: float
    share_after: float

    @property
    def change(self) -> float:
        return self.share_after - self.share_before


def what_changed(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, limit: int | None = None
) -> list[Movement]:
    """The components that moved the score most between two stored breakdowns (to_json's shape).

    Sorted by the size of the change in share, largest first; components that
    did not move are left out.
    """
    before = before or {}
    after = after or {}
    movements = []
    for side, section in (("online", "networks"), ("offline", "kinds")):
        old = before.get(section, {})
        new = after.get(section, {})
        for group in sorted(set(old) | set(new)):
            o = old.get(group, {})
            n = new.get(group, {})
            movement = Movement(
                side, group,
                float(o.get("points", 0.0)), float(n.get("points", 0.0)),
                float(o.get("share", 0.0)), float(n.get("share", 0.0)),
            )
            if abs(movement.change) >= 0.005 or abs(movement.points_after - movement.points_before) >= 0.005:
                movements.append(movement)
    movements.sort(key=lambda m: (-abs(m.change), m.side, m.group))
    return movements[:limit] if limit else movements
