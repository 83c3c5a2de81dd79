"""Celery tasks, one module per area; thin: ids in, domain code called."""

from influence import worker  # noqa: F401  (every worker's set-up)

from . import collection, digests, health, scores

__all__ = ["collection", "digests", "health", "scores"]
