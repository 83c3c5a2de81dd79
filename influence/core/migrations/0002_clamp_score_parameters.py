"""Bring every workspace's stored score parameters into the ranges of SCORING.md.

Before the ranges existed a workspace could store 1e308, a half-life of 0 or a
K of 0 (giving NaN totals that jsonb then refused on every snapshot write).
Values are clamped into their range; non-finite or non-numeric ones are
dropped, so the default applies. The rule is copied here, not imported, so the
migration keeps doing what it did when the application's code moves on.
Workspaces whose parameters change get their history recomputed by the next
`recompute_scores` run or the next change; the scores already stored stay as
they are until then.
"""

import math

from django.db import migrations

WEIGHT_RANGE = (0.0, 1_000.0)
BASE_RANGE = (0.0, 10_000.0)
HALF_LIFE_RANGE = (1.0, 36_500.0)
K_RANGE = (1.0, 10_000.0)
TABLES = (("weights", WEIGHT_RANGE), ("bases", BASE_RANGE), ("half_lives", HALF_LIFE_RANGE))
SCALARS = (("w_online", WEIGHT_RANGE), ("w_offline", WEIGHT_RANGE), ("k", K_RANGE))


def _clamped(value, bounds):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    # jsonb keeps 1e400 as a 401-digit integer: compared as it is (float() would overflow), not dropped.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return float(min(max(value, bounds[0]), bounds[1]))


def clamp(overrides):
    if not isinstance(overrides, dict):
        return {}
    clean = {}
    for name, bounds in TABLES:
        table = overrides.get(name)
        if isinstance(table, dict):
            kept = {key: _clamped(value, bounds) for key, value in table.items()}
            kept = {key: value for key, value in kept.items() if value is not None}
            if kept:
                clean[name] = kept
    for name, bounds in SCALARS:
        value = _clamped(overrides.get(name), bounds)
        if value is not None:
            clean[name] = value
    return clean


def clamp_stored_parameters(apps, schema_editor):
    Workspace = apps.get_model("core", "Workspace")
    for workspace in Workspace.objects.exclude(score_parameters={}).only("pk", "score_parameters").iterator():
        clean = clamp(workspace.score_parameters)
        if clean != workspace.score_parameters:
            Workspace.objects.filter(pk=workspace.pk).update(score_parameters=clean)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(clamp_stored_parameters, migrations.RunPython.noop, elidable=True)]
