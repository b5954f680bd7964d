"""A paginator that reads a page and the total in one query, when its list can."""

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from django.core.paginator import Page, Paginator


@runtime_checkable
class CountedSlices(Protocol):
    """A list that reads a slice together with the length of the whole list."""

    def slice_with_count(self, start: int, stop: int) -> tuple[list[Any], int]:
        """The items from ``start`` to ``stop`` and how many there are in all (0 when the
        slice is empty: the total is then unknown)."""
        ...


if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class OneQueryPaginator(_Paginator):
    """Django's paginator, which counts the list before it reads a page (two queries
    over the same rows); over a :class:`CountedSlices` list it reads the page first,
    with the total beside each row, and counts apart only when the page is empty (past
    the end, or nothing found)."""

    def page(self, number: Any) -> Page[Any]:
        lookup = self.object_list
        if "count" in self.__dict__ or self.orphans or not isinstance(lookup, CountedSlices):
            return super().page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # the paginator's own error
        if wanted < 1 or isinstance(number, float) and not number.is_integer():
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows, total = lookup.slice_with_count(bottom, bottom + self.per_page)
        if not rows:
            return super().page(number)  # counted apart: its error, or the empty page
        self.__dict__["count"] = total  # read by num_pages and the page's own checks
        return Page(rows, wanted, self)
