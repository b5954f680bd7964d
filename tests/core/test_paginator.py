"""The paginator that reads a page and its total in one go."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger

from core.paginator import OneQueryPaginator


class Counted:
    """A list that says which slices it was asked for, with or without the total."""

    def __init__(self, n: int) -> None:
        self.items = list(range(n))
        self.slices: list[tuple[int, int]] = []
        self.counts = 0

    def slice_with_count(self, start: int, stop: int):
        self.slices.append((start, stop))
        rows = self.items[start:stop]
        return rows, len(self.items) if rows else 0

    def count(self) -> int:
        self.counts += 1
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]


def test_a_page_and_its_total_in_one_read():
    items = Counted(45)
    page = OneQueryPaginator(items, 20).page(2)
    assert list(page) == list(range(20, 40))
    assert (page.paginator.count, page.paginator.num_pages) == (45, 3)
    assert page.has_next() and page.has_previous()
    assert items.slices == [(20, 40)] and items.counts == 0


def test_the_last_page_is_short_and_knows_it_is_last():
    page = OneQueryPaginator(Counted(45), 20).page("3")
    assert list(page) == [40, 41, 42, 43, 44]
    assert not page.has_next() and page.end_index() == 45


@pytest.mark.parametrize("number", [4, "9"])
def test_past_the_end_is_counted_then_refused(number):
    items = Counted(45)
    with pytest.raises(EmptyPage):
        OneQueryPaginator(items, 20).page(number)
    assert items.counts == 1


@pytest.mark.parametrize("number", ["x", None, "1.5", 1.5])
def test_a_number_that_is_not_one_is_the_paginators_own_error(number):
    with pytest.raises(PageNotAnInteger):
        OneQueryPaginator(Counted(45), 20).page(number)


@pytest.mark.parametrize("number", [0, -1])
def test_below_one_is_refused(number):
    with pytest.raises(EmptyPage):
        OneQueryPaginator(Counted(45), 20).page(number)


def test_nothing_found_is_one_empty_page():
    page = OneQueryPaginator(Counted(0), 20).page(1)
    assert list(page) == [] and page.paginator.count == 0


def test_a_plain_list_is_paginated_as_django_does():
    page = OneQueryPaginator(list(range(45)), 20).page(3)
    assert list(page) == [40, 41, 42, 43, 44] and page.paginator.num_pages == 3
