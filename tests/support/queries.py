"""Query counts that must not grow with the data: the same read, on small and large cases."""

from collections.abc import Callable, Iterable


def query_counts(assert_queries: Callable, limit: int, read: Callable, cases: Iterable) -> list[int]:
    """How many queries `read(case)` took for each case, each within `limit` (checked by
    `assert_queries`: pytest-django's django_assert_num_queries or django_assert_max_num_queries)."""
    counts = []
    for case in cases:
        with assert_queries(limit) as queries:
            read(case)
        counts.append(len(queries.captured_queries))
    return counts
