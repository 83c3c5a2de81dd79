"""The score model's parameters (SCORING.md): defaults, a workspace's overrides, the model version.

Re-exported by influence.scoring, where the rest of the model lives.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

MODEL = "v1"

# W[network.metric]; metrics not listed are stored and charted but score nothing.
DEFAULT_WEIGHTS: dict[str, float] = {
    "mastodon.followers": 2.0,
    "mastodon.engagements_30d": 2.0,
    "bluesky.followers": 2.0,
    "bluesky.engagements_30d": 2.0,
    "github.followers": 1.5,
    "github.stars": 1.5,
    "youtube.subscribers": 2.0,
    "youtube.views": 1.0,
    "stackexchange.reputation": 1.5,
    "hackernews.karma": 1.0,
    "reddit.karma": 0.5,
    "openalex.citations": 2.0,
    "wikipedia.pageviews_30d": 2.0,
    "rss.posts_90d": 1.0,
    "manual.followers": 2.0,
}

# B[kind] (base points) and H[kind] (half-life in days).
DEFAULT_BASES: dict[str, float] = {
    "keynote": 6, "talk": 4, "workshop": 3, "panel": 2.5, "book": 15, "article": 2, "teaching": 5,
    "media": 3, "award": 6, "referral": 2, "mentoring": 1.5, "board": 5, "event": 4, "other": 1,
}
DEFAULT_HALF_LIVES: dict[str, float] = {
    "keynote": 365, "talk": 365, "workshop": 365, "panel": 365, "book": 1095, "article": 365,
    "teaching": 730, "media": 180, "award": 730, "referral": 365, "mentoring": 365, "board": 730,
    "event": 365, "other": 180,
}


# The documented ranges (SCORING.md, "Parameter ranges"): (lowest, highest).
# Past them the model gives no useful score, and a huge or non-finite value gives NaN totals.
WEIGHT_RANGE = (0.0, 1_000.0)
BASE_RANGE = (0.0, 10_000.0)
HALF_LIFE_RANGE = (1.0, 36_500.0)
K_RANGE = (1.0, 10_000.0)


class ParameterError(ValueError):
    """Parameters the model cannot use (not finite, or outside their documented range)."""


def out_of_range(value: Any, bounds: tuple[float, float]) -> bool:
    """Whether `value` is not a finite number within `bounds` (True, text and None are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return True
    return not bounds[0] <= value <= bounds[1]


def range_text(bounds: tuple[float, float]) -> str:
    return f"between {bounds[0]:,g} and {bounds[1]:,g}"


def _clamped(value: Any, bounds: tuple[float, float]) -> float | None:
    """A stored value brought into its range; None (use the default) when it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    # jsonb keeps 1e400 as a 401-digit integer: compared as it is (float() would overflow), not dropped.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return float(min(max(value, bounds[0]), bounds[1]))


def _clamped_table(stored: Any, bounds: tuple[float, float]) -> dict[str, float]:
    if not isinstance(stored, Mapping):
        return {}
    table = {str(key): _clamped(value, bounds) for key, value in stored.items()}
    return {key: value for key, value in table.items() if value is not None}


def clamp_overrides(overrides: Any) -> dict[str, Any]:
    """Stored overrides with every value clamped into its range and non-finite or non-numeric ones dropped.

    What `from_overrides` reads, so a value stored before the ranges existed (or
    written behind the form's back) never reaches the model; the data migration
    core/0002_clamp_score_parameters applied the same rule to the stored overrides.
    """
    if not isinstance(overrides, Mapping):
        return {}
    clean: dict[str, Any] = {}
    for name, bounds in (("weights", WEIGHT_RANGE), ("bases", BASE_RANGE), ("half_lives", HALF_LIFE_RANGE)):
        if name in overrides:
            table = _clamped_table(overrides[name], bounds)
            if table:
                clean[name] = table
    for name, bounds in (("w_online", WEIGHT_RANGE), ("w_offline", WEIGHT_RANGE), ("k", K_RANGE)):
        value = _clamped(overrides.get(name), bounds)
        if value is not None:
            clean[name] = value
    return clean


@dataclass(frozen=True)
class Parameters:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    bases: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_BASES))
    half_lives: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_HALF_LIVES))
    w_online: float = 1.0
    w_offline: float = 1.0
    k: float = 60.0

    def __post_init__(self) -> None:
        tables = (
            ("weight", self.weights, WEIGHT_RANGE), ("base", self.bases, BASE_RANGE),
            ("half-life", self.half_lives, HALF_LIFE_RANGE),
        )
        for name, table, bounds in tables:
            for key, value in table.items():
                if out_of_range(value, bounds):
                    raise ParameterError(f"The {name} of {key} must be a number {range_text(bounds)}.")
        for name, value, bounds in (
            ("w_online", self.w_online, WEIGHT_RANGE), ("w_offline", self.w_offline, WEIGHT_RANGE),
            ("K", self.k, K_RANGE),
        ):
            if out_of_range(value, bounds):
                raise ParameterError(f"{name} must be a number {range_text(bounds)}.")

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None) -> Parameters:
        """The defaults with a workspace's overrides (the shape `to_dict` gives) laid over them.

        Stored values are clamped into their ranges first, and non-finite ones
        ignored (`clamp_overrides`): a workspace's scores never fail on its parameters.
        """
        overrides = clamp_overrides(overrides)
        return cls(
            weights={**DEFAULT_WEIGHTS, **overrides.get("weights", {})},
            bases={**DEFAULT_BASES, **overrides.get("bases", {})},
            half_lives={**DEFAULT_HALF_LIVES, **overrides.get("half_lives", {})},
            w_online=overrides.get("w_online", 1.0),
            w_offline=overrides.get("w_offline", 1.0),
            k=overrides.get("k", 60.0),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": {k: float(v) for k, v in sorted(self.weights.items())},
            "bases": {k: float(v) for k, v in sorted(self.bases.items())},
            "half_lives": {k: float(v) for k, v in sorted(self.half_lives.items())},
            "w_online": float(self.w_online),
            "w_offline": float(self.w_offline),
            "k": float(self.k),
        }

    @cached_property
    def version(self) -> str:
        """Names the parameters: the same parameters always give the same version."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return f"{MODEL}-{hashlib.sha256(canonical.encode()).hexdigest()[:7]}"
