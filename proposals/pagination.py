"""A paginator for lists too long to count exactly (commitments' dashboard, the reply list)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    """A Paginator that counts at most `bound` rows: `SELECT count(*) FROM (SELECT … LIMIT bound + 1)`.

    A supervisor's list at 5,000,000 commitments matches millions of rows; an exact COUNT(*) of them took 10–25 s
    (docs/deployment.md) while the page itself is an ordered index scan stopped by LIMIT. Past `bound` it offers
    the first bound / per_page pages. `known_count`, the list's exact size from the tallies
    (`commitments.selectors.list_count`), replaces the COUNT query; otherwise past `bound` the page says "more
    than 10,000, narrow the filters".
    """

    def __init__(self, object_list, per_page, bound: int = 10_000, known_count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = bound
        self.known_count = known_count

    @cached_property
    def _bounded_count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return self.object_list.order_by()[: self.bound + 1].count()  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.bound)

    @property
    def capped(self) -> bool:
        return self._bounded_count > self.bound

    @property
    def exact_count(self) -> int | None:
        """The list's size when known (from the tallies, or not past the bound), else None."""
        return self.known_count if self.known_count is not None else (None if self.capped else self.count)

    @property
    def pages_label(self) -> str:
        return f"{self.num_pages}+" if self.capped else str(self.num_pages)
