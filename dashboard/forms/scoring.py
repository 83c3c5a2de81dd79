"""The score parameters of a workspace: every default of SCORING.md, changeable by its owners."""

from __future__ import annotations

from typing import Any

from django import forms

from influence import scoring
from influence.core.choices import ActivityKind, Metric, Network
from influence.scoring.parameters import BASE_RANGE, HALF_LIFE_RANGE, K_RANGE, WEIGHT_RANGE


def _weight_field(key: str) -> str:
    return "w__" + key.replace(".", "__")


def _number(label: str, default: float, initial: float, bounds: tuple[float, float]) -> forms.FloatField:
    """A finite number within `bounds` (SCORING.md's ranges); every message names the field."""
    low, high = bounds
    outside = f"{label} must be between {low:,g} and {high:,g}."
    return forms.FloatField(
        label=label,
        min_value=low,
        max_value=high,
        initial=initial,
        help_text=f"Default: {default:g}; from {low:,g} to {high:,g}.",
        widget=forms.NumberInput(attrs={"step": "any"}),
        # Django's FloatField refuses inf and NaN as "invalid".
        error_messages={
            "min_value": outside, "max_value": outside, "invalid": f"{label}: enter a number.",
            "required": f"{label}: enter a number.",
        },
    )


def _in_table(field: forms.Field, name: str, row_id: str, column_id: str) -> None:
    """A field shown in a cell of the page's tables: named by its row's and its column's headings
    (ids the template gives them, row_id and column_id), described by its help under it."""
    field.widget.attrs["aria-labelledby"] = f"{row_id} {column_id}"
    field.widget.attrs["aria-describedby"] = f"id_{name}_help"


class ParametersForm(forms.Form):
    """One field per weight W[network.metric], base B and half-life H per kind, w_online, w_offline and K."""

    def __init__(self, *args: Any, current: scoring.Parameters, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.weight_fields: list[tuple[str, str]] = []
        for key, default in scoring.DEFAULT_WEIGHTS.items():
            network, metric = key.split(".")
            name = _weight_field(key)
            label = f"{Network(network).label.split(' (')[0]} {Metric(metric).label.lower()}"
            self.fields[name] = _number(label, default, current.weights.get(key, default), WEIGHT_RANGE)
            _in_table(self.fields[name], name, f"weight-{name}", "col-weight")
            self.weight_fields.append((name, key))
        self.kind_fields: list[tuple[str, str, str]] = []
        for kind in ActivityKind:
            base, half_life = f"base__{kind.value}", f"half_life__{kind.value}"
            self.fields[base] = _number(f"{kind.label}: base points", scoring.DEFAULT_BASES[kind.value],
                                        current.bases.get(kind.value, scoring.DEFAULT_BASES[kind.value]),
                                        BASE_RANGE)
            self.fields[half_life] = _number(
                f"{kind.label}: half-life (days)", scoring.DEFAULT_HALF_LIVES[kind.value],
                current.half_lives.get(kind.value, scoring.DEFAULT_HALF_LIVES[kind.value]), HALF_LIFE_RANGE,
            )
            _in_table(self.fields[base], base, f"kind-{kind.value}", "col-base")
            _in_table(self.fields[half_life], half_life, f"kind-{kind.value}", "col-half-life")
            self.kind_fields.append((kind.label, base, half_life))
        self.fields["w_online"] = _number("Weight of online points (w_online)", 1.0, current.w_online,
                                          WEIGHT_RANGE)
        self.fields["w_offline"] = _number("Weight of offline points (w_offline)", 1.0, current.w_offline,
                                           WEIGHT_RANGE)
        self.fields["k"] = _number("Saturation K", 60.0, current.k, K_RANGE)
        self.fields["k"].help_text = "Default: 60; from 1 to 10,000. Points at which the score reaches 63."
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def invalid_labels(self) -> list[str]:
        """The labels of the fields refused, in the order of the page."""
        return [str(self.fields[name].label) for name in self.fields if name in self.errors]

    def overrides(self) -> dict[str, Any]:
        """The values that differ from the defaults, in the shape Workspace.score_parameters keeps."""
        data = self.cleaned_data
        result: dict[str, Any] = {}
        weights = {key: data[name] for name, key in self.weight_fields if data[name] != scoring.DEFAULT_WEIGHTS[key]}
        bases = {k: data[f"base__{k}"] for k in scoring.DEFAULT_BASES if data[f"base__{k}"] != scoring.DEFAULT_BASES[k]}
        half_lives = {
            k: data[f"half_life__{k}"] for k in scoring.DEFAULT_HALF_LIVES
            if data[f"half_life__{k}"] != scoring.DEFAULT_HALF_LIVES[k]
        }
        for name, table in (("weights", weights), ("bases", bases), ("half_lives", half_lives)):
            if table:
                result[name] = table
        for name, default in (("w_online", 1.0), ("w_offline", 1.0), ("k", 60.0)):
            if data[name] != default:
                result[name] = data[name]
        return result

    def online_rows(self) -> list[tuple[str, forms.BoundField]]:
        """(row id, field) per account metric: the table's rows of weights."""
        return [(f"weight-{name}", self[name]) for name, _ in self.weight_fields]

    def offline_rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        """(row id, kind, base, half-life) per kind of activity: the table's rows."""
        return [
            (f"kind-{base.removeprefix('base__')}", label, self[base], self[half_life])
            for label, base, half_life in self.kind_fields
        ]

    def score_rows(self) -> list[forms.BoundField]:
        return [self["w_online"], self["w_offline"], self["k"]]
