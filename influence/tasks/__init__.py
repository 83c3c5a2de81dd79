"""Celery tasks, one module per area; thin: ids in, domain code called."""

from . import collection, digests, health, scores

__all__ = ["collection", "digests", "health", "scores"]
