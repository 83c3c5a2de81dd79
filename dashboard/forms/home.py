"""The query string of the lists of subjects: the home page's search, sort, filter and page, and
the compare page's search of subjects to add.

A value the form refuses (an unknown sort, page -1, a search longer than any name) is not an
error page: the list falls back to that field's default and the page says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from influence.core.models import Subject

# A search is part of a name: no name is longer.
MAX_SEARCH = Subject._meta.get_field("name").max_length or 100

# The summaries' SORTS, each way round, and its FILTERS (tests/dashboard/test_home_paging.py checks both).
SORT_CHOICES = [
    ("name", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("-score", "Score, highest first"),
    ("score", "Score, lowest first"),
    ("-change_7d", "7-day change, most up first"),
    ("change_7d", "7-day change, most down first"),
    ("-change_30d", "30-day change, most up first"),
    ("change_30d", "30-day change, most down first"),
]
FILTER_CHOICES = [
    ("", "All subjects"),
    ("failing", "With failing accounts"),
    ("stale", "With stale inputs"),
]


@dataclass(frozen=True)
class ListQuery:
    """What a list of subjects shows, once every value of the query string is checked."""

    q: str = ""
    sort: str = "name"
    only: str = ""
    page: int = 1
    problems: tuple[str, ...] = ()

    @property
    def narrowed(self) -> bool:
        return bool(self.q or self.only)

    def params(self) -> QueryDict:
        """The query string of this list without its page and with defaults left out: what paging
        links carry."""
        params = QueryDict(mutable=True)
        if self.q:
            params["q"] = self.q
        if self.sort != ListQuery.sort:
            params["sort"] = self.sort
        if self.only:
            params["filter"] = self.only
        return params


class SubjectSearchForm(forms.Form):
    """A search of subjects by name, and the page of the results."""

    q = forms.CharField(
        label="Search by name",
        required=False,
        max_length=MAX_SEARCH,
        error_messages={"max_length": f"A search is at most {MAX_SEARCH} characters: showing every subject."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": "A page is a whole number: showing the first page.",
            "min_value": "Pages are numbered from 1: showing the first page.",
        },
        widget=forms.HiddenInput,
    )

    def query(self) -> ListQuery:
        """The values to show: each valid value given, the default for each one missing or refused."""
        self.is_valid()
        values = self._valid_values()
        problems = tuple(str(error) for errors in self.errors.values() for error in errors)
        return ListQuery(**values, problems=problems)

    def _valid_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.cleaned_data.get("q"):
            values["q"] = self.cleaned_data["q"]
        if self.cleaned_data.get("page"):
            values["page"] = self.cleaned_data["page"]
        return values


class HomeForm(SubjectSearchForm):
    """The home page's list: search, sort, filter and page, read from the query string (GET)."""

    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=SORT_CHOICES,
        error_messages={"invalid_choice": "Unknown sort order: sorted by name."},
    )
    filter = forms.ChoiceField(
        label="Show",
        required=False,
        choices=FILTER_CHOICES,
        error_messages={"invalid_choice": "Unknown filter: showing all subjects."},
    )

    def _valid_values(self) -> dict[str, Any]:
        values = super()._valid_values()
        if self.cleaned_data.get("sort"):
            values["sort"] = self.cleaned_data["sort"]
        if self.cleaned_data.get("filter"):
            values["only"] = self.cleaned_data["filter"]
        return values

    @classmethod
    def showing(cls, query: ListQuery) -> HomeForm:
        """An unbound form showing the values in use (never a refused one, which may be 10,000 characters)."""
        return cls(initial={"q": query.q, "sort": query.sort, "filter": query.only}, auto_id="home-%s")
