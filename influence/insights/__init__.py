"""Insights: what a subject's numbers say beyond the score.

Pure rules, one module each (no Django, checked by an import-linter contract):
growth windows (growth.py), projections (projections.py), unusual days
(anomalies.py) and the effect of offline activities on the audience
(effects.py). loader.py reads one subject's inputs in a fixed number of queries
and gives the one JSON shape the page, the API and the shared report use.
"""

from influence.insights.loader import SubjectInsights, UnusualDay, growth_by_day, load, unusual_days

__all__ = ["SubjectInsights", "UnusualDay", "growth_by_day", "load", "unusual_days"]
