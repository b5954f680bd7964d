import pytest

from .corpus import build_corpus


@pytest.fixture
def corpus(db):
    """The open missions of tests/search/corpus.py, by key."""
    return build_corpus()
