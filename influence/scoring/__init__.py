"""The influence score: the pure model (SCORING.md), its parameters, and the snapshots that store it.

The pure part (`model`, `sweep`, `parameters`, `explain`) imports no ORM and is
reachable from here: `scoring.score_day(...)`, `scoring.Parameters`. The
modules that read and write the database (`snapshots`, `recompute`, `tasks`)
are imported by name.
"""

from influence.scoring.explain import Movement, display_parts, what_changed
from influence.scoring.model import (
    ONGOING_KINDS,
    ActivityInput,
    Breakdown,
    Item,
    ObservationInput,
    audience_size,
    online_only_score,
    online_points,
    score_day,
)
from influence.scoring.parameters import (
    DEFAULT_BASES,
    DEFAULT_HALF_LIVES,
    DEFAULT_WEIGHTS,
    MODEL,
    ParameterError,
    Parameters,
)
from influence.scoring.sweep import score_history

__all__ = [
    "DEFAULT_BASES",
    "DEFAULT_HALF_LIVES",
    "DEFAULT_WEIGHTS",
    "MODEL",
    "ONGOING_KINDS",
    "ActivityInput",
    "Breakdown",
    "Item",
    "Movement",
    "ObservationInput",
    "ParameterError",
    "Parameters",
    "audience_size",
    "display_parts",
    "online_only_score",
    "online_points",
    "score_day",
    "score_history",
    "what_changed",
]
