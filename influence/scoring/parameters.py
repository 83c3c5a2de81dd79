"""The score model's parameters (SCORING.md): defaults, a workspace's overrides, the model version.

Re-exported by influence.scoring, where the rest of the model lives.
"""

from __future__ import annotations

import hashlib
import json
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


class ParameterError(ValueError):
    """Parameters the model cannot use (K not above 0, a negative weight ...)."""


@dataclass(frozen=True)
class Parameters:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    bases: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_BASES))
    half_lives: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_HALF_LIVES))
    w_online: float = 1.0
    w_offline: float = 1.0
    k: float = 60.0

    def __post_init__(self):
        if not self.k > 0:
            raise ParameterError("K must be above 0.")
        for name, table in (("weight", self.weights), ("base", self.bases), ("half-life", self.half_lives)):
            for key, value in table.items():
                if value < 0:
                    raise ParameterError(f"The {name} of {key} cannot be negative.")
        if self.w_online < 0 or self.w_offline < 0:
            raise ParameterError("The online and offline weights cannot be negative.")

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None) -> Parameters:
        """The defaults with a workspace's overrides (the shape `to_dict` gives) laid over them."""
        overrides = overrides or {}
        return cls(
            weights={**DEFAULT_WEIGHTS, **overrides.get("weights", {})},
            bases={**DEFAULT_BASES, **overrides.get("bases", {})},
            half_lives={**DEFAULT_HALF_LIVES, **overrides.get("half_lives", {})},
            w_online=float(overrides.get("w_online", 1.0)),
            w_offline=float(overrides.get("w_offline", 1.0)),
            k=float(overrides.get("k", 60.0)),
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
